"""Prophet fits: the only module that imports prophet.

Prophet rejects tz-aware timestamps, so this module strips the zone from `ds` before a fit
and restores it on the forecast: daily rows are local days, so the local wall date is kept
and midnight is localised again (daylight-saving days included). Intervals come from the
fit's own residuals, not from Prophet's sampling, which makes a fit several times faster.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import ujson

logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
logging.getLogger("cmdstanpy").setLevel(logging.WARNING)

from prophet import Prophet  # noqa: E402  (after quieting its import-time logging)

from forecast.features import HOLIDAY_PREFIX  # noqa: E402

__all__ = ["ProphetOptions", "fit_predict"]


def _not_the_yearly_warning(record: logging.LogRecord) -> bool:
    """Prophet warns of a yearly season under two years; here it is fitted from one year on
    by design (with the backtest to say whether it helps), so that warning is dropped."""
    return "Yearly seasonality is enabled with less than" not in record.getMessage()


def _quiet_cmdstanpy() -> None:
    """cmdstanpy adds an INFO handler on first use; configure it now, then raise it."""
    from cmdstanpy.utils import get_logger

    for handler in get_logger().handlers:
        handler.setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.WARNING)
    logging.getLogger("prophet").addFilter(_not_the_yearly_warning)


_quiet_cmdstanpy()


def _numpy_stan_inputs(init: dict, data: dict) -> tuple[dict, dict]:
    """Prophet's `CmdStanPyBackend.prepare_data` without its `.tolist()` calls.

    stanio writes NumPy arrays through a fast path, but walks nested Python lists one
    element at a time: for a three-year daily series that walk took longer than the
    optimisation itself. The numbers written are the same, so are the fits."""
    keys = ("T", "S", "K", "tau", "trend_indicator", "y", "t", "cap", "t_change", "s_a", "s_m",
            "sigmas")
    stan_data = {key: data[key] for key in keys}
    stan_data["X"] = np.asarray(data["X"], dtype=float)
    stan_init = {key: init[key] for key in ("k", "m", "delta", "beta", "sigma_obs")}
    return stan_init, stan_data


_X_JSON: dict[bytes, str] = {}
"""The feature matrix as JSON text by content: every series of a run shares it."""
_X_JSON_MAX = 16
_X_JSON_LOCK = threading.Lock()
_RUN_IDS = itertools.count()


def _stem() -> str:
    """A path prefix for one Stan run's files, unique across processes and threads, in
    the system's temporary folder (each run removes its own files)."""
    return os.path.join(tempfile.gettempdir(),
                        f"peakplan-stan-{os.getpid()}-{threading.get_ident()}-{next(_RUN_IDS)}")


def _matrix_json(matrix: np.ndarray) -> str:
    key = hashlib.sha1(repr(matrix.shape).encode() + matrix.tobytes()).digest()
    with _X_JSON_LOCK:
        text = _X_JSON.get(key)
    if text is None:
        text = ujson.dumps(matrix.tolist())
        with _X_JSON_LOCK:
            if len(_X_JSON) >= _X_JSON_MAX:
                _X_JSON.pop(next(iter(_X_JSON)))
            _X_JSON[key] = text
    return text


def _stan_json(values: dict) -> str:
    """The JSON text stanio would write for `values`, with the feature matrix X
    serialised once per content (ujson prints the shortest round-trip form of each
    number, so the pieces equal one whole dump)."""
    parts = []
    for name, value in values.items():
        if name == "X":
            text = _matrix_json(np.ascontiguousarray(value, dtype=float))
        else:
            text = ujson.dumps(np.asarray(value).tolist())
        parts.append(f"{ujson.dumps(name)}:{text}")
    return "{" + ",".join(parts) + "}"


def _read_optimum(path: str) -> tuple[list[str], np.ndarray]:
    """Column names and values of CmdStan's optimisation output CSV."""
    with open(path) as handle:
        rows = [line for line in handle if line.strip() and not line.startswith("#")]
    names = rows[0].strip().split(",")
    values = np.array(rows[1].strip().split(","), dtype=float)
    return names, values


def _direct_fit(backend, fallback):
    """`backend.fit` running Prophet's compiled model directly, with the arguments
    cmdstanpy would pass (L-BFGS, 10,000 iterations, the same data and inits), but
    without cmdstanpy's per-call bookkeeping: the temp files, the re-encoding of the
    data, and parsing the output's ~T+30 column names twice. Anything unusual (short
    series, other keyword arguments, a failed run) goes to Prophet's own `fallback`, which
    also keeps its Newton retry."""

    def fit(stan_init, stan_data, **kwargs):
        if kwargs or stan_data["T"] < 100:
            return fallback(stan_init, stan_data, **kwargs)
        init, data = _numpy_stan_inputs(stan_init, stan_data)
        stem = _stem()
        data_file, init_file, out_file = (f"{stem}-{part}" for part in
                                           ("data.json", "init.json", "out.csv"))
        try:
            with open(data_file, "w") as handle:
                handle.write(_stan_json(data))
            with open(init_file, "w") as handle:
                handle.write(_stan_json(init))
            done = subprocess.run(
                [backend.model.exe_file, "random", "seed=1", "data", f"file={data_file}",
                 f"init={init_file}", "output", f"file={out_file}", "method=optimize",
                 "algorithm=lbfgs", "iter=10000"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if done.returncode != 0 or not os.path.exists(out_file):
                return fallback(stan_init, stan_data, **kwargs)
            names, values = _read_optimum(out_file)
        finally:
            for leftover in (data_file, init_file, out_file):
                if os.path.exists(leftover):
                    os.remove(leftover)
        params = backend.stan_to_dict_numpy(names, values)
        return {name: value.reshape((1, -1)) for name, value in params.items()}

    return fit


DS, Y = "ds", "y"


@dataclass(frozen=True)
class ProphetOptions:
    """How one series is fitted. log: model log(1 + y), so seasonal swings scale with the
    level and forecasts stay positive. trend_damping: share of the last year's average
    trend slope kept in the forecast (1 keeps Prophet's own trend). residual_days: how much
    recent history sets the band."""

    log: bool = True
    yearly: bool = True
    weekly: bool = True
    changepoint_prior_scale: float = 0.05
    seasonality_prior_scale: float = 10.0
    holidays_prior_scale: float = 10.0
    trend_damping: float = 1.0
    interval_width: float = 0.8
    residual_days: int = 365


def _naive(ds: pd.Series) -> pd.Series:
    return ds.dt.tz_localize(None) if ds.dt.tz is not None else ds


def _restore(naive: pd.Series, like: pd.Series) -> pd.Series:
    if like.dt.tz is None:
        return naive
    return naive.dt.tz_localize(like.dt.tz, ambiguous=True, nonexistent="shift_forward")


_FEATURES: dict[bytes, tuple] = {}
"""Seasonality and regressor features by input: series fitted over the same days with the
same regressor values share them (every series of a run shares its days)."""
_FEATURES_MAX = 64
_FEATURES_LOCK = threading.Lock()


class _Prophet(Prophet):
    """Prophet that builds the feature matrix of a given input once per process; the
    features depend only on the dates, the regressor values and the model's settings,
    never on y, so fits and forecasts are unchanged (tested)."""

    def make_all_seasonality_features(self, df):  # type: ignore[override]
        digest = hashlib.sha1(repr((sorted(self.seasonalities.items()),
                                    sorted(self.extra_regressors.items()),
                                    self.train_component_cols is None)).encode())
        for column in ["ds", *sorted(self.extra_regressors)]:
            digest.update(np.ascontiguousarray(df[column].to_numpy()).tobytes())
        if self.holidays is not None:
            digest.update(pd.util.hash_pandas_object(self.holidays).to_numpy().tobytes())
        key = digest.digest()
        with _FEATURES_LOCK:  # Dask workers may fit in several threads
            cached = _FEATURES.get(key)
        if cached is None:
            cached = super().make_all_seasonality_features(df)
            with _FEATURES_LOCK:
                if len(_FEATURES) >= _FEATURES_MAX:
                    _FEATURES.pop(next(iter(_FEATURES)))
                _FEATURES[key] = cached
        features, priors, columns, modes = cached
        return (features.copy(), list(priors), columns.copy(),
                {mode: list(names) for mode, names in modes.items()})


    def setup_dataframe(self, df, initialize_scales=False):  # type: ignore[override]
        """Prophet's own, with the regressor columns checked, scaled and standardised as
        one block instead of two column assignments each (a unit here has dozens of
        holiday columns: that loop cost as much as the Stan run). Same numbers (tested);
        anything unusual goes to Prophet's own code, which raises its own errors."""
        names = list(self.extra_regressors)
        if not names or not _plain_regressors(df, names):
            return super().setup_dataframe(df, initialize_scales)
        order = df["ds"].argsort(kind="mergesort").to_numpy()
        block = df[names].to_numpy(dtype=float)[order]
        if initialize_scales:
            _regressor_scales(self.extra_regressors, pd.DataFrame(block, columns=names))
        regressors, self.extra_regressors = self.extra_regressors, {}
        try:
            out = super().setup_dataframe(df.drop(columns=names), initialize_scales)
        finally:
            self.extra_regressors = regressors
        mu = np.array([regressors[n]["mu"] for n in names], dtype=float)
        std = np.array([regressors[n]["std"] for n in names], dtype=float)
        scaled = pd.DataFrame((block - mu) / std, columns=names, index=out.index)
        out = pd.concat([out, scaled], axis=1)
        return out[[*df.columns, *out.columns.difference(df.columns, sort=False)]]


def _plain_regressors(df: pd.DataFrame, names: list[str]) -> bool:
    """Every regressor is a float column without NaN, the days naive datetimes: nothing for
    Prophet's checks to convert or refuse."""
    return (all(name in df and df[name].dtype == np.float64 for name in names)
            and pd.api.types.is_datetime64_dtype(df["ds"])
            and not df[names].isna().to_numpy().any())


def _regressor_scales(regressors: dict, block: pd.DataFrame) -> None:
    """Prophet's `initialize_scales` for the regressors (mu and std of the standardised ones,
    binary and constant columns left as they are), on the day-sorted block."""
    for name, props in regressors.items():
        standardize = props["standardize"]
        values = block[name]
        if len(values.unique()) < 2:
            standardize = False
        if standardize == "auto":
            standardize = set(values.unique()) != {1, 0}
        if standardize:
            props["mu"] = float(values.mean())
            props["std"] = float(values.std())


def _model(train: pd.DataFrame, options: ProphetOptions) -> Prophet:
    model = _Prophet(
        growth="linear", yearly_seasonality=10 if options.yearly else False,
        weekly_seasonality=options.weekly, daily_seasonality=False, uncertainty_samples=0,
        changepoint_prior_scale=options.changepoint_prior_scale,
        seasonality_prior_scale=options.seasonality_prior_scale)
    backend = model.stan_backend
    if hasattr(backend, "prepare_data"):  # this model only, not Prophet at large
        backend.prepare_data = _numpy_stan_inputs
        if hasattr(getattr(backend, "model", None), "exe_file"):
            backend.fit = _direct_fit(backend, backend.fit)
    for column in train.columns.drop([DS, Y]):
        if column.startswith(HOLIDAY_PREFIX):
            model.add_regressor(column, prior_scale=options.holidays_prior_scale,
                                standardize=False)
        else:
            model.add_regressor(column)
    return model


def point_forecast(model: Prophet, frame: pd.DataFrame) -> pd.DataFrame:
    """yhat and trend exactly as `model.predict` computes them without sampling, but with
    one matrix product for the additive and one for the multiplicative terms instead of
    a product and a column per component (one per holiday regressor here)."""
    df = model.setup_dataframe(frame.copy())
    trend = model.predict_trend(df).to_numpy()
    features, _, columns, _ = model.make_all_seasonality_features(df)
    beta = model.params["beta"]
    design = features.to_numpy()
    additive = np.nanmean(design @ (beta * columns["additive_terms"].to_numpy()).T, axis=1)
    multiplicative = np.nanmean(
        design @ (beta * columns["multiplicative_terms"].to_numpy()).T, axis=1)
    yhat = trend * (1 + multiplicative) + additive * model.y_scale
    return pd.DataFrame({"trend": trend, "yhat": yhat})


def _damp(pred: pd.DataFrame, n_train: int, damping: float) -> np.ndarray:
    """Forecast trend that keeps `damping` of the last year's average slope."""
    trend = pred["trend"].to_numpy()
    end = n_train - 1
    back = min(365, end)
    if damping >= 1 or back == 0:
        return trend
    slope = (trend[end] - trend[end - back]) / back
    horizon = np.arange(len(trend)) - end
    damped = trend[end] + slope * damping * horizon
    return np.where(horizon > 0, damped, trend)


def fit_predict(train: pd.DataFrame, future: pd.DataFrame, options: ProphetOptions
                ) -> pd.DataFrame:
    """Fit on `train` (ds, y, regressors) and forecast `future` (ds, the same regressors).

    Returns `future`'s ds with yhat, yhat_lower and yhat_upper (same units as y). Regressors
    constant over the training days carry no information and are dropped.
    """
    useful = [c for c in train.columns.drop([DS, Y]) if train[c].nunique(dropna=True) > 1]
    fit_rows = train[[DS, Y, *useful]].dropna(subset=[Y]).copy()
    fit_rows[DS] = _naive(fit_rows[DS])
    if options.log:
        fit_rows[Y] = np.log1p(fit_rows[Y].clip(lower=0))
    model = _model(fit_rows, options).fit(fit_rows)
    ahead = future[[DS, *useful]].copy()
    ahead[DS] = _naive(ahead[DS])
    # Only the last year of the history matters from here on (the damped slope and the
    # residual band); every term is computed row by row, so the tail predicts the same.
    recent = fit_rows.tail(max(options.residual_days, 366))
    both = pd.concat([recent.drop(columns=Y), ahead], ignore_index=True)
    pred = point_forecast(model, both)
    level = pred["yhat"].to_numpy() - pred["trend"].to_numpy() + _damp(
        pred, len(recent), options.trend_damping)
    residuals = (recent[Y].to_numpy() - level[: len(recent)])[-options.residual_days:]
    tail = (1 - options.interval_width) / 2
    low, high = np.quantile(residuals, [tail, 1 - tail])
    point = level[len(recent):]
    band = np.column_stack([point, point + low, point + high])
    if options.log:
        band = np.expm1(band)
    band = np.clip(band, 0, None)
    return pd.DataFrame({DS: future[DS].to_numpy(), "yhat": band[:, 0],
                         "yhat_lower": band[:, 1], "yhat_upper": band[:, 2]},
                        index=future.index).assign(**{DS: _restore(ahead[DS], future[DS])})

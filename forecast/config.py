"""Forecast settings as one frozen dataclass (the `[forecast]` table of a season TOML)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from data import ConfigError
from data.settings import Settings, each, number, one_of, setting, text, whole

__all__ = ["MODELS", "PLAUSIBILITY_FACTOR", "POOL", "ForecastConfig"]

MODELS = ("auto", "prophet", "mstl", "ets", "theta", "arima", "prophet_plain", "snaive_week",
          "snaive_year")
"""Model names: 'auto' picks per series the model (or the mean or median of the best two or
three) with the lowest weighted backtest error over rolling-origin windows, keeping its
default unless another beats it by `selection_margin`."""
POOL = ("prophet", "mstl", "snaive_week", "snaive_year")
"""The candidates 'auto' backtests by default. AutoETS, AutoTheta, AutoARIMA (weekly season
only) and prophet_plain can be added: on the gauntlet's real series none of them beat MSTL or
Prophet alone, adding them made the choice worse, prophet_plain costs a Prophet fit per series
and window, and AutoARIMA's search ten times an MSTL fit (benchmarks/bench_forecast_gauntlet.py).
The backtest report (`backtest`) scores the simple baselines whatever the candidates."""
SELECTION_METRICS = ("wape", "mape")
PLAUSIBILITY_FACTOR = 1.4
"""Calibrated on the 774 season forecasts of the gauntlet (86 cases x 9 models,
benchmarks/bench_forecast_gauntlet.py): every forecast whose total was within 1.2 times the
truth stayed within 1.36 times its references, every one off by 1.5 times or more was at
least 1.50 times away from them; 1.5 caught the weakest of those misses by 0.2%."""


def _share_between(key: str, value: Any) -> float:
    if not _is_number(value) or not 0 < value < 1:
        _fail(key, value, "must be a share between 0 and 1, such as 0.8")
    return float(value)


def _damping(key: str, value: Any) -> float:
    if not _is_number(value) or not 0 <= value <= 1:
        _fail(key, value, "must be between 0 (flat) and 1 (undamped)")
    return float(value)


def _window(key: str, value: Any) -> tuple[int, int]:
    pair = each(whole(-366, 366, unit="days"), length=2, what="[days before, days after]")(
        key, value)
    if pair[0] > 0 or pair[1] < 0:
        _fail(key, value, "must be [days before <= 0, days after >= 0]")
    return pair


def _lag_group(key: str, value: Any) -> tuple[int, int]:
    first, last = each(whole(0, 366, unit="days"), length=2, what="[first, last] lag days")(
        key, value)
    if last < first:
        _fail(key, value, "the last lag day is before the first")
    return first, last


def _lag_groups(key: str, value: Any) -> tuple[tuple[int, int], ...]:
    groups = each(_lag_group, what="a list of [first, last] lag days such as [[0, 0], [1, 3]]")(
        key, value)
    if not groups:
        _fail(key, value, "must hold at least one [first, last] group of lag days (to "
              "forecast without web traffic, leave out the traffic file)")
    return tuple(dict.fromkeys(groups))


def _candidates(key: str, value: Any) -> tuple[str, ...]:
    names = each(one_of(*MODELS[1:], explain="must be models of " + ", ".join(MODELS[1:])),
                 what="a list of model names such as [\"prophet\", \"mstl\"]")(key, value)
    if not names:
        _fail(key, value, "must name at least one model")
    return tuple(dict.fromkeys(names))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fail(key: str, value: Any, problem: str):
    raise ConfigError(key, value, problem)


@dataclass(frozen=True)
class ForecastConfig(Settings):
    """How the season is forecast.

    model: one of MODELS. interval_width: share of actuals the prediction band should hold.
    min_daily_contacts: a series with fewer contacts a day (mean of the last `share_weeks`)
    is forecast at its parent level and split by recent shares. yearly_min_days: history
    (days) before Prophet and MSTL fit a yearly season: a year and four weeks, the coming
    season's calendar seen once and the last weeks seen twice to tie the shape to the level.
    candidates: the models 'auto' backtests and combines. selection_metric: the metric (of
    forecast/metrics.py) that ranks them. plausibility_factor: a season total more than this
    many times above or below last year's same season scaled by the recent level, or every
    simple baseline, gets a warning in the notes. national_window: days before/after national
    holidays in which contacts move. trend_damping: share of the recent trend kept per year
    of horizon (1 = Prophet's own trend, 0 = flat). traffic_lags_d: groups of lags (days) of
    web sessions used as regressors. selection_margin: under 'auto', another model or
    combination must beat the default's weighted backtest error by more than this share to
    be chosen over it (a small edge on a few windows is noise); the default is Prophet when
    web traffic or events are given (it alone carries them), else the mean of Prophet, MSTL
    and snaive_year (forecast/choice.py). workers: processes for fits (0 = one per core);
    scheduler: a Dask scheduler address, or '' for local processes.
    """

    SECTION = "forecast"

    model: str = setting("auto", check=one_of(*MODELS, explain="must be one of "
                                              + ", ".join(MODELS)))
    interval_width: float = setting(0.8, check=_share_between)
    min_daily_contacts: float = setting(20.0, check=number(0))
    share_weeks: int = setting(8, check=whole(0))
    yearly_min_days: int = setting(393, check=whole(365, unit="days"))
    national_window: tuple[int, int] = setting((-3, 1), check=_window)
    trend_damping: float = setting(0.5, check=_damping)
    traffic_lags_d: tuple[tuple[int, int], ...] = setting(
        ((0, 0), (1, 3), (4, 7), (8, 21)), check=_lag_groups)
    changepoint_prior_scale: float = setting(0.05, check=number(0, open_low=True))
    seasonality_prior_scale: float = setting(10.0, check=number(0, open_low=True))
    holidays_prior_scale: float = setting(10.0, check=number(0, open_low=True))
    backtest_seasons: int = setting(3, check=whole(0))
    selection_margin: float = setting(0.1, check=number(0))
    candidates: tuple[str, ...] = setting(POOL, check=_candidates)
    selection_metric: str = setting("wape", check=one_of(*SELECTION_METRICS))
    plausibility_factor: float = setting(PLAUSIBILITY_FACTOR, check=number(1, open_low=True))
    workers: int = setting(0, check=whole(0))
    scheduler: str = setting("", check=text())

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The setting names, for config validation."""
        return tuple(f.name for f in fields(cls))

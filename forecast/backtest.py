"""Rolling-origin backtests: train up to the day before each past season, forecast it,
compare with what happened. Regressors are honest: web traffic after the cutoff is the
traffic model's own forecast, never the sessions that later happened; a second Prophet run
with the real sessions ('prophet_oracle_traffic') shows what a perfect traffic plan is worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from forecast.config import ForecastConfig
from forecast.engine import Context, fit_units, series_forecasts
from forecast.hierarchy import plan_units
from forecast.metrics import evaluate
from forecast.models import CANDIDATES
from forecast.traffic import extend_traffic, oracle_traffic
from forecast.windows import MIN_TRAIN_DAYS, Window

__all__ = ["ORACLE", "BacktestRun", "Window", "backtest_windows", "metrics_table",
           "run_backtest"]

ORACLE = "prophet_oracle_traffic"


@dataclass(frozen=True)
class BacktestRun:
    """Series forecasts with actuals (unique_id, day, model, unit, window, yhat,
    yhat_lower, yhat_upper, actual) and the windows they cover."""

    predictions: pd.DataFrame
    windows: tuple[Window, ...]


def backtest_windows(first: date, last: date, start: date, end: date, count: int
                     ) -> tuple[list[Window], bool]:
    """Past seasons (the same calendar window in earlier years) inside the history, most
    recent `count`; where there is none, the most recent windows of the season's length
    (flag True)."""
    windows = []
    for back in range(1, 50):
        try:
            s, e = start.replace(year=start.year - back), end.replace(year=end.year - back)
        except ValueError:  # 29 February
            s, e = start - timedelta(days=365 * back), end - timedelta(days=365 * back)
        if s - timedelta(days=MIN_TRAIN_DAYS) < first:
            break
        if e <= last:
            windows.append(Window(s, e, f"season {s.year}"))
    if windows:
        return windows[:count], False
    length = (end - start).days + 1
    recent = []
    stop = last
    while len(recent) < max(count, 1):
        begin = stop - timedelta(days=length - 1)
        if begin - timedelta(days=MIN_TRAIN_DAYS) < first:
            break
        recent.append(Window(begin, stop, f"window ending {stop}"))
        stop = begin - timedelta(days=1)
    return recent, True


def run_backtest(
    wide: pd.DataFrame, windows: Sequence[Window], *, calendar: pd.DataFrame,
    traffic: pd.DataFrame | None, config: ForecastConfig,
    models: Sequence[str] = CANDIDATES, oracle: bool = True, progress: bool = False,
) -> BacktestRun:
    """Forecast each window from the history before it with every model in `models`."""
    predictions = []
    for window in windows:
        cutoff = pd.Timestamp(window.start) - pd.Timedelta(days=1)
        history = wide[wide.index <= cutoff]
        units, assignment = plan_units(history, config.min_daily_contacts, config.share_weeks)
        path = None if traffic is None else extend_traffic(
            traffic, cutoff, pd.Timestamp(window.end), calendar=calendar, config=config)
        ctx = Context(history, window.days, calendar, path, config, progress)
        results = fit_units(ctx, units, {key: list(models) for key in units})
        runs = {model: (ctx, results) for model in models}
        if oracle and traffic is not None and "prophet" in models:
            oracle_ctx = Context(history, window.days, calendar, oracle_traffic(traffic),
                                 config, progress)
            oracle_results = fit_units(oracle_ctx, units, {key: ["prophet"] for key in units})
            runs[ORACLE] = (oracle_ctx, {(k, ORACLE): v for (k, _), v in
                                         oracle_results.items()})
        actual = wide.reindex(window.days)
        for model, (run_ctx, run_results) in runs.items():
            frame = series_forecasts(run_ctx, units, assignment, run_results,
                                     dict.fromkeys(units, model))
            frame["actual"] = actual.stack().reindex(
                pd.MultiIndex.from_frame(frame[["day", "unique_id"]])).to_numpy()
            predictions.append(frame.assign(window=window.label))
    return BacktestRun(pd.concat(predictions, ignore_index=True), tuple(windows))


LEVELS = {"series": ["unique_id"], "query_type": ["query_type"], "channel": ["channel"],
          "country": ["country"], "overall": []}


def metrics_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Every metric per level (series, query type, channel, country, overall), model and
    window (and 'all' windows). Groups add forecasts and bands of their series per day."""
    frame = predictions.dropna(subset=["actual"]).copy()
    parts = frame["unique_id"].str.split("/", expand=True)
    frame["country"], frame["query_type"], frame["channel"] = parts[0], parts[1], parts[2]
    rows = []
    for level, keys in LEVELS.items():
        for window in [None, *sorted(frame["window"].unique())]:
            subset = frame if window is None else frame[frame["window"] == window]
            group_keys = [*keys, "model", "window", "day"]
            daily = subset.groupby(group_keys, sort=False)[
                ["actual", "yhat", "yhat_lower", "yhat_upper"]].sum().reset_index()
            for names, group in daily.groupby([*keys, "model"], sort=True):
                names = names if isinstance(names, tuple) else (names,)
                scores = evaluate(group["actual"], group["yhat"], group["yhat_lower"],
                                  group["yhat_upper"])
                rows.append({"level": level, "key": "/".join(names[:-1]) or "all",
                             "model": names[-1], "window": window or "all", **scores})
    return pd.DataFrame(rows)

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
from forecast.engine import Context, run_tasks, series_forecasts, unit_tasks
from forecast.hierarchy import Unit, plan_units
from forecast.metrics import evaluate
from forecast.models import CANDIDATES, FitTask
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


@dataclass(frozen=True)
class _Batch:
    """The fits of one window (or its oracle run): context, units, and where its tasks lie
    in the list of all tasks."""

    window: Window
    model: str | None
    ctx: Context
    assignment: dict[str, str]
    units: dict[str, Unit]
    tasks: range


def _batches(wide: pd.DataFrame, windows: Sequence[Window], calendar: pd.DataFrame,
             traffic: pd.DataFrame | None, config: ForecastConfig, models: Sequence[str],
             oracle: bool, progress: bool) -> tuple[list[_Batch], list[FitTask]]:
    """Every window's fit tasks (and the oracle's), in one list."""
    batches, tasks = [], []
    for window in windows:
        cutoff = pd.Timestamp(window.start) - pd.Timedelta(days=1)
        history = wide[wide.index <= cutoff]
        units, assignment = plan_units(history, config.min_daily_contacts, config.share_weeks)
        path = None if traffic is None else extend_traffic(
            traffic, cutoff, pd.Timestamp(window.end), calendar=calendar, config=config)
        runs = [(None, Context(history, window.days, calendar, path, config, progress),
                 list(models))]
        if oracle and traffic is not None and "prophet" in models:
            runs.append((ORACLE, Context(history, window.days, calendar,
                                         oracle_traffic(traffic), config, progress),
                         ["prophet"]))
        for model, ctx, asked in runs:
            more = unit_tasks(ctx, units, {key: asked for key in units})
            batches.append(_Batch(window, model, ctx, assignment, units,
                                  range(len(tasks), len(tasks) + len(more))))
            tasks += more
    return batches, tasks


def run_backtest(
    wide: pd.DataFrame, windows: Sequence[Window], *, calendar: pd.DataFrame,
    traffic: pd.DataFrame | None, config: ForecastConfig,
    models: Sequence[str] = CANDIDATES, oracle: bool = True, progress: bool = False,
) -> BacktestRun:
    """Forecast each window from the history before it with every model in `models`; the
    fits of all windows go to the workers at once (no idle cores between windows)."""
    batches, tasks = _batches(wide, windows, calendar, traffic, config, models, oracle,
                              progress)
    fitted = run_tasks(tasks, config, progress)
    predictions = []
    for batch in batches:
        results = {(tasks[i].key, batch.model or tasks[i].model): fitted[i]
                   for i in batch.tasks}
        names = [ORACLE] if batch.model else list(models)
        actual = wide.reindex(batch.window.days)
        for model in names:
            frame = series_forecasts(batch.ctx, batch.units, batch.assignment, results,
                                     dict.fromkeys(batch.units, model))
            frame["actual"] = actual.stack().reindex(
                pd.MultiIndex.from_frame(frame[["day", "unique_id"]])).to_numpy()
            predictions.append(frame.assign(window=batch.window.label))
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

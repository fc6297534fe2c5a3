"""The shared core of forecasts and backtests: build every unit's regressors, fit the
chosen models (in parallel), and turn unit forecasts into series forecasts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from forecast.config import ForecastConfig
from forecast.features import country_sessions, holiday_features, traffic_features
from forecast.hierarchy import Unit, country_shares, split, unit_series, weekday_shares
from forecast.models import BAND, SF_MODELS, FitTask, run_task
from forecast.parallel import run_all
from forecast.traffic import TrafficPath

__all__ = ["Context", "fit_units", "run_tasks", "series_forecasts", "unit_tasks"]


@dataclass(frozen=True)
class Context:
    """History up to a cutoff, the days to forecast, and what the regressors need."""

    wide: pd.DataFrame
    days: pd.DatetimeIndex
    calendar: pd.DataFrame
    traffic: TrafficPath | None
    config: ForecastConfig
    progress: bool = False


def _features(ctx: Context, shares: Mapping[str, float], memo: dict[tuple, pd.DataFrame]
              ) -> pd.DataFrame:
    """Holiday and traffic regressors of a unit with these country shares; units with the
    same shares (every single-country unit of a country) share one frame (`memo`)."""
    key = tuple(sorted(shares.items()))
    if key in memo:
        return memo[key]
    days = ctx.wide.index.union(ctx.days)
    parts = [holiday_features(days, ctx.calendar, shares, ctx.config.national_window)]
    if ctx.traffic is not None:
        sessions = country_sessions(ctx.traffic.sessions, list(shares))
        if len(sessions) and sessions.index.max() >= ctx.days.max():
            parts.append(traffic_features(days, sessions, ctx.config.traffic_lags_d))
    memo[key] = pd.concat(parts, axis=1)
    return memo[key]


def unit_tasks(ctx: Context, units: Mapping[str, Unit], models: Mapping[str, Sequence[str]]
               ) -> list[FitTask]:
    """One fit task per unit and model asked of it (regressors only where Prophet runs)."""
    tasks: list[FitTask] = []
    memo: dict[tuple, pd.DataFrame] = {}
    for key, unit in units.items():
        features = None
        if any(m == "prophet" for m in models[key]):
            features = _features(ctx, country_shares(ctx.wide, unit), memo)
        history = unit_series(ctx.wide, unit)
        tasks += [FitTask(key, model, history, ctx.days, features, ctx.config)
                  for model in models[key]]
    return tasks


def _preload(tasks: Sequence[FitTask]) -> None:
    """Import the model libraries the tasks need here, before local worker processes are
    forked: each worker then starts with them loaded instead of spending two to three
    seconds importing Prophet and statsforecast on its first task of every batch."""
    names = {task.model for task in tasks}
    if names & {"prophet", "prophet_plain"}:
        import forecast.prophet_model
    if names & set(SF_MODELS):
        import forecast.statsforecast_model  # noqa: F401


def run_tasks(tasks: Sequence[FitTask], config: ForecastConfig, progress: bool = False
              ) -> list[pd.DataFrame]:
    """Every task's forecast, in task order, on the configured workers or cluster."""
    if not config.scheduler and config.workers != 1:
        _preload(tasks)
    return run_all(run_task, tasks, workers=config.workers, scheduler=config.scheduler,
                   progress=progress)


def fit_units(ctx: Context, units: Mapping[str, Unit], models: Mapping[str, Sequence[str]]
              ) -> dict[tuple[str, str], pd.DataFrame]:
    """Forecasts by (unit key, model) for the models asked of each unit."""
    tasks = unit_tasks(ctx, units, models)
    results = run_tasks(tasks, ctx.config, ctx.progress)
    return {(task.key, task.model): result for task, result in zip(tasks, results, strict=True)}


def series_forecasts(
    ctx: Context, units: Mapping[str, Unit], assignment: Mapping[str, str],
    unit_results: Mapping[tuple[str, str], pd.DataFrame], model_of: Mapping[str, str],
) -> pd.DataFrame:
    """Long frame of every series' forecast: unique_id, day, yhat, yhat_lower, yhat_upper,
    model (the unit's model), unit (where it was forecast from)."""
    frames = []
    for unique_id, key in assignment.items():
        model = model_of[key]
        result = unit_results[(key, model)]
        ran = result.attrs.get("fallback", model)
        if key != unique_id:
            shares = weekday_shares(ctx.wide, unique_id, units[key], ctx.config.share_weeks)
            result = split(result, shares)
        frames.append(result[BAND].rename_axis("day").reset_index().assign(
            unique_id=unique_id, model=ran, unit=key))
    return pd.concat(frames, ignore_index=True)

"""The shared core of forecasts and backtests: build every unit's regressors, fit the
chosen models (in parallel), and turn unit forecasts into series forecasts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from forecast.config import ForecastConfig
from forecast.features import country_sessions, holiday_features, traffic_features
from forecast.hierarchy import Unit, country_shares, split, unit_series, weekday_shares
from forecast.models import BAND, FitTask, run_task
from forecast.parallel import run_all
from forecast.traffic import TrafficPath

__all__ = ["Context", "fit_units", "series_forecasts"]


@dataclass(frozen=True)
class Context:
    """History up to a cutoff, the days to forecast, and what the regressors need."""

    wide: pd.DataFrame
    days: pd.DatetimeIndex
    calendar: pd.DataFrame
    traffic: TrafficPath | None
    config: ForecastConfig
    progress: bool = False


def _features(ctx: Context, unit: Unit) -> pd.DataFrame:
    days = ctx.wide.index.union(ctx.days)
    shares = country_shares(ctx.wide, unit)
    parts = [holiday_features(days, ctx.calendar, shares, ctx.config.national_window)]
    if ctx.traffic is not None:
        sessions = country_sessions(ctx.traffic.sessions, list(shares))
        if len(sessions) and sessions.index.max() >= ctx.days.max():
            parts.append(traffic_features(days, sessions, ctx.config.traffic_lags_d))
    return pd.concat(parts, axis=1)


def fit_units(ctx: Context, units: Mapping[str, Unit], models: Mapping[str, Sequence[str]]
              ) -> dict[tuple[str, str], pd.DataFrame]:
    """Forecasts by (unit key, model) for the models asked of each unit."""
    tasks = []
    for key, unit in units.items():
        features = _features(ctx, unit) if any(m == "prophet" for m in models[key]) else None
        history = unit_series(ctx.wide, unit)
        tasks += [FitTask(key, model, history, ctx.days, features, ctx.config)
                  for model in models[key]]
    results = run_all(run_task, tasks, workers=ctx.config.workers,
                      scheduler=ctx.config.scheduler, progress=ctx.progress)
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

"""Run one named model on one daily series: the unit of work that runs in parallel."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.baselines import BASELINES
from forecast.config import ForecastConfig

__all__ = ["CANDIDATES", "SF_MODELS", "SIMPLE", "FitTask", "run_task"]

SF_MODELS = ("mstl", "ets", "theta", "arima")
"""statsforecast's models (forecast/statsforecast_model.py), on log(1 + contacts)."""
SIMPLE = ("snaive_week", "snaive_year", "prophet_plain")
"""The simple baselines every forecast is compared with."""
CANDIDATES = ("prophet", *SF_MODELS, *SIMPLE)
"""The models `auto` chooses among (and combines)."""
BAND = ["yhat", "yhat_lower", "yhat_upper"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FitTask:
    """One model on one series: history (daily, indexed by local day), the days to
    forecast, and regressor columns covering both (None for models that take none)."""

    key: str
    model: str
    history: pd.Series
    days: pd.DatetimeIndex
    features: pd.DataFrame | None
    config: ForecastConfig


PLAIN_YEARLY_DAYS = 730
"""prophet_plain keeps Prophet's own rule: a yearly season from two years of history."""
MIN_PROPHET_DAYS = 28
"""A Prophet or statsforecast fit needs this many observed days; shorter histories use
snaive_week."""


def _instead(task: FitTask) -> pd.DataFrame:
    """snaive_week for a Prophet task that cannot be fitted, marked in `.attrs['fallback']`."""
    result = BASELINES["snaive_week"](task.history, task.days, task.config.interval_width)
    result.attrs["fallback"] = "snaive_week"
    return result


def run_task(task: FitTask) -> pd.DataFrame:
    """The forecast of `task` as yhat, yhat_lower, yhat_upper indexed by day. A Prophet
    task on a short history, or whose fit Stan cannot finish (Prophet's own Newton retry
    included), runs snaive_week instead and says so in `.attrs['fallback']`."""
    model = task.model
    if model not in BASELINES and task.history.notna().sum() < MIN_PROPHET_DAYS:
        return _instead(task)
    if model in BASELINES:
        return BASELINES[model](task.history, task.days, task.config.interval_width)
    if model in SF_MODELS:
        return _statsforecast(task)
    try:
        return _prophet(task)
    except RuntimeError as exc:  # cmdstanpy: "Error during optimization!"
        log.warning("%s: %s could not be fitted (%s); snaive_week used instead",
                    task.key, model, exc)
        return _instead(task)


def _statsforecast(task: FitTask) -> pd.DataFrame:
    """A statsforecast model on the task's series; snaive_week if its fit fails."""
    from forecast.statsforecast_model import fit_predict

    try:
        return fit_predict(task.history, task.days, task.model, task.config.interval_width,
                           task.config.yearly_min_days)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
        log.warning("%s: %s could not be fitted (%s); snaive_week used instead",
                    task.key, task.model, exc)
        return _instead(task)


def _prophet(task: FitTask) -> pd.DataFrame:
    """Prophet (or prophet_plain) on the task's series, with its regressors."""
    from forecast.prophet_model import ProphetOptions, fit_predict

    config = task.config
    span = (task.history.index.max() - task.history.index.min()).days + 1
    plain = task.model == "prophet_plain"
    options = ProphetOptions(
        log=not plain, yearly=span >= (PLAIN_YEARLY_DAYS if plain else config.yearly_min_days),
        changepoint_prior_scale=config.changepoint_prior_scale,
        seasonality_prior_scale=config.seasonality_prior_scale,
        holidays_prior_scale=config.holidays_prior_scale,
        trend_damping=1.0 if plain else config.trend_damping,
        interval_width=config.interval_width)
    train = pd.DataFrame({"ds": task.history.index, "y": task.history.to_numpy()})
    future = pd.DataFrame({"ds": task.days})
    if task.features is not None and not plain:
        regressors = task.features.reindex(task.history.index.union(task.days)).fillna(0.0)
        train = pd.concat([train, regressors.reindex(task.history.index).reset_index(drop=True)],
                          axis=1)
        future = pd.concat([future, regressors.reindex(task.days).reset_index(drop=True)],
                           axis=1)
    return fit_predict(train, future, options).set_index("ds")[BAND]

"""Daily and interval forecasts of the season, baselines, model choice and backtests."""

from forecast.config import MODELS, ForecastConfig
from forecast.guard import GUARD_PREFIX
from forecast.metrics import METRICS, evaluate, metric
from forecast.parallel import cluster_executor, local_pool
from forecast.season import (
    ForecastResult,
    backtest,
    backtest_detail,
    forecast_season,
    past_seasons,
)

__all__ = [
    "GUARD_PREFIX",
    "METRICS",
    "MODELS",
    "ForecastConfig",
    "ForecastResult",
    "backtest",
    "backtest_detail",
    "cluster_executor",
    "evaluate",
    "forecast_season",
    "local_pool",
    "metric",
    "past_seasons",
]

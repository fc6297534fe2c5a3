"""Daily and interval forecasts of the season, baselines, model choice and backtests."""

from forecast.config import MODELS, ForecastConfig
from forecast.metrics import METRICS, evaluate, metric
from forecast.season import ForecastResult, backtest, forecast_season

__all__ = [
    "METRICS",
    "MODELS",
    "ForecastConfig",
    "ForecastResult",
    "backtest",
    "evaluate",
    "forecast_season",
    "metric",
]

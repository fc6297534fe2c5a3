"""Forecast accuracy metrics in a registry: adding a metric is one decorated function.

Each metric takes arrays of actuals, point forecasts and band (lower, upper) and returns a
float; shares are fractions (0.12 = 12%).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["METRICS", "evaluate", "metric", "poisson_wape_floor"]

Metric = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], float]
METRICS: dict[str, Metric] = {}


def metric(name: str) -> Callable[[Metric], Metric]:
    """Register `fn` under `name` in METRICS."""

    def register(fn: Metric) -> Metric:
        METRICS[name] = fn
        return fn

    return register


@metric("wape")
def wape(actual: np.ndarray, forecast: np.ndarray, *_: np.ndarray) -> float:
    """Weighted absolute percentage error: sum |f - a| / sum a.

    >>> wape(np.array([10.0, 30.0]), np.array([12.0, 27.0]))
    0.125
    """
    total = float(np.sum(actual))
    return float(np.sum(np.abs(forecast - actual)) / total) if total > 0 else math.nan


@metric("mape")
def mape(actual: np.ndarray, forecast: np.ndarray, *_: np.ndarray) -> float:
    """Mean absolute percentage error over the days with contacts.

    >>> mape(np.array([10.0, 0.0, 20.0]), np.array([11.0, 3.0, 15.0]))
    0.175
    """
    seen = actual > 0
    if not seen.any():
        return math.nan
    return float(np.mean(np.abs(forecast[seen] - actual[seen]) / actual[seen]))


@metric("bias")
def bias(actual: np.ndarray, forecast: np.ndarray, *_: np.ndarray) -> float:
    """Over (+) or under (-) forecast as a share of actuals: sum (f - a) / sum a.

    >>> bias(np.array([10.0, 30.0]), np.array([12.0, 27.0]))
    -0.025
    """
    total = float(np.sum(actual))
    return float(np.sum(forecast - actual) / total) if total > 0 else math.nan


@metric("peak_error")
def peak_error(actual: np.ndarray, forecast: np.ndarray, *_: np.ndarray) -> float:
    """Error of the forecast on the busiest actual day, as a share of that day's contacts.

    >>> peak_error(np.array([10.0, 40.0, 20.0]), np.array([12.0, 30.0, 45.0]))
    -0.25
    """
    if len(actual) == 0 or np.max(actual) <= 0:
        return math.nan
    day = int(np.argmax(actual))
    return float((forecast[day] - actual[day]) / actual[day])


@metric("coverage")
def coverage(actual: np.ndarray, _f: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside the prediction band.

    >>> coverage(np.array([1.0, 5.0, 9.0]), None, np.array([0.0, 6, 8]), np.array([2.0, 7, 10]))
    0.6666666666666666
    """
    if lower is None or upper is None or len(actual) == 0:
        return math.nan
    return float(np.mean((actual >= lower) & (actual <= upper)))


def _poisson_mad(rate: np.ndarray) -> np.ndarray:
    """E|Y - rate| for Y ~ Poisson(rate): 2 * rate * P(Y = floor(rate))."""
    rate = np.asarray(rate, dtype=float)
    k = np.floor(rate)
    log_pmf = np.where(rate > 0, k * np.log(np.where(rate > 0, rate, 1.0)) - rate
                       - np.frompyfunc(math.lgamma, 1, 1)(k + 1).astype(float), -np.inf)
    return 2 * rate * np.exp(log_pmf)


@metric("poisson_wape_floor")
def poisson_wape_floor(actual: np.ndarray, *_: np.ndarray) -> float:
    """WAPE that a forecast of the true rate would still have from Poisson noise alone,
    taking the actuals as the rates: sum E|Y - a| / sum a.

    >>> round(poisson_wape_floor(np.array([1.0])), 4)  # Poisson(1): mean deviation 2/e
    0.7358
    >>> round(poisson_wape_floor(np.array([10_000.0])), 4)  # about sqrt(2 / (pi * 10000))
    0.008
    """
    total = float(np.sum(actual))
    return float(np.sum(_poisson_mad(actual)) / total) if total > 0 else math.nan


def evaluate(
    actual: np.ndarray, forecast: np.ndarray, lower: np.ndarray | None = None,
    upper: np.ndarray | None = None,
) -> dict[str, float]:
    """Every registered metric for one series or group."""
    arrays = [np.asarray(a, dtype=float) if a is not None else None
              for a in (actual, forecast, lower, upper)]
    return {name: fn(*arrays) for name, fn in METRICS.items()}

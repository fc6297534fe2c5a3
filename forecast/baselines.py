"""Baselines every forecast is compared with: seasonal naive by week and by year.

A daily series here is a float Series indexed by local day (naive midnight). Bands come
from how well the same rule did on the history: the quantiles of log(actual / rule).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["BASELINES", "snaive_week", "snaive_year"]

WEEK, YEAR = 7, 364


def _band(history: pd.Series, lag: int, point: np.ndarray, width: float) -> np.ndarray:
    ratio = np.log1p(history) - np.log1p(history.shift(lag, freq="D").reindex(history.index))
    ratio = ratio.dropna().iloc[-365:]
    tail = (1 - width) / 2
    low, high = np.quantile(ratio, [tail, 1 - tail]) if len(ratio) else (0.0, 0.0)
    logs = np.log1p(point)
    return np.column_stack([point, np.expm1(logs + low), np.expm1(logs + high)]).clip(0)


def snaive_week(history: pd.Series, days: pd.DatetimeIndex, width: float = 0.8) -> pd.DataFrame:
    """Each day repeats the last observed value of its weekday."""
    observed = history.dropna()
    last = observed.groupby(observed.index.day_of_week).last()
    point = last.reindex(days.day_of_week).to_numpy(dtype=float)
    point = np.where(np.isnan(point), observed.iloc[-7:].mean(), point)
    band = _band(history, WEEK, point, width)
    return pd.DataFrame(band, index=days, columns=["yhat", "yhat_lower", "yhat_upper"])


def snaive_year(history: pd.Series, days: pd.DatetimeIndex, width: float = 0.8,
                level_weeks: int = 8) -> pd.DataFrame:
    """Each day takes the same weekday 52 weeks earlier (104 when that is still ahead),
    scaled by the year-on-year level of the last `level_weeks` weeks.

    Falls back to `snaive_week` when the history is shorter than a year.
    """
    observed = history.dropna()
    end = observed.index.max()
    if (end - observed.index.min()).days < YEAR + 7 * level_weeks:
        return snaive_week(history, days, width)
    recent = observed[end - pd.Timedelta(weeks=level_weeks) < observed.index]
    year_ago = observed.reindex(recent.index - pd.Timedelta(days=YEAR))
    level = recent.sum() / year_ago.sum() if year_ago.sum() > 0 else 1.0
    back = np.where((days - pd.Timedelta(days=YEAR)) > end, 2 * YEAR, YEAR)
    source = days - pd.to_timedelta(back, unit="D")
    point = history.reindex(source).to_numpy(dtype=float) * level * np.where(back > YEAR,
                                                                             level, 1.0)
    fallback = snaive_week(history, days, width)["yhat"].to_numpy()
    point = np.where(np.isnan(point), fallback, point)
    band = _band(history, YEAR, point, width)
    return pd.DataFrame(band, index=days, columns=["yhat", "yhat_lower", "yhat_upper"])


BASELINES = {"snaive_week": snaive_week, "snaive_year": snaive_year}

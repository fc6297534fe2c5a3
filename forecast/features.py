"""Regressor columns for a daily series: holiday and event windows, and lagged web traffic.

Holidays are built here rather than with Prophet's `add_country_holidays`, which takes one
country: a series spanning several countries gets each country's days weighted by that
country's share of its contacts. National holidays share one effect per window offset
(each named holiday occurs once a year, too rarely to learn alone); retail events and the
user's events get their own effect per offset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from data.schema import COUNTRY, DS, KIND, LOWER_WINDOW, NAME, SESSIONS, UPPER_WINDOW

__all__ = ["HOLIDAY_PREFIX", "TRAFFIC_PREFIX", "holiday_features", "traffic_features"]

HOLIDAY_PREFIX = "h_"
TRAFFIC_PREFIX = "x_"


def _offset_name(offset: int) -> str:
    return f"m{-offset}" if offset < 0 else f"p{offset}"


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def holiday_features(
    days: pd.DatetimeIndex, calendar: pd.DataFrame, shares: Mapping[str, float],
    national_window: tuple[int, int],
) -> pd.DataFrame:
    """One column per (holiday group, offset): the share of the series' contacts whose
    country has that holiday `offset` days from the day (0 on ordinary days).

    `calendar` is `data.holiday_calendar` output; `shares` maps country to its share.
    """
    columns: dict[str, np.ndarray] = {}
    index = {day: i for i, day in enumerate(days)}
    lower, upper = national_window
    for row in calendar[calendar[COUNTRY].isin(list(shares))].itertuples(index=False):
        national = getattr(row, KIND) == "national"
        group = "national" if national else _slug(getattr(row, NAME))
        window = (lower, upper) if national else (getattr(row, LOWER_WINDOW),
                                                  getattr(row, UPPER_WINDOW))
        for offset in range(window[0], window[1] + 1):
            position = index.get(pd.Timestamp(getattr(row, DS)) + pd.Timedelta(days=offset))
            if position is None:
                continue
            name = f"{HOLIDAY_PREFIX}{group}_{_offset_name(offset)}"
            values = columns.setdefault(name, np.zeros(len(days)))
            values[position] += shares[getattr(row, COUNTRY)]
    frame = pd.DataFrame(columns, index=days)
    return frame.clip(upper=1.0).reindex(sorted(frame.columns), axis=1)


def traffic_features(
    days: pd.DatetimeIndex, sessions: pd.Series, lags: Sequence[tuple[int, int]]
) -> pd.DataFrame:
    """Log of the mean daily sessions over each lag range (a, b days before the day).

    `sessions` is indexed by day and must cover `days` shifted back by the largest lag;
    missing days are interpolated over time.
    """
    start = days.min() - pd.Timedelta(days=max(b for _, b in lags))
    full = pd.date_range(min(start, sessions.index.min()), days.max(), freq="D")
    series = sessions.reindex(full).interpolate("time", limit_direction="both")
    logs = np.log1p(series.clip(lower=0))
    columns = {}
    for a, b in lags:
        window = logs.shift(a).rolling(b - a + 1, min_periods=1).mean()
        columns[f"{TRAFFIC_PREFIX}sessions_l{a}_{b}"] = window.reindex(days).to_numpy()
    return pd.DataFrame(columns, index=days)


def country_sessions(traffic: pd.DataFrame, countries: Sequence[str]) -> pd.Series:
    """Daily sessions summed over `countries` (empty when the traffic has none of them)."""
    rows = traffic[traffic[COUNTRY].isin(list(countries))]
    return rows.groupby(DS)[SESSIONS].sum().sort_index()

"""Detect a history's grain, find days with no rows, and name duplicate rows."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from data.errors import DataError
from data.tables import RawTable
from data.values import fail_rows

__all__ = [
    "DAY_MIN",
    "WEEKDAY_NAMES",
    "check_duplicates",
    "closed_weekdays",
    "detect_grain_min",
    "find_gap_days",
    "gap_error",
    "local_day",
]

DAY_MIN = 1440
"""Minutes in a day: the grain value of daily data."""


def local_day(ds: pd.Series) -> pd.Series:
    """The local calendar day of tz-aware timestamps, as naive midnight."""
    return ds.dt.tz_localize(None).dt.normalize()


def detect_grain_min(table: RawTable, column: str, ds: pd.Series, series: pd.Series) -> int:
    """Interval length in minutes (1440 for daily data), checked to divide a day.

    The grain is the most common step between consecutive timestamps of a series, measured
    in elapsed time (so daylight-saving days do not disturb it); every timestamp must lie on
    that grid in local time.
    """
    local = ds.dt.tz_localize(None)
    minute_of_day = (local - local.dt.normalize()).dt.total_seconds().to_numpy() / 60
    frame = _keys(ds, series).drop_duplicates().sort_values(["s", "t"])
    same_series = frame["s"].diff().eq(0).to_numpy()
    steps = pd.Series(np.diff(frame["t"].to_numpy(), prepend=0)[same_series] / 60e9)
    steps = steps[steps > 0]
    if (minute_of_day == 0).all():
        days = local_day(ds).drop_duplicates().sort_values().diff().dropna().dt.days
        if len(days) and days.mode().iloc[0] > 1:
            raise DataError(f"rows are {int(days.mode().iloc[0])} days apart", file=table.path,
                            column=table.original(column), expected="daily or intraday history")
        return DAY_MIN
    if steps.empty:
        raise DataError("one timestamp per series is not enough to tell the interval length",
                        file=table.path, column=table.original(column),
                        expected="at least two intervals of one series")
    grain = float(steps.round(6).mode().iloc[0])
    if grain != int(grain) or DAY_MIN % int(grain):
        raise DataError(f"intervals of {grain:g} minutes do not divide a day", file=table.path,
                        column=table.original(column),
                        expected="an interval length that divides 24 h, such as 15, 30 or 60 min")
    grain_min = int(grain)
    off_grid = np.abs(np.round(minute_of_day / grain_min) * grain_min - minute_of_day) > 1e-6
    fail_rows(table, off_grid, column, f"'{{value}}' is not on the {grain_min}-minute grid "
              "of the other rows", f"interval starts at multiples of {grain_min} minutes")
    return grain_min


def _keys(ds: pd.Series, series: pd.Series) -> pd.DataFrame:
    """Series codes and UTC nanoseconds: cheap keys for sorting and duplicate checks."""
    utc_ns = ds.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    return pd.DataFrame({"s": pd.factorize(series)[0], "t": utc_ns.astype("int64").to_numpy()})


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def closed_weekdays(days: pd.Series) -> tuple[int, ...]:
    """Weekdays (Monday 0) the history never has although its span holds each at least
    twice: the center is closed then. A weekday missed only once is a gap."""
    present = pd.DatetimeIndex(days.unique())
    span = pd.date_range(present.min(), present.max(), freq="D")
    seen = set(present.day_of_week)
    counts = pd.Series(span.day_of_week).value_counts()
    return tuple(sorted(d for d in range(7) if d not in seen and counts.get(d, 0) >= 2))


def find_gap_days(days: pd.Series, closed_days: Iterable[pd.Timestamp] = ()) -> pd.DatetimeIndex:
    """Days between the first and last with no row, skipping closed weekdays and
    `closed_days` (public holidays of the file's countries)."""
    present = pd.DatetimeIndex(days.unique())
    span = pd.date_range(present.min(), present.max(), freq="D")
    missing = span.difference(present)
    missing = missing[~missing.day_of_week.isin(list(closed_weekdays(days)))]
    return missing.difference(pd.DatetimeIndex(list(closed_days)))


def gap_error(table: RawTable, column: str, gaps: pd.DatetimeIndex, days: pd.Series) -> DataError:
    """A `DataError` naming the first run of missing days and the row just before it."""
    first = gaps[0]
    run = 1
    while run < len(gaps) and gaps[run] - gaps[run - 1] == pd.Timedelta(days=1):
        run += 1
    values = days.to_numpy()
    before = values < np.datetime64(first)
    position = int(np.flatnonzero(values == values[before].max())[-1]) if before.any() else 0
    span = first.date().isoformat() + (
        f" to {gaps[run - 1].date().isoformat()}" if run > 1 else "")
    others = len(gaps) - run
    return DataError(
        f"no rows for {run} day{'s' if run > 1 else ''} after this row ({span})"
        + (f" and {others} more missing day{'s' if others > 1 else ''}" if others else ""),
        file=table.path, row=table.row_number(position), column=table.original(column),
        expected="a row for every open day; pass --allow-gaps to keep the days as missing")


def check_duplicates(
    table: RawTable, column: str, ds: pd.Series, series: pd.Series
) -> None:
    """Raise `DataError` naming the first row that repeats an earlier (series, timestamp)."""
    keys = _keys(ds, series)
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return
    position = int(np.flatnonzero(repeated)[0])
    first = keys.duplicated(keep=False).to_numpy() & (
        (keys["s"] == keys["s"].iloc[position]) & (keys["t"] == keys["t"].iloc[position])
    ).to_numpy()
    earlier = int(np.flatnonzero(first)[0])
    raise DataError(
        f"repeats series '{series.iloc[position]}' at {ds.iloc[position].isoformat()} "
        f"already given in row {table.row_number(earlier)}", file=table.path,
        row=table.row_number(position), column=table.original(column),
        expected="one row per series and interval",
        more=int(repeated.sum()) - 1)

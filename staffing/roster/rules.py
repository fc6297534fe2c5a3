"""Roster rules (the hard limits every roster keeps) and the small time helpers that the
rosterer, the checker and the burnout report share.

Times of day are minutes after local midnight of the day a shift starts, so a shift that
crosses midnight ends after 1440. Weeks run Monday to Sunday.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from data.errors import ConfigError

__all__ = [
    "NO_END_LIMIT_MIN",
    "RosterRules",
    "as_date",
    "clock_text",
    "end_minutes",
    "is_night",
    "start_minutes",
    "week_start",
]

NO_END_LIMIT_MIN = 1440
"""An agent whose latest end is 1440 (24:00, the default) has no end limit and may work
shifts that cross midnight; any other latest end must be reached on the start day."""
_KEY = "schedule.roster."


@dataclass(frozen=True)
class RosterRules:
    """Hard limits of a roster.

    min_rest_h: hours off between the end of one shift and the start of the next (0-24);
    max_consecutive_days: most days worked in a row (1-14);
    min_days_off_per_week: fewest days off in each Monday-Sunday week (0-6; days of the
    week outside the roster count as off);
    max_weekend_shifts: most shifts starting on a Saturday or Sunday per agent over the
    whole roster (None: no cap);
    max_peak_day_shifts: most shifts starting on one of `peak_days` per agent (None: no cap);
    night_hours: (from, to) minutes after midnight; a shift that touches this window is a
    night shift (default 22:00-06:00).
    Weekly paid hours stay within each agent's max_h_week; contract_h_week is the target.

    >>> RosterRules().max_days_per_week
    5
    """

    min_rest_h: float = 11.0
    max_consecutive_days: int = 5
    min_days_off_per_week: int = 2
    max_weekend_shifts: int | None = None
    max_peak_day_shifts: int | None = None
    peak_days: tuple[date, ...] = ()
    night_hours: tuple[int, int] = (22 * 60, 6 * 60)

    def __post_init__(self) -> None:
        _check_number("min_rest_h", self.min_rest_h, 0, 24)
        _check_int("max_consecutive_days", self.max_consecutive_days, 1, 14)
        _check_int("min_days_off_per_week", self.min_days_off_per_week, 0, 6)
        for name in ("max_weekend_shifts", "max_peak_day_shifts"):
            value = getattr(self, name)
            if value is not None:
                _check_int(name, value, 0, 10_000)
        days = self.peak_days
        if not isinstance(days, tuple) or not all(isinstance(d, date) for d in days):
            raise ConfigError(_KEY + "peak_days", days, "expected a tuple of dates")
        night = self.night_hours
        if (not isinstance(night, tuple) or len(night) != 2
                or not all(isinstance(m, int) and 0 <= m <= 1440 for m in night)
                or night[0] % 1440 == night[1] % 1440):
            raise ConfigError(_KEY + "night_hours", night,
                              "expected two different minutes after midnight in [0, 1440]")

    @property
    def max_days_per_week(self) -> int:
        """Most days an agent may work in one Monday-Sunday week."""
        return 7 - self.min_days_off_per_week


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(_KEY + name, value, f"expected a whole number from {low} to {high}")


def _check_number(name: str, value: object, low: float, high: float) -> None:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not low <= value <= high):
        raise ConfigError(_KEY + name, value, f"expected a number of hours from {low} to {high}")


def start_minutes(start: pd.Series) -> np.ndarray:
    """Local wall-clock minutes after midnight of each shift start (tz-aware times).

    >>> start_minutes(pd.Series(pd.to_datetime(["2026-10-05 07:30"]))).tolist()
    [450]
    """
    return (start.dt.hour * 60 + start.dt.minute).to_numpy(dtype=np.int64)


def end_minutes(day: pd.Series, end: pd.Series) -> np.ndarray:
    """Local wall-clock minutes of each shift end after midnight of its start `day`
    (datetime.date); a shift ending the next day ends after 1440.

    >>> end_minutes(pd.Series([date(2026, 10, 5)]),
    ...             pd.Series(pd.to_datetime(["2026-10-06 02:00"]))).tolist()
    [1560]
    """
    end_day = pd.to_datetime(end.dt.date).to_numpy(dtype="datetime64[D]")
    start_day = pd.to_datetime(day).to_numpy(dtype="datetime64[D]")
    days = (end_day - start_day).astype(np.int64)
    return days * 1440 + (end.dt.hour * 60 + end.dt.minute).to_numpy(dtype=np.int64)


def is_night(start_min: np.ndarray, end_min: np.ndarray,
             night_hours: tuple[int, int]) -> np.ndarray:
    """Whether each shift [start_min, end_min) (minutes after its day's midnight) overlaps
    a night window (night_hours on the day before, the day itself or the days after).

    >>> is_night(np.array([420, 840, 1320]), np.array([900, 1320, 1800]), (1320, 360)).tolist()
    [False, False, True]
    """
    first, last = night_hours
    length = (last - first) % 1440 or 1440
    start_min, end_min = np.asarray(start_min), np.asarray(end_min)
    out = np.zeros(start_min.shape, dtype=bool)
    for k in (-1, 0, 1, 2):
        low = first % 1440 + k * 1440
        out |= (start_min < low + length) & (end_min > low)
    return out


def as_date(value: object) -> date:
    """A calendar date from a date, datetime, Timestamp or ISO text.

    >>> as_date(pd.Timestamp("2026-10-05 07:00")), as_date("2026-10-05")
    (datetime.date(2026, 10, 5), datetime.date(2026, 10, 5))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def week_start(day: date) -> date:
    """The Monday of the week of `day`.

    >>> week_start(date(2026, 10, 4))
    datetime.date(2026, 9, 28)
    """
    return day - timedelta(days=day.weekday())


def clock_text(stamp: pd.Timestamp) -> str:
    """"HH:MM" of a timestamp's local wall clock.

    >>> clock_text(pd.Timestamp("2026-10-05 07:05"))
    '07:05'
    """
    return f"{stamp.hour:02d}:{stamp.minute:02d}"

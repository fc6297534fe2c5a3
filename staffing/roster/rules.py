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
from data.settings import Settings, dates, setting
from staffing.night import NIGHT_HOURS, is_night

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


def _night_moved(key: str, value: object) -> None:
    raise ConfigError(key, value, "night is set once for pay, fairness and exports: use "
                      'schedule.night_start and schedule.night_end (e.g. "22:00", "06:00")')


def _night_hours(key: str, value: object) -> tuple[int, int]:
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(isinstance(m, int) and not isinstance(m, bool) and 0 <= m <= 1440
                       for m in value)
            or value[0] % 1440 == value[1] % 1440):
        raise ConfigError(key, value, "expected two different minutes after midnight in [0, 1440]")
    return value


def _cap(key: str, value: object) -> int | None:
    return None if value is None else _whole(0, 10_000)(key, value)


def _whole(low: int, high: int):
    def check(key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(key, value, f"expected a whole number from {low} to {high}")
        return value
    return check


def _hours(key: str, value: object) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not math.isfinite(value) or not 0 <= value <= 24):
        raise ConfigError(key, value, "expected a number of hours from 0 to 24")
    return value


@dataclass(frozen=True)
class RosterRules(Settings):
    """Hard limits of a roster.

    min_rest_h: hours off between the end of one shift and the start of the next (0-24);
    max_consecutive_days: most days worked in a row (1-14);
    min_days_off_per_week: fewest days off in each Monday-Sunday week (0-6; days of the
    week outside the roster count as off);
    max_weekend_shifts: most shifts starting on a Saturday or Sunday per agent over the
    whole roster (None: no cap);
    max_peak_day_shifts: most shifts starting on one of `peak_days` per agent (None: no cap);
    night_hours: (from, to) minutes after midnight; a shift that touches this window is a
    night shift. The config sets it from `schedule.night_start` / `night_end`, the same
    night that pays the night premium (default 22:00-06:00).
    Weekly paid hours stay within each agent's max_h_week; contract_h_week is the target.

    >>> RosterRules().max_days_per_week
    5
    """

    SECTION = "schedule.roster"

    min_rest_h: float = setting(11.0, check=_hours)
    max_consecutive_days: int = setting(5, check=_whole(1, 14))
    min_days_off_per_week: int = setting(2, check=_whole(0, 6))
    max_weekend_shifts: int | None = setting(None, check=_cap)
    max_peak_day_shifts: int | None = setting(None, check=_cap)
    peak_days: tuple[date, ...] = setting((), check=dates)
    night_hours: tuple[int, int] = setting(NIGHT_HOURS, check=_night_hours, parse=_night_moved,
                                           dump=lambda _: None)

    @property
    def max_days_per_week(self) -> int:
        """Most days an agent may work in one Monday-Sunday week."""
        return 7 - self.min_days_off_per_week


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

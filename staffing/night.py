"""Night hours: the one definition that pay premiums, fairness reports and exports share.

Night is a window of local wall-clock time (from, to) in minutes after midnight; a window
whose end is before its start runs over midnight (the default, 22:00-06:00). The setting
is `schedule.night_start` / `schedule.night_end`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NIGHT_HOURS", "at_night", "is_night"]

NIGHT_HOURS: tuple[int, int] = (22 * 60, 6 * 60)
"""The default night, 22:00 to 06:00, in minutes after midnight."""


def at_night(minute: np.ndarray, night_hours: tuple[int, int] = NIGHT_HOURS) -> np.ndarray:
    """Whether each wall-clock minute after midnight (0-1439) lies in the night window.

    >>> at_night(np.array([0, 359, 360, 1319, 1320])).tolist()
    [True, True, False, False, True]
    """
    first, last = (m % 1440 for m in night_hours)
    minute = np.asarray(minute) % 1440
    if first > last:
        return (minute >= first) | (minute < last)
    return (minute >= first) & (minute < last)


def is_night(start_min: np.ndarray, end_min: np.ndarray,
             night_hours: tuple[int, int] = NIGHT_HOURS) -> np.ndarray:
    """Whether each shift [start_min, end_min) (minutes after its day's midnight; past 1440
    on the next day) overlaps a night window on the day before, the day itself or after.

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

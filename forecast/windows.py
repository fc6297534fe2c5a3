"""Rolling-origin windows for choosing a model: where the past can be forecast as the season
will be, each with a weight and the reason it is there.

A window is worth most when it forecasts what the season will be asked: the same calendar
(a past season) from a history that covers that calendar once before it. Short histories
have no such past season, so windows also end at the cutoff and step back from it; their
training must still be long enough for a yearly season when the real history is (otherwise
the window tests models without the annual shape the real forecast will have, which is how
a young shop's backtest once chose a model that carried summer into Q4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

__all__ = [
    "MIN_TRAIN_DAYS",
    "MIN_WINDOW_DAYS",
    "YEAR_SEEN_DAYS",
    "Window",
    "calendar_weight",
    "cv_windows",
]

MIN_TRAIN_DAYS = 56
"""The least history before any window (eight weeks)."""
YEAR_SEEN_DAYS = 365
"""A whole year: a yearly season needs it and four weeks more (MIN_WINDOW_DAYS)."""
MIN_WINDOW_DAYS = 28
"""The shortest window when the history leaves no room for one of the season's length."""


@dataclass(frozen=True)
class Window:
    """A span of local days (inclusive) to forecast, with a label for reports, the weight of
    its errors in the model choice and why it was taken."""

    start: date
    end: date
    label: str
    weight: float = 1.0
    why: str = ""

    @property
    def days(self) -> pd.DatetimeIndex:
        """Every day of the window."""
        return pd.date_range(self.start, self.end, freq="D")


def calendar_weight(start: date, end: date, season: tuple[date, date]) -> float:
    """1 / (1 + d / L): d is the distance in days around the year between the middles of the
    window and the season, L the season's length in days. A past season weighs 1; the
    quarter just before a quarter-long season weighs 1/2.

    >>> calendar_weight(date(2025, 10, 1), date(2025, 12, 31), (date(2026, 10, 1),
    ...                 date(2026, 12, 31)))
    1.0
    >>> calendar_weight(date(2026, 7, 1), date(2026, 9, 30), (date(2026, 10, 1),
    ...                 date(2026, 12, 31)))
    0.5
    """
    length = (season[1] - season[0]).days + 1
    middle = start + (end - start) / 2
    target = season[0] + (season[1] - season[0]) / 2
    gap = abs((target - middle).days) % 365
    distance = min(gap, 365 - gap)
    return round(1 / (1 + distance / length), 3)


def _shifted(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day - timedelta(days=365 * years)


def _past_seasons(first: date, last: date, season: tuple[date, date], train: int,
                  count: int) -> list[Window]:
    windows = []
    for back in range(1, 50):
        start, end = _shifted(season[0], back), _shifted(season[1], back)
        if (start - first).days < train:
            break
        if end <= last and len(windows) < count:
            windows.append(Window(start, end, f"season {start.year}", 1.0,
                                  f"the season's calendar {back} year{'s' * (back > 1)} "
                                  f"back, {(start - first).days} days of history before it"))
    return windows


def _recent(first: date, last: date, season: tuple[date, date], train: int, count: int
            ) -> list[Window]:
    """Windows ending at the cutoff, then each ending the day before the next begins (side
    by side: the errors of more of the year, winter's included, for the bands), each with at
    least `train` days before it; as long as the season where there is room, else
    shorter."""
    length = min((season[1] - season[0]).days + 1, (last - first).days + 1 - train)
    if length < MIN_WINDOW_DAYS:
        return []
    windows = []
    stop = last
    while len(windows) < count:
        start = stop - timedelta(days=length - 1)
        if (start - first).days < train:
            break
        weight = calendar_weight(start, stop, season)
        windows.append(Window(start, stop, f"{length} days to {stop}", weight,
                              f"rolling origin: {length} days ending {(last - stop).days} days "
                              f"before the cutoff, {(start - first).days} days of history "
                              f"before it, weight {weight:g} by its distance in the calendar "
                              "from the season"))
        stop = start - timedelta(days=1)
    return windows


def cv_windows(first: date, last: date, season: tuple[date, date], count: int,
               yearly_days: int = YEAR_SEEN_DAYS + MIN_WINDOW_DAYS) -> list[Window]:
    """The windows that choose the model for `season` from a history of `first`..`last`.

    Every window has `yearly_days` of history before it (what the models need for a yearly
    season, so each window tests them as the forecast will run) when the history leaves room
    for that and four weeks, else eight weeks (the history is too short for a yearly
    season). Past seasons come first (up to `count`, weight 1); windows ending at the cutoff
    fill up to `count` where there are fewer than two, weighted by their calendar distance."""
    span = (last - first).days + 1
    train = yearly_days if span >= yearly_days + MIN_WINDOW_DAYS else MIN_TRAIN_DAYS
    count = max(count, 1)
    seasons = _past_seasons(first, last, season, train, count)
    wanted = count - len(seasons) if len(seasons) < 2 else 0
    return seasons + _recent(first, last, season, train, wanted)

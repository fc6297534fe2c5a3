"""Retail events computed per year, one small declarative unit each, in a registry.

Windows are days before (`lower_window`, <= 0) and after (`upper_window`, >= 0) the day
in which contacts are still moved by the event.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "RETAIL_EVENTS",
    "RetailEvent",
    "black_friday",
    "cyber_monday",
    "fixed",
    "last_shipping_day",
]

DateRule = Callable[[int, Collection[date]], date]
"""(year, the country's public holidays) -> the event's day."""


@dataclass(frozen=True)
class RetailEvent:
    """A shopping event that falls on a day computed from the year."""

    name: str
    rule: DateRule
    lower_window: int
    upper_window: int

    def day(self, year: int, holidays: Collection[date] = ()) -> date:
        """The event's day in `year` (for a country with these public holidays)."""
        return self.rule(year, holidays)


def fixed(month: int, day: int) -> DateRule:
    """A rule for an event on the same calendar day every year."""
    return lambda year, _holidays: date(year, month, day)


def black_friday(year: int, _holidays: Collection[date] = ()) -> date:
    """The day after US Thanksgiving (the fourth Thursday of November).

    >>> black_friday(2025), black_friday(2026)
    (datetime.date(2025, 11, 28), datetime.date(2026, 11, 27))
    """
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(days=22)


def cyber_monday(year: int, _holidays: Collection[date] = ()) -> date:
    """The Monday after Black Friday.

    >>> cyber_monday(2025)
    datetime.date(2025, 12, 1)
    """
    return black_friday(year) + timedelta(days=3)


def last_shipping_day(year: int, holidays: Collection[date] = ()) -> date:
    """The last working day (Monday to Friday, not a public holiday) on or before 20 December,
    the usual cut-off for standard delivery before Christmas.

    >>> last_shipping_day(2026)  # 20 December 2026 is a Sunday
    datetime.date(2026, 12, 18)
    """
    day = date(year, 12, 20)
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


RETAIL_EVENTS: tuple[RetailEvent, ...] = (
    RetailEvent("Singles' Day", fixed(11, 11), -1, 3),
    RetailEvent("Black Friday", black_friday, -3, 3),
    RetailEvent("Cyber Monday", cyber_monday, 0, 3),
    RetailEvent("Double 12", fixed(12, 12), 0, 2),
    RetailEvent("Last shipping day before Christmas", last_shipping_day, -5, 1),
    RetailEvent("Christmas Eve", fixed(12, 24), -2, 0),
    RetailEvent("Boxing Day", fixed(12, 26), 0, 3),
    RetailEvent("New Year's Eve", fixed(12, 31), 0, 1),
)

"""One frame of every day that moves contacts: national holidays, retail events, user events."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from datetime import date
from functools import cache

import holidays as holidays_lib
import pandas as pd

from data.countries import country_code
from data.errors import ConfigError
from data.retail_events import RETAIL_EVENTS
from data.schema import COUNTRY, DS, HOLIDAY_COLUMNS, KIND, LOWER_WINDOW, NAME, UPPER_WINDOW

__all__ = ["NATIONAL_WINDOW", "holiday_calendar", "national_holidays", "supports_holidays"]

log = logging.getLogger(__name__)

NATIONAL_WINDOW = (-3, 1)
"""Default (lower, upper) window of a national holiday in days: contacts rise before it."""


def supports_holidays(country: str) -> bool:
    """True when the holidays library knows the national holidays of `country` (alpha-2)."""
    return country in _supported()


@cache
def _supported() -> frozenset[str]:
    return frozenset(holidays_lib.list_supported_countries())


@cache
def national_holidays(country: str, year: int) -> tuple[tuple[date, str], ...]:
    """Public holidays of `country` (alpha-2) in `year`, in English where available."""
    if not supports_holidays(country):
        return ()
    with warnings.catch_warnings():  # "available only from 2001 to 2035": none outside
        warnings.simplefilter("ignore", UserWarning)
        calendar = holidays_lib.country_holidays(country, years=year)
        if "en_US" in (calendar.supported_languages or ()):
            calendar = holidays_lib.country_holidays(country, years=year, language="en_US")
        return tuple(sorted(calendar.items()))


def holiday_calendar(
    countries: Iterable[str],
    years: Iterable[int],
    *,
    events: pd.DataFrame | None = None,
    national_window: tuple[int, int] = NATIONAL_WINDOW,
    retail: bool = True,
) -> pd.DataFrame:
    """National holidays, retail events and user events of each country and year.

    Columns: country, ds (local day), name, kind ('national', 'retail' or 'event'),
    lower_window (days, <= 0), upper_window (days, >= 0). A user event with country '*'
    applies to every country asked for. A day can hold a national holiday and a retail
    event of the same name (Boxing Day in GB): both rows stay, each with its own window.
    """
    codes = _codes(countries)
    years = sorted({int(y) for y in years})
    lower, upper = _check_window(national_window)
    rows: list[tuple[str, date, str, str, int, int]] = []
    for country in codes:
        if not supports_holidays(country):
            log.info("no national holidays known for %s", country)
        for year in years:
            public = national_holidays(country, year)
            rows += [(country, day, name, "national", lower, upper) for day, name in public]
            if retail:
                days = {day for day, _ in public}
                rows += [(country, e.day(year, days), e.name, "retail", e.lower_window,
                          e.upper_window) for e in RETAIL_EVENTS]
    frame = pd.DataFrame(rows, columns=list(HOLIDAY_COLUMNS))
    frame[DS] = pd.to_datetime(frame[DS])
    if events is not None and len(events):
        frame = pd.concat([frame, _user_events(events, codes, years)], ignore_index=True)
    frame = frame.drop_duplicates([COUNTRY, DS, NAME, KIND])
    return frame.sort_values([COUNTRY, DS, KIND, NAME], ignore_index=True)


def _codes(countries: Iterable[str]) -> list[str]:
    codes = []
    for value in countries:
        code = country_code(str(value))
        if code is None:
            raise ConfigError("countries", value, "not an ISO 3166 country code or English name")
        codes.append(code)
    return sorted(set(codes))


def _check_window(window: tuple[int, int]) -> tuple[int, int]:
    lower, upper = (int(w) for w in window)
    if lower > 0 or upper < 0:
        raise ConfigError("national_window", window, "lower must be <= 0 and upper >= 0")
    return lower, upper


def _user_events(events: pd.DataFrame, codes: list[str], years: list[int]) -> pd.DataFrame:
    frame = events.copy()
    frame[DS] = pd.to_datetime(frame[DS])
    frame[COUNTRY] = [c if c == "*" else (country_code(str(c)) or str(c))
                      for c in frame[COUNTRY]]
    frame = frame[frame[DS].dt.year.isin(years)]
    everywhere = frame[frame[COUNTRY] == "*"]
    expanded = everywhere.loc[everywhere.index.repeat(len(codes))].copy()
    expanded[COUNTRY] = codes * len(everywhere)
    frame = pd.concat([frame[frame[COUNTRY] != "*"], expanded], ignore_index=True)
    frame = frame[frame[COUNTRY].isin(codes)]
    frame[KIND] = "event"
    return frame[[COUNTRY, DS, NAME, KIND, LOWER_WINDOW, UPPER_WINDOW]]

"""Read a user events file: the shop's own promotions and dates that move contacts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.columns import resolve_columns
from data.labels import read_countries
from data.limits import ReadLimits
from data.schema import COUNTRY, DS, EVENT_COLUMNS, LOWER_WINDOW, NAME, UPPER_WINDOW
from data.tables import read_table
from data.timeparse import parse_times
from data.values import fail_rows, parse_numbers

__all__ = ["MAX_WINDOW_D", "read_events"]

MAX_WINDOW_D = 366
"""The longest window (days before or after an event) that an event may move contacts."""


def read_events(path: str | Path, *, sheet: str | int | None = None,
                limits: ReadLimits | None = None) -> pd.DataFrame:
    """Events: name, ds (local day), country (alpha-2 or '*' for all), lower_window (days,
    -366 to 0, default 0) and upper_window (days, 0 to 366, default 0)."""
    table = read_table(path, sheet=sheet, limits=limits)
    found, _ = resolve_columns(table, required=(NAME, DS),
                               optional=(COUNTRY, LOWER_WINDOW, UPPER_WINDOW))
    names = table.frame[found[NAME]].astype("string").fillna("").str.strip()
    fail_rows(table, names.eq(""), found[NAME], "the event has no name", "a name")
    times = parse_times(table, found[DS], timezone="UTC")
    fail_rows(table, ~_midnight(times.ds), found[DS], "'{value}' has a time of day",
              "a date: events are whole days")
    frame = pd.DataFrame({NAME: names.astype("str"),
                          DS: times.ds.dt.tz_localize(None).dt.normalize()})
    frame[COUNTRY] = read_countries(table, found[COUNTRY], allow_all=True) \
        if COUNTRY in found else "*"
    for column, sign in ((LOWER_WINDOW, -1), (UPPER_WINDOW, 1)):
        frame[column] = _window(table, found.get(column), sign)
    return frame[list(EVENT_COLUMNS)].sort_values([DS, COUNTRY, NAME], ignore_index=True)


def _midnight(ds: pd.Series) -> pd.Series:
    local = ds.dt.tz_localize(None)
    return local == local.dt.normalize()


def _window(table, column: str | None, sign: int) -> pd.Series:
    if column is None:
        return pd.Series(0, index=table.frame.index, dtype="int64")
    days = parse_numbers(table, column, allow_missing=True).fillna(0.0)
    fail_rows(table, days.abs() > MAX_WINDOW_D, column,
              "window {value} is longer than a year", f"at most {MAX_WINDOW_D} days")
    fail_rows(table, (days - days.round()).abs() > 0, column, "{value} is not a whole number",
              "whole days")
    wrong = days > 0 if sign < 0 else days < 0
    fail_rows(table, wrong, column, "window {value} points the wrong way",
              "days before the event as 0 or less" if sign < 0
              else "days after the event as 0 or more")
    return days.astype("int64")

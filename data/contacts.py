"""Read a contact history into the contract frame, validated, with a report of what was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data.calendars import national_holidays
from data.columns import resolve_columns
from data.errors import DataError
from data.grain import (
    DAY_MIN,
    WEEKDAY_NAMES,
    check_duplicates,
    closed_weekdays,
    detect_grain_min,
    find_gap_days,
    gap_error,
    local_day,
)
from data.labels import country_setting, label, normalise_channel, read_countries, read_labels
from data.limits import ReadLimits
from data.schema import (
    AHT_S,
    ALL,
    CHANNEL,
    CONTACTS,
    COUNTRY,
    DS,
    QUERY_TYPE,
    SERIES_KEYS,
    UNKNOWN_COUNTRY,
)
from data.tables import RawTable, read_table
from data.timeparse import parse_times
from data.values import fail_rows, parse_counts, parse_numbers

__all__ = ["ContactHistory", "load_contacts", "read_contacts"]


@dataclass(frozen=True)
class ContactHistory:
    """A validated contact history and what the reader found and decided."""

    frame: pd.DataFrame
    path: Path
    grain_min: int
    time_rule: str
    date_format: str
    gap_days: tuple[pd.Timestamp, ...] = ()
    closed_days: tuple[pd.Timestamp, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_daily(self) -> bool:
        """True when the history has one row per series and day."""
        return self.grain_min == DAY_MIN


def read_contacts(
    path: str | Path,
    *,
    timezone: str,
    country: str | None = None,
    query_type: str | None = None,
    channel: str | None = None,
    **options: object,
) -> pd.DataFrame:
    """The contact history frame (DESIGN.md contract); see `load_contacts` for options."""
    return load_contacts(path, timezone=timezone, country=country, query_type=query_type,
                         channel=channel, **options).frame  # type: ignore[arg-type]


def load_contacts(
    path: str | Path,
    *,
    timezone: str,
    country: str | None = None,
    query_type: str | None = None,
    channel: str | None = None,
    naive_timezone: str | None = None,
    date_format: str | None = None,
    allow_gaps: bool = False,
    sheet: str | int | None = None,
    limits: ReadLimits | None = None,
) -> ContactHistory:
    """Read, validate and describe a contact history.

    Only `ds` and `contacts` are required. A file without a `country`, `query_type` or
    `channel` column gets the value named here (country 'ZZ', the others 'all', when none
    is named); a file with the column keeps only the rows of the value named. Intervals a
    series has no row for, on a day the file has rows, are zero contacts. A day with no row
    at all is a gap (an error unless `allow_gaps`), except on weekdays the file never has
    and on public holidays of its countries. `limits`: see `data.limits`.
    """
    table = read_table(path, sheet=sheet, limits=limits)
    found, extra = resolve_columns(table, required=(DS, CONTACTS),
                                   optional=(COUNTRY, QUERY_TYPE, CHANNEL, AHT_S))
    notes = [f"ignored column '{table.original(c)}'" for c in extra]
    keys = _series_keys(table, found, {COUNTRY: country, QUERY_TYPE: query_type,
                                       CHANNEL: channel}, notes)
    series = keys[COUNTRY] + "/" + keys[QUERY_TYPE] + "/" + keys[CHANNEL]
    times = parse_times(table, found[DS], timezone=timezone, naive_timezone=naive_timezone,
                        date_format=date_format, groups=series)
    frame = keys.assign(**{DS: times.ds, CONTACTS: parse_counts(table, found[CONTACTS])})
    if AHT_S in found:
        aht = parse_numbers(table, found[AHT_S], allow_missing=True)
        fail_rows(table, aht < 0, found[AHT_S], "handle time {value} is negative",
                  "seconds, 0 or more")
        frame[AHT_S] = aht
    keep = _selected(frame, found, {COUNTRY: country, QUERY_TYPE: query_type,
                                    CHANNEL: channel}, table)
    frame, series, table = frame[keep], series[keep], _subset(table, keep)
    check_duplicates(table, found[DS], frame[DS], series)
    grain = detect_grain_min(table, found[DS], frame[DS], series)
    days = local_day(frame[DS])
    closed = _holidays_in(frame[COUNTRY].unique(), days)
    gaps = find_gap_days(days, closed)
    if len(gaps) and not allow_gaps:
        raise gap_error(table, found[DS], gaps, days)
    shut = closed_weekdays(days)
    if shut:
        notes.append("closed weekdays (never in the file, not counted as gaps): "
                      + ", ".join(WEEKDAY_NAMES[d] for d in shut))
    if times.autumn_single:
        notes.append(f"{times.autumn_single} autumn wall-clock times seen once were read as "
                     "summer time")
    columns = [DS, *SERIES_KEYS, CONTACTS] + ([AHT_S] if AHT_S in frame else [])
    frame = frame[columns].sort_values([*SERIES_KEYS, DS], ignore_index=True)
    return ContactHistory(frame, table.path, grain, times.rule, times.date_format,
                          tuple(gaps), _closed_in_span(closed, days), tuple(notes))


def _closed_in_span(closed: set[pd.Timestamp], days: pd.Series) -> tuple[pd.Timestamp, ...]:
    """Holidays within the history's span on which it has no row (the center closed)."""
    present = set(days.unique())
    return tuple(sorted(d for d in closed if d not in present
                        and days.min() <= d <= days.max()))


def _series_keys(
    table: RawTable, found: dict[str, str], named: dict[str, str | None], notes: list[str]
) -> pd.DataFrame:
    keys = pd.DataFrame(index=table.frame.index)
    for key, value in named.items():
        if key in found:
            keys[key] = (read_countries(table, found[key]) if key == COUNTRY
                         else read_labels(table, found[key], channel=key == CHANNEL))
            continue
        default = UNKNOWN_COUNTRY if key == COUNTRY else ALL
        keys[key] = _named_value(key, value) if value is not None else default
        if value is None:
            notes.append(f"no '{key}' column and none named: every row is {key} '{default}'"
                         + (" (no national holidays)" if key == COUNTRY else ""))
    return keys.astype("str")


def _named_value(key: str, value: str) -> str:
    if key == COUNTRY:
        return country_setting(value)
    return normalise_channel(value) if key == CHANNEL else label(value)


def _selected(
    frame: pd.DataFrame, found: dict[str, str], named: dict[str, str | None], table: RawTable
) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    for key, value in named.items():
        if value is None or key not in found:
            continue
        wanted = _named_value(key, value)
        match = frame[key] == wanted
        if not match.any():
            have = ", ".join(sorted(frame[key].unique())[:12])
            raise DataError(f"no rows for {key} '{wanted}' (the file has {have})",
                            file=table.path, column=table.original(found[key]),
                            expected=f"rows with {key} '{wanted}', or another --{key}")
        keep &= match
    return keep


def _subset(table: RawTable, keep: pd.Series) -> RawTable:
    if keep.all():
        return table
    return RawTable(table.frame[keep.to_numpy()], table.path, table.first_row, table.headers,
                    table.delimiter, table.encoding, table.decimal)


def _holidays_in(countries: object, days: pd.Series) -> set[pd.Timestamp]:
    """Public holidays of `countries` in the years the history has rows in (a year without
    any row is all gap, holidays or not: computing its holidays only costs time)."""
    years = sorted(set(pd.DatetimeIndex(days.unique()).year))
    return {pd.Timestamp(day) for country in countries for year in years
            for day, _ in national_holidays(str(country), year)}

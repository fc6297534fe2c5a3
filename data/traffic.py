"""Read daily web traffic by country (and optionally page category)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.columns import ALIASES, resolve_columns
from data.errors import DataError
from data.labels import country_setting, read_countries, read_labels
from data.limits import ReadLimits
from data.schema import COUNTRY, DS, QUERY_TYPE, SESSIONS, UNKNOWN_COUNTRY
from data.tables import RawTable, normalise_header, read_table
from data.timeparse import parse_times
from data.values import fail_rows, parse_numbers

__all__ = ["read_traffic"]


def read_traffic(
    path: str | Path,
    *,
    country: str | None = None,
    sessions_column: str | None = None,
    date_format: str | None = None,
    sheet: str | int | None = None,
    limits: ReadLimits | None = None,
) -> pd.DataFrame:
    """Daily sessions per country: columns ds (local day), country, sessions[, query_type].

    Extra text columns (browser, device...) are dimensions and are summed over; extra
    number columns are ignored. A file without a country column takes `country` (or ZZ).
    `sessions_column` picks the column to read as sessions where several could be.
    Timestamps with a time of day are summed to their day.
    """
    table = read_table(path, sheet=sheet, limits=limits)
    preferred = {SESSIONS: (_key(sessions_column),)} if sessions_column else None
    if sessions_column:
        table = _only_sessions_column(table, _key(sessions_column))
    found, extra = resolve_columns(table, required=(DS, SESSIONS),
                                   optional=(COUNTRY, QUERY_TYPE), preferred_aliases=preferred,
                                   choose_hint="; or name one with --sessions-column")
    times = parse_times(table, found[DS], timezone="UTC", date_format=date_format)
    frame = pd.DataFrame({DS: times.ds.dt.tz_localize(None).dt.normalize()},
                         index=table.frame.index)
    frame[COUNTRY] = (read_countries(table, found[COUNTRY]) if COUNTRY in found
                      else country_setting(country) if country else UNKNOWN_COUNTRY)
    if QUERY_TYPE in found:
        frame[QUERY_TYPE] = read_labels(table, found[QUERY_TYPE])
    sessions = parse_numbers(table, found[SESSIONS])
    fail_rows(table, sessions < 0, found[SESSIONS], "sessions {value} is negative",
              "a count of 0 or more")
    frame[SESSIONS] = sessions
    if COUNTRY in found and country:
        frame = _only_country(table, found[COUNTRY], frame, country_setting(country))
    keys = [DS, COUNTRY] + ([QUERY_TYPE] if QUERY_TYPE in found else [])
    dimensions = [c for c in extra if not _is_numeric(table, c)]
    if not dimensions and times.date_only:
        _check_unique(_rows(table, frame.index), found[DS], frame, keys)
    summed = frame.groupby(keys, as_index=False, sort=True)[SESSIONS].sum()
    summed.attrs["summed_over"] = [table.original(c) for c in dimensions]
    return summed


def _key(name: str) -> str:
    return normalise_header(name)


def _only_sessions_column(table: RawTable, wanted: str) -> RawTable:
    if wanted not in table.frame.columns:
        raise DataError(f"has no column '{wanted}' to read as sessions", file=table.path, row=1,
                        column=wanted, expected="one of " + ", ".join(table.headers.values()))
    rivals = [c for c in table.frame.columns
              if c != wanted and (c == SESSIONS or c in ALIASES[SESSIONS])]
    return RawTable(table.frame.drop(columns=rivals), table.path, table.first_row,
                    {k: v for k, v in table.headers.items() if k not in rivals},
                    table.delimiter, table.encoding)


def _only_country(table: RawTable, column: str, frame: pd.DataFrame, code: str) -> pd.DataFrame:
    keep = frame[COUNTRY] == code
    if not keep.any():
        have = ", ".join(sorted(frame[COUNTRY].unique())[:12])
        raise DataError(f"no rows for country '{code}' (the file has {have})", file=table.path,
                        column=table.original(column),
                        expected=f"rows with country '{code}', or another --country")
    return frame[keep]


def _rows(table: RawTable, index: pd.Index) -> RawTable:
    """The table restricted to the rows still in `index` (so row numbers stay right)."""
    return RawTable(table.frame.loc[index], table.path, table.first_row, table.headers,
                    table.delimiter, table.encoding, table.decimal)


def _is_numeric(table: RawTable, column: str) -> bool:
    values = table.frame[column]
    if pd.api.types.is_numeric_dtype(values):
        return True
    text = values.astype("string").fillna("").str.strip()
    return bool(pd.to_numeric(text[text != ""], errors="coerce").notna().all())


def _check_unique(table: RawTable, column: str, frame: pd.DataFrame, keys: list[str]) -> None:
    repeated = frame.duplicated(keys, keep="first")
    fail_rows(table, repeated.to_numpy(), column, "repeats the day '{value}' of an earlier row",
              "one row per day and country")

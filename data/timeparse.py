"""Parse timestamp cells into the contact center's time zone.

Rules for what a file can hold:
- timestamps with a UTC offset ('2026-03-29T03:00:00+02:00', '...Z') are exact and are
  converted to the center's zone;
- naive timestamps are wall-clock times in `naive_timezone` (the center's zone unless told
  otherwise). A wall time skipped by the spring change is an error. A wall time that occurs
  twice in autumn is read, per series and in file order, first as summer time and then as
  winter time; seen only once it is read as summer time and counted in the report;
- dates without a time are days: local midnight (the first instant of the day where a
  zone changes clocks at midnight).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.errors import ConfigError, DataError
from data.tables import RawTable
from data.values import fail_rows

__all__ = ["FIRST_YEAR", "LAST_YEAR", "ParsedTimes", "check_timezone", "parse_times"]

ISO = "ISO8601"
CANDIDATE_FORMATS = (
    ISO,
    "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y",
    "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y",
    "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y",
    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y%m%d",
    "%d/%m/%y %H:%M", "%d/%m/%y", "%m/%d/%y %H:%M", "%m/%d/%y", "%d.%m.%y %H:%M", "%d.%m.%y",
)
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_MIDNIGHT_WITH_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]00:00(?::00(?:\.0+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class ParsedTimes:
    """Timestamps in the center's zone and how they were read."""

    ds: pd.Series
    date_only: bool
    rule: str
    date_format: str
    autumn_single: int = 0


def check_timezone(timezone: str, key: str = "season.timezone") -> zoneinfo.ZoneInfo:
    """The zone for an IANA name, or `ConfigError` naming the setting."""
    try:
        return zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(key, timezone, "not an IANA time zone such as 'Europe/Amsterdam'") \
            from None


def parse_times(
    table: RawTable,
    column: str,
    *,
    timezone: str,
    naive_timezone: str | None = None,
    date_format: str | None = None,
    groups: pd.Series | None = None,
) -> ParsedTimes:
    """Read `column` as tz-aware timestamps in `timezone` (rules in the module docstring)."""
    check_timezone(timezone)
    naive_zone = naive_timezone or timezone
    check_timezone(naive_zone, "naive_timezone")
    raw = table.frame[column]
    text = None
    if pd.api.types.is_datetime64_any_dtype(raw):
        fail_rows(table, raw.isna(), column, "the date is empty", "a date or date and time")
        parsed, fmt = raw, "native timestamps"
    elif (serials := _excel_serials(raw)) is not None:
        parsed, fmt = serials, "Excel serial day numbers"
    else:
        text = raw.astype("string").fillna("").str.strip()
        fail_rows(table, text.eq(""), column, "the date is empty", "a date or date and time")
        year = pd.to_numeric(text.str.extract(r"^(\d{4})[-/.]")[0], errors="coerce")
        fail_rows(table, ((year < FIRST_YEAR) | (year > LAST_YEAR)).fillna(False).to_numpy(),
                  column, f"'{{value}}' is outside the years {FIRST_YEAR} to {LAST_YEAR}",
                  "a date of this era, such as 2026-10-01")  # before pandas turns it to NaT
        parsed, fmt = _parse_text(table, column, text, date_format)
    parsed = _within_years(table, column, parsed)
    if _all_midnight(parsed, text):
        days = _wall_days(parsed, text)
        ds = days.dt.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
        return ParsedTimes(ds, True, f"dates read as local days in {timezone}", fmt)
    if parsed.dt.tz is not None:
        ds = parsed.dt.tz_convert(timezone)
        return ParsedTimes(ds, False, f"UTC offsets in the file, converted to {timezone}", fmt)
    ds, single = _localize_wall_times(table, column, parsed, naive_zone, groups)
    rule = f"naive times read as wall-clock time in {naive_zone}"
    return ParsedTimes(ds.dt.tz_convert(timezone), False, rule, fmt, single)


FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Timestamps outside these years are typos (0001, 9999) and outside what pandas holds in
nanoseconds (1677 to 2262): refused with the row."""


def _within_years(table: RawTable, column: str, parsed: pd.Series) -> pd.Series:
    """`parsed`, after refusing rows outside FIRST_YEAR to LAST_YEAR."""
    years = parsed.dt.year
    fail_rows(table, ((years < FIRST_YEAR) | (years > LAST_YEAR)).to_numpy(), column,
              f"'{{value}}' is outside the years {FIRST_YEAR} to {LAST_YEAR}",
              "a date of this era, such as 2026-10-01")
    return parsed


def _excel_serials(raw: pd.Series) -> pd.Series | None:
    """Excel day numbers (days since 1899-12-30, fraction = time of day), if that is what
    every cell holds; None otherwise."""
    numbers = pd.to_numeric(raw, errors="coerce") if raw.dtype == object or \
        pd.api.types.is_string_dtype(raw) or pd.api.types.is_numeric_dtype(raw) else None
    if numbers is None or numbers.isna().any() or not numbers.between(20_000, 80_000).all():
        return None
    stamps = pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers.astype(float), unit="D")
    return stamps.dt.round("s")


def _wall_days(parsed: pd.Series, text: pd.Series | None) -> pd.Series:
    """The calendar day each timestamp names, in its own offset where it has one."""
    if parsed.dt.tz is None:
        return parsed.dt.normalize()
    if text is not None:
        return pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d")
    return parsed.dt.tz_localize(None).dt.normalize()


def _all_midnight(parsed: pd.Series, text: pd.Series | None) -> bool:
    """True when every timestamp is at midnight in its own offset: the rows are days."""
    if text is not None and parsed.dt.tz is not None:
        return bool(text.str.contains(_MIDNIGHT_WITH_OFFSET).all())
    local = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
    return bool((local == local.dt.normalize()).all())


def _parse_text(
    table: RawTable, column: str, text: pd.Series, date_format: str | None
) -> tuple[pd.Series, str]:
    has_offset = text.str.contains(_OFFSET)
    if has_offset.any() and not has_offset.all():
        minority = has_offset if has_offset.sum() < (~has_offset).sum() else ~has_offset
        fail_rows(table, minority, column,
                  "'{value}' mixes timestamps with and without a UTC offset",
                  "every timestamp with an offset, or none")
    utc = bool(has_offset.any())
    codes, uniques = pd.factorize(text)
    uniques = pd.Series(uniques)
    formats = (date_format,) if date_format else _plausible_formats(uniques, utc)
    results = {fmt: _to_datetime(uniques, fmt, utc) for fmt in formats}
    complete = [fmt for fmt, values in results.items() if values.notna().all()]
    if not complete:
        best = max(results, key=lambda f: results[f].notna().sum())
        bad = results[best].isna().to_numpy()
        first_bad = str(uniques[np.flatnonzero(bad)[0]])
        date_only = not text.str.contains(_HAS_TIME).any()
        example = _example(best, date_only)
        if re.fullmatch(_shape(best), first_bad):
            problem, expected = "'{value}' is not a real date or time", f"a date like {example}"
        elif date_format:
            problem = f"'{{value}}' does not match --date-format '{date_format}'"
            expected = f"dates like {example}"
        elif results[best].notna().any():
            problem = ("'{value}' does not match the date format of the other rows "
                       f"({_human(best)})")
            expected = f"dates like {example}"
        else:
            problem, expected = "'{value}' is not a date", "a date such as 2026-10-01 or " \
                "2026-10-01 08:30"
        fail_rows(table, bad[codes], column, problem, expected)
    distinct = {fmt: results[fmt] for fmt in complete}
    first = distinct[complete[0]]
    if any(not values.equals(first) for values in distinct.values()):
        raise DataError(
            f"dates such as '{uniques.iloc[0]}' can be read day-first or month-first",
            file=table.path, column=table.original(column),
            expected="an explicit date format (--date-format '%d/%m/%Y %H:%M') or ISO dates")
    values = pd.Series(first.to_numpy()[codes], index=text.index)
    return values, complete[0]


def _plausible_formats(uniques: pd.Series, utc: bool) -> tuple[str, ...]:
    """Formats that read the first few distinct values, so the full parse runs once or twice."""
    head = uniques.iloc[:200]
    plausible = tuple(f for f in CANDIDATE_FORMATS if _to_datetime(head, f, utc).notna().any())
    return plausible or (ISO,)


def _to_datetime(values: pd.Series, fmt: str, utc: bool) -> pd.Series:
    try:
        return pd.to_datetime(values, format=fmt, errors="coerce", utc=utc)
    except ValueError as exc:
        raise ConfigError("date_format", fmt, f"is not a valid date format ({exc})") from None


def _shape(fmt: str) -> str:
    """A regular expression for the digits layout of `fmt` ('%d/%m/%Y' -> '\\d{1,2}/...')."""
    if fmt == ISO:
        return r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?"
    pattern = re.escape(fmt)
    for directive, digits in (("%Y", r"\d{4}"), ("%y", r"\d{2}"), ("%p", "[AP]M")):
        pattern = pattern.replace(re.escape(directive), digits)
    return re.sub(r"%[dmHMSI]", r"\\d{1,2}", pattern.replace("\\%", "%"))


def _human(fmt: str) -> str:
    if fmt == ISO:
        return "ISO 8601, YYYY-MM-DD HH:MM"
    return (fmt.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY").replace("%H", "HH")
            .replace("%M", "MM").replace("%S", "SS").replace("%I", "hh").replace("%p", "AM"))


def _example(fmt: str, date_only: bool = False) -> str:
    stamp = pd.Timestamp("2026-10-31 08:30")
    if fmt == ISO:
        return "2026-10-31" if date_only else "2026-10-31 08:30"
    return stamp.strftime(fmt)


def _localize_wall_times(
    table: RawTable, column: str, naive: pd.Series, zone: str, groups: pd.Series | None
) -> tuple[pd.Series, int]:
    summer = naive.dt.tz_localize(zone, ambiguous=np.ones(len(naive), bool), nonexistent="NaT")
    fail_rows(table, summer.isna(), column,
              f"'{{value}}' does not exist in {zone}: the clocks jump forward over it",
              "a wall-clock time outside the skipped hour, or timestamps with a UTC offset")
    winter = naive.dt.tz_localize(zone, ambiguous=np.zeros(len(naive), bool), nonexistent="NaT")
    ambiguous = (summer != winter).to_numpy()
    if not ambiguous.any():
        return summer, 0
    keys = pd.DataFrame({"group": groups if groups is not None else "", "t": naive})
    occurrence = keys.groupby(["group", "t"], sort=False).cumcount().to_numpy()
    seen = keys.groupby(["group", "t"], sort=False)["t"].transform("size").to_numpy()
    is_summer = occurrence == 0
    ds = summer.where(~ambiguous | is_summer, winter)
    return ds, int((ambiguous & (seen == 1)).sum())

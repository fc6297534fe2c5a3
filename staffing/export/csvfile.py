"""Roster exports as CSV, and reading them back.

Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return could run as a formula. Such text, and text that already begins with `'`, gets
one `'` in front; `read_frame_csv` removes exactly one leading `'` from text cells, so
names round-trip exactly. Numbers stay numbers (a negative number is written `-1.5`).

Times are ISO 8601 local times with their UTC offset (`2026-10-25T02:30:00+01:00`) and a
last column `timezone` names the zone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date, datetime

import numpy as np
import pandas as pd

from data.errors import DataError
from staffing.export.common import (
    COLUMN_TYPES,
    DANGEROUS,
    DATE,
    FLOAT,
    INT,
    TEXT,
    TIME,
    frame_zone,
    is_missing,
)

__all__ = ["QUOTE", "TIMEZONE_COLUMN", "frame_csv", "neutralise", "read_frame_csv",
           "read_roster_csv", "restore", "roster_csv"]

TIMEZONE_COLUMN = "timezone"
"""Last CSV column: the zone of the frame's tz-aware columns (read back, then dropped)."""
QUOTE = "'"
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_INTEGER = re.compile(r"[+-]?\d+")


def neutralise(text: str) -> str:
    """Text a spreadsheet cannot run: one `'` before text that starts like a formula
    (or with `'` itself, so that `restore` is exact).

    >>> neutralise("=HYPERLINK(1)"), neutralise("-Ann"), neutralise("'a"), neutralise("Zoë")
    ("'=HYPERLINK(1)", "'-Ann", "''a", 'Zoë')
    """
    return QUOTE + text if text.startswith((*DANGEROUS, QUOTE)) else text


def restore(text: str) -> str:
    """Undo `neutralise`: drop one leading `'`.

    >>> restore("'=1+1"), restore("''a"), restore("Ann")
    ('=1+1', "'a", 'Ann')
    """
    return text[1:] if text.startswith(QUOTE) else text

def _csv_cell(value: object) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return neutralise(str(value))


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any frame (roster, shifts, coverage) as UTF-8 CSV with a BOM, text neutralised,
    times ISO 8601 with offset, plus a `timezone` column when the frame has times."""
    zone = frame_zone(frame)
    if zone is not None and TIMEZONE_COLUMN in frame.columns:
        raise DataError(f"the frame already has a column '{TIMEZONE_COLUMN}'",
                        column=TIMEZONE_COLUMN)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns]
                    + ([TIMEZONE_COLUMN] if zone else []))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v) for v in row] + ([zone] if zone else []))
    return out.getvalue().encode("utf-8-sig")


def roster_csv(assignments: pd.DataFrame) -> bytes:
    """The roster as CSV (see `frame_csv`); `read_roster_csv` reads it back."""
    return frame_csv(assignments)


def _infer(values: list[str]) -> str:
    filled = [v for v in values if v != ""]
    if not filled or any(v.startswith(QUOTE) for v in filled):
        return TEXT
    for kind, pattern in ((TIME, _ISO_TIME), (DATE, _ISO_DATE)):
        if all(pattern.fullmatch(v) for v in filled):
            return kind
    if all(_INTEGER.fullmatch(v) for v in values):
        return INT
    return FLOAT if not pd.isna(pd.to_numeric(pd.Series(filled), errors="coerce")).any() \
        else TEXT


def _times(values: pd.Series, zone: str | None) -> pd.Series:
    filled = values[values != ""]
    aware = filled.str.contains(r"(?:[+-]\d\d:\d\d|Z)$", regex=True)
    if aware.all():
        parsed = pd.to_datetime(values.mask(values == ""), utc=True, format="ISO8601")
        return parsed.dt.tz_convert(zone or "UTC").dt.as_unit("us")
    if aware.any():
        raise ValueError("some times have a UTC offset and some do not")
    return pd.to_datetime(values.mask(values == ""), format="ISO8601").dt.as_unit("us")


def _typed(values: pd.Series, kind: str, zone: str | None) -> pd.Series:
    if kind == TIME:
        return _times(values, zone)
    if kind == DATE:
        return values.map(lambda v: date.fromisoformat(v) if v else None).astype(object)
    if kind in (INT, FLOAT):
        numbers = pd.to_numeric(values.mask(values == ""), errors="raise")
        return numbers.astype("int64" if kind == INT else "float64")
    return values.map(restore).astype("str")


def read_frame_csv(data: bytes, *, types: Mapping[str, str] | None = None,
                   timezone: str | None = None) -> pd.DataFrame:
    """Read a `frame_csv` export back: text restored, times in the zone `timezone` names
    (else the file's `timezone` column, else UTC) at microsecond resolution, dates as
    `datetime.date`, empty text as "".

    Columns take their type from `types`, then `COLUMN_TYPES`, else one is inferred
    ("text", "int", "float", "date", "datetime"). Raises `DataError` naming the column
    whose values do not fit its type.
    """
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if not rows:
        raise DataError("the CSV is empty", expected="a header row")
    header, body = [restore(h) for h in rows[0]], rows[1:]
    table = pd.DataFrame(body, columns=header, dtype=object).fillna("")
    if TIMEZONE_COLUMN in table.columns:
        zones = set(table.pop(TIMEZONE_COLUMN)) - {""}
        timezone = timezone or (zones.pop() if len(zones) == 1 else None)
    known = {**COLUMN_TYPES, **(types or {})}
    out = {}
    for position, column in enumerate(table.columns):
        values = table.iloc[:, position].astype(str)
        kind = known.get(column) or _infer(list(values))
        try:
            out[column] = _typed(values, kind, timezone)
        except (ValueError, TypeError) as error:
            raise DataError(f"cannot read the values as {kind}: {error}", column=column,
                            expected=kind) from None
    return pd.DataFrame(out, index=pd.RangeIndex(len(table)))


def read_roster_csv(data: bytes, *, timezone: str | None = None) -> pd.DataFrame:
    """Read `roster_csv` back into the roster frame it was written from."""
    return read_frame_csv(data, timezone=timezone)


"""Shared by the roster exports: column types, formula-like starts, zone and cell helpers."""

from __future__ import annotations

import re

import pandas as pd

from data.errors import DataError

__all__ = ["COLUMN_TYPES", "DANGEROUS", "DATE", "FLOAT", "INT", "TEXT", "TIME", "clean",
           "frame_zone", "is_missing", "zone_name"]

TEXT, FLOAT, INT, DATE, TIME = "text", "float", "int", "date", "datetime"
COLUMN_TYPES: dict[str, str] = {
    "agent_id": TEXT, "name": TEXT, "queue": TEXT, "shift_id": TEXT, "breaks": TEXT,
    "date": DATE, "day": DATE, "start": TIME, "end": TIME, "break_start": TIME,
    "break_end": TIME, "ds": TIME, "paid_h": FLOAT, "length_h": FLOAT, "required": FLOAT,
    "scheduled": FLOAT, "gap": FLOAT, "agents": INT,
}
"""Types of the roster, shifts and coverage columns; readers infer any other column."""
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
"""Starts of text a spreadsheet could run as a formula."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def zone_name(tz: object) -> str:
    """The IANA name of a tzinfo (zoneinfo `key`, pytz `zone`), else its text."""
    return getattr(tz, "key", None) or getattr(tz, "zone", None) or str(tz)


def frame_zone(frame: pd.DataFrame) -> str | None:
    """The one zone of the frame's tz-aware columns (None when it has none); raises
    `DataError` when they are in more than one zone."""
    zones = {zone_name(frame[c].dt.tz) for c in frame.columns
             if isinstance(frame[c].dtype, pd.DatetimeTZDtype)}
    if len(zones) > 1:
        raise DataError(f"tz-aware columns in more than one zone: {sorted(zones)}",
                        expected="one time zone, the contact centre's")
    return zones.pop() if zones else None


def is_missing(value: object) -> bool:
    """None, NaN, NaT or NA (never text)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def clean(text: str) -> str:
    """`text` without control characters (tab, newline and carriage return stay)."""
    return _CONTROL.sub("", text)

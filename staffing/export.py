"""Roster exports: CSV, Excel and iCalendar bytes built from the roster frames.

Pure: frames in, bytes out (`export_files` gathers them by file name). `write_exports`
is the one function here that touches the disk: it writes each file to a temporary name
beside its target and renames it into place, so no half-written export survives.

The formats live in `staffing.export_csv`, `staffing.export_xlsx` and
`staffing.export_ics`; this module re-exports their public names.

Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return could run as a formula. In CSV such text, and text that already begins with `'`,
gets one `'` in front; `read_frame_csv` removes exactly one leading `'` from text cells,
so names round-trip exactly. Numbers stay numbers (a negative number is written `-1.5`).
In Excel such text is a string cell (never a formula) with Excel's quote-prefix style,
which is what typing `'` does: the value keeps its exact text.

Times: CSV holds ISO 8601 local times with their UTC offset (`2026-10-25T02:30:00+01:00`)
and a last column `timezone` naming the zone. Excel holds real datetimes in local wall
time (naive); the time columns' headers name the zone (`start (Europe/Amsterdam)`) and
each cell's number format shows its UTC offset, which tells the two 02:30s of the autumn
change apart. iCalendar events carry TZID and a VTIMEZONE; a wall time that the zone
repeats is written the second time in UTC, since iCalendar reads a TZID time as the
first occurrence.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from data.errors import ConfigError
from staffing.export_common import COLUMN_TYPES
from staffing.export_common import DANGEROUS as DANGEROUS
from staffing.export_common import DATE as DATE
from staffing.export_common import FLOAT as FLOAT
from staffing.export_common import INT as INT
from staffing.export_common import TEXT as TEXT
from staffing.export_common import TIME as TIME
from staffing.export_csv import QUOTE as QUOTE
from staffing.export_csv import (
    TIMEZONE_COLUMN,
    frame_csv,
    neutralise,
    read_frame_csv,
    read_roster_csv,
    restore,
    roster_csv,
)
from staffing.export_ics import ics_filename, roster_ics, roster_ics_all, roster_ics_zip
from staffing.export_xlsx import MAX_WIDTH as MAX_WIDTH
from staffing.export_xlsx import MIN_WIDTH as MIN_WIDTH
from staffing.export_xlsx import NIGHT_END_H as NIGHT_END_H
from staffing.export_xlsx import NIGHT_START_H as NIGHT_START_H
from staffing.export_xlsx import WEEKDAYS as WEEKDAYS
from staffing.export_xlsx import read_roster_xlsx, roster_xlsx

__all__ = [
    "COLUMN_TYPES",
    "KINDS",
    "TIMEZONE_COLUMN",
    "export_files",
    "frame_csv",
    "ics_filename",
    "neutralise",
    "read_frame_csv",
    "read_roster_csv",
    "read_roster_xlsx",
    "restore",
    "roster_csv",
    "roster_ics",
    "roster_ics_all",
    "roster_ics_zip",
    "roster_xlsx",
    "write_exports",
]

KINDS = ("csv", "xlsx", "ics")


def export_files(assignments: pd.DataFrame, kinds: Iterable[str] = KINDS, *,
                 shifts: pd.DataFrame | None = None, coverage: pd.DataFrame | None = None,
                 stamp: datetime | None = None) -> dict[str, bytes]:
    """The export files by relative path: roster.csv (with shifts.csv and coverage.csv
    when given), roster.xlsx, ics/<agent>.ics. Raises `ConfigError` for an unknown kind."""
    kinds = tuple(kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ConfigError("kinds", kinds, f"unknown export kind(s) {unknown}; use {KINDS}")
    files: dict[str, bytes] = {}
    if "csv" in kinds:
        files["roster.csv"] = roster_csv(assignments)
        for name, frame in (("shifts.csv", shifts), ("coverage.csv", coverage)):
            if frame is not None:
                files[name] = frame_csv(frame)
    if "xlsx" in kinds:
        files["roster.xlsx"] = roster_xlsx(assignments, shifts, coverage)
    if "ics" in kinds:
        for agent, data in roster_ics_all(assignments, stamp=stamp).items():
            files[f"ics/{ics_filename(agent)}"] = data
    return files


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_exports(assignments: pd.DataFrame, folder: str | Path,
                  kinds: Iterable[str] = KINDS, shifts: pd.DataFrame | None = None,
                  coverage: pd.DataFrame | None = None, *,
                  stamp: datetime | None = None) -> list[Path]:
    """Write `export_files` into `folder` (the one I/O function of this module): every
    file is built first, then each goes to a temporary name and is renamed into place.
    Returns the paths written."""
    files = export_files(assignments, kinds, shifts=shifts, coverage=coverage, stamp=stamp)
    written = []
    for relative, data in files.items():
        path = Path(folder) / relative
        _write_atomic(path, data)
        written.append(path)
    return written

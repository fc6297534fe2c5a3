"""Gather the export files by name and write them atomically (the one I/O of `export`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from data.errors import ConfigError
from staffing.export.csvfile import frame_csv, roster_csv
from staffing.export.ics import ics_filename, roster_ics_all
from staffing.export.xlsx import roster_xlsx
from staffing.night import NIGHT_HOURS

__all__ = ["KINDS", "export_files", "write_exports"]

KINDS = ("csv", "xlsx", "ics")


def export_files(assignments: pd.DataFrame, kinds: Iterable[str] = KINDS, *,
                 shifts: pd.DataFrame | None = None, coverage: pd.DataFrame | None = None,
                 stamp: datetime | None = None,
                 night_hours: tuple[int, int] = NIGHT_HOURS) -> dict[str, bytes]:
    """The export files by relative path: roster.csv (with shifts.csv and coverage.csv
    when given), roster.xlsx (night shifts by `night_hours`, the schedule's night),
    ics/<agent>.ics. Raises `ConfigError` for an unknown kind."""
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
        files["roster.xlsx"] = roster_xlsx(assignments, shifts, coverage,
                                           night_hours=night_hours)
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
                  stamp: datetime | None = None,
                  night_hours: tuple[int, int] = NIGHT_HOURS) -> list[Path]:
    """Write `export_files` into `folder` (the one I/O function of this module): every
    file is built first, then each goes to a temporary name and is renamed into place.
    Returns the paths written."""
    files = export_files(assignments, kinds, shifts=shifts, coverage=coverage, stamp=stamp,
                         night_hours=night_hours)
    written = []
    for relative, data in files.items():
        path = Path(folder) / relative
        _write_atomic(path, data)
        written.append(path)
    return written

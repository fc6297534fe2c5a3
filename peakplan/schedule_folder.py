"""A roster from files, like `peakplan schedule --requirements ... --out DIR`: the schedule
folder that command writes, and a rules TOML with the roster's labour rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, DataError, queue_name
from data.settings import from_table
from data.timeparse import check_timezone
from peakplan.config import Config
from peakplan.readers import read_toml
from staffing import RosterRules, parse_schedule_rules

__all__ = ["SHIFT_COLUMNS", "ScheduleFolder", "read_schedule_folder", "with_roster_rules"]

SHIFT_COLUMNS = ("queue", "shift_id", "day", "start", "end", "agents")
"""What a shifts file must hold to be rostered."""
BREAK_COLUMNS = ("shift_id", "break_start", "break_end", "agents")
TIMES = {"shifts": ("start", "end"), "breaks": ("break_start", "break_end"),
         "coverage": ("ds",)}


@dataclass(frozen=True)
class ScheduleFolder:
    """The frames of a schedule folder, in one time zone (an IANA name)."""

    shifts: pd.DataFrame
    breaks: pd.DataFrame | None
    coverage: pd.DataFrame | None
    timezone: str


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot be read as Parquet ({exc})", file=path) from None


def _in_zone(frame: pd.DataFrame, name: str, folder: Path, timezone: str | None) -> str | None:
    """Convert `frame`'s time columns to `timezone` in place; the zone they carry."""
    found = None
    for column in TIMES[name]:
        if column not in frame:
            continue
        values = frame[column]
        if not isinstance(values.dtype, pd.DatetimeTZDtype):
            raise DataError("times without a time zone", file=folder / f"{name}.parquet",
                            column=column, expected="tz-aware times, as peakplan schedule "
                            "writes them")
        found = found or str(values.dt.tz)
        if timezone is not None:
            frame[column] = values.dt.tz_convert(timezone)
    return found


def _require(frame: pd.DataFrame, columns: tuple[str, ...], path: Path) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise DataError("missing columns " + ", ".join(missing), file=path, column=missing[0],
                        expected=", ".join(columns) + " (what peakplan schedule --out writes)")


def read_schedule_folder(folder: Path, timezone: str | None = None) -> ScheduleFolder:
    """shifts.parquet (required), breaks.parquet and coverage.parquet of `folder`, times
    converted to `timezone` (default: the zone the shifts carry), queues in their one
    spelling (`data.queue_name`)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError("--schedule", str(folder), "no such folder")
    shifts = _read(folder, "shifts")
    if shifts is None:
        raise ConfigError("--schedule", str(folder), "is not a schedule folder: it has no "
                          "shifts.parquet (what `peakplan schedule --out DIR` writes)")
    if timezone is not None:
        check_timezone(timezone, "--timezone")
    _require(shifts, SHIFT_COLUMNS, folder / "shifts.parquet")
    zone = _in_zone(shifts, "shifts", folder, timezone)
    frames: dict[str, pd.DataFrame | None] = {}
    for name in ("breaks", "coverage"):
        frame = _read(folder, name)
        if frame is not None:
            if name == "breaks":
                _require(frame, BREAK_COLUMNS, folder / "breaks.parquet")
            _in_zone(frame, name, folder, timezone)
        frames[name] = frame
    for frame in (shifts, *frames.values()):
        if frame is not None and "queue" in frame:
            frame["queue"] = frame["queue"].astype(str).map(queue_name)
    return ScheduleFolder(shifts, frames["breaks"], frames["coverage"], timezone or zone)


def _rules_tables(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(schedule table, roster table) of a rules TOML: `[schedule]` with its
    `[schedule.roster]`, a `[roster]` table, or the roster's keys at the top."""
    if "schedule" in raw:
        schedule = dict(raw["schedule"]) if isinstance(raw["schedule"], dict) else {}
        return schedule, schedule.pop("roster", None) or {}
    if "roster" in raw:
        return {}, raw["roster"]
    return {}, raw


def with_roster_rules(config: Config, path: Path | None) -> Config:
    """`config` with the labour rules of the TOML at `path` (and the night of its
    `[schedule]` table, which pay, fairness and exports share); `config` when None."""
    if path is None:
        return config
    schedule, roster = _rules_tables(read_toml(path, "--rules"))
    rules = parse_schedule_rules(schedule) if schedule else config.schedule
    return replace(config, schedule=rules,
                   roster=from_table(RosterRules, roster, "schedule.roster"))

"""Files a planner hands to a stage directly: a requirements file for a standalone
schedule (DESIGN's requirements contract, CSV or Parquet) and a rules TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, DataError
from data import schema as s
from data.labels import read_labels
from data.tables import read_table
from data.values import fail_rows, parse_numbers
from peakplan.config import Config
from staffing import ScheduleRules, parse_schedule_rules

__all__ = ["read_requirements", "read_rules", "read_toml"]

REQUIRED = (s.QUEUE, s.DS, s.AGENTS_GROSS)
NUMBERS = (s.CONTACTS, s.AHT_S, s.AGENTS_NET, s.SERVICE_LEVEL, s.ASA_S, s.OCCUPANCY)
"""The contract's other number columns: read as numbers when the file has them."""


def read_requirements(path: Path, timezone: str, *, given: bool = True) -> pd.DataFrame:
    """A requirements file (CSV or Parquet) in the DESIGN contract, queue names in their
    one spelling (`data.queue_name`: 'Voice-EN' is 'voice_en', as in the agents file and
    the config), its times in `timezone`: times without an offset are read as local times
    there. It is read as every input is (regular files only, within `[data.limits]`, any
    encoding and dialect the readers take, one escaped line naming the row and column of
    a problem). With `given` False (`timezone` is only the config's default, no
    --timezone), times with UTC offsets must be times of that zone, else a `ConfigError`
    asks for --timezone rather than shifting every week, shift start and premium into a
    zone the file is not in."""
    path = Path(path)
    table = read_table(path)
    missing = [c for c in REQUIRED if c not in table.frame]
    if missing:
        raise DataError("missing columns " + ", ".join(missing), file=path,
                        column=missing[0], expected="queue, ds and agents_gross (DESIGN.md)")
    frame = table.frame.copy()
    if not given:
        _check_offsets(frame[s.DS], path, timezone)
    frame[s.DS] = _times(frame[s.DS], path, timezone)
    gross = parse_numbers(table, s.AGENTS_GROSS)
    fail_rows(table, gross < 0, s.AGENTS_GROSS, "'{value}' agents is negative",
              "a number, 0 or more")
    frame[s.AGENTS_GROSS] = gross
    for column in NUMBERS:
        if column in frame:
            frame[column] = parse_numbers(table, column, allow_missing=True)
    frame[s.QUEUE] = read_labels(table, s.QUEUE)
    if "open" in frame:
        frame["open"] = frame["open"].astype(str).str.lower().isin(("true", "1", "yes"))
    return frame.reset_index(drop=True)


def _times(column: pd.Series, path: Path, timezone: str) -> pd.Series:
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert(timezone)
    text = column.astype(str)
    has_offset = text.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True)
    try:
        if has_offset.all():
            return pd.to_datetime(text, utc=True).dt.tz_convert(timezone)
        return pd.to_datetime(text).dt.tz_localize(timezone, ambiguous="infer",
                                                   nonexistent="raise")
    except (ValueError, TypeError) as exc:
        raise DataError(f"times cannot be read ({exc})", file=path, column=s.DS,
                        expected="ISO times such as 2026-11-27T09:00:00+01:00") from None


def _offsets_min(column: pd.Series) -> pd.Series | None:
    """Each time's UTC offset in minutes, or None when the times carry none."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return (column.dt.tz_localize(None) - column.dt.tz_convert("UTC").dt.tz_localize(None)
                ).dt.total_seconds() / 60
    text = column.astype(str).str.strip()
    found = text.str.extract(r"(Z|[+-]\d\d:?\d\d)$")[0]
    if found.isna().all():
        return None
    sign = found.str[0].map({"+": 1, "-": -1}).fillna(0)
    digits = found.str.replace(r"[^0-9]", "", regex=True)
    minutes = pd.to_numeric(digits.str[:2], errors="coerce") * 60 + pd.to_numeric(
        digits.str[2:4], errors="coerce")
    return (sign * minutes.fillna(0)).where(found.notna())


def _check_offsets(column: pd.Series, path: Path, timezone: str) -> None:
    """Times whose UTC offsets are not `timezone`'s at those instants: ask for
    --timezone, naming the offsets found."""
    offsets = _offsets_min(column)
    if offsets is None or offsets.isna().all():
        return
    try:
        instants = pd.to_datetime(column.astype(str) if not isinstance(
            column.dtype, pd.DatetimeTZDtype) else column, utc=True)
    except (ValueError, TypeError):
        return  # _times names the unreadable times
    local = instants.dt.tz_convert(timezone)
    theirs = (local.dt.tz_localize(None) - instants.dt.tz_localize(None)).dt.total_seconds() / 60
    differ = offsets.notna() & (offsets != theirs)
    if differ.any():
        seen = sorted({_hhmm(v) for v in offsets.dropna().unique()})
        raise ConfigError("--timezone", None, f"the times in {path.name} carry UTC offsets "
                          f"{', '.join(seen[:4])}, not those of {timezone} (the config's "
                          "zone): give --timezone with the contact center's zone")


def _hhmm(minutes: float) -> str:
    sign = "-" if minutes < 0 else "+"
    whole = int(abs(minutes))
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


def read_rules(path: Path | None, config: Config | None = None) -> ScheduleRules:
    """Rules from a TOML file (a [schedule] table, or its keys at the top), else the
    config's."""
    if path is None:
        return config.schedule if config is not None else ScheduleRules()
    raw = read_toml(path, "--rules")
    return parse_schedule_rules(raw.get("schedule", raw))


def read_toml(path: Path, flag: str) -> dict[str, Any]:
    """The tables of the TOML file at `path`; a `ConfigError` naming `flag` when it is
    missing or not TOML."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(flag, str(path), "no such file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(flag, str(path), f"is not valid TOML ({exc})") from None

"""Files a planner hands to a stage directly: a requirements file for a standalone
schedule (DESIGN's requirements contract, CSV or Parquet) and a rules TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, DataError
from data import schema as s
from peakplan.config import Config
from staffing import ScheduleRules, parse_schedule_rules

__all__ = ["read_requirements", "read_rules", "read_toml"]

REQUIRED = (s.QUEUE, s.DS, s.AGENTS_GROSS)


def read_requirements(path: Path, timezone: str) -> pd.DataFrame:
    """A requirements file (CSV or Parquet) in the DESIGN contract; times without an
    offset are read as local times of `timezone`."""
    path = Path(path)
    if not path.is_file():
        raise DataError("no such file", file=path)
    try:
        frame = pd.read_parquet(path) if path.suffix.lower() in (".parquet", ".pq") \
            else pd.read_csv(path)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot be read as CSV or Parquet ({exc})", file=path) from None
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        raise DataError("missing columns " + ", ".join(missing), file=path,
                        column=missing[0], expected="queue, ds and agents_gross (DESIGN.md)")
    frame = frame.copy()
    frame[s.DS] = _times(frame[s.DS], path, timezone)
    gross = pd.to_numeric(frame[s.AGENTS_GROSS], errors="coerce")
    bad = gross.isna() | (gross < 0)
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise DataError(f"'{frame[s.AGENTS_GROSS].iloc[row]}' is not a number of agents",
                        file=path, row=row + 2, column=s.AGENTS_GROSS,
                        expected="a number, 0 or more")
    frame[s.AGENTS_GROSS] = gross.astype(float)
    frame[s.QUEUE] = frame[s.QUEUE].astype(str)
    if "open" in frame:
        frame["open"] = frame["open"].astype(str).str.lower().isin(("true", "1", "yes"))
    return frame


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

"""The schedule stage of a run, and reading a requirements file for a standalone schedule.

`peakplan schedule` designs shifts for the requirements of a run (the latest with them,
or `--run`) into a new run, or for any requirements file in the DESIGN contract into a
folder (`--requirements FILE --out DIR`): shifts, breaks, coverage, shortfall and the
solver's report (`solve.json`).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, DataError
from data import schema as s
from peakplan.config import Config
from peakplan.runs import Run, run_with, write_run
from peakplan.toml_out import config_toml
from staffing import Roster, Schedule, ScheduleRules, parse_schedule_rules

__all__ = ["read_requirements", "read_rules", "requirements_run", "roster_artifacts",
           "roster_notes", "schedule_artifacts", "shifts_run", "solve_report",
           "store_roster", "store_schedule", "with_rule_overrides", "write_schedule_folder"]

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
    path = Path(path)
    if not path.is_file():
        raise ConfigError("--rules", str(path), "no such file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("--rules", str(path), f"is not valid TOML ({exc})") from None
    return parse_schedule_rules(raw.get("schedule", raw))


def requirements_run(config: Config, ref: str = "latest") -> Run:
    """The run whose requirements to schedule: `ref`, or the latest run with them."""
    return run_with(config.runs.root, ref, "requirements", "requirements", "run `peakplan staff`")


def solve_report(result: Schedule) -> dict[str, Any]:
    """solve.json: overall status (the worst of the blocks), cost, bound, gap, seconds,
    and every block's own line."""
    solves = result.solves
    order = {"optimal": 0, "feasible": 1, "infeasible": 2}
    worst = max(solves["status"], key=order.__getitem__) if len(solves) else "optimal"
    objective, bound = float(solves["objective"].sum()), float(solves["bound"].sum())
    blocks = solves.assign(week=solves["week"].astype(str)).to_dict("records")
    return {"status": worst, "objective": objective, "bound": bound,
            "gap": (objective - bound) / objective if objective else 0.0,
            "seconds": float(solves["seconds"].sum()),
            "short_agent_intervals": float(solves["short_agent_intervals"].sum()),
            "blocks": blocks}


def schedule_artifacts(result: Schedule) -> dict[str, pd.DataFrame]:
    """The frames a schedule adds to a run."""
    return {"shifts": result.shifts, "breaks": result.breaks, "coverage": result.coverage,
            "shortfall": result.shortfall, "solves": result.solves}


def write_schedule_folder(folder: Path, result: Schedule) -> list[Path]:
    """DIR/shifts.parquet, coverage.parquet, breaks.parquet, shortfall.parquet and
    solve.json, each written through a temporary file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in schedule_artifacts(result).items():
        if name == "solves":
            continue
        target = folder / f"{name}.parquet"
        temporary = folder / f".{name}.parquet.tmp"
        frame.to_parquet(temporary, index=False)
        temporary.replace(target)
        written.append(target)
    target, temporary = folder / "solve.json", folder / ".solve.json.tmp"
    temporary.write_text(json.dumps(solve_report(result), indent=2, default=str) + "\n",
                         encoding="utf-8")
    temporary.replace(target)
    return [*written, target]


def store_schedule(config: Config, source: Run, result: Schedule,
                   extra_artifacts: dict[str, pd.DataFrame] | None = None) -> Run:
    """A new run: the source run's artifacts and the schedule's."""
    carried = {name: source.artifact(name) for name in source.artifacts()
               if name not in schedule_artifacts(result) and name not in (extra_artifacts or {})}
    report = solve_report(result)
    notes = tuple(source.manifest.get("notes", []))
    if report["status"] != "optimal":
        notes += (f"schedule {report['status']}: cost {report['objective']:,.0f}, "
                  f"{report['gap']:.2%} above the proven bound",)
    return write_run(config.runs.root, f"{config.season.name}-schedule",
                     config_text=config_toml(config),
                     artifacts={**carried, **schedule_artifacts(result),
                                **(extra_artifacts or {})},
                     inputs={"volume": config.data.volume, "agents": config.data.agents},
                     timings_s={"schedule": report["seconds"]}, notes=notes,
                     extra={"source_run": source.name, "solve": {
                         k: v for k, v in report.items() if k != "blocks"}})


def with_rule_overrides(rules: ScheduleRules, **changes: Any) -> ScheduleRules:
    """Rules with command-line overrides (None leaves a rule as it is)."""
    wanted = {k: v for k, v in changes.items() if v is not None}
    return replace(rules, **wanted) if wanted else rules


def shifts_run(config: Config, ref: str = "latest") -> Run:
    """The run whose shifts to roster: `ref`, or the latest run with them."""
    return run_with(config.runs.root, ref, "shifts", "shifts", "run `peakplan schedule`")


def roster_artifacts(result: Roster) -> dict[str, pd.DataFrame]:
    """The frames a roster adds to a run."""
    return {"roster": result.assignments, "unfilled": result.unfilled,
            "burnout": result.burnout, "fairness": result.fairness,
            "roster_hours": result.hours}


def roster_notes(result: Roster, agents: pd.DataFrame | None = None,
                 queues: set[str] | None = None) -> tuple[str, ...]:
    """What a planner must know about a roster: unfilled seats, hours short (of agents
    who work one of `queues`, when given), risks."""
    notes = []
    if result.seats_unfilled:
        notes.append(f"{result.seats_unfilled} shift seats could not be filled within the "
                     "labour rules (see unfilled)")
    below = result.agents_below_min
    if agents is not None and queues is not None:
        serving = agents.loc[[bool(set(q) & queues) for q in agents[s.QUEUES]], s.AGENT_ID]
        below = below[below["agent_id"].isin(set(serving))]
    if len(below):
        notes.append(f"{below['agent_id'].nunique()} agents stay below their minimum "
                     f"hours in {len(below)} agent-weeks (see roster_hours)")
    if "at_risk" in result.burnout and result.burnout["at_risk"].any():
        notes.append(f"{int(result.burnout['at_risk'].sum())} agents at burnout risk "
                     "(see burnout)")
    return tuple(notes)


def store_roster(config: Config, source: Run, result: Roster,
                 files: dict[str, bytes], notes: tuple[str, ...] = ()) -> Run:
    """A new run: the source run's artifacts, the roster's, and the export files."""
    carried = {name: source.artifact(name) for name in source.artifacts()
               if name not in roster_artifacts(result)}
    return write_run(config.runs.root, f"{config.season.name}-roster",
                     config_text=config_toml(config),
                     artifacts={**carried, **roster_artifacts(result)},
                     inputs={"volume": config.data.volume, "agents": config.data.agents},
                     timings_s={}, notes=notes or roster_notes(result),
                     extra={"source_run": source.name,
                            "seats_unfilled": result.seats_unfilled},
                     files={f"exports/{name}": data for name, data in files.items()})

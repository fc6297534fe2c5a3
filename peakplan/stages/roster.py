"""The roster stage: named agents on a run's shifts within the labour rules, the notes a
planner must read, and the export files (CSV, Excel, iCalendar), kept in a new run or
written to a folder. The CLI and the dashboard both go through these functions."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, DataError, read_agents
from data import schema as s
from peakplan.config import Config
from peakplan.runs import Run, run_with, write_run
from peakplan.stages.forecast import write_folder
from peakplan.toml_out import config_toml
from staffing import Roster, check_roster, export_files, roster

__all__ = ["RosterOutcome", "build_roster", "check_report", "roster_agents",
           "roster_artifacts", "roster_bar", "roster_notes", "run_roster", "served_queues",
           "shifts_run", "store_roster", "with_exports", "write_roster_folder"]


@dataclass(frozen=True)
class RosterOutcome:
    """A roster, the shifts and coverage it was made for, what a planner must know about
    it, the independent checker's findings (one row per hard-rule violation: none
    expected), and its export files by relative path (empty until `with_exports`)."""

    result: Roster
    shifts: pd.DataFrame
    coverage: pd.DataFrame | None
    notes: tuple[str, ...]
    violations: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: Mapping[str, bytes] = field(default_factory=dict)


def shifts_run(config: Config, ref: str = "latest") -> Run:
    """The run whose shifts to roster: `ref`, or the latest run with them."""
    return run_with(config.runs.root, ref, "shifts", "shifts", "run `peakplan schedule`")


def roster_agents(config: Config) -> pd.DataFrame:
    """The agents file of `config`, read and checked; a roster cannot go without it."""
    if config.data.agents is None:
        raise ConfigError("data.agents", None, "a roster needs the agents file (--agents)")
    return read_agents(config.data.agents)


def roster_notes(result: Roster, agents: pd.DataFrame | None = None,
                 queues: set[str] | None = None) -> tuple[str, ...]:
    """What a planner must know about a roster: unfilled seats, hours short, overtime
    proposed and idle hours (of agents who work one of `queues`, when given), risks."""
    notes = []
    if result.seats_unfilled:
        notes.append(f"{result.seats_unfilled} shift seats could not be filled within the "
                     "labour rules (see unfilled)")
    hours = result.hours
    if agents is not None and queues is not None:
        serving = agents.loc[[bool(set(q) & queues) for q in agents[s.QUEUES]], s.AGENT_ID]
        hours = hours[hours["agent_id"].isin(set(serving))]
    below = hours[hours["below_min"]]
    if len(below):
        notes.append(f"{below['agent_id'].nunique()} agents stay below their minimum "
                     f"hours in {len(below)} agent-weeks (see roster_hours)")
    notes += _hours_notes(hours)
    if "at_risk" in result.burnout and result.burnout["at_risk"].any():
        notes.append(f"{int(result.burnout['at_risk'].sum())} agents at burnout risk "
                     "(see burnout)")
    return tuple(notes)


def served_queues(shifts: pd.DataFrame, agents: pd.DataFrame,
                  agents_file: str | None = None) -> tuple[str, ...]:
    """The schedule's queues that no agent works (a note for the planner); a `DataError`
    naming the queues on both sides when no agent works any of them."""
    wanted = sorted(set(shifts["queue"].astype(str)))
    skills = sorted({q for queues in agents[s.QUEUES] for q in queues})
    missing = tuple(q for q in wanted if q not in skills)
    if wanted and len(missing) == len(wanted):
        raise DataError(f"no agent works any queue of the schedule ({', '.join(wanted)}); "
                        f"the agents work {', '.join(skills) or 'no queue'}",
                        file=agents_file, column=s.QUEUES,
                        expected="queue names as the schedule spells them")
    return missing


def _hours_notes(hours: pd.DataFrame) -> list[str]:
    """Overtime proposed in short weeks and idle contract hours of quiet weeks."""
    notes = []
    if "overtime_h" in hours:
        extra = hours[hours["week_short"] & (hours["overtime_h"] > 1e-6)]
        if len(extra):
            notes.append(f"short weeks: {extra['overtime_h'].sum():,.1f} h of overtime "
                         f"proposed to {extra['agent_id'].nunique()} named agents within "
                         "their maximum hours (see roster_hours, overtime_h)")
        idle = hours[hours["idle_h"] > 1e-6]
        if len(idle):
            notes.append(f"quiet weeks: {idle['idle_h'].sum():,.1f} contract hours of "
                         f"{idle['agent_id'].nunique()} agents have no seat: voluntary time "
                         "off candidates (see roster_hours, idle_h)")
    return notes


def build_roster(config: Config, shifts: pd.DataFrame, breaks: pd.DataFrame | None,
                 agents: pd.DataFrame, *, requirements: pd.DataFrame | None = None,
                 coverage: pd.DataFrame | None = None,
                 progress: Callable[[int, int], None] | None = None) -> RosterOutcome:
    """Roster `agents` on `shifts` with the config's roster rules, with its notes and the
    independent checker's findings; `progress(weeks done, weeks)` as `roster` calls it."""
    agents_file = str(config.data.agents) if config.data.agents else None
    unserved = served_queues(shifts, agents, agents_file)
    made = roster(shifts, breaks, agents, config.roster, requirements=requirements,
                  progress=progress)
    notes = roster_notes(made, agents, set(shifts["queue"]))
    if unserved:
        notes = (f"no agent works {', '.join(unserved)}: those shifts stay unfilled",
                 *notes)
    violations = check_roster(made.assignments, agents, config.roster)
    if len(violations):
        notes = (f"{len(violations)} hard-rule violations found by the checker (see "
                 "check.json)", *notes)
    return RosterOutcome(made, shifts, coverage, notes, violations)


def with_exports(config: Config, outcome: RosterOutcome, kinds: Iterable[str]) -> RosterOutcome:
    """`outcome` with its export files of `kinds` ('csv', 'xlsx', 'ics'; repeats ignored),
    night shifts counted by the schedule's night (`schedule.night_start`/`night_end`)."""
    kinds = tuple(dict.fromkeys(kinds))
    files = export_files(outcome.result.assignments, kinds, shifts=outcome.shifts,
                         coverage=outcome.coverage,
                         night_hours=config.schedule.night_hours) if kinds else {}
    return replace(outcome, files=files)


def _optional(source: Run, name: str) -> pd.DataFrame | None:
    return source.artifact(name) if name in source.artifacts() else None


def run_roster(config: Config, source: Run, *, kinds: Iterable[str] = (),
               progress: Callable[[int, int], None] | None = None) -> RosterOutcome:
    """The roster of `source`'s shifts (and breaks, requirements, coverage where it has
    them) with the config's agents file, and its exports of `kinds`."""
    agents = roster_agents(config)
    outcome = build_roster(config, source.artifact("shifts"), _optional(source, "breaks"),
                           agents, requirements=_optional(source, "requirements"),
                           coverage=_optional(source, "coverage"), progress=progress)
    return with_exports(config, outcome, kinds)


def roster_bar(*, disable: bool = False, file: Any = None) -> Callable[[int, int], None]:
    """A progress report that draws a bar (tqdm, on standard error) of the weeks the
    roster has improved. Call `.close()` on it when done."""
    from tqdm import tqdm

    state: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = tqdm(total=total, desc="roster", unit="week", disable=disable,
                                file=file or sys.stderr, dynamic_ncols=True)
        state["bar"].update(done - state["bar"].n)

    def close() -> None:
        if "bar" in state:
            state["bar"].close()

    report.close = close  # type: ignore[attr-defined]
    return report


def roster_artifacts(result: Roster) -> dict[str, pd.DataFrame]:
    """The frames a roster adds to a run."""
    return {"roster": result.assignments, "unfilled": result.unfilled,
            "burnout": result.burnout, "fairness": result.fairness,
            "roster_hours": result.hours}


def store_roster(config: Config, source: Run, outcome: RosterOutcome,
                 extra: dict[str, Any] | None = None) -> Run:
    """A new run: the source run's artifacts, the roster's, and the export files (under
    exports/)."""
    made = outcome.result
    carried = {name: source.artifact(name) for name in source.artifacts()
               if name not in roster_artifacts(made)}
    return write_run(config.runs.root, f"{config.season.name}-roster",
                     config_text=config_toml(config),
                     artifacts={**carried, **roster_artifacts(made)},
                     inputs={"volume": config.data.volume, "agents": config.data.agents},
                     timings_s={}, notes=outcome.notes,
                     extra={"source_run": source.name, "seats_unfilled": made.seats_unfilled,
                            "violations": len(outcome.violations), **(extra or {})},
                     files={f"exports/{name}": data for name, data in outcome.files.items()})


def check_report(violations: pd.DataFrame) -> dict[str, Any]:
    """check.json: the number of hard-rule violations, their count per rule and each one."""
    rows = violations.assign(date=violations["date"].astype(str)).to_dict("records") \
        if len(violations) else []
    by_rule = violations["rule"].value_counts().sort_index().to_dict() if len(violations) \
        else {}
    return {"violations": len(violations), "by_rule": {k: int(v) for k, v in by_rule.items()},
            "rows": rows}


def _write_bytes(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return target


def write_roster_folder(folder: Path, outcome: RosterOutcome) -> list[Path]:
    """DIR/roster.parquet (the DESIGN contract plus shift_id, paid_h and every break),
    hours.parquet (per agent and week), unfilled, burnout and fairness, check.json (the
    independent checker) and the export files beside them, each through a temporary file."""
    made = outcome.result
    written = write_folder(folder, {"roster": made.assignments, "hours": made.hours,
                                    "unfilled": made.unfilled, "burnout": made.burnout,
                                    "fairness": made.fairness})
    report = json.dumps(check_report(outcome.violations), indent=2, default=str) + "\n"
    written.append(_write_bytes(Path(folder) / "check.json", report.encode()))
    written += [_write_bytes(Path(folder) / relative, data)
                for relative, data in outcome.files.items()]
    return written

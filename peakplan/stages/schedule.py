"""The schedule stage: shifts that cover a run's requirements (or a requirements file),
kept in a new run or written to a folder with the solver's report (`solve.json`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, PlannerError, local_day
from peakplan.config import Config
from peakplan.runs import Run, load_run, run_with, write_run
from peakplan.toml_out import config_toml
from staffing import Schedule, ScheduleRules, schedule

__all__ = ["requirements_run", "requirements_source", "run_schedule", "schedule_artifacts",
           "select_requirements", "solve_report", "store_schedule", "with_rule_overrides",
           "write_schedule_folder"]


def requirements_run(config: Config, ref: str = "latest") -> Run:
    """The run whose requirements to schedule: `ref`, or the latest run with them."""
    return run_with(config.runs.root, ref, "requirements", "requirements", "run `peakplan staff`")


def requirements_source(chosen: Run) -> Run:
    """The run a new schedule of `chosen`'s requirements builds on: `chosen`, or, when it
    already holds a schedule or roster, the run its requirements came from (followed through
    `source_run`), so that no earlier schedule's roster rides along into the new run."""
    found, seen = chosen, set()
    while {"shifts", "roster"} & set(found.artifacts()) and found.name not in seen:
        seen.add(found.name)
        try:
            found = load_run(chosen.path.parent, found.manifest.get("source_run", ""))
        except PlannerError:
            return chosen
    return found if "requirements" in found.artifacts() else chosen


def select_requirements(frame: pd.DataFrame, *, queues: list[str] | None = None,
                        week: date | None = None) -> pd.DataFrame:
    """The rows of `queues` (all when None) in the local week, Monday to Sunday, of `week`
    (all weeks when None); a queue or week with no rows is a `ConfigError`."""
    if queues:
        unknown = sorted(set(queues) - set(frame["queue"]))
        if unknown:
            raise ConfigError("--queue", unknown[0], "no such queue in the requirements "
                              f"(it has {', '.join(sorted(frame['queue'].unique()))})")
        frame = frame[frame["queue"].isin(queues)]
    if week is not None:
        monday = pd.Timestamp(week) - pd.Timedelta(days=week.weekday())
        day = local_day(frame["ds"])
        frame = frame[(day >= monday) & (day < monday + pd.Timedelta(days=7))]
        if frame.empty:
            raise ConfigError("--week", week.isoformat(), "no requirement rows in that week")
    return frame


def run_schedule(requirements: pd.DataFrame, rules: ScheduleRules, *,
                 queues: list[str] | None = None, week: date | None = None,
                 progress: Callable[[str], None] | None = None,
                 model_folder: Path | None = None) -> Schedule:
    """Shifts for the chosen queues and week of `requirements` at the least cost."""
    block = select_requirements(requirements, queues=queues, week=week)
    return schedule(block, rules, queues=queues, progress=progress, model_folder=model_folder)


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
                   extra: dict[str, Any] | None = None) -> Run:
    """A new run: the source run's artifacts and the schedule's."""
    carried = {name: source.artifact(name) for name in source.artifacts()
               if name not in schedule_artifacts(result)}
    report = solve_report(result)
    notes = tuple(source.manifest.get("notes", []))
    if report["status"] != "optimal":
        notes += (f"schedule {report['status']}: cost {report['objective']:,.0f}, "
                  f"{report['gap']:.2%} above the proven bound",)
    return write_run(config.runs.root, f"{config.season.name}-schedule",
                     config_text=config_toml(config),
                     artifacts={**carried, **schedule_artifacts(result)},
                     inputs={"volume": config.data.volume, "agents": config.data.agents},
                     timings_s={"schedule": report["seconds"]}, notes=notes,
                     extra={"source_run": source.name, **(extra or {}), "solve": {
                         k: v for k, v in report.items() if k != "blocks"}})


def with_rule_overrides(rules: ScheduleRules, **changes: Any) -> ScheduleRules:
    """Rules with command-line overrides (None leaves a rule as it is)."""
    wanted = {k: v for k, v in changes.items() if v is not None}
    return replace(rules, **wanted) if wanted else rules

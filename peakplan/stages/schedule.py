"""The schedule stage: shifts that cover a run's requirements (or a requirements file),
kept in a new run or written to a folder with the solver's report (`solve.json`).

The queues are solved side by side: in local processes (one per core unless
`forecast.workers` says otherwise) or, when `forecast.scheduler` names a Dask scheduler,
on that cluster through the forecast's parallel backend. Every finished block (a queue's
week) is kept in a checkpoint folder beside the runs, so an interrupted schedule resumes
where it stopped; the schedule is the same whichever way it was solved.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from data import ConfigError, PlannerError, local_day, read_agents
from forecast import cluster_executor, local_pool
from peakplan.config import Config
from peakplan.runs import Run, load_run, run_with, write_run
from peakplan.toml_out import config_toml
from staffing import (
    BlockResult,
    Schedule,
    ScheduleProgress,
    ScheduleRules,
    rules_for_team,
    schedule,
    schedule_rules_table,
)

__all__ = ["CHECKPOINTS", "checkpoint_folder", "discard_checkpoint", "load_blocks",
           "requirements_run", "requirements_source", "run_schedule", "save_block",
           "schedule_artifacts", "schedule_bar", "schedule_zone", "select_requirements",
           "solve_report", "store_schedule", "team_agents", "with_rule_overrides",
           "write_schedule_folder"]

CHECKPOINTS = ".schedule-blocks"
"""The folder (beside the runs, or in --out DIR) that keeps the blocks of unfinished
schedules; hidden, so never listed as a run."""
FORMAT = "1"
"""Bumped when a checkpointed block would no longer be read the same way."""


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


def team_agents(config: Config) -> pd.DataFrame | None:
    """The agents whose contracts shape the shift lengths: those of `config`'s agents file
    when `schedule.fit_contracts` is set, else None."""
    if not config.schedule.fit_contracts or config.data.agents is None:
        return None
    return read_agents(config.data.agents)


def schedule_zone(requirements: pd.DataFrame) -> str:
    """The time zone the requirements' times are in (weeks, shift starts and premiums
    follow it)."""
    zone = requirements["ds"].dt.tz
    return str(zone) if zone is not None else "no time zone (naive local times)"


# --- where blocks are solved ----------------------------------------------------------------

@contextmanager
def _backend(workers: int, scheduler: str, chains: int) -> Iterator[tuple[Executor | None, int]]:
    """(executor, blocks in flight): the Dask cluster when `scheduler` is set; else
    `workers` local processes (0: one per core), or this process alone when one would
    do (one worker, or one queue: a queue's weeks follow one another)."""
    if scheduler:
        with cluster_executor(scheduler) as cluster:  # one Dask client for every block
            yield cluster, max(chains, 1)
        return
    count = min(workers or os.cpu_count() or 1, chains)
    if count <= 1:
        yield None, 1
        return
    with local_pool(count, start_method="spawn") as pool:  # its workers end with this process
        yield pool, count


# --- checkpoints: the blocks of an unfinished schedule -----------------------------------------

def checkpoint_folder(root: Path, source: str, rules: ScheduleRules,
                      queues: list[str] | None = None, week: date | None = None,
                      rules_by_queue: dict[str, ScheduleRules] | None = None) -> Path:
    """The folder under `root` that keeps the finished blocks of a schedule of `source`
    (a run's name, or a file's SHA-256) with `rules` (and `rules_by_queue`), for `queues`
    and `week`: the same schedule asked again finds its blocks there."""
    own = {q: schedule_rules_table(r) for q, r in sorted((rules_by_queue or {}).items())}
    key = json.dumps({"format": FORMAT, "source": source, "by_queue": own,
                      "rules": schedule_rules_table(rules),
                      "queues": sorted(queues) if queues else None,
                      "week": week.isoformat() if week else None}, sort_keys=True, default=str)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_." else "-" for c in source)[:80]
    return Path(root) / CHECKPOINTS / f"{name}-{digest}"


def _block_name(result: BlockResult) -> str:
    digest = hashlib.sha256(result.queue.encode()).hexdigest()[:8]
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in result.queue)[:40]
    return f"{safe}-{digest}-{result.week.isoformat()}"


PARTS = ("shifts", "breaks", "coverage", "carry")


def save_block(folder: Path, result: BlockResult) -> None:
    """Keep one finished block in `folder` (written aside, then renamed into place)."""
    target = folder / _block_name(result)
    if target.exists():
        return
    aside = folder / f".{target.name}.{os.getpid()}.{threading.get_ident()}"
    aside.mkdir(parents=True, exist_ok=True)
    try:
        for part in PARTS:
            getattr(result, part).to_parquet(aside / f"{part}.parquet", index=False)
        solve = {**result.solve, "week": result.week.isoformat()}
        (aside / "solve.json").write_text(json.dumps(solve, default=str), encoding="utf-8")
        aside.rename(target)
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def load_blocks(folder: Path) -> dict[tuple[str, date], BlockResult]:
    """The blocks kept in `folder` by (queue, week); a block that cannot be read is left
    to be solved again."""
    found: dict[tuple[str, date], BlockResult] = {}
    if not folder.is_dir():
        return found
    for block in sorted(folder.iterdir()):
        if block.name.startswith(".") or not (block / "solve.json").is_file():
            continue
        try:
            solve = json.loads((block / "solve.json").read_text(encoding="utf-8"))
            solve["week"] = date.fromisoformat(solve["week"])
            parts = {part: pd.read_parquet(block / f"{part}.parquet") for part in PARTS}
        except (OSError, ValueError, KeyError):
            continue
        found[(solve["queue"], solve["week"])] = BlockResult(solve["queue"], solve["week"],
                                                             solve=solve, **parts)
    return found


def discard_checkpoint(root: Path, source: str | None = None) -> None:
    """Remove the kept blocks under `root` of the schedules of `source` (all when None):
    a schedule of it is now kept whole."""
    folder = Path(root) / CHECKPOINTS
    if not folder.is_dir():
        return
    prefix = None if source is None else checkpoint_folder(root, source, ScheduleRules()
                                                           ).name.rsplit("-", 1)[0] + "-"
    for found in folder.iterdir():
        if prefix is None or found.name.startswith(prefix):
            shutil.rmtree(found, ignore_errors=True)
    with suppress(OSError):
        folder.rmdir()


# --- running a schedule -------------------------------------------------------------------------

def schedule_bar(*, disable: bool = False, file: Any = None) -> Callable[[ScheduleProgress], None]:
    """A progress report that draws a bar (tqdm, on standard error): blocks done of the
    total, the worst gap so far and the time left. Call `.close()` on it when done."""
    from tqdm import tqdm

    state: dict[str, Any] = {}

    def report(progress: ScheduleProgress) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=progress.total, initial=progress.done,
                                      desc="schedule", unit="block", disable=disable,
                                      file=file or sys.stderr, dynamic_ncols=True)
        if not math.isnan(progress.worst_gap):  # drawn with the update: one line per block
            bar.set_postfix_str(f"worst gap {progress.worst_gap:.2%}", refresh=False)
        bar.update(progress.done - bar.n)

    def close() -> None:
        if "bar" in state:
            state["bar"].close()

    report.close = close  # type: ignore[attr-defined]
    return report


def run_schedule(requirements: pd.DataFrame, rules: ScheduleRules, *,
                 queues: list[str] | None = None, week: date | None = None,
                 progress: Callable[[ScheduleProgress], None] | None = None,
                 model_folder: Path | None = None, workers: int = 0, scheduler: str = "",
                 checkpoint: Path | None = None, source: str = "requirements",
                 agents: pd.DataFrame | None = None) -> Schedule:
    """Shifts for the chosen queues and week of `requirements` at the least cost, the
    queues side by side in `workers` local processes (0: one per core; 1: here) or on
    the Dask cluster at `scheduler`. `checkpoint`: a folder (the run store, or --out DIR)
    that keeps every finished block of this schedule of `source` (a run's name) with
    these rules, so that asking again resumes where it stopped (`checkpoint_folder`).
    `progress` gets a `ScheduleProgress` at the start and after every block. `agents`
    (`data.read_agents`): each queue's shift lengths are kept near the shares its team's
    contracts can fill (`staffing.rules_for_team`)."""
    block = select_requirements(requirements, queues=queues, week=week)
    by_queue = (rules_for_team(rules, agents, sorted(block["queue"].unique()))
                if agents is not None else None)
    folder = (checkpoint_folder(checkpoint, source, rules, queues, week, by_queue)
              if checkpoint is not None else None)
    finished = load_blocks(folder) if folder is not None else {}

    def keep(result: BlockResult) -> None:
        save_block(folder, result)

    chains = len(queues) if queues else block["queue"].nunique()
    try:
        with _backend(workers, scheduler, chains) as (executor, flying):
            return schedule(block, rules, queues=queues, progress=progress,
                            model_folder=model_folder, executor=executor, workers=flying,
                            finished=finished, on_block=keep if folder is not None else None,
                            rules_by_queue=by_queue)
    except BrokenProcessPool:
        kept = "the weeks finished so far are kept: run it again to resume" if folder \
            else "run it again"
        raise PlannerError("schedule: a solver process ended abruptly (killed, or out of "
                           f"memory; try fewer --workers); {kept}") from None


def solve_report(result: Schedule) -> dict[str, Any]:
    """solve.json: overall status (the worst of the blocks), cost, bound, gap (overall
    and the worst block's), solver seconds summed over the blocks, and every block's own
    line."""
    solves = result.solves
    order = {"optimal": 0, "feasible": 1, "infeasible": 2}
    worst = max(solves["status"], key=order.__getitem__) if len(solves) else "optimal"
    objective, bound = float(solves["objective"].sum()), float(solves["bound"].sum())
    blocks = solves.assign(week=solves["week"].astype(str)).to_dict("records")
    return {"status": worst, "objective": objective, "bound": bound,
            "gap": (objective - bound) / objective if objective else 0.0,
            "worst_gap": float(solves["gap"].max()) if len(solves) else 0.0,
            "seconds": float(solves["seconds"].sum()),
            "short_agent_intervals": float(solves["short_agent_intervals"].sum()),
            "blocks": blocks}


def schedule_artifacts(result: Schedule) -> dict[str, pd.DataFrame]:
    """The frames a schedule adds to a run."""
    return {"shifts": result.shifts, "breaks": result.breaks, "coverage": result.coverage,
            "shortfall": result.shortfall, "solves": result.solves}


def write_schedule_folder(folder: Path, result: Schedule,
                          extra: dict[str, Any] | None = None) -> list[Path]:
    """DIR/shifts.parquet, coverage.parquet, breaks.parquet, shortfall.parquet and
    solve.json (with `extra`, e.g. the time zone), each written through a temporary
    file; the blocks kept in DIR while it was solved go."""
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
    report = {**(extra or {}), **solve_report(result)}
    temporary.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    temporary.replace(target)
    discard_checkpoint(folder)
    return [*written, target]


def store_schedule(config: Config, source: Run, result: Schedule,
                   extra: dict[str, Any] | None = None) -> Run:
    """A new run: the source run's artifacts and the schedule's; its manifest names the
    time zone of the shifts. The blocks kept of unfinished schedules of `source` go."""
    carried = {name: source.artifact(name) for name in source.artifacts()
               if name not in schedule_artifacts(result)}
    report = solve_report(result)
    notes = tuple(source.manifest.get("notes", []))
    if report["status"] != "optimal":
        notes += (f"schedule {report['status']}: cost {report['objective']:,.0f}, "
                  f"{report['gap']:.2%} above the proven bound (worst week "
                  f"{report['worst_gap']:.2%})",)
    zone = schedule_zone(result.coverage) if len(result.coverage) else config.season.timezone
    stored = write_run(config.runs.root, f"{config.season.name}-schedule",
                       config_text=config_toml(config),
                       artifacts={**carried, **schedule_artifacts(result)},
                       inputs={"volume": config.data.volume, "agents": config.data.agents},
                       timings_s={"schedule": report["seconds"]}, notes=notes,
                       extra={"source_run": source.name, "timezone": zone, **(extra or {}),
                              "solve": {k: v for k, v in report.items() if k != "blocks"}})
    discard_checkpoint(config.runs.root, source.name)
    return stored


def with_rule_overrides(rules: ScheduleRules, **changes: Any) -> ScheduleRules:
    """Rules with command-line overrides (None leaves a rule as it is)."""
    wanted = {k: v for k, v in changes.items() if v is not None}
    return replace(rules, **wanted) if wanted else rules

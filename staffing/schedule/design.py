"""Shift schedules per queue: from interval requirements to how many agents start which
shift, solved as a rolling horizon of blocks, a queue's weeks (Monday to Sunday, local
time) in order, each with the next week's first hours in view and the shifts of the week
before that cross into it fixed (`staffing.schedule.block`); the queues side by side
(`staffing.schedule.driver`). The solvers are loaded on the first solve, so importing
this module does not load PuLP or HiGHS.

The result carries the shifts (DESIGN contract plus cost and pins), where their breaks
fall, the coverage against the requirement, a shortfall report (which intervals, by how
many agents, and the service level that leaves) and each block's solve: status,
objective, proven bound and gap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import InfeasiblePlanError
from staffing.queueing.erlang import service_level
from staffing.requirements.channels import CHANNEL_MODELS
from staffing.schedule.block import CARRY_COLUMNS, BlockResult, BlockTask
from staffing.schedule.driver import Chain, ScheduleProgress, run_chains
from staffing.schedule.rules import ScheduleRules

__all__ = ["Schedule", "assemble", "schedule"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """shifts: one row per shift template used (agents starting it); breaks: how many of
    a shift's agents take each break when; coverage: queue, ds, required, scheduled
    (on duty, not on a break), gap (scheduled - required); shortfall: the intervals short
    of the requirement with the service level left (voice queues, Erlang C); solves: one
    row per queue and week (status, objective, bound, gap, seconds, solver, method)."""

    shifts: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    shortfall: pd.DataFrame
    solves: pd.DataFrame


def _interval_min(ds: pd.Series) -> int:
    steps = ds.sort_values().diff().dropna()
    if steps.empty:
        raise InfeasiblePlanError("requirements", "need at least two intervals to schedule")
    return max(1, round(steps.mode().iloc[0].total_seconds() / 60))


def _weeks(ds: pd.Series) -> pd.Series:
    local = ds.dt.tz_localize(None) if ds.dt.tz is not None else ds
    return local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")


def _lookahead(frame: pd.DataFrame, end: int, interval_min: int,
               hours: float) -> pd.DataFrame:
    """The rows of `frame` (one queue, sorted) after position `end` within `hours` of
    its last interval, as long as the intervals follow on without a gap."""
    if hours <= 0 or end >= len(frame):
        return frame.iloc[:0]
    step = pd.Timedelta(minutes=interval_min)
    ds = frame[s.DS].iloc[end - 1:]
    steady = (ds.diff().iloc[1:] == step).to_numpy()
    count = int(np.argmin(steady)) if not steady.all() else len(steady)
    within = (ds.iloc[1:] - ds.iloc[0] <= pd.Timedelta(hours=hours)).to_numpy()
    count = min(count, int(within.sum()))
    return frame.iloc[end: end + count]


def _chain(name: str, frame: pd.DataFrame, rules: ScheduleRules,
           pinned: pd.DataFrame | None, model_folder: Path | None) -> Chain:
    """The blocks of one queue: its weeks in order, each with its lookahead."""
    interval_min = _interval_min(frame[s.DS])
    mine = pinned[pinned[s.QUEUE] == name] if pinned is not None else None
    tasks, work, end = [], [], 0
    empty = pd.DataFrame(columns=list(CARRY_COLUMNS))
    for week, block in frame.groupby(_weeks(frame[s.DS]), sort=True):
        end += len(block)
        tasks.append(BlockTask(name, week.date(), block.reset_index(drop=True),
                               _lookahead(frame, end, interval_min, rules.lookahead_h)
                               .reset_index(drop=True), interval_min, rules, mine, empty,
                               model_folder))
        work.append(float(block[s.AGENTS_GROSS].sum()))
    return Chain(name, tuple(tasks), tuple(work))


def schedule(requirements: pd.DataFrame, rules: ScheduleRules, *,
             pinned: pd.DataFrame | None = None, queues: list[str] | None = None,
             progress: Callable[[ScheduleProgress], None] | None = None,
             model_folder: Path | None = None, executor: Executor | None = None,
             workers: int = 1, finished: Mapping[tuple[str, date], BlockResult] | None = None,
             on_block: Callable[[BlockResult], None] | None = None,
             rules_by_queue: Mapping[str, ScheduleRules] | None = None) -> Schedule:
    """Design shifts for every queue (or `queues`) of `requirements` (DESIGN contract;
    `agents_gross` is what must be on duty; an `open` column, when present, keeps shifts
    inside opening hours), week by week with the next week's first `lookahead_h` hours in
    view. `pinned`: published shifts (queue, start, length_h, agents) kept when
    re-planning. `model_folder`: write each block's model as an LP file there.

    Queues are solved side by side, `workers` blocks at a time, on `executor` (a
    `concurrent.futures.Executor`: local processes, or one that sends blocks to a
    cluster; None solves here, one after the other); the result does not depend on
    which. `finished`: blocks already solved by (queue, week), taken as they are (to
    resume); `on_block` gets every block solved (to keep it); `progress` a
    `ScheduleProgress` at the start and after every block. `rules_by_queue`: a queue's
    own rules where they differ (e.g. the shift-length shares its team can fill,
    `staffing.schedule.workforce.rules_for_team`)."""
    _check(requirements)
    chains = []
    for name in queues or sorted(requirements[s.QUEUE].unique()):
        frame = requirements[requirements[s.QUEUE] == name].sort_values(s.DS, kind="stable")
        if frame.empty:
            raise InfeasiblePlanError(f"queue {name}", "has no requirement rows")
        own = (rules_by_queue or {}).get(name, rules)
        chains.append(_chain(name, frame.reset_index(drop=True), own, pinned, model_folder))
    results = run_chains(chains, executor=executor, workers=workers, finished=finished,
                         on_block=on_block, progress=progress)
    return assemble(results, requirements)


def assemble(results: list[BlockResult], requirements: pd.DataFrame) -> Schedule:
    """The schedule of blocks' results, in their order, with the shortfall report."""
    shifts = [r.shifts for r in results if len(r.shifts)]
    breaks = [r.breaks for r in results if len(r.breaks)]
    coverage = pd.concat([r.coverage for r in results], ignore_index=True)
    return Schedule(
        pd.concat(shifts, ignore_index=True) if shifts else results[0].shifts.iloc[:0],
        pd.concat(breaks, ignore_index=True) if breaks else results[0].breaks.iloc[:0],
        coverage, _shortfall(coverage, requirements),
        pd.DataFrame([r.solve for r in results]))


def _check(requirements: pd.DataFrame) -> None:
    missing = [c for c in (s.QUEUE, s.DS, s.AGENTS_GROSS) if c not in requirements]
    if missing:
        raise InfeasiblePlanError("requirements", "missing columns " + ", ".join(missing)
                                  + " (the requirements contract of DESIGN.md)")
    gross = requirements[s.AGENTS_GROSS]
    if gross.isna().any() or (gross < 0).any():
        row = int(np.flatnonzero(gross.isna() | (gross < 0))[0])
        raise InfeasiblePlanError("requirements.agents_gross",
                                  "must be a number of agents, 0 or more",
                                  interval=str(requirements[s.DS].iloc[row]))


def _shortfall(coverage: pd.DataFrame, requirements: pd.DataFrame) -> pd.DataFrame:
    """Intervals short of the requirement, by how many agents, and for voice queues the
    Erlang C service level the scheduled agents give (net of shrinkage, as planned)."""
    short = coverage[coverage["gap"] < -1e-6].copy()
    columns = [c for c in (s.QUEUE, s.DS, s.CONTACTS, s.AHT_S, s.AGENTS_NET, s.AGENTS_GROSS,
                           "model", "answer_within_s", s.SERVICE_LEVEL) if c in requirements]
    short = short.merge(requirements[columns], on=[s.QUEUE, s.DS], how="left")
    short["agents_short"] = -short["gap"]
    if {s.CONTACTS, s.AHT_S, s.AGENTS_NET, "model", "answer_within_s"} <= set(short):
        voice = short["model"].isin([m.name for m in CHANNEL_MODELS.values() if m.voice])
        voice = voice.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            net_share = np.where(short[s.AGENTS_GROSS] > 0,
                                 short[s.AGENTS_NET] / short[s.AGENTS_GROSS], 1.0)
        available = np.floor(np.clip(short["scheduled"], 0, None) * net_share + 1e-9)
        seconds = 60.0 * _interval_min(requirements[s.DS].drop_duplicates())
        load = short[s.CONTACTS] * short[s.AHT_S] / seconds
        level = service_level(load, available, short[s.AHT_S].clip(lower=1),
                              short["answer_within_s"].fillna(20))
        short["service_level_scheduled"] = np.where(voice, level, np.nan)
        short = short.rename(columns={s.SERVICE_LEVEL: "service_level_planned"})
    return short.reset_index(drop=True)

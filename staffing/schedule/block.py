"""One block of a queue's rolling horizon: a week (Monday to Sunday, local time) solved
with the first hours of the next week in view, and the shifts of the week before that
run into it fixed.

A block's model covers its own intervals and its lookahead. Shifts that start in the
block are kept, even those that run past Sunday midnight; their hours in the next week
(breaks taken out) are handed on as `carry` and count toward the next block's coverage
there, so the next block neither pays for them again nor misses them. Shifts that start
in the lookahead are left to the next block. `solve_block` is a pure function of its
`BlockTask` (picklable, so a block can be solved in another process or on a cluster).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import InfeasiblePlanError
from staffing.schedule.cover import on_duty
from staffing.schedule.result import SolveResult
from staffing.schedule.rows import check_pins, pins, shift_rows
from staffing.schedule.rules import ScheduleRules, Templates, templates

__all__ = ["CARRY_COLUMNS", "BlockResult", "BlockTask", "solve_block"]

log = logging.getLogger(__name__)
CARRY_COLUMNS = (s.DS, "agents")
"""The carry frame: agents on duty (breaks taken out) per interval of the next block."""


@dataclass(frozen=True)
class BlockTask:
    """A block to solve: the queue, its local Monday, its own requirement rows and those
    of its lookahead (sorted by ds; may be empty), the interval length in minutes, the
    rules, published shifts of the queue (or None), the carry from the block before
    (`CARRY_COLUMNS`, may be empty) and where to write the model (or None)."""

    queue: str
    week: date
    frame: pd.DataFrame
    lookahead: pd.DataFrame
    interval_min: int
    rules: ScheduleRules
    pinned: pd.DataFrame | None
    carry: pd.DataFrame
    model_folder: Path | None = None


@dataclass(frozen=True)
class BlockResult:
    """What a block leaves: its shifts, breaks and coverage rows (own intervals only),
    its solve row (status, objective, bound, gap, seconds...) and the carry into the
    next block."""

    queue: str
    week: date
    shifts: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    solve: dict[str, Any]
    carry: pd.DataFrame


def _required(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(agents required per interval, whole people; open flags)."""
    open_ = frame["open"].to_numpy(dtype=bool) if "open" in frame else np.ones(len(frame), bool)
    required = np.ceil(frame[s.AGENTS_GROSS].to_numpy(dtype=float) - 1e-9)
    return np.where(open_, required, 0.0), open_


def _carried(carry: pd.DataFrame, ds: pd.Series) -> np.ndarray:
    """Agents carried onto each interval of `ds` (0 where the carry says nothing)."""
    if carry.empty:
        return np.zeros(len(ds))
    by_time = pd.Series(carry["agents"].to_numpy(dtype=float),
                        index=pd.DatetimeIndex(carry[s.DS]))
    by_time = by_time.groupby(level=0).sum()
    return by_time.reindex(pd.DatetimeIndex(ds)).fillna(0.0).to_numpy()


def _solve(task: BlockTask, label: str, required: np.ndarray, tpl: Templates,
           day_of: np.ndarray, lows: np.ndarray, ds: pd.Series, own: int) -> SolveResult:
    """The rules' method on the block's model (`required`: after the carry)."""
    from staffing.schedule.solver import build_model, solve_model, write_model  # pulp
    from staffing.schedule.two_phase import solve_two_phase
    from staffing.schedule.windows import solve_windows

    rules = task.rules
    write_to = task.model_folder / f"{label}.lp" if task.model_folder else None
    if write_to is not None:
        task.model_folder.mkdir(parents=True, exist_ok=True)
    if rules.method == "windows":
        if write_to is not None:
            write_model(build_model(label, required, tpl, rules, day_of, lows), write_to)
        return solve_windows(required, tpl, rules, day_of, lows, task.interval_min, own)
    model = build_model(label, required, tpl, rules, day_of, lows)
    if rules.method == "two_phase":
        return solve_two_phase(model, required, tpl, rules, day_of, lows, write_to=write_to)
    result = solve_model(model, rules, write_to=write_to)
    if result.status == "no solution in time":
        log.warning("%s: no schedule within the time limit; solving in two phases", label)
        result = solve_two_phase(build_model(label, required, tpl, rules, day_of, lows),
                                 required, tpl, rules, day_of, lows)
    return result


def _kept(result: SolveResult, tpl: Templates, own: int) -> tuple[np.ndarray, np.ndarray]:
    """The solution's shifts that start in the block's own intervals, and their breaks."""
    mine = tpl.start < own
    starts = np.where(mine, result.starts, 0)
    placed = result.breaks
    if len(placed):
        placed = placed[mine[tpl.break_shift[placed[:, 0]]]]
    return starts, placed


def solve_block(task: BlockTask) -> BlockResult:
    """Shifts for one block of a queue at the least cost, given the shifts of the block
    before that run into it (`task.carry`)."""
    started = time.perf_counter()
    horizon = pd.concat([task.frame, task.lookahead], ignore_index=True)
    ds, own = horizon[s.DS], len(task.frame)
    required, open_ = _required(horizon)
    carry = _carried(task.carry, ds)
    tpl = templates(ds, open_, task.rules, task.interval_min)
    day_of = pd.factorize(ds.dt.date)[0]
    lows = pins(task.queue, ds, tpl, task.rules, task.interval_min, task.pinned, own)
    check_pins(task.queue, lows, tpl, task.rules, day_of, ds)
    label = f"{task.queue}_{ds.iloc[0]:%Y%m%d}"
    result = _solve(task, label, required - carry, tpl, day_of, lows, ds, own)
    if result.status == "infeasible":
        raise InfeasiblePlanError(f"schedule of {task.queue}", "the solver found no schedule "
                                  "(check max_agents_per_day, part_time_max_share and pins)",
                                  day=str(ds.iloc[0].date()))
    starts, placed = _kept(result, tpl, own)
    scheduled = on_duty(tpl, starts, placed, len(ds)) + carry
    shifts, breaks = shift_rows(task.queue, ds, starts, placed, tpl, task.rules,
                                task.interval_min, lows)
    coverage = pd.DataFrame({s.QUEUE: task.queue, s.DS: ds.iloc[:own].to_numpy(),
                             "required": required[:own], "scheduled": scheduled[:own],
                             "gap": scheduled[:own] - required[:own]})
    after = pd.DataFrame({s.DS: ds.iloc[own:].to_numpy(), "agents": scheduled[own:]})
    after = after[np.abs(after["agents"]) > 1e-9].reset_index(drop=True)
    solve = _solve_row(task, result, starts, required[:own], scheduled[:own], started)
    return BlockResult(task.queue, task.week, shifts, breaks, coverage, solve, after)


def _solve_row(task: BlockTask, result: SolveResult, starts: np.ndarray,
               required: np.ndarray, scheduled: np.ndarray, started: float) -> dict[str, Any]:
    return {"queue": task.queue, "week": task.week, "status": result.status,
            "solver": result.solver, "method": task.rules.method,
            "objective": result.objective, "bound": result.bound, "gap": result.gap,
            "seconds": time.perf_counter() - started, "shifts": int(starts.sum()),
            "short_agent_intervals": float(np.clip(required - scheduled, 0, None).sum())}


"""What one solve of a block of intervals returns: the schedule's numbers with their
status and the gap to a proven lower bound (never a bare "Optimal" for a time-limited
solve). Pure: no solver here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from staffing.schedule.rules import ScheduleRules

__all__ = ["SolveResult", "Values", "empty_values", "finish", "relative_gap", "within"]

log = logging.getLogger(__name__)

Values = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""A schedule: agents starting each template; break placements as rows of (break row,
start interval, agents); agents short and agents over per interval."""


@dataclass(frozen=True)
class SolveResult:
    """status: optimal (within the rules' gap_rel or gap_abs of the bound), feasible (a
    schedule with the stated gap, e.g. stopped by a limit), "no solution in time" or
    infeasible;
    objective and bound in cost units; gap = (objective - bound) / objective."""

    status: str
    solver: str
    objective: float
    bound: float
    gap: float
    seconds: float
    starts: np.ndarray
    breaks: np.ndarray
    under: np.ndarray
    over: np.ndarray
    timed_out: bool = False


def relative_gap(cost: float, bound: float) -> float:
    """(cost - bound) / |cost|, a fraction (cost and bound in cost units).

    >>> relative_gap(200.0, 199.0)
    0.005
    """
    return (cost - bound) / max(abs(cost), 1e-9)


def within(rules: ScheduleRules, objective: float, bound: float) -> bool:
    """Whether `objective` is close enough to `bound` (cost units) to stop: within the
    rules' gap_rel of it, or within their absolute tolerance (one agent-shift, unless
    gap_abs says otherwise).

    >>> within(ScheduleRules(gap_rel=0.005), 10_000.0, 9_900.0)
    True
    """
    return (relative_gap(objective, bound) <= rules.gap_rel + 1e-9
            or objective - bound <= rules.agent_shift_cost + 1e-9)


def finish(rules: ScheduleRules, objective: float, bound: float, seconds: float,
           timed_out: bool, values: Values) -> SolveResult:
    """The result of a schedule found (objective and bound in cost units, `seconds` of
    wall time): optimal when it is `within` the rules' tolerance of the bound and the
    solver did not stop on its time limit, feasible otherwise."""
    gap = max(0.0, (objective - bound) / abs(objective)) if objective else 0.0
    status = "optimal" if within(rules, objective, bound) and not timed_out else "feasible"
    log.info("%s: cost %.1f, bound %.1f, gap %.3f%%, %.1f s", status, objective, bound,
             100 * gap, seconds)
    return SolveResult(status, rules.solver, objective, bound, gap, seconds, *values,
                       timed_out=timed_out)


def empty_values(templates: int, intervals: int) -> Values:
    """No schedule: no agents on `templates` shift templates over `intervals` intervals."""
    return (np.zeros(templates, dtype=np.int64), np.zeros((0, 3), dtype=np.int64),
            np.zeros(intervals), np.zeros(intervals))

"""Coverage arithmetic on shift templates: agents on duty per interval, the cost of a
schedule, template subsets and the share of shift time spent on breaks. Pure NumPy: no
solver here.
"""

from __future__ import annotations

import numpy as np

from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["NO_BREAKS", "break_share", "on_duty", "schedule_cost", "subset"]

NO_BREAKS = np.zeros((0, 3), dtype=np.int64)
"""No break placements (rows of break row, start interval, agents)."""


def on_duty(tpl: Templates, starts: np.ndarray, placed: np.ndarray,
            count: int) -> np.ndarray:
    """Agents on duty and not on a break in each of `count` intervals: `starts` agents
    per template, `placed` rows of (break row, start interval, agents)."""
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, tpl.start + tpl.length, -starts)
    on = np.cumsum(duty)[:count]
    for row, t, agents in placed:
        on[t: t + tpl.break_length[row]] -= agents
    return on


def schedule_cost(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                  starts: np.ndarray, on: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(cost, agents short, agents over per interval) of `starts` agents per template
    with `on` agents on duty against `required`: wages plus the rules' penalties per
    agent-interval short and over, in cost units."""
    short, extra = np.clip(required - on, 0, None), np.clip(on - required, 0, None)
    cost = float(tpl.cost @ starts + rules.under_penalty * short.sum()
                 + rules.over_penalty * extra.sum())
    return cost, short, extra


def subset(tpl: Templates, keep: np.ndarray, breaks: bool = True) -> Templates:
    """The templates `keep` (indices, increasing) with their breaks (or none),
    renumbered."""
    rows = np.flatnonzero(np.isin(tpl.break_shift, keep) & breaks)
    renumber = np.full(len(tpl.start), -1)
    renumber[keep] = np.arange(len(keep))
    return Templates(
        tpl.start[keep], tpl.length[keep], tpl.rule[keep], tpl.paid_h[keep], tpl.cost[keep],
        tpl.part_time[keep], renumber[tpl.break_shift[rows]], tpl.break_no[rows],
        tpl.break_first[rows], tpl.break_last[rows], tpl.break_length[rows],
        tpl.break_paid[rows])


def break_share(tpl: Templates) -> float:
    """The share of shift time spent on breaks, over all templates (a fraction)."""
    off = np.bincount(tpl.break_shift, weights=tpl.break_length, minlength=len(tpl.start))
    return float(off.sum() / max(tpl.length.sum(), 1))

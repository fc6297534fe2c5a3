"""Coverage arithmetic on shift templates: agents on duty per interval, the cost of a
schedule, template subsets and windows, the share of shift time spent on breaks, and what
a break takes from each interval it touches. Pure NumPy: no solver here.

A break's length is counted in intervals and may be a fraction of one: a 15-minute break
on a 30-minute grid starts with its interval and takes half of that interval's coverage
(the agent works the other 15 minutes), so coverage may be a half agent.
"""

from __future__ import annotations

import numpy as np

from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["NO_BREAKS", "break_share", "break_span", "on_duty", "schedule_cost", "subset",
           "whole_breaks", "window"]

NO_BREAKS = np.zeros((0, 3), dtype=np.int64)
"""No break placements (rows of break row, start interval, agents)."""


def break_span(length: float) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, shares): the intervals after its start that a break of `length`
    intervals touches and the share of each it takes (1, or less for the last).

    >>> break_span(0.5)
    (array([0]), array([0.5]))
    >>> break_span(2.0)
    (array([0, 1]), array([1., 1.]))
    """
    whole = int(np.floor(length + 1e-9))
    part = float(length) - whole
    count = whole + (part > 1e-9)
    shares = np.ones(count)
    if part > 1e-9:
        shares[-1] = part
    return np.arange(count), shares


def on_duty(tpl: Templates, starts: np.ndarray, placed: np.ndarray,
            count: int) -> np.ndarray:
    """Agents on duty and not on a break in each of `count` intervals: `starts` agents
    per template, `placed` rows of (break row, start interval, agents)."""
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, np.minimum(tpl.start + tpl.length, count), -starts)
    on = np.cumsum(duty)[:count]
    for row, t, agents in placed:
        offsets, shares = break_span(tpl.break_length[row])
        inside = t + offsets < count
        on[t + offsets[inside]] -= agents * shares[inside]
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


def window(tpl: Templates, first: int, last: int
           ) -> tuple[Templates, np.ndarray, np.ndarray]:
    """The templates that start at or after interval `first` and end by `last`, with
    their intervals counted from `first`; their indices in `tpl` and their break rows'."""
    keep = np.flatnonzero((tpl.start >= first) & (tpl.start + tpl.length <= last))
    rows = np.flatnonzero(np.isin(tpl.break_shift, keep))
    part = subset(tpl, keep)
    moved = Templates(part.start - first, part.length, part.rule, part.paid_h, part.cost,
                      part.part_time, part.break_shift, part.break_no,
                      part.break_first - first, part.break_last - first, part.break_length,
                      part.break_paid)
    return moved, keep, rows


def break_share(tpl: Templates) -> float:
    """The share of shift time spent on breaks, over all templates (a fraction)."""
    off = np.bincount(tpl.break_shift, weights=tpl.break_length, minlength=len(tpl.start))
    return float(off.sum() / max(tpl.length.sum(), 1))


def whole_breaks(tpl: Templates, starts: np.ndarray, rows: list[int],
                 values: dict[tuple[int, int], float]) -> np.ndarray:
    """Break placements (break row, start interval, agents) from fractional `values` by
    (break row, start interval), each break row keeping its shift's agents (the largest
    fractions rounded up)."""
    placed = []
    for r in rows:
        spots = range(tpl.break_first[r], tpl.break_last[r] + 1)
        got = {t: values.get((r, t), 0.0) for t in spots}
        whole = {t: int(np.floor(v + 1e-6)) for t, v in got.items()}
        missing = int(starts[tpl.break_shift[r]]) - sum(whole.values())
        for t in sorted(got, key=lambda t: got[t] - whole[t], reverse=True)[:missing]:
            whole[t] += 1
        placed.extend((r, t, n) for t, n in whole.items() if n > 0)
    return np.array(placed, dtype=np.int64).reshape(-1, 3)

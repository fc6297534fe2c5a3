"""The default shift-design method, `windows`: a block solved a day at a time.

A block's intervals fall into independent parts: no shift spans a closed interval, so a
queue closed at night has one part per opening, and the cost of the block is the sum of
the parts'. A part of up to a day and a half is solved whole; a longer one (a queue open
around the clock) is solved a local day at a time with the next `WINDOW_LOOKAHEAD_H`
hours in view: the shifts that start that day are kept (and what they cover the next day
is fixed there), those that start in the lookahead are solved again with their own day.
Small models solve fast and nearly exactly; one model for a whole week of
quarter-hour breaks does not.

Each part states a proven lower bound: a part solved whole, its solver's dual bound; a
part solved by days, the optimum of its linear relaxation. The block's bound is their
sum, and its status and gap follow from it (`staffing.schedule.result.finish`).

Every solve stops on its gap (`gap_rel`, or its share of the block's absolute tolerance)
or on a node limit, not on the clock: so the same block gives the same schedule on every
machine. `time_limit_s` caps each model's solve as a safety net only; a solve that hits
it is marked (the block's status is then `feasible`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from staffing.schedule.cover import on_duty, schedule_cost, window
from staffing.schedule.matrix import MatrixModel, MatrixSolve, matrix_model, read_values
from staffing.schedule.result import SolveResult, Values, empty_values, finish
from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["NODE_LIMIT", "WINDOW_LOOKAHEAD_H", "parts", "shifts_then_breaks", "solve_windows"]

WINDOW_LOOKAHEAD_H = 12.0
"""Hours after a day that its window sees."""
NODE_LIMIT = 10
"""Branch-and-bound nodes a window may take (a deterministic limit on its work)."""
NEIGHBOURHOOD_GAP = 0.05
"""A rounding neighbourhood whose best is this share above the relaxation (side limits
such as shift-length shares can leave it no good schedule) is searched again whole."""
WHOLE_H = 36.0
"""A part up to this long (hours) is solved in one model."""


@dataclass(frozen=True)
class _Window:
    """Intervals [first, last) of a model; shifts starting before `keep` are kept."""

    first: int
    keep: int
    last: int


def parts(tpl: Templates, count: int, rules: ScheduleRules,
          day_of: np.ndarray) -> list[tuple[int, int]]:
    """The independent parts of `count` intervals as [first, last) ranges: intervals
    joined by a shift that could cover both (and, with per-day limits, days joined by the
    shifts that start on them); intervals no shift covers are left out."""
    link = np.zeros(count + 1)
    np.add.at(link, tpl.start, 1)
    np.add.at(link, tpl.start + tpl.length - 1, -1)
    joined = np.cumsum(link)[:count] > 0          # interval t joined to t + 1
    covered = np.zeros(count + 1)
    np.add.at(covered, tpl.start, 1)
    np.add.at(covered, tpl.start + tpl.length, -1)
    reach = np.cumsum(covered)[:count] > 0
    if rules.per_day_limits:
        days = day_of[tpl.start]
        for day in np.unique(days):
            starts = tpl.start[days == day]
            joined[starts.min(): starts.max()] = True
    found, first = [], None
    for t in range(count):
        if reach[t] and first is None:
            first = t
        if first is not None and not (joined[t] and t + 1 < count and reach[t + 1]):
            found.append((first, t + 1))
            first = None
    return found


def _windows(first: int, last: int, day_of: np.ndarray, step_h: float,
             own: int) -> list[_Window]:
    """A part [first, last) whole when short, else a day at a time with a lookahead; the
    days of the block's lookahead (from `own` on) are not windows of their own: the last
    window keeps everything to the part's end."""
    if (last - first) * step_h <= WHOLE_H:
        return [_Window(first, last, last)]
    ahead = round(WINDOW_LOOKAHEAD_H / step_h)
    cuts = [first] + [t for t in range(first + 1, min(last, own))
                      if day_of[t] != day_of[t - 1]]
    found = []
    for i, start in enumerate(cuts):
        keep = cuts[i + 1] if i + 1 < len(cuts) else last
        end = last if keep == last else min(last, keep + ahead)
        found.append(_Window(start, last if end == last else keep, end))
        if end == last:
            break
    return found


def _solver(rules: ScheduleRules) -> Callable[..., MatrixSolve]:
    """The rules' solver for a `MatrixModel`: HiGHS (with the node limit) or CBC."""
    if rules.solver == "cbc":
        from staffing.schedule.solver import solve_matrix_cbc  # loads pulp

        return solve_matrix_cbc
    from staffing.schedule.highs import solve_matrix  # loads highspy

    def highs(model: MatrixModel, **options) -> MatrixSolve:
        return solve_matrix(model, nodes=None if options.get("relaxed") else NODE_LIMIT,
                            **options)
    return highs


def _bounded(model: MatrixModel, tpl: Templates, required: np.ndarray,
             lows: np.ndarray) -> MatrixModel:
    """`model` with a finite upper bound on every integer column (twice the most agents
    a shift's intervals need, plus four, plus its pins): far above any sensible schedule,
    and HiGHS handles general integers with finite bounds much faster."""
    need = np.maximum(required, 0)
    most = np.array([need[a: a + n].max() for a, n in zip(tpl.start, tpl.length, strict=True)]
                    ) if len(tpl.start) else np.zeros(0)
    upper = 2 * np.ceil(most) + 4 + lows
    breaks = upper[tpl.break_shift[model.break_places[:, 0]]]
    rest = np.full(model.columns - len(upper) - len(breaks), np.inf)
    return replace(model, upper=np.concatenate([upper, breaks, rest]))


def _bounded_shifts(model: MatrixModel, low: np.ndarray, high: np.ndarray) -> MatrixModel:
    """`model` with its shift columns kept within [low, high] (and their own bounds)."""
    shifts = model.templates
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[:shifts] = np.maximum(lower[:shifts], low)
    upper[:shifts] = np.maximum(np.minimum(upper[:shifts], high), lower[:shifts])
    return replace(model, lower=lower, upper=upper)


def shifts_then_breaks(solve: Callable[..., MatrixSolve], model: MatrixModel, *,
                       seconds: float, gap_rel: float, gap_abs: float) -> MatrixSolve:
    """`model` in three quick steps rather than one slow one: its linear relaxation (the
    proven bound); the shifts whole, each template's agents rounded down or up from
    the relaxation (a neighbourhood search known as RENS), with the breaks' columns
    continuous; then, those shifts fixed, the breaks placed whole (nearly always at the
    root, without loss). Where they do lose (two breaks on one interval leave it short),
    the breaks are placed again with one more agent allowed on each shift, which costs
    less than a seat short. The last step's objective is the real cost. Branching on
    thousands of break columns is what made one solve of `model` slow and poor: on the
    sample's English chat, a week of day models took 37 s at a 1.7% gap that way.
    Where the neighbourhood holds nothing within `NEIGHBOURHOOD_GAP` of the relaxation,
    the shifts are searched whole (breaks still relaxed); where a step finds nothing,
    `model` is solved in one."""
    shifts = model.templates
    if not len(model.break_places) or not shifts:
        return solve(model, seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
    relaxed = replace(model, integer=np.arange(model.columns) < shifts)
    linear = solve(relaxed, seconds=seconds, relaxed=True)
    if linear.values is None:
        return solve(model, seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
    x = linear.values[:shifts]
    first = solve(_bounded_shifts(relaxed, np.floor(x + 1e-6), np.ceil(x - 1e-6)),
                  seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
    if first.values is None or first.objective > linear.bound * (1 + NEIGHBOURHOOD_GAP):
        wider = solve(relaxed, seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
        if wider.values is not None and (first.values is None
                                         or wider.objective < first.objective):
            first = wider
    if first.values is None:
        return solve(model, seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
    chosen = np.round(first.values[:shifts])
    second = solve(_bounded_shifts(model, chosen, chosen), seconds=seconds, gap_rel=gap_rel,
                   gap_abs=gap_abs)
    if second.values is None:
        return solve(model, seconds=seconds, gap_rel=gap_rel, gap_abs=gap_abs)
    if second.objective > first.objective + gap_abs:  # the breaks left seats short
        more = solve(_bounded_shifts(model, chosen, chosen + 1), seconds=seconds,
                     gap_rel=gap_rel, gap_abs=gap_abs)
        if more.values is not None and more.objective < second.objective:
            second = replace(more, nodes=second.nodes + more.nodes)
    return MatrixSolve(second.values, second.objective, min(linear.bound, second.objective),
                       first.timed_out or second.timed_out, first.nodes + second.nodes)


class _Plan:
    """The schedule being built over a block's intervals: agents per template and break
    placements kept so far, the bound so far and whether a solve ran out of time."""

    def __init__(self, tpl: Templates, count: int):
        self.tpl, self.count = tpl, count
        self.starts = np.zeros(len(tpl.start), dtype=np.int64)
        self.placed: list[np.ndarray] = []
        self.bound = 0.0
        self.timed_out = False

    def breaks(self) -> np.ndarray:
        return (np.vstack(self.placed) if self.placed
                else np.zeros((0, 3), dtype=np.int64)).astype(np.int64)

    def on(self) -> np.ndarray:
        return on_duty(self.tpl, self.starts, self.breaks(), self.count)


def _solve_window(plan: _Plan, win: _Window, required: np.ndarray, rules: ScheduleRules,
                  day_of: np.ndarray, lows: np.ndarray, share: float,
                  seconds: float) -> float:
    """Solve `win` given what is kept so far; keep its shifts that start before
    `win.keep`. Returns the window's proven bound (cost units)."""
    sub, keep, rows = window(plan.tpl, win.first, win.last)
    left = required[win.first: win.last] - plan.on()[win.first: win.last]
    model = _bounded(matrix_model(left, sub, rules, day_of[win.first: win.last], lows[keep]),
                     sub, left, lows[keep])
    found = shifts_then_breaks(_solver(rules), model, seconds=seconds, gap_rel=rules.gap_rel,
                               gap_abs=rules.agent_shift_cost * share)
    plan.timed_out |= found.timed_out
    if found.values is None:
        return float("nan")
    starts, placed, _, _ = read_values(model, found.values)
    kept = sub.start < win.keep - win.first
    plan.starts[keep[kept]] = starts[kept]
    if len(placed):
        placed = placed[kept[sub.break_shift[placed[:, 0]]]]
        plan.placed.append(np.column_stack([rows[placed[:, 0]], placed[:, 1] + win.first,
                                            placed[:, 2]]))
    return found.bound


def _relaxed_bound(tpl: Templates, required: np.ndarray, rules: ScheduleRules,
                   day_of: np.ndarray, lows: np.ndarray, first: int, last: int,
                   seconds: float) -> float:
    """The optimum of the linear relaxation of the part [first, last): a lower bound on
    its cost (cost units)."""
    sub, keep, _ = window(tpl, first, last)
    part = required[first: last]
    model = _bounded(matrix_model(part, sub, rules, day_of[first: last], lows[keep]),
                     sub, part, lows[keep])
    return _solver(rules)(model, seconds=seconds, relaxed=True).bound


def solve_windows(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                  day_of: np.ndarray, lows: np.ndarray, interval_min: int,
                  own: int) -> SolveResult:
    """The block's schedule by parts and windows (`required` agents per interval after
    the carry; `own` of them the block's, the rest its lookahead; `lows` pins)."""
    started = time.perf_counter()
    count, step_h = len(required), interval_min / 60
    plan = _Plan(tpl, count)
    chosen = [p for p in parts(tpl, count, rules, day_of) if p[0] < own]
    todo = [(part, _windows(*part, day_of, step_h, own)) for part in chosen]
    for (first, last), wins in todo:
        if len(wins) > 1:
            plan.bound += _relaxed_bound(tpl, required, rules, day_of, lows, first, last,
                                         rules.time_limit_s)
        for win in wins:
            share = (win.keep - win.first) / max(own, 1)
            found = _solve_window(plan, win, required, rules, day_of, lows, share,
                                  rules.time_limit_s)
            if len(wins) == 1:
                plan.bound += found
    return _finish(plan, required, rules, chosen, own, started)


def _finish(plan: _Plan, required: np.ndarray, rules: ScheduleRules,
            chosen: list[tuple[int, int]], own: int, started: float) -> SolveResult:
    """The block's result: cost over its own intervals and the parts solved, the sum of
    the parts' bounds plus what no shift can change (intervals no shift covers)."""
    scope = np.zeros(plan.count, dtype=bool)
    scope[:own] = True
    inside = np.zeros(plan.count, dtype=bool)
    for first, last in chosen:
        inside[first: last] = True
    scope |= inside
    on = plan.on()
    cost, short, extra = schedule_cost(np.where(scope, required, on), plan.tpl, rules,
                                       plan.starts, on)
    fixed = np.where(scope & ~inside, required, 0.0)
    bound = plan.bound + float(rules.under_penalty * np.clip(fixed, 0, None).sum()
                               + rules.over_penalty * np.clip(-fixed, 0, None).sum())
    if np.isnan(bound):
        return SolveResult("infeasible", rules.solver, float("nan"), float("nan"),
                           float("nan"), time.perf_counter() - started,
                           *empty_values(len(plan.tpl.start), plan.count))
    values: Values = (plan.starts, plan.breaks(), short, extra)
    return finish(rules, cost, min(bound, cost), time.perf_counter() - started,
                  plan.timed_out, values)

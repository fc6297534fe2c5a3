"""The default shift-design method, in two phases, and its strategy: which solves of
`staffing.schedule.solver` run in which order, with how much of the time limit. Loads
pulp through `solver`, so it too is imported only when a schedule is solved.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from staffing.schedule.cover import NO_BREAKS, break_share, on_duty, schedule_cost, subset
from staffing.schedule.result import SolveResult, Values, empty_values, finish, within
from staffing.schedule.rules import ScheduleRules, Templates
from staffing.schedule.solver import (
    ShiftModel,
    agents_on_break,
    choose_shifts,
    place_breaks,
    polish,
    relaxed_bound,
    shift_values,
    solve_capped,
    write_model,
)

__all__ = ["solve_two_phase"]

Best = tuple[float, Values] | None
"""The cheapest schedule so far: its cost (cost units) and values, or None."""


def solve_two_phase(model: ShiftModel, required: np.ndarray, tpl: Templates,
                    rules: ScheduleRules, day_of: np.ndarray, lows: np.ndarray | None, *,
                    write_to: Path | None = None, rounds: int = 4) -> SolveResult:
    """The default method, in rounds: (1) choose the shifts for the requirement plus the
    agents expected on a break in each interval (a model with one integer per template
    and whole coefficients, which solves in a blink), (2) place those shifts' breaks
    where coverage can best spare them (a linear program whose optimum is whole), and
    carry where the breaks fell into the next round; keep the cheapest schedule. (3) The
    full model's LP relaxation bounds it, so the stated gap is to a proven lower bound.
    Before the rounds, the full model over only the templates the relaxation uses is
    tried; after them, the full model is polished from the best schedule if time is left.
    `required` agents per interval; `lows` agents pinned per template."""
    if write_to is not None:
        write_model(model, write_to)
    started = time.perf_counter()
    bound = relaxed_bound(model, rules)
    lows = np.zeros(len(tpl.start)) if lows is None else lows
    guided = _lp_guided(model, required, tpl, rules, day_of, lows, started)
    if guided is not None and within(rules, guided[0], bound):
        cost, values = guided
        return finish(rules, cost, min(bound, cost), time.perf_counter() - started, False,
                      values)
    on_break = _first_guess(model, required, tpl)
    best, timed_out = _rounds(required, tpl, rules, day_of, lows, on_break, guided,
                              started, rounds)
    if best is None:
        return SolveResult("infeasible", rules.solver, float("nan"), bound, float("nan"),
                           time.perf_counter() - started,
                           *empty_values(len(tpl.start), len(required)))
    cost, values = best
    left = rules.time_limit_s - (time.perf_counter() - started)
    if not within(rules, cost, bound) and left > 1:
        polished = polish(model, rules, values, left)
        if polished is not None and polished[0] <= cost + 1e-6:
            cost, bound, timed_out, values = polished[0], max(bound, polished[1]), \
                polished[2], polished[3]
    return finish(rules, cost, min(bound, cost), time.perf_counter() - started, timed_out,
                  values)


def _lp_guided(model: ShiftModel, required: np.ndarray, tpl: Templates,
               rules: ScheduleRules, day_of: np.ndarray, lows: np.ndarray,
               started: float) -> Best:
    """The full model over only the shift templates the LP relaxation uses, each at most
    its LP value rounded up plus two (a relaxation-induced neighbourhood): a far smaller
    MIP whose schedules are schedules of the full model. Returns (cost, values) or None
    when it finds nothing. Reads the relaxation just solved."""
    lp = shift_values(model)
    keep = np.flatnonzero((lp > 1e-6) | (lows > 0))
    if keep.size == 0:
        return None
    left = rules.time_limit_s - (time.perf_counter() - started)
    if left < 1:
        return None
    found = solve_capped(required, subset(tpl, keep), rules, day_of, lows[keep],
                         np.ceil(lp[keep] - 1e-6) + 2, seconds=left * 0.6)
    if found is None:
        return None
    (starts_small, placed_small, _, _), _ = found
    starts = np.zeros(len(tpl.start), dtype=np.int64)
    starts[keep] = starts_small
    rows = np.flatnonzero(np.isin(tpl.break_shift, keep))  # the subset's break rows, in order
    placed = placed_small.copy()
    if len(placed):
        placed[:, 0] = rows[placed_small[:, 0]]
    on = on_duty(tpl, starts, placed, len(required))
    cost, short, extra = schedule_cost(required, tpl, rules, starts, on)
    return cost, (starts, placed, short, extra)


def _first_guess(model: ShiftModel, required: np.ndarray, tpl: Templates) -> np.ndarray:
    """Whole agents expected on a break per interval: where the LP relaxation takes its
    breaks, or else the templates' break share of the requirement."""
    on_break = agents_on_break(model, tpl, len(required))
    if not on_break.any():
        share = break_share(tpl)
        on_break = required * share / max(1 - share, 1e-9)
    return np.ceil(on_break - 1e-6)


def _rounds(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
            day_of: np.ndarray, lows: np.ndarray, on_break: np.ndarray, best: Best,
            started: float, rounds: int) -> tuple[Best, bool]:
    """Up to `rounds` rounds of choosing shifts for `required` plus `on_break` agents,
    then placing their breaks; each round takes where the breaks fell as the next guess.
    The rounds share half of the time left (the polish gets the rest). Returns the
    cheapest schedule (or `best`, if cheaper) and whether a solve hit its time limit."""
    count = len(required)
    timed_out = False
    for done_rounds in range(rounds):
        left = rules.time_limit_s - (time.perf_counter() - started)
        budget = left / 2 / (rounds - done_rounds)
        if best is not None and budget < 1:
            break
        starts, stopped = choose_shifts(required + on_break, tpl, rules, day_of, lows,
                                        seconds=max(budget, 1.0))
        if starts is None:
            break
        timed_out |= stopped
        placed = place_breaks(required, tpl, rules, starts)
        on = on_duty(tpl, starts, placed, count)
        cost, short, extra = schedule_cost(required, tpl, rules, starts, on)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, (starts, placed, short, extra))
        breaks_now = on_duty(tpl, starts, NO_BREAKS, count) - on
        if np.allclose(breaks_now, on_break):
            break
        on_break = breaks_now
    return best, timed_out

"""Improve a roster one Monday-Sunday week at a time by an exact assignment model.

The day-by-day matching (`staffing.roster.build`) decides each day without seeing the
rest of the week, so it can leave a 40-hour agent one shift short while a part-timer takes
a sixth hour, or spend a full-timer's days on short shifts. Here each week in turn is
improved by small mixed-integer programs, each over a group of agents who share a queue
(those below their minimum hours or with seats of their queue empty, and those with the
most hours to spare), with every other agent and every other week held fixed: which of
them takes which of their seats and the empty seats of the queues of the agent who leads
the group (see `_next_group`), so that seats are filled first, then
every agent reaches their minimum hours, then their contract target, then fairness and
preferences. A whole week at once is too large to solve in seconds (200 agents: 37,000
binaries, a fractional relaxation); groups of `GROUP` agents solve in well under a second.

Variables: x[agent, shift] (binary, only the pairs the hard rules allow with the week
empty), the seats left empty per shift, and per agent the hours short of the minimum,
short of the target and over it, and whether they are short of the minimum at all (a
binary with a charge of its own: a contract missed by half an hour is missed). Rows:
seats per shift; one shift a day and the rest
between days (one row per agent, day and distinct start time of the next day: a clique
of the pairs that are too close); days worked per week and per run of
`max_consecutive_days + 1` days (the fixed weeks count); paid hours within max_h; the
weekend and peak-day caps left. The day-by-day roster is the starting solution, so a
week only changes when the model finds a better one; the solve stops on a node limit
(never on the clock: the same input gives the same roster).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from staffing.roster.build import preference_costs
from staffing.roster.prep import Problem, State, eligible
from staffing.schedule.matrix import MatrixModel

__all__ = ["COSTS", "WeekSolve", "improve_weeks"]

COSTS = {
    "unfilled_h": 100.0,  # per paid hour of a seat left empty
    "below_min_h": 12.0,  # per hour below the week's (prorated) minimum
    "below_target_h": 1.0,  # per hour below the week's contract target
    "over_target_h": 1.5,  # per hour above it (overtime), within max_h_week
    "soft": 0.25,  # per unit of `preference_costs` (fairness and preferences)
    "below_min_week": 8.0,  # per agent below the week's minimum at all, however little
}
"""Cost of each unit in the weekly model; a seat outweighs anyone's hours. The charge per
agent below their minimum makes the model prefer one agent short by an hour to two short
by half an hour each: a part-timer whose minimum equals their contract and maximum (24 h
made of exactly four 6-hour shifts) is otherwise left at 23.5 h as readily as a
full-timer at 39.5 h. On the sample's peak week it cut the agents below their minimum
from 24 to 17 (hours below it 64.5 -> 62.5) for about a quarter more solving time."""
GROUP = 24
"""Agents in one group's model."""
ROUNDS = 2
"""Passes over a week's groups at most (a week stops early when a pass changes nothing)."""
NODES = 100
"""Branch-and-bound nodes per group's model (the stop rule; deterministic)."""
GAP_REL, GAP_ABS = 0.01, 4.0
"""A week stops within 1% or 4 cost units (four hours below target) of its bound."""
SAFETY_S = 120.0
"""Seconds after which HiGHS gives up on one week in any case (the week then keeps its
day-by-day roster unless the model had found a better one)."""


@dataclass(frozen=True)
class WeekSolve:
    """What one group's model did: the week's index, the queue it was built around, its
    agents and (agent, shift) pairs, the cost of the roster before and after (cost
    units), the proven bound, seconds."""

    week: int
    queue: int
    agents: int
    pairs: int
    start_cost: float
    cost: float
    bound: float
    seconds: float


def improve_weeks(p: Problem, s: State, missing: np.ndarray,
                  progress: Callable[[int, int], None] | None = None) -> list[WeekSolve]:
    """Improve every week of the roster in date order, at most `ROUNDS` passes over its
    groups (updates `s` and `missing`); returns what each group's model did.
    `progress(weeks done, weeks)` is called after each week."""
    found: list[WeekSolve] = []
    inside = np.arange(p.pad, p.n_days - p.pad)
    weeks = np.unique(p.week[inside]) if len(p.agents) and p.n_shifts else np.zeros(0, int)
    for done, w in enumerate(weeks, start=1):
        days = inside[p.week[inside] == w]
        shifts = np.flatnonzero(np.isin(p.day[:-1], days))
        for _ in range(ROUNDS if len(shifts) else 0):
            changed, led = False, _Led(np.zeros(len(p.agents), dtype=bool), set())
            while (group := _next_group(p, s, missing, int(w), days, shifts, led)) is not None:
                found.append(_solve_group(p, s, missing, int(w), days, shifts, *group))
                changed |= found[-1].cost < found[-1].start_cost - 1e-6
            if not changed:
                break
        if progress is not None:
            progress(done, len(weeks))
    return found


@dataclass(frozen=True)
class _Led:
    """Who has led a group in this pass: agents (a mask) and queues with seats empty."""

    agents: np.ndarray
    queues: set[int]


def _next_group(p: Problem, s: State, missing: np.ndarray, w: int, days: np.ndarray,
                shifts: np.ndarray, led: _Led) -> tuple[np.ndarray, np.ndarray] | None:
    """The next group of this pass (its queues, a mask, and sorted agent indices), None
    when done.

    Needy agents are those below their minimum, or below their contract when a queue of
    theirs has seats empty this week. The neediest who has not yet been in a group leads:
    with up to GROUP // 2 other needy agents who share a queue with them and the agents of
    those queues with the most hours above their minimum. When nobody needy is left, each
    queue with seats empty gets one group of its agents with the most room below their
    maximum (overtime)."""
    here = p.avail[:, days].any(axis=1) & p.skill.any(axis=1)  # agents this week can use
    paid = s.week_h[:, w]
    empty = np.bincount(p.queue[shifts], weights=missing[shifts],
                        minlength=p.skill.shape[1]) > 0
    near_empty = (p.skill & empty).any(axis=1)
    short = np.where(near_empty, p.target_h[:, w], p.min_h[:, w]) - paid
    needy = here & (short > 1e-6)
    waiting = np.flatnonzero(needy & ~led.agents)
    if len(waiting):
        lead = waiting[np.lexsort((waiting, -short[waiting]))[0]]
        queues = p.skill[lead]
        related = here & (p.skill & queues).any(axis=1)
        members = np.flatnonzero(related & needy & ~led.agents)
        members = members[np.lexsort((members, -short[members]))][:GROUP // 2]
        led.agents[members] = True
        room = paid - p.min_h[:, w]
    else:
        left = [q for q in np.flatnonzero(empty) if int(q) not in led.queues]
        if not left:
            return None
        queues = np.zeros(p.skill.shape[1], dtype=bool)
        queues[left[0]] = True
        led.queues.add(int(left[0]))
        related, members = here & p.skill[:, left[0]], np.zeros(0, dtype=np.int64)
        room = p.max_h - paid
    others = np.flatnonzero(related)
    others = others[~np.isin(others, members)]
    others = others[np.lexsort((others, -room[others]))][:GROUP - len(members)]
    return queues, np.sort(np.r_[members, others].astype(np.int64))


def _solve_group(p: Problem, s: State, missing: np.ndarray, w: int, days: np.ndarray,
                 shifts: np.ndarray, queues: np.ndarray, who: np.ndarray) -> WeekSolve:
    """Re-solve the week for agents `who`: their shifts and the empty seats are theirs to
    share; keeps the result only when it costs less than the roster they had."""
    from staffing.schedule.highs import solve_matrix  # HiGHS is loaded when it solves
    began = time.perf_counter()
    current = _take_week(p, s, days, who)
    seats = missing.copy()
    for _, shift in current:
        seats[shift] += 1
    held = np.zeros(p.n_shifts + 1, dtype=bool)
    held[[shift for _, shift in current]] = True
    shifts = shifts[(seats[shifts] > 0) & (queues[p.queue[shifts]] | held[shifts])]
    pairs = _pairs(p, s, shifts, who)
    model, start = _model(p, s, w, days, shifts, seats, pairs, who, current)
    start_cost = float(model.cost @ start)
    solve = solve_matrix(model, seconds=SAFETY_S, gap_rel=GAP_REL, gap_abs=GAP_ABS,
                         nodes=NODES, start=start)
    keep = start
    if solve.values is not None and solve.objective < start_cost - 1e-6:
        keep = np.where(model.integer, np.rint(solve.values), solve.values)
    chosen = keep[:len(pairs.agent)] > 0.5
    for a, shift in zip(pairs.agent[chosen], pairs.shift[chosen], strict=True):
        s.add(p, int(a), int(shift))
    taken = np.bincount(pairs.shift[chosen], minlength=p.n_shifts + 1)
    missing[shifts] = seats[shifts] - taken[shifts]
    bound = solve.bound if solve.values is not None else float("nan")
    return WeekSolve(w, int(np.flatnonzero(queues)[0]), len(who), len(pairs.agent), start_cost,
                     float(model.cost @ keep),
                     bound, round(time.perf_counter() - began, 3))


def _take_week(p: Problem, s: State, days: np.ndarray,
               who: np.ndarray) -> set[tuple[int, int]]:
    """Remove the week's assignments of agents `who` from `s`; returns them as (agent,
    shift) pairs."""
    current = set()
    for k, d in zip(*np.nonzero(s.work[who][:, days] >= 0), strict=True):
        a = int(who[k])
        shift = int(s.work[a, days[d]])
        current.add((a, shift))
        s.add(p, a, shift, -1)
    return current


@dataclass(frozen=True)
class _Pairs:
    agent: np.ndarray
    shift: np.ndarray
    cost: np.ndarray


def _pairs(p: Problem, s: State, shifts: np.ndarray, who: np.ndarray) -> _Pairs:
    """(agent, shift) pairs of `who` the hard rules allow with their week empty, and
    their soft cost; sorted by agent, then shift."""
    agents, chosen, cost = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    for shift in shifts:
        ok = eligible(p, s, int(shift), who)
        agents.append(who[ok])
        chosen.append(np.full(int(ok.sum()), shift))
        cost.append(preference_costs(p, s, int(shift))[who[ok]])
    agent, shift = np.concatenate(agents), np.concatenate(chosen)
    order = np.lexsort((shift, agent))
    return _Pairs(agent[order], shift[order], np.concatenate(cost)[order])


class _Rows:
    """Rows of a sparse model gathered as (row, column, value) triples."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, cols: np.ndarray, vals: np.ndarray | float, lower: float,
            upper: float) -> None:
        self.rows.append(np.full(len(cols), len(self.lower)))
        self.cols.append(np.asarray(cols))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), (len(cols),)))
        self.lower.append(lower)
        self.upper.append(upper)


def _model(p: Problem, s: State, w: int, days: np.ndarray, shifts: np.ndarray,
           seats: np.ndarray, pairs: _Pairs, who: np.ndarray,
           current: set[tuple[int, int]]) -> tuple[MatrixModel, np.ndarray]:
    """The group's model (`seats`: per shift, the seats the group may share) and the
    starting solution (the roster the group had)."""
    n_x = len(pairs.agent)
    seat_col = n_x + np.arange(len(shifts))
    hour_col = n_x + len(shifts) + 3 * np.arange(len(who))  # below min, below target, over
    rows = _Rows()
    slot = np.full(p.n_shifts + 1, -1)
    slot[shifts] = np.arange(len(shifts))
    by_shift = np.argsort(slot[pairs.shift], kind="stable")
    bounds = np.searchsorted(slot[pairs.shift][by_shift], np.arange(len(shifts) + 1))
    for k, shift in enumerate(shifts):
        cols = np.r_[by_shift[bounds[k]:bounds[k + 1]], seat_col[k]]
        rows.add(cols, 1.0, seats[shift], seats[shift])
    starts = np.searchsorted(pairs.agent, np.r_[who, len(p.agents)])
    for k, a in enumerate(who):
        mine = np.arange(starts[k], starts[k + 1])
        _agent_rows(p, s, int(a), w, days, pairs, mine, hour_col[k], rows)
    short_col = n_x + len(shifts) + 3 * len(who) + np.arange(len(who))  # below min at all
    for k, a in enumerate(who):  # hours below the minimum only where flagged short
        rows.add(np.r_[hour_col[k], short_col[k]], np.r_[1.0, -p.min_h[a, w]], -np.inf, 0.0)
    cost = np.r_[COSTS["soft"] * pairs.cost,
                 COSTS["unfilled_h"] * p.paid[shifts],
                 np.tile([COSTS["below_min_h"], COSTS["below_target_h"],
                          COSTS["over_target_h"]], len(who)),
                 np.full(len(who), COSTS["below_min_week"])]
    upper = np.r_[np.ones(n_x), seats[shifts].astype(float), np.full(3 * len(who), np.inf),
                  np.ones(len(who))]
    integer = np.r_[np.ones(n_x, dtype=bool), np.zeros(len(shifts) + 3 * len(who), dtype=bool),
                    np.ones(len(who), dtype=bool)]
    start = _start(p, w, pairs, current, shifts, seats, who)
    return _matrix(rows, cost, upper, integer), start


def _agent_rows(p: Problem, s: State, a: int, w: int, days: np.ndarray, pairs: _Pairs,
                mine: np.ndarray, hours: int, rows: _Rows) -> None:
    """One agent's rows: a shift a day and rest, days per week and in a row, hours, caps."""
    r = p.rules
    paid = p.paid[pairs.shift[mine]]
    target, minimum = p.target_h[a, w], p.min_h[a, w]
    rows.add(np.r_[mine, hours], np.r_[paid, 1.0], minimum, np.inf)
    rows.add(np.r_[mine, hours + 1, hours + 2], np.r_[paid, 1.0, -1.0], target, target)
    if not len(mine):
        return
    rows.add(mine, paid, -np.inf, p.max_h[a] - s.week_h[a, w])
    day = p.day[pairs.shift[mine]]
    if len(np.unique(day)) > r.max_days_per_week - s.week_days[a, w]:
        rows.add(mine, 1.0, -np.inf, r.max_days_per_week - s.week_days[a, w])
    _rest_rows(p, mine, pairs, day, rows)
    _run_rows(p, s, a, days, mine, day, rows)
    for cap, used, flag in ((r.max_weekend_shifts, s.weekends[a], p.weekend),
                            (r.max_peak_day_shifts, s.peaks[a], p.peak)):
        hit = mine[flag[pairs.shift[mine]] > 0]
        if cap is not None and len(hit) > cap - used:
            rows.add(hit, 1.0, -np.inf, cap - used)


def _rest_rows(p: Problem, mine: np.ndarray, pairs: _Pairs, day: np.ndarray,
               rows: _Rows) -> None:
    """At most one shift a day, and no two shifts closer than `min_rest_h`: for each day
    and each start time t of a later day, the shifts ending too close before t and the
    later day's shifts starting by t form a clique."""
    rest = np.int64(round(p.rules.min_rest_h * 3_600_000_000_000))
    start, end = p.start_ns[pairs.shift[mine]], p.end_ns[pairs.shift[mine]]
    seen: set[tuple[int, ...]] = set()
    for d in np.unique(day):
        today = mine[day == d]
        if len(today) > 1:
            rows.add(today, 1.0, -np.inf, 1.0)
        for later in range(1, p.rest_days + 1):
            then = day == d + later
            for t in np.unique(start[then]):
                clique = np.r_[mine[(day == d) & (end > t - rest)], mine[then & (start <= t)]]
                key = tuple(clique.tolist())
                if len(clique) > 1 and (day[np.searchsorted(mine, clique)] == d).any() \
                        and key not in seen:
                    seen.add(key)
                    rows.add(clique, 1.0, -np.inf, 1.0)


def _run_rows(p: Problem, s: State, a: int, days: np.ndarray, mine: np.ndarray,
              day: np.ndarray, rows: _Rows) -> None:
    """At most `max_consecutive_days` worked in any run of one day more, counting the
    fixed days before and after the week."""
    n = p.rules.max_consecutive_days
    for first in range(days[0] - n, days[-1] + 1):
        window = np.arange(first, first + n + 1)
        free = np.isin(day, window)
        fixed = int(np.sum(s.work[a, window] >= 0))
        if len(np.unique(day[free])) > n - fixed:
            rows.add(mine[free], 1.0, -np.inf, n - fixed)


def _matrix(rows: _Rows, cost: np.ndarray, upper: np.ndarray,
            integer: np.ndarray) -> MatrixModel:
    """The gathered rows as a column-wise `MatrixModel`."""
    r, c, v = (np.concatenate(x) if x else np.zeros(0) for x in (rows.rows, rows.cols,
                                                                 rows.vals))
    order = np.lexsort((r, c))
    r, c, v = r[order].astype(np.int64), c[order].astype(np.int64), v[order]
    start = np.searchsorted(c, np.arange(len(cost) + 1))
    return MatrixModel(cost=cost.astype(float), lower=np.zeros(len(cost)), upper=upper,
                       integer=integer, start=start, index=r, value=v.astype(float),
                       row_lower=np.array(rows.lower, dtype=float),
                       row_upper=np.array(rows.upper, dtype=float),
                       break_places=np.zeros((0, 2), dtype=np.int64), templates=0,
                       intervals=0)


def _start(p: Problem, w: int, pairs: _Pairs, current: set[tuple[int, int]],
           shifts: np.ndarray, seats: np.ndarray, who: np.ndarray) -> np.ndarray:
    """Column values of the roster the group had (x, empty seats, hours short and over,
    whether below the minimum)."""
    x = np.array([(int(a), int(t)) in current for a, t in zip(pairs.agent, pairs.shift,
                                                                strict=True)], dtype=float)
    taken = np.bincount(pairs.shift[x > 0], minlength=p.n_shifts + 1)
    empty = (seats[shifts] - taken[shifts]).astype(float)
    worked = np.bincount(pairs.agent[x > 0], weights=p.paid[pairs.shift[x > 0]],
                         minlength=len(p.agents))[who]
    target, minimum = p.target_h[who, w], p.min_h[who, w]
    below = np.clip(minimum - worked, 0, None)
    hours = np.c_[below, np.clip(target - worked, 0, None),
                  np.clip(worked - target, 0, None)].ravel()
    return np.r_[x, empty, hours, (below > 1e-9).astype(float)]

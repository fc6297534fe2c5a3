"""Build a roster: a day-by-day optimal matching of seats to agents, then a repair pass.

Construction: for each day in order, every seat of every shift that day is matched to at
most one agent by a sparse linear assignment over the pairs no hard rule forbids
(`scipy.sparse.csgraph.min_weight_full_bipartite_matching`). A seat left empty costs
`_EMPTY_SEAT`, so the matching first fills as many seats as the rules allow that day,
then prefers the agents `seat_costs` scores best: furthest below their contract hours
for the week relative to the days they have left, least overtime, fewest nights,
weekends and peak days so far for their contract share, their preferences, and the
least `opportunity_cost` (the busier later day of the week an agent would have to give
up). Ties go to the lower agent_id.

Repair: a seat left empty is filled by agent B who is only blocked by one of their own
shifts on another day, if that shift can be handed to an agent C who is free and
eligible for it (a two-step move; at most `MAX_REPAIR_CANDIDATES` agents B per seat).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from staffing.roster.lookahead import opportunity_cost
from staffing.roster.prep import Problem, State, eligible, eligible_one

__all__ = ["MAX_REPAIR_CANDIDATES", "WEIGHTS", "build", "preference_costs", "repair",
           "seat_costs"]

WEIGHTS = {
    "urgency": 4.0,  # per unit of (shifts still needed / days left) this week, capped at 2
    "overtime": 3.0,  # per shift's worth of hours above the week's contract target
    "fairness": 0.5,  # per night / weekend / peak shift above the average, per contract share
    "avoid": 6.0,  # a night for 'no_nights', a weekend for 'no_weekends'
    "like": 1.5,  # a night for 'nights', a weekend for 'weekends'
    "time_of_day": 1.0,  # an early (late) shift for 'early' ('late'), and the reverse
    "lookahead": 16.0,  # per unit of `opportunity_cost` (a busier day later given up)
}
"""Cost weights of `seat_costs` (unitless; filling a seat outweighs them all)."""
MAX_REPAIR_CANDIDATES = 30
_EMPTY_SEAT = 1e6
_TIE = 1e-6


def seat_costs(p: Problem, s: State, shift: int) -> np.ndarray:
    """Cost of giving `shift` to each agent (lower is better), ignoring hard rules: the
    week's hours (urgency below the contract target, overtime above it), then
    `preference_costs`."""
    d, w, paid = p.day[shift], p.week[p.day[shift]], max(p.paid[shift], 1e-9)
    need_h = p.target_h[:, w] - s.week_h[:, w]
    days_left = np.minimum(p.avail_left[:, d],
                           p.rules.max_days_per_week - s.week_days[:, w]).clip(min=1)
    urgency = np.clip(need_h / paid / days_left, 0.0, 2.0)
    overtime = np.clip((s.week_h[:, w] + paid - p.target_h[:, w]) / paid, 0.0, 1.0)
    cost = WEIGHTS["overtime"] * overtime - WEIGHTS["urgency"] * urgency
    return cost + preference_costs(p, s, shift)


def preference_costs(p: Problem, s: State, shift: int) -> np.ndarray:
    """Fairness and preference part of `seat_costs`: nights, weekends and peak days above
    the average for the agent's contract share, avoided and liked nights and weekends,
    early and late shifts; plus a tiny tie-break toward the lower agent_id."""
    cost = np.zeros(len(p.agents))
    for flag, counts, avoid, like in ((p.night, s.nights, "no_nights", "nights"),
                                      (p.weekend, s.weekends, "no_weekends", "weekends"),
                                      (p.peak, s.peaks, None, None)):
        if not flag[shift]:
            continue
        per_share = counts / p.share
        cost = cost + WEIGHTS["fairness"] * (per_share - per_share.mean())
        if avoid is not None:
            cost = (cost + WEIGHTS["avoid"] * p.prefs[avoid] - WEIGHTS["like"] * p.prefs[like])
    if p.early[shift]:
        cost = cost - WEIGHTS["time_of_day"] * (p.prefs["early"].astype(float) - p.prefs["late"])
    if p.late[shift]:
        cost = cost - WEIGHTS["time_of_day"] * (p.prefs["late"].astype(float) - p.prefs["early"])
    return cost + _TIE * np.arange(len(cost))


def build(p: Problem) -> tuple[State, np.ndarray]:
    """Construct a roster day by day; returns the state and the seats left per shift."""
    s = State.empty(p)
    missing = p.seats[:-1].copy()
    bounds = np.searchsorted(p.day[:-1], np.arange(p.n_days + 1))
    demand = np.zeros((p.skill.shape[1], p.n_days))
    np.add.at(demand, (p.queue[:-1], p.day[:-1]), p.seats[:-1])
    for d in range(p.n_days if len(p.agents) else 0):
        today = np.arange(bounds[d], bounds[d + 1])
        if len(today):
            later = WEIGHTS["lookahead"] * opportunity_cost(p, s, d, demand)
            _match_day(p, s, today, missing, later)
    return s, missing


def _match_day(p: Problem, s: State, today: np.ndarray, missing: np.ndarray,
               later: np.ndarray) -> None:
    """Match today's seats to agents: the most seats, then the least total cost."""
    ok = np.array([eligible(p, s, i) for i in today])
    columns = np.flatnonzero(ok.any(axis=0))
    if not len(columns):
        return
    cost = np.array([(seat_costs(p, s, i) + later)[columns] for i in today])
    rows = np.repeat(np.arange(len(today)), p.seats[today])
    seat, agent = _assign(cost[rows], ok[:, columns][rows])
    for r, c in zip(seat, agent, strict=True):
        shift = int(today[rows[r]])
        s.add(p, int(columns[c]), shift)
        missing[shift] -= 1


def _assign(cost: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seat and agent indices of a maximum matching over the `ok` pairs that has the least
    total cost among those (sparse assignment; each seat may also stay empty)."""
    seats, agents = np.nonzero(ok)
    weight = cost[seats, agents] - cost[ok].min() + 1.0
    n = len(cost)
    graph = csr_matrix((np.r_[weight, np.full(n, _EMPTY_SEAT)],
                        (np.r_[seats, np.arange(n)], np.r_[agents, cost.shape[1] + np.arange(n)])),
                       shape=(n, cost.shape[1] + n))
    seat, agent = min_weight_full_bipartite_matching(graph)
    real = agent < cost.shape[1]
    return seat[real], agent[real]


def repair(p: Problem, s: State, missing: np.ndarray) -> None:
    """Fill empty seats by two-step moves, in day order; updates `s` and `missing`."""
    takers: dict[int, np.ndarray] = {}
    for shift in np.flatnonzero(missing) if len(p.agents) else ():
        while missing[shift] > 0 and _fill_one(p, s, int(shift), takers):
            missing[shift] -= 1
            takers.clear()


def _fill_one(p: Problem, s: State, shift: int, takers: dict[int, np.ndarray]) -> bool:
    """Fill one seat of `shift`. `takers` caches, per shift, the cost of handing it to
    each free eligible agent (inf otherwise); valid until the roster changes."""
    direct = eligible(p, s, shift)
    if direct.any():
        s.add(p, int(np.argmin(np.where(direct, seat_costs(p, s, shift), np.inf))), shift)
        return True
    d = p.day[shift]
    static = (p.skill[:, p.queue[shift]] & p.avail[:, d] & (s.work[:, d] < 0)
              & (p.earliest <= p.start_min[shift]) & (p.end_min[shift] <= p.latest))
    candidates = np.flatnonzero(static)
    order = np.argsort(seat_costs(p, s, shift)[candidates], kind="stable")
    reach = max(7, p.rules.max_consecutive_days, p.rest_days)
    for b in candidates[order][:MAX_REPAIR_CANDIDATES]:
        lo, hi = max(d - reach, 0), min(d + reach + 1, p.n_days)
        days = [e for e in range(lo, hi) if s.work[b, e] >= 0]
        for e in sorted(days, key=lambda e: (abs(e - d), e)):
            other = int(s.work[b, e])
            s.add(p, int(b), other, -1)
            if eligible_one(p, s, shift, int(b)):
                if other not in takers:
                    ok = eligible(p, s, other)
                    ok[b] = False
                    takers[other] = (np.where(ok, seat_costs(p, s, other), np.inf) if ok.any()
                                     else np.full(len(ok), np.inf))
                c = int(np.argmin(takers[other]))
                if np.isfinite(takers[other][c]) and c != b:
                    s.add(p, c, other)
                    s.add(p, int(b), shift)
                    return True
            s.add(p, int(b), other)
    return False

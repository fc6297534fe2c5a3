"""Look ahead within the week: what working today costs an agent's later days.

Building day by day, a greedy roster spends everyone's working days early in the week and
leaves the weekend short. `opportunity_cost` prices that: an agent who can only work some
of their remaining available days should keep them for the days under most pressure.
"""

from __future__ import annotations

import numpy as np

from staffing.roster.prep import Problem, State

__all__ = ["WEIGHTS", "opportunity_cost"]

WEIGHTS = {
    "day_fairness": 0.1,  # day value lost per weekend / peak shift above the average share
    "day_avoid": 0.1,  # weekend day value lost for 'no_weekends' agents
}
"""Weights of `_day_penalty`, in units of pressure (seats per expected agent)."""


def opportunity_cost(p: Problem, s: State, d: int, demand: np.ndarray) -> np.ndarray:
    """Per agent, what working on day `d` costs the rest of the week (0 to 2).

    A day's pressure for a queue is its seats over the agents expected to work it (each
    available, skilled agent counts as their remaining working days over their remaining
    available days that week, so a Saturday that only some can work is under more
    pressure). An agent's value on a day is the highest pressure of their queues, less
    `_day_penalty`. An agent who can still work B days (days off and max_h_week allow)
    but is available on more, gives up the B-th most valuable later day by working
    today: that day's value is the cost. An agent with no such choice costs 0."""
    w = p.week[d]
    days = np.arange(d, d + int(np.sum(p.week[d:] == w)))
    avail = p.avail[:, days] & _under_caps(p, s, days)
    typical_h = float(np.median(p.paid[:-1]))
    budget = np.minimum(p.rules.max_days_per_week - s.week_days[:, w],
                        np.floor((p.max_h - s.week_h[:, w]) / typical_h + 1e-9)).clip(min=0)
    free = avail.sum(axis=1)
    share = np.minimum(1.0, budget / np.maximum(free, 1))
    supply = p.skill.T.astype(float) @ (avail * share[:, None])
    pressure = demand[:, days] / np.maximum(supply, 1.0)
    value = np.where(p.skill[:, :, None], pressure[None, :, :], 0.0).max(axis=1)
    value = value - _day_penalty(p, s, days)
    value = np.where(avail, value, -1.0)
    later = -np.sort(-value[:, 1:], axis=1)
    if not later.shape[1]:
        return np.zeros(len(budget))
    pick = np.clip(budget.astype(np.int64), 1, later.shape[1]) - 1
    forgone = later[np.arange(len(budget)), pick]
    return np.where((budget >= 1) & (budget < free), forgone.clip(0.0, 2.0), 0.0)


def _day_penalty(p: Problem, s: State, days: np.ndarray) -> np.ndarray:
    """Lower a weekend or peak day's value for agents who already have more of them
    than their contract share, or who prefer no weekends (agents x days)."""
    weekend = np.array([p.date_of(d).weekday() >= 5 for d in days])
    peak = np.isin(np.array([p.date_of(d) for d in days], dtype=object), list(p.rules.peak_days))
    out = np.zeros((len(p.share), len(days)))
    for flag, counts in ((weekend, s.weekends), (peak, s.peaks)):
        per_share = counts / p.share
        out += np.outer(WEIGHTS["day_fairness"] * (per_share - per_share.mean()), flag)
    return out + np.outer(WEIGHTS["day_avoid"] * p.prefs["no_weekends"], weekend)


def _under_caps(p: Problem, s: State, days: np.ndarray) -> np.ndarray:
    """Whether the weekend and peak-day caps still let each agent work each day."""
    r = p.rules
    out = np.ones((len(p.share), len(days)), dtype=bool)
    for cap, counts, flag in ((r.max_weekend_shifts, s.weekends, "weekend"),
                              (r.max_peak_day_shifts, s.peaks, "peak")):
        if cap is not None:
            hit = np.array([p.date_of(d).weekday() >= 5 if flag == "weekend"
                            else p.date_of(d) in r.peak_days for d in days])
            out &= ~np.outer(counts >= cap, hit)
    return out

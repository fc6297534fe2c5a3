"""Shift lengths a team can fill: from the agents' contracts, the share of each queue's
paid hours that each shift length should carry, so that the shifts designed can be
turned into every agent's weekly hours.

An agent's week is a pattern of shifts: at most `max_days` of them (fewer when the agent
is available on fewer weekdays) whose paid hours fall between the agent's minimum and
maximum weekly hours, as close to the contract as the lengths allow (a 24-hour
part-timer: four 6 h shifts; a 40-hour full-timer on five days: two 10 h, two 8 h and one
6 h shift with their unpaid breaks). A queue's shares are its agents' patterns added up,
each agent counted by the share of their time the queue gets (split evenly over the
queues they serve). Pure: no solver here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations_with_replacement

import numpy as np
import pandas as pd

from staffing.schedule.rules import ScheduleRules

__all__ = ["SHARE_SLACK", "length_shares", "rules_for_team", "week_pattern"]

SHARE_SLACK = 0.1
"""How far a day's share of paid hours on a length may stray from the team's share."""


def paid_hours(rules: ScheduleRules) -> np.ndarray:
    """Paid hours of each shift rule (its length less its unpaid breaks)."""
    return np.array([r.length_h - sum(b.length_min for b in r.breaks if not b.paid) / 60
                     for r in rules.shifts])


def week_pattern(paid: Iterable[float], low_h: float, high_h: float, contract_h: float,
                 days: int) -> np.ndarray | None:
    """Shifts per length (counts, in the order of `paid`) of a week of at most `days`
    shifts whose paid hours lie in [low_h, high_h]: the closest to `contract_h`, then
    with the fewest different lengths, then the most days (shorter shifts). None when no
    such week exists."""
    paid = np.asarray(list(paid), dtype=float)
    best, best_key = None, None
    for n in range(1, max(days, 0) + 1):
        for combo in combinations_with_replacement(range(len(paid)), n):
            total = paid[list(combo)].sum()
            if not low_h - 1e-9 <= total <= high_h + 1e-9:
                continue
            key = (round(abs(total - contract_h), 6), len(set(combo)), -n)
            if best_key is None or key < best_key:
                best, best_key = combo, key
    if best is None:
        return None
    return np.bincount(np.array(best), minlength=len(paid))


def length_shares(agents: pd.DataFrame, queue: str, rules: ScheduleRules, *,
                  max_days: int = 5) -> np.ndarray | None:
    """The share of `queue`'s paid hours each shift rule of `rules` should carry for the
    agents who serve it (`data.read_agents` columns), or None when no agent serves it or
    none has a week the lengths can fill."""
    paid = paid_hours(rules)
    hours = np.zeros(len(paid))
    for row in agents.itertuples():
        if queue not in row.queues:
            continue
        days = min(max_days, len(row.available_days) or 7)
        pattern = week_pattern(paid, row.min_h_week, row.max_h_week, row.contract_h_week,
                               days)
        if pattern is not None:
            hours += pattern * paid / len(row.queues)
    if hours.sum() <= 0:
        return None
    return hours / hours.sum()


def rules_for_team(rules: ScheduleRules, agents: pd.DataFrame, queues: Iterable[str], *,
                   max_days: int = 5, slack: float = SHARE_SLACK) -> dict[str, ScheduleRules]:
    """Per queue, `rules` with each shift length's min_share and max_share set to the
    team's share of paid hours on it, give or take `slack` (queues no agent serves keep
    `rules`)."""
    found = {}
    for queue in queues:
        shares = length_shares(agents, queue, rules, max_days=max_days)
        if shares is None:
            found[queue] = rules
            continue
        shifts = tuple(replace(r, min_share=round(max(0.0, s - slack), 4),
                               max_share=round(min(1.0, s + slack), 4))
                       for r, s in zip(rules.shifts, shares, strict=True))
        found[queue] = replace(rules, shifts=shifts)
    return found

"""Rostering, the independent checker: it catches each hand-made violation of a hard
rule, and passes a clean roster."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from roster_cases import FREE, MONDAY, agent, agents_frame, assignment

from staffing.roster import RosterRules, check_roster
from staffing.roster.check import RULES

PLAIN = RosterRules()
VIOLATIONS = {  # rule: (assignments, the agent's changes, rules)
    "unknown_agent": ([assignment("Z")], {}, PLAIN),
    "skill": ([assignment(queue="ja_chat")], {}, PLAIN),
    "available_days": ([assignment(day=4)], {"available_days": (0, 1, 2, 3)}, PLAIN),
    "unavailable": ([assignment(day=3)], {"unavailable": (MONDAY + timedelta(days=3),)}, PLAIN),
    "earliest_start": ([assignment(hour=5)], {"earliest_start_min": 6 * 60}, PLAIN),
    "latest_end": ([assignment(hour=14)], {"latest_end_min": 21 * 60}, PLAIN),
    "one_shift_per_day": ([assignment(hour=6, length_h=4), assignment(hour=16, length_h=4)],
                          {}, FREE),
    "overlap": ([assignment(hour=20), assignment(day=1, hour=2)], {}, FREE),
    "min_rest": ([assignment(hour=12), assignment(day=1, hour=6)], {}, PLAIN),
    "max_consecutive_days": ([assignment(day=d) for d in (0, 1, 2)], {},
                             RosterRules(max_consecutive_days=2)),
    "min_days_off": ([assignment(day=d) for d in range(6)], {},
                     RosterRules(max_consecutive_days=7)),
    "max_h_week": ([assignment(day=d, length_h=10) for d in (0, 1)], {"max_h_week": 18.0},
                   PLAIN),
    "max_weekend_shifts": ([assignment(day=d) for d in (5, 6)], {},
                           RosterRules(max_weekend_shifts=1)),
    "max_peak_day_shifts": ([assignment(day=0)], {},
                            RosterRules(peak_days=(MONDAY,), max_peak_day_shifts=0)),
}


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_check_roster_catches(rule) -> None:
    rows, changes, rules = VIOLATIONS[rule]
    found = check_roster(pd.DataFrame(rows), agents_frame(agent("A", **changes)), rules)
    assert found["rule"].tolist() == [rule], found.to_string()
    assert set(RULES) == set(VIOLATIONS)


def test_check_roster_passes_a_clean_roster() -> None:
    rows = pd.DataFrame([assignment(day=d) for d in (0, 1, 2, 3, 4)])
    assert check_roster(rows, agents_frame(agent("A")), RosterRules()).empty

"""The weekly model (`staffing.roster.weekly`): from a roster that leaves a full-timer
below their minimum while a part-timer has the hours, or seats empty that a swap could
fill, it finds the roster that keeps every rule and meets the contracts; it never makes
a week worse; the same input gives the same roster."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from roster_cases import (
    agent,
    agents_frame,
    centre_shifts,
    join,
    run,
    shifts_for,
    small_centre,
    synthetic_agents,
)

from staffing.roster import check_roster, roster
from staffing.roster.build import build, repair
from staffing.roster.output import assignments_frame, hours_frame
from staffing.roster.prep import State, prepare_problem
from staffing.roster.rules import RosterRules
from staffing.roster.weekly import improve_weeks

RULES = RosterRules(min_rest_h=11, max_consecutive_days=5, min_days_off_per_week=2)


def _given(p, pairs: list[tuple[str, int]]) -> tuple[State, np.ndarray]:
    """A roster of (agent_id, shift index) pairs and the seats it leaves empty."""
    s = State.empty(p)
    ids = list(p.agents["agent_id"])
    for agent_id, shift in pairs:
        s.add(p, ids.index(agent_id), shift)
    taken = np.bincount([shift for _, shift in pairs], minlength=p.n_shifts + 1)
    return s, p.seats[:-1] - taken[:-1]


def test_hours_move_from_the_part_timer_to_the_full_timer_below_minimum() -> None:
    """A week of 8-hour shifts (7.5 h paid), one seat a day, at most five days each: the
    part-timer (contract 16 h, max 40) holds five, the full-timer (min 32) two. The model
    gives the full-timer five and keeps every seat."""
    shifts, _ = shifts_for(range(7), [9], length_h=8.0)
    people = agents_frame(agent("FT", contract_h_week=40.0, min_h_week=32.0, max_h_week=44.0),
                          agent("PT", contract_h_week=16.0, min_h_week=0.0, max_h_week=40.0))
    p = prepare_problem(shifts, people, RULES)
    s, missing = _given(p, [("PT", k) for k in range(5)] + [("FT", 5), ("FT", 6)])
    assert hours_frame(p, s, missing).set_index("agent_id")["below_min"]["FT"]
    found = improve_weeks(p, s, missing)
    hours = hours_frame(p, s, missing).set_index("agent_id")["paid_h"]
    assert missing.sum() == 0
    assert hours["FT"] == 5 * 7.5 and hours["PT"] == 2 * 7.5
    assert check_roster(assignments_frame(p, s, None), people, RULES).empty
    assert all(w.cost <= w.start_cost + 1e-9 for w in found)


def test_an_empty_seat_is_filled_by_swapping_days() -> None:
    """Monday and Tuesday have a seat each; A holds Monday, Tuesday is empty, and B can
    only work Mondays. The model hands Monday to B and Tuesday to A."""
    shifts, _ = join(shifts_for([0], [9]), shifts_for([1], [9]))
    people = agents_frame(agent("A", min_h_week=0.0),
                          agent("B", available_days=(0,), min_h_week=0.0))
    p = prepare_problem(shifts, people, RULES)
    s, missing = _given(p, [("A", 0)])
    improve_weeks(p, s, missing)
    assert missing.sum() == 0
    monday, tuesday = p.pad, p.pad + 1
    assert s.work[1, monday] == 0 and s.work[0, tuesday] == 1


def test_rest_days_in_a_row_and_caps_are_kept() -> None:
    """Early and late shifts every day with more seats than agents can take: whatever the
    model does, the independent checker finds nothing."""
    shifts, breaks = join(shifts_for(range(14), [6], agents=2), shifts_for(range(14), [14]),
                          shifts_for(range(14), [22]))
    people = agents_frame(*[agent(f"A{i}", min_h_week=32.0, max_h_week=44.0)
                            for i in range(4)])
    result = run((shifts, breaks), people, RULES)
    assert check_roster(result.assignments, people, RULES).empty


def test_it_never_makes_a_week_worse_and_keeps_every_rule() -> None:
    """Three weeks, 40 agents on three queues with windows, days off and preferences: no
    seat is lost, no hour below a minimum is added, each group's cost falls or stays, and
    the independent checker finds nothing."""
    people = synthetic_agents(40, ["q0", "q1", "q2"])
    people = people.assign(min_h_week=0.8 * people["contract_h_week"])
    per_queue = people["queues"].explode().value_counts() / people["queues"].map(len).mean()
    shifts, _ = centre_shifts(per_queue, date(2026, 10, 5), 21, fill=0.9)
    p = prepare_problem(shifts, people, RULES)
    s, missing = build(p)
    repair(p, s, missing)
    before, unfilled = hours_frame(p, s, missing), int(missing.sum())
    found = improve_weeks(p, s, missing)
    after = hours_frame(p, s, missing)
    assert found and all(w.cost <= w.start_cost + 1e-9 for w in found)
    assert int(missing.sum()) <= unfilled
    short = [(h["min_h"] - h["paid_h"]).clip(lower=0).sum() for h in (before, after)]
    assert short[1] <= short[0] + 1e-9
    assert check_roster(assignments_frame(p, s, None), people, RULES).empty


def test_the_same_input_gives_the_same_roster() -> None:
    (shifts, breaks), people = small_centre(seed=5, n=12)
    people = people.assign(min_h_week=0.8 * people["contract_h_week"])
    first = run((shifts, breaks), people, RULES).assignments
    again = run((shifts.sample(frac=1.0, random_state=1), breaks), people.iloc[::-1],
                RULES).assignments
    pd.testing.assert_frame_equal(first, again)


def test_an_agent_of_no_scheduled_queue_is_left_alone() -> None:
    """An agent skilled only for a queue the schedule has no shift of stays below their
    minimum without being put in a group (there is nothing to give them)."""
    shifts, _ = shifts_for(range(7), [9])
    people = agents_frame(agent("A", min_h_week=32.0, max_h_week=44.0),
                          agent("B", queues=("elsewhere",), min_h_week=32.0))
    p = prepare_problem(shifts, people, RULES)
    s, missing = _given(p, [("A", 0)])
    found = improve_weeks(p, s, missing)
    assert found and (s.work[1] < 0).all()
    assert hours_frame(p, s, missing).set_index("agent_id")["paid_h"]["A"] == 5 * 7.5


def test_progress_reports_each_week() -> None:
    (shifts, breaks), people = small_centre(seed=5, n=12)
    seen: list[tuple[int, int]] = []
    roster(shifts, breaks, people, RULES, progress=lambda done, total: seen.append((done,
                                                                                     total)))
    assert seen and seen == [(k, seen[0][1]) for k in range(1, seen[0][1] + 1)]


def test_one_contract_missed_rather_than_two() -> None:
    """A 6-hour seat (6 h paid) every day, one agent each: P's contract is exactly 24 h
    (min = max), F's minimum is 40 h, which five days of 6 h can never reach. From P on
    three days and F on four, both below their minimum by 22 h in all, the model gives P
    the fourth day: the same hours short, but one contract missed instead of two."""
    shifts, _ = shifts_for(range(7), [9], length_h=6.0, paid_h=6.0)
    people = agents_frame(
        agent("F", contract_h_week=40.0, min_h_week=40.0, max_h_week=44.0),
        agent("P", contract_h_week=24.0, min_h_week=24.0, max_h_week=24.0))
    p = prepare_problem(shifts, people, RULES)
    s, missing = _given(p, [("P", k) for k in range(3)] + [("F", k) for k in range(3, 7)])
    improve_weeks(p, s, missing)
    hours = hours_frame(p, s, missing).set_index("agent_id")
    assert missing.sum() == 0
    assert hours["paid_h"].to_dict() == {"F": 18.0, "P": 24.0}
    assert list(hours.index[hours["below_min"]]) == ["F"]
    assert check_roster(assignments_frame(p, s, None), people, RULES).empty

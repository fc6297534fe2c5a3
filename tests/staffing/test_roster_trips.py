"""Rostering, round trips: seats and breaks round-trip, the roster does not depend on
the row order, the scalar and vector eligibility agree, bad input is a data error and
empty input an empty roster."""

from __future__ import annotations

import pandas as pd
import pytest
from roster_cases import agent, agents_frame, run, shifts_for, small_centre

from data.errors import DataError
from staffing.roster import RosterRules, roster
from staffing.roster.build import build
from staffing.roster.prep import eligible, eligible_one, prepare_problem


def test_assignments_round_trip_to_seats_and_breaks() -> None:
    (shifts, breaks), people = small_centre()
    result = run((shifts, breaks), people)
    a = result.assignments
    assert list(a.columns[:8]) == ["agent_id", "name", "date", "start", "end", "break_start",
                                   "break_end", "queue"]
    taken = a.groupby(["queue", "shift_id"]).size()
    missing = result.unfilled.set_index(["queue", "shift_id"])["agents_missing"]
    seats = shifts.set_index(["queue", "shift_id"])["agents"]
    assert (taken.reindex(seats.index, fill_value=0) + missing.reindex(seats.index,
                                                                       fill_value=0)
            ).equals(seats)
    assert not a.duplicated(["agent_id", "date"]).any()
    # breaks: every slot holds at most its agents, exactly when the shift is full
    first = breaks[breaks["break_no"] == 0].set_index(["queue", "shift_id", "break_start"])
    dealt = a.groupby(["queue", "shift_id", "break_start"]).size()
    assert (dealt <= first["agents"].reindex(dealt.index)).all()
    full = seats.index.difference(missing.index)
    full_slots = first[first.index.droplevel(2).isin(full)]["agents"]
    assert dealt.reindex(full_slots.index, fill_value=0).equals(full_slots)
    assert (a["breaks"].str.count(",") == 1).all()  # both breaks, in time order
    assert (a["break_start"] > a["start"]).all() and (a["break_end"] < a["end"]).all()


def test_deterministic_whatever_the_row_order() -> None:
    (shifts, breaks), people = small_centre()
    one = roster(shifts, breaks, people).assignments
    two = roster(shifts.sample(frac=1, random_state=3), breaks.sample(frac=1, random_state=4),
                 people.sample(frac=1, random_state=5)).assignments
    pd.testing.assert_frame_equal(one, two)


def test_scalar_and_vector_eligibility_agree() -> None:
    (shifts, _), people = small_centre(seed=1)
    problem = prepare_problem(shifts, people, RosterRules())
    state, _ = build(problem)
    for shift in range(problem.n_shifts):
        vector = eligible(problem, state, shift)
        scalar = [eligible_one(problem, state, shift, a) for a in range(len(people))]
        assert vector.tolist() == scalar


def test_missing_columns_and_duplicate_shifts_are_data_errors() -> None:
    shifts, breaks = shifts_for([0], [9])
    with pytest.raises(DataError, match="paid_h"):
        roster(shifts.drop(columns="paid_h"), breaks, agents_frame(agent("A")))
    with pytest.raises(DataError, match="twice"):
        roster(pd.concat([shifts, shifts]), breaks, agents_frame(agent("A")))


def test_no_shifts_or_no_agents() -> None:
    shifts, _ = shifts_for([0], [9], agents=0)
    result = roster(shifts, None, agents_frame(agent("A")))
    assert result.assignments.empty and result.unfilled.empty
    shifts, breaks = shifts_for([0, 1], [9])
    result = roster(shifts, breaks, agents_frame(agent("A")).iloc[:0])
    assert result.assignments.empty and result.seats_unfilled == 2

"""Rostering, the hard rules: bad rule settings are named, and each rule leaves the seat
empty rather than break it (each case is built so that ignoring the rule would fill the
seat)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from roster_cases import FREE, MONDAY, Q, agent, agents_frame, join, run, shifts_for

from data.errors import ConfigError
from staffing.roster import RosterRules

# --- rules --------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("min_rest_h", -1), ("min_rest_h", 30), ("max_consecutive_days", 0),
    ("min_days_off_per_week", 7), ("max_weekend_shifts", -1), ("max_peak_day_shifts", 1.5),
    ("peak_days", ["2026-12-24"]), ("night_hours", (1320, 1320)), ("night_hours", (0, 2000)),
])
def test_rules_name_the_bad_setting(field, value) -> None:
    with pytest.raises(ConfigError, match=f"schedule.roster.{field}"):
        RosterRules(**{field: value})


# --- each hard rule leaves the seat empty rather than break it ------------------------------

def test_skill() -> None:
    result = run(join(shifts_for([0], [9]), shifts_for([0], [9], queue="en_chat")),
                 agents_frame(agent("A", queues=("en_chat",))))
    assert result.assignments["queue"].tolist() == ["en_chat"]
    assert result.unfilled["queue"].tolist() == [Q]


def test_available_days_and_unavailable_dates() -> None:
    people = agents_frame(agent("A", available_days=(0, 1, 2, 3, 4),
                                unavailable=(MONDAY + timedelta(days=1),)))
    result = run(shifts_for(range(7), [9]), people, FREE)
    worked = {d.weekday() for d in result.assignments["date"]}
    assert worked == {0, 2, 3, 4}
    assert sorted(d.weekday() for d in result.unfilled["day"]) == [1, 5, 6]


def test_earliest_start_and_latest_end() -> None:
    people = agents_frame(agent("A", earliest_start_min=7 * 60, latest_end_min=20 * 60))
    parts = join(shifts_for([0], [6]), shifts_for([1], [7]), shifts_for([2], [12]),
                 shifts_for([3], [13]))
    result = run(parts, people, FREE)
    assert [d.weekday() for d in result.assignments["date"]] == [1, 2]  # 07-15, 12-20


def test_midnight_end_limit() -> None:
    """latest_end 24:00 (1440) sets no limit: the agent may work across midnight."""
    night = shifts_for([0], [22])
    assert len(run(night, agents_frame(agent("A")), FREE).assignments) == 1
    assert run(night, agents_frame(agent("A", latest_end_min=23 * 60)), FREE).seats_unfilled == 1


def test_one_shift_per_day_and_no_overlap_across_midnight() -> None:
    people = agents_frame(agent("A"))
    assert run(shifts_for([0], [6, 15]), people, FREE).seats_unfilled == 1
    overlap = join(shifts_for([0], [20]), shifts_for([1], [2]))  # 20-04 then 02-10
    assert run(overlap, people, FREE).seats_unfilled == 1


def test_min_rest() -> None:
    late_then_early = join(shifts_for([0], [14]), shifts_for([1], [7]))  # 9 h apart
    people = agents_frame(agent("A"))
    assert run(late_then_early, people, RosterRules()).seats_unfilled == 1
    assert run(late_then_early, people, RosterRules(min_rest_h=9)).seats_unfilled == 0


def test_max_consecutive_days() -> None:
    rules = RosterRules(min_rest_h=0, max_consecutive_days=3, min_days_off_per_week=0)
    result = run(shifts_for(range(7), [9]), agents_frame(agent("A")), rules)
    assert result.seats_unfilled == 1  # 3 on, 1 off, 3 on
    assert result.burnout["longest_run"].iloc[0] == 3


def test_min_days_off_per_week() -> None:
    rules = RosterRules(min_rest_h=0, max_consecutive_days=14, min_days_off_per_week=2)
    result = run(shifts_for(range(14), [9]), agents_frame(agent("A")), rules)
    assert result.seats_unfilled == 4
    per_week = pd.Series([d - timedelta(days=d.weekday()) for d in result.assignments["date"]])
    assert per_week.value_counts().tolist() == [5, 5]


def test_max_hours_per_week() -> None:
    people = agents_frame(agent("A", contract_h_week=24.0, max_h_week=24.0))
    result = run(shifts_for(range(5), [9]), people, FREE)  # 7.5 paid h each
    assert len(result.assignments) == 3 and result.seats_unfilled == 2


def test_weekend_and_peak_day_caps() -> None:
    weekends = shifts_for([5, 6, 12, 13], [9])
    rules = RosterRules(min_rest_h=0, max_consecutive_days=14, min_days_off_per_week=0,
                        max_weekend_shifts=1)
    assert run(weekends, agents_frame(agent("A")), rules).seats_unfilled == 3
    peak = (MONDAY, MONDAY + timedelta(days=2))
    rules = RosterRules(min_rest_h=0, min_days_off_per_week=0, peak_days=peak,
                        max_peak_day_shifts=1)
    result = run(shifts_for(range(3), [9]), agents_frame(agent("A")), rules)
    assert result.seats_unfilled == 1 and result.burnout["peak_day_shifts"].iloc[0] == 1


def test_second_agent_takes_what_the_rules_forbid_the_first() -> None:
    people = agents_frame(agent("A"), agent("B"))
    result = run(join(shifts_for([0], [14]), shifts_for([1], [7])), people)
    assert result.seats_unfilled == 0
    assert result.assignments["agent_id"].nunique() == 2

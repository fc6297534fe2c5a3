"""Rostering, soft goals and reports: preferences count when there is slack, hours go
to those below contract, agents are kept for the days only they can work, and the
burnout and fairness reports add up."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from roster_cases import MONDAY, TZ, Q, agent, agents_frame, assignment, join, run, shifts_for

from staffing.roster import RosterRules, burnout_report, fairness_spread, fairness_table

# --- soft goals ---------------------------------------------------------------------------------

def test_preferences_respected_when_there_is_slack() -> None:
    people = agents_frame(
        agent("A", preferences=("no_nights",)), agent("B"), agent("C", preferences=("late",)),
        agent("D", preferences=("early",)), agent("E", preferences=("no_weekends",)),
        agent("F"), agent("G"), agent("H"))
    parts = join(shifts_for(range(14), [6, 13]), shifts_for(range(14), [22]))
    a = run(parts, people).assignments
    night = a["start"].dt.hour == 22
    assert not night[a["agent_id"] == "A"].any()
    assert not (a["start"].dt.hour == 13)[a["agent_id"] == "D"].any()
    assert not (a["start"].dt.hour == 6)[a["agent_id"] == "C"].any()
    weekend = pd.Series([d.weekday() >= 5 for d in a["date"]], index=a.index)
    assert not weekend[a["agent_id"] == "E"].any()


def test_hours_go_to_those_below_contract_first() -> None:
    """Targets are prorated to the days of a week inside the roster: span Monday-Sunday."""
    people = agents_frame(agent("A", contract_h_week=16.0), agent("B", contract_h_week=40.0))
    result = run(join(shifts_for(range(5), [9]), shifts_for([6], [9], queue="other")), people)
    hours = result.hours.set_index("agent_id")["paid_h"]
    assert hours["B"] == 5 * 7.5 and hours["A"] == 0
    assert result.agents_below_min.empty  # min_h_week 0 here


def test_lookahead_keeps_weekend_agents_for_the_weekend() -> None:
    """A and B can work weekends, C only weekdays: a greedy roster that spent A and B
    early in the week would leave the weekend short."""
    people = agents_frame(agent("A"), agent("B"), agent("C", available_days=(0, 1, 2, 3, 4)))
    parts = join(shifts_for(range(5), [9], agents=2), shifts_for([5, 6], [9], agents=2))
    result = run(parts, people)
    assert result.seats_unfilled == 0


def test_below_minimum_is_reported_not_forced() -> None:
    people = agents_frame(agent("A", contract_h_week=40.0, min_h_week=40.0))
    week = join(shifts_for([0], [9]), shifts_for([6], [9], queue="other"))  # Monday-Sunday
    result = run(week, people)
    assert result.agents_below_min[["paid_h", "min_h"]].values.tolist() == [[7.5, 40.0]]


def test_short_weeks_show_overtime_and_quiet_weeks_idle_hours() -> None:
    """Week 1 wants two shifts a day from one agent (short: overtime to 44 h proposed),
    week 2 wants two shifts in all (quiet: the rest of the 40 h contract is idle)."""
    people = agents_frame(agent("A", contract_h_week=40.0, max_h_week=44.0))
    rules = RosterRules(min_rest_h=0, max_consecutive_days=14, min_days_off_per_week=0)
    busy = shifts_for(range(7), [9], agents=2, length_h=6.5)  # 6 h paid a seat
    quiet = shifts_for([7, 13], [9], length_h=6.5)  # a whole Monday-Sunday week
    result = run(join(busy, quiet), people, rules)
    hours = result.hours.set_index("week")
    first, second = hours.iloc[0], hours.iloc[1]
    assert bool(first["week_short"]) and not bool(second["week_short"])
    assert first["paid_h"] == 42.0 and first["overtime_h"] == 2.0 and first["idle_h"] == 0
    assert second["paid_h"] == 12.0 and second["idle_h"] == pytest.approx(40 - 12)
    assert second["overtime_h"] == 0


# --- reports --------------------------------------------------------------------------------

def test_burnout_report_numbers() -> None:
    rows = [assignment(day=d) for d in (0, 1, 2, 3, 4, 5)]  # week 1: 6 days, 45 h
    rows += [assignment(day=d, hour=22) for d in (7, 8)]  # week 2: 2 nights, 15 h
    rows += [assignment(day=d) for d in (14, 15, 16, 17, 18)]  # week 3: 37.5 h
    people = agents_frame(agent("A", contract_h_week=36.0), agent("B"))
    rules = RosterRules(peak_days=(MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)))
    ds = pd.date_range(pd.Timestamp(MONDAY).tz_localize(TZ), periods=24 * 4, freq="15min")
    need = pd.DataFrame({"queue": Q, "ds": ds, "occupancy": np.where(ds.hour < 12, 0.95, 0.75)})
    report = burnout_report(pd.DataFrame(rows), people, rules, need).set_index("agent_id")
    a = report.loc["A"]
    assert (a["shifts"], a["paid_h"], a["max_week_h"]) == (13, 97.5, 45.0)
    assert (a["overtime_h"], a["overtime_weeks"]) == (9.0 + 1.5, 2)
    assert (a["longest_run"], a["weekend_shifts"], a["night_shifts"]) == (6, 1, 2)
    assert a["peak_day_shifts"] == 2
    assert a["occupancy"] == pytest.approx((12 * 0.95 + 20 * 0.75) / 32)  # Monday 09-17
    assert a["at_risk"] and "overtime in 2+ weeks" in a["reasons"]
    b = report.loc["B"]
    assert b["shifts"] == 0 and not b["at_risk"] and np.isnan(b["occupancy"])


def test_fairness_table_splits_by_contract() -> None:
    rows = [assignment("A", day=5), assignment("A", day=6), assignment("B", day=12, hour=22)]
    people = agents_frame(agent("A", contract_h_week=40.0), agent("B", contract_h_week=20.0))
    table = fairness_table(pd.DataFrame(rows), people).set_index("agent_id")
    assert table.loc["A", "weekends"] == 2 and table.loc["B", "weekends"] == 1
    assert table.loc["A", "weekends_fair"] == pytest.approx(2.0)
    assert table.loc["B", "nights_fair"] == pytest.approx(1 / 3)
    spread = fairness_spread(table.reset_index()).set_index("measure")
    assert spread.loc["weekends", "max"] == 2
    assert spread.loc["nights", "max_gap"] == pytest.approx(2 / 3)

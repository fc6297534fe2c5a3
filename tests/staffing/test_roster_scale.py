"""Rostering at scale and across the clock change: the sample agents for two weeks,
500 agents for 13 weeks, and the autumn daylight-saving night."""

from __future__ import annotations

from datetime import date

import pytest
from roster_cases import (
    agent,
    agents_frame,
    centre_shifts,
    join,
    run,
    shifts_for,
    synthetic_agents,
)

from data.agents import read_agents
from data.sample import sample_paths
from staffing.roster import check_roster, roster


def test_sample_agents_two_weeks() -> None:
    people = read_agents(sample_paths()["agents"])
    per_queue = people["queues"].explode().value_counts() / people["queues"].map(len).mean()
    shifts, breaks = centre_shifts(per_queue, date(2026, 11, 23), 14, fill=0.55)
    result = run((shifts, breaks), people)
    assert result.seats_unfilled <= 0.02 * shifts["agents"].sum()
    assert set(result.burnout["agent_id"]) == set(people["agent_id"])


@pytest.mark.slow
def test_five_hundred_agents_thirteen_weeks() -> None:
    queues = [f"q{k}" for k in range(10)]
    people = synthetic_agents(500, queues)
    per_queue = people["queues"].explode().value_counts() / people["queues"].map(len).mean()
    shifts, breaks = centre_shifts(per_queue, date(2026, 10, 1), 91, fill=0.62)
    result = roster(shifts, breaks, people)
    assert shifts["agents"].sum() > 25_000
    assert check_roster(result.assignments, people).empty
    assert result.seats_unfilled <= 0.01 * shifts["agents"].sum()


def test_daylight_saving_night() -> None:
    """Clocks go back on 25 Oct 2026: a night from 22:00 lasts 8 h and ends at 05:00, so
    a 16:00 start leaves 11 h of rest and a 15:00 start only 10 h."""
    night = shifts_for([19], [22])
    people = agents_frame(agent("A"))
    assert run(join(night, shifts_for([20], [16])), people).seats_unfilled == 0
    assert run(join(night, shifts_for([20], [15])), people).seats_unfilled == 1

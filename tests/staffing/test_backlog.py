"""E-mail backlog: first in first out, open-hours clock, each day's share, and several
queues planned at once exactly as one by one."""

from __future__ import annotations

import numpy as np
import pytest

from data.errors import ConfigError
from staffing import parse_staffing
from staffing.queueing.backlog import BacklogQueue, backlog_agents, backlog_plans

HALF_HOUR = 1800
PER_DAY = 48

def office_week(days: int = 8, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """Half-hourly email arrivals from Monday 00:00 (around the clock, busiest early
    afternoon) and the open flag: Monday to Friday 08:00-18:00. Eight days, so the
    weekend's backlog meets the next Monday."""
    t = np.arange(days * PER_DAY)
    hour = (t % PER_DAY) / 2
    weekday = (t // PER_DAY) % 7
    open_ = (weekday < 5) & (hour >= 8) & (hour < 18)
    rate = 10 * (0.3 + np.exp(-0.5 * ((hour - 13) / 4) ** 2))
    return np.random.default_rng(seed).poisson(rate).astype(float), open_


ARRIVALS, OPEN = office_week()
AHT = 420.0


def plan_for(share: float, hours: float, cap: float = 0.85):
    return backlog_agents(ARRIVALS, AHT, HALF_HOUR, OPEN, hours * 3600, share, cap)


def on_time_share(plan, arrivals=ARRIVALS, part=slice(None)) -> float:
    """Contact-weighted share answered in time, of the arrivals in `part`."""
    within, count = plan.within_target[part], arrivals[part]
    some = count > 0
    return float(np.sum(within[some] * count[some]) / count.sum())


@pytest.mark.parametrize("share", [0.8, 0.9, 1.0])
@pytest.mark.parametrize("hours", [4, 8, 24])
def test_every_contact_is_handled_or_waiting(share, hours) -> None:
    plan = plan_for(share, hours)
    np.testing.assert_allclose(np.cumsum(ARRIVALS), np.cumsum(plan.handled) + plan.backlog,
                               atol=1e-8)
    assert np.all(plan.handled >= -1e-12) and np.all(plan.backlog >= 0)


@pytest.mark.parametrize("share", [0.8, 1.0])
def test_no_one_works_while_closed(share) -> None:
    plan = plan_for(share, 8)
    assert np.all(plan.agents[~OPEN] == 0) and np.all(plan.handled[~OPEN] == 0)
    assert np.all(plan.agents[OPEN][:10] > 0)  # Monday's morning is staffed


def test_friday_backlog_carries_over_the_weekend_and_monday_works_it_down() -> None:
    plan = plan_for(0.9, 24)  # a 24-open-hour promise leaves work open on Friday
    friday_close = 4 * PER_DAY + 35  # the 17:30-18:00 interval
    monday_open = 7 * PER_DAY + 16  # the 08:00-08:30 interval
    monday_close = 7 * PER_DAY + 35
    carried = plan.backlog[friday_close]
    assert carried > 0
    weekend = ARRIVALS[friday_close + 1:monday_open].sum()
    assert plan.backlog[monday_open - 1] == pytest.approx(carried + weekend)
    assert plan.handled[monday_open:monday_close + 1].sum() > ARRIVALS[
        monday_open:monday_close + 1].sum()
    assert plan.backlog[monday_close] < plan.backlog[monday_open - 1]


def test_the_promise_clock_runs_only_while_open() -> None:
    """With everything due within 8 open hours, the weekend's emails (clock starting at
    Monday's opening, 08:00-08:30) are all answered by Monday 16:30."""
    plan = plan_for(1.0, 8)
    monday_open = 7 * PER_DAY + 16
    by_1630 = 7 * PER_DAY + 32  # the 16:00-16:30 interval
    assert np.cumsum(plan.handled)[by_1630] >= np.cumsum(ARRIVALS)[monday_open - 1] - 1e-6
    weekend = slice(4 * PER_DAY + 36, monday_open)
    assert np.all(plan.within_target[weekend][ARRIVALS[weekend] > 0] == 1.0)


@pytest.mark.parametrize("share", [0.8, 0.9, 1.0])
@pytest.mark.parametrize("hours", [4, 8, 24])
def test_target_share_is_met_overall_and_each_day(hours, share) -> None:
    plan = plan_for(share, hours)
    assert on_time_share(plan) >= share - 0.02
    for day in range(len(ARRIVALS) // PER_DAY):
        block = slice(day * PER_DAY, (day + 1) * PER_DAY)
        assert on_time_share(plan, ARRIVALS, block) >= share - 0.02, f"day {day}"


def test_target_share_is_met_under_steady_arrivals() -> None:
    """Open around the clock, the same arrivals every half hour: first in first out
    gives every email the same wait, so the share is met only by meeting all of it."""
    arrivals = np.full(2000, 40.3)
    plan = backlog_agents(arrivals, 360, HALF_HOUR, True, 4 * 3600, 0.8)
    assert on_time_share(plan, arrivals) >= 0.78
    assert np.nanmax(plan.response_s[:1500]) <= 4 * 3600 + 1e-6


@pytest.mark.parametrize("hours", [4, 8, 24])
def test_lower_share_never_needs_more_agent_hours(hours) -> None:
    agent_hours = [plan_for(share, hours).agents.sum() / 2
                   for share in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)]
    assert agent_hours == sorted(agent_hours)


@pytest.mark.parametrize("hours", [4, 8])
def test_never_staffs_more_than_the_waiting_work_can_use(hours) -> None:
    plan = plan_for(1.0, hours)
    waiting = (np.concatenate([[0.0], plan.backlog[:-1]]) + ARRIVALS) * AHT
    usable = np.ceil(waiting / (HALF_HOUR * 0.85) - 1e-9)
    assert np.all(plan.agents <= usable)


def test_one_steady_agent_for_a_simple_case() -> None:
    plan = backlog_agents([40, 0, 0, 0], 360, 3600, [True] * 4, 4 * 3600, 1.0)
    assert plan.agents.tolist() == [1, 1, 1, 1]
    assert plan.backlog[-1] == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(plan.response_s[1]) and np.isnan(plan.within_target[1])


@pytest.mark.parametrize(("share", "within_s", "argument", "key"), [
    (0.0, 8 * 3600, "target_share", "staffing.queues.q.response_share"),
    (1.2, 8 * 3600, "target_share", "staffing.queues.q.response_share"),
    (0.9, 0, "respond_within_s", "staffing.queues.q.respond_within_h"),
    (0.9, -3600, "respond_within_s", "staffing.queues.q.respond_within_h"),
])
def test_bad_backlog_settings_name_the_setting(share, within_s, argument, key) -> None:
    """The formula names its argument; the same values as queue settings name the key."""
    with pytest.raises(ValueError, match=f"^{argument}: "):
        backlog_agents(ARRIVALS, AHT, HALF_HOUR, OPEN, within_s, share)
    queue = {"name": "q", "channel": "email", "response_share": share,
             "respond_within_h": within_s / 3600}
    with pytest.raises(ConfigError) as caught:
        parse_staffing({"queues": [queue]})
    assert caught.value.key == key and key in str(caught.value)


def test_a_bad_occupancy_cap_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"^max_occupancy: "):
        backlog_agents(ARRIVALS, AHT, HALF_HOUR, OPEN, 8 * 3600, 0.9, max_occupancy=0.0)
    with pytest.raises(ValueError, match=r"^max_occupancy: "):
        backlog_plans([BacklogQueue(ARRIVALS, AHT, HALF_HOUR, OPEN, 8 * 3600, 0.9, 1.5)])


def test_queues_planned_together_get_exactly_their_own_plans() -> None:
    """Different lengths, hours, response windows, shares and caps in one pass."""
    other, other_open = office_week(days=15, seed=7)
    queues = [
        BacklogQueue(ARRIVALS, AHT, HALF_HOUR, OPEN, 8 * 3600, 0.9, 0.85),
        BacklogQueue(other * 2, 300.0, HALF_HOUR, other_open, 24 * 3600, 0.8, 1.0),
        BacklogQueue(ARRIVALS[:100], AHT, HALF_HOUR, True, 2 * 3600, 1.0, 0.7),
        BacklogQueue(np.zeros(96), AHT, HALF_HOUR, OPEN[:96], 4 * 3600, 0.9),
    ]
    together = backlog_plans(queues)
    for queue, plan in zip(queues, together, strict=True):
        alone = backlog_agents(queue.contacts, queue.aht_s, queue.interval_s, queue.open_,
                               queue.respond_within_s, queue.target_share,
                               queue.max_occupancy)
        np.testing.assert_array_equal(plan.agents, alone.agents)
        np.testing.assert_array_equal(plan.backlog, alone.backlog)
        np.testing.assert_array_equal(plan.within_target, alone.within_target)
        assert plan.paced_share == alone.paced_share
    assert together[0].agents.sum() > 0 and together[3].agents.sum() == 0
    assert backlog_plans([]) == []

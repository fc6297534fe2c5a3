"""Capacity plan: weekly need, staff on hand, attrition, and the whole hires that cover
the gaps in time (or honestly do not)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from data.agents import read_agents
from data.errors import ConfigError
from data.sample import sample_paths
from staffing.capacity import (
    PLAN_COLUMNS,
    TOTAL,
    CapacityRules,
    capacity_plan,
    headcount,
    hire_fte,
    hiring_summary,
    weekly_attrition,
    weekly_need,
)

TZ = "Europe/Amsterdam"
START = pd.Timestamp("2026-09-07")  # a Monday
TOL = 1e-6


def need_frame(fte: list[float] | np.ndarray, queue: str = "q", start=START) -> pd.DataFrame:
    weeks = pd.date_range(start, periods=len(fte), freq="7D")
    return pd.DataFrame({"queue": queue, "week": weeks, "fte_needed": np.asarray(fte, float)})


def staff(fte: float, queue: str = "q") -> pd.DataFrame:
    return pd.DataFrame({"queue": [queue], "fte_on_hand": [fte]})


def requirements(start: str, end: str, agents: float, queue: str = "a") -> pd.DataFrame:
    ds = pd.date_range(start, end, freq="30min", tz=TZ, inclusive="left")
    return pd.DataFrame({"queue": queue, "ds": ds, "contacts": 10.0, "aht_s": 300.0,
                         "agents_net": agents * 0.7, "agents_gross": agents,
                         "service_level": 0.8, "asa_s": 20.0, "occupancy": 0.85})


# weekly need -------------------------------------------------------------------------


def test_weekly_need_counts_the_actual_intervals_of_a_dst_week() -> None:
    frame = pd.concat([requirements("2026-10-19", "2026-11-02", 2.0, "a"),
                       requirements("2026-10-19", "2026-11-02", 1.0, "b")])
    need = weekly_need(frame, 30, hours_per_fte=40.0)
    assert list(need.columns) == ["queue", "week", "agent_hours", "fte_needed", "days"]
    assert list(need["week"].unique()) == [pd.Timestamp("2026-10-19"), pd.Timestamp("2026-10-26")]
    # 25 October 2026 has 50 half hours: the week holds 7 x 48 + 2 = 338 intervals
    a = need[need["queue"] == "a"].set_index("week")["agent_hours"]
    assert a[pd.Timestamp("2026-10-19")] == pytest.approx(338 * 2 * 0.5)
    assert a[pd.Timestamp("2026-10-26")] == pytest.approx(336 * 2 * 0.5)
    b = need[need["queue"] == "b"].set_index("week")
    assert b.loc[pd.Timestamp("2026-10-19"), "fte_needed"] == pytest.approx(169 / 40)


def test_weekly_need_spring_forward_and_local_week_boundaries() -> None:
    frame = requirements("2027-03-22", "2027-03-29 01:00", 1.0)  # 28 March: 46 half hours
    frame.loc[frame.index[-1], "agents_gross"] = 100.0  # Monday 29 March 00:30 local
    need = weekly_need(frame, 30).set_index("week")["agent_hours"]
    assert need[pd.Timestamp("2027-03-22")] == pytest.approx((6 * 48 + 46) * 0.5)
    # Monday 00:00 local is Sunday in UTC; it still opens the new local week
    assert need[pd.Timestamp("2027-03-29")] == pytest.approx(0.5 + 100 * 0.5)


def test_weekly_need_scales_with_interval_length() -> None:
    frame = requirements("2026-11-02", "2026-11-03", 3.0)
    assert weekly_need(frame, 15)["agent_hours"].iloc[0] == pytest.approx(48 * 3 / 4)


# headcount ---------------------------------------------------------------------------


def test_headcount_splits_multi_queue_agents_evenly() -> None:
    agents = pd.DataFrame({"agent_id": ["A", "B", "C"],
                           "queues": [("x", "y"), ("x",), ("x", "y", "z")],
                           "contract_h_week": [40.0, 20.0, 30.0]})
    out = headcount(agents, hours_per_fte=40.0).set_index("queue")
    assert out.loc["x", "fte_on_hand"] == pytest.approx((20 + 20 + 10) / 40)
    assert out.loc["y", "fte_on_hand"] == pytest.approx((20 + 10) / 40)
    assert out.loc["z", "fte_on_hand"] == pytest.approx(10 / 40)
    assert out["agents"].to_dict() == {"x": 3, "y": 2, "z": 1}


def test_headcount_of_the_sample_adds_up_to_the_contract_hours() -> None:
    agents = read_agents(sample_paths()["agents"])
    out = headcount(agents, hours_per_fte=38.0)
    assert out["fte_on_hand"].sum() == pytest.approx(agents["contract_h_week"].sum() / 38.0)
    people = agents["queues"].explode().value_counts()
    assert out.set_index("queue")["agents"].to_dict() == people.to_dict()
    assert (out["fte_on_hand"] > 0).all()


# attrition ---------------------------------------------------------------------------


def test_staff_decay_by_the_weekly_rate_and_a_year_leaves_one_minus_attrition() -> None:
    rules = CapacityRules(attrition_per_year=0.35)
    plan = capacity_plan(need_frame(np.zeros(53)), staff(100.0), rules)
    fte = plan["fte_without_hires"].to_numpy()
    assert fte[0] == pytest.approx(100.0)
    assert fte[1:] / fte[:-1] == pytest.approx(np.full(52, 1 - weekly_attrition(0.35)))
    assert fte[52] == pytest.approx(100.0 * (1 - 0.35))
    assert plan["hires_starting"].sum() == 0
    assert not plan["at_risk_with_hires"].any()


def test_hires_ramp_and_leave_too() -> None:
    rules = CapacityRules(attrition_per_year=0.0, ramp_weeks=4, ramp_start=0.5)
    assert hire_fte(np.arange(-1, 7), rules) == pytest.approx(
        [0, 0.5, 0.625, 0.75, 0.875, 1, 1, 1])
    leaving = CapacityRules(attrition_per_year=0.35, ramp_weeks=0)
    assert hire_fte(52, leaving) == pytest.approx(0.65)


# hiring ------------------------------------------------------------------------------


def test_a_step_after_lead_and_ramp_is_covered_with_the_fewest_whole_hires() -> None:
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=6, ramp_weeks=4)
    plan = capacity_plan(need_frame([10.0] * 12 + [13.4] * 6), staff(10.0), rules)
    hires = plan["hires_starting"].to_numpy()
    assert hires.sum() == 4 and hires[8] == 4  # ceil(3.4): start 4 weeks before the step
    assert (plan["gap_with_hires"].to_numpy()[12:] <= TOL).all()
    assert plan["at_risk_without_hires"].to_numpy()[12:].all()
    assert not plan["at_risk_with_hires"].any()


def test_with_attrition_the_hires_cover_every_week_and_none_is_spare() -> None:
    rules = CapacityRules(attrition_per_year=0.4, hiring_lead_weeks=2, ramp_weeks=4)
    fte = [20.0] * 6 + [26.0] * 6 + [31.5] * 6
    plan = capacity_plan(need_frame(fte), staff(22.0), rules)
    hires = plan["hires_starting"].to_numpy()
    assert not plan["at_risk_with_hires"].any()
    assert plan["at_risk_without_hires"].to_numpy()[6:].all()
    gap = 26.0 - 22.0 * (1 - weekly_attrition(0.4)) ** 6
    assert hires[:2].sum() == 0
    assert hires[2] == math.ceil(gap / float(hire_fte(4, rules)))  # 4 weeks before the step
    assert hires[2:].sum() > hires[2]  # leavers among staff and hires are replaced later
    weeks = np.arange(len(fte))
    for start in np.flatnonzero(hires):  # one hire fewer anywhere leaves a covered week short
        fewer = plan["fte_with_hires"].to_numpy() - hire_fte(weeks - start, rules)
        covered = ~plan["at_risk_with_hires"].to_numpy()
        assert (plan["fte_needed"].to_numpy() - fewer > TOL)[covered].any()


def test_the_ramp_makes_hires_start_early_enough() -> None:
    fte = [5.0] * 14 + [8.0] * 4
    for ramp in (0, 2, 4, 6):
        rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=2, ramp_weeks=ramp)
        plan = capacity_plan(need_frame(fte), staff(5.0), rules)
        hires = plan["hires_starting"].to_numpy()
        assert np.flatnonzero(hires).tolist() == [14 - ramp]
        assert hires.sum() == 3  # fully productive by the step, so no extra heads
        assert not plan["at_risk_with_hires"].any()


def test_a_step_inside_the_ramp_window_is_not_bought_with_surplus_heads() -> None:
    """The need stays at 7 after the step: heads hired to make up for the ramp would be
    surplus for the rest of the season, so the ramp weeks stay at risk instead."""
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=6, ramp_weeks=4,
                          ramp_start=0.5)
    plan = capacity_plan(need_frame([5.0] * 7 + [7.0] * 5), staff(5.0), rules)
    hires = plan["hires_starting"].to_numpy()
    assert np.flatnonzero(hires).tolist() == [6]  # the earliest start, a week before
    assert hires[6] == 2  # the gap once they are ramped up, not ceil(2 / 0.625) = 4
    risk = plan["at_risk_with_hires"].to_numpy()
    assert risk[7:10].all() and not risk[10:].any()  # short only while ramping up
    assert (plan["fte_with_hires"].to_numpy()[10:] <= 7.0 + TOL).all()


def test_extra_heads_for_a_ramp_when_later_weeks_use_them() -> None:
    """A rising need absorbs the heads hired early to make up for their ramp."""
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=6, ramp_weeks=4,
                          ramp_start=0.5)
    plan = capacity_plan(need_frame([5.0] * 7 + [7.0] * 2 + [9.0] * 3), staff(5.0), rules)
    hires = plan["hires_starting"].to_numpy()
    assert hires[6] == math.ceil(2.0 / 0.625) == 4  # 62.5% productive in their second week
    assert hires.sum() == 4  # exactly what the peak uses once they are ramped up
    risk = plan["at_risk_with_hires"].to_numpy()
    assert not risk[7:9].any() and not risk[10:].any()


def test_a_cap_per_week_spreads_the_start_dates() -> None:
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=2, ramp_weeks=0,
                          max_hires_per_week=3, min_hire_batch=1)
    plan = capacity_plan(need_frame([5.0] * 10 + [12.0] * 4), staff(5.0), rules)
    hires = plan["hires_starting"].to_numpy()
    assert hires.max() <= 3 and hires.sum() == 7
    assert np.flatnonzero(hires).tolist() == [8, 9, 10]  # earlier weeks first, then the step
    assert not plan["at_risk_with_hires"].any()
    with pytest.raises(ConfigError, match="max_hires_per_week"):
        CapacityRules(min_hire_batch=5, max_hires_per_week=3)


def test_need_before_plan_week_plus_lead_stays_at_risk_with_hires() -> None:
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=6, ramp_weeks=4)
    plan = capacity_plan(need_frame([5.0] * 3 + [9.0] * 9), staff(5.0), rules)
    risk = plan["at_risk_with_hires"].to_numpy()
    assert risk[3:6].all() and not risk[:3].any()
    assert risk[6:10].all() and not risk[10:].any()  # then the hires ramp up
    assert plan["hires_starting"].to_numpy()[:6].sum() == 0
    assert plan["hires_starting"].sum() == 4  # what the need uses, no heads for the ramp
    summary = hiring_summary(plan).set_index("queue")
    assert summary.loc["q", "weeks_at_risk_with"] == 7
    assert summary.loc["q", "first_start_week"] == START + pd.Timedelta(weeks=6)


def test_an_earlier_plan_week_adds_lead_in_weeks_and_removes_the_risk() -> None:
    rules = CapacityRules(attrition_per_year=0.0, hiring_lead_weeks=6, ramp_weeks=4,
                          plan_week=START - pd.Timedelta(weeks=10))
    plan = capacity_plan(need_frame([5.0] * 3 + [9.0] * 9), staff(5.0), rules)
    assert plan["week"].iloc[0] == rules.plan_week and len(plan) == 22
    assert plan["fte_needed"].to_numpy()[:10].sum() == 0
    assert plan["hires_starting"].sum() == 4
    assert plan.loc[plan["hires_starting"] > 0, "week"].tolist() == [START - pd.Timedelta(weeks=1)]
    assert not plan["at_risk_with_hires"].any()


def test_no_hires_when_the_staff_on_hand_cover() -> None:
    plan = capacity_plan(need_frame([10.0, 12.0, 11.0] * 5), staff(15.0), CapacityRules())
    assert plan["hires_starting"].sum() == 0
    assert not plan["at_risk_without_hires"].any()
    assert np.array_equal(plan["fte_with_hires"], plan["fte_without_hires"])


def test_hires_come_in_whole_batches() -> None:
    rules = CapacityRules(attrition_per_year=0.0, min_hire_batch=5)
    plan = capacity_plan(need_frame([5.0] * 10 + [7.0] * 4), staff(5.0), rules)
    assert plan["hires_starting"].sum() == 5
    assert (plan["hires_starting"] % 5 == 0).all()


def test_hires_are_never_negative_and_more_need_never_means_fewer() -> None:
    rng = np.random.default_rng(7)
    rules = CapacityRules(attrition_per_year=0.4, hiring_lead_weeks=3, ramp_weeks=3)
    for _ in range(60):
        base = rng.uniform(0, 30, 16)
        more = base + rng.uniform(0, 5, 16) * (rng.random(16) < 0.5)
        on_hand = staff(float(rng.uniform(0, 25)))
        low = capacity_plan(need_frame(base), on_hand, rules)
        high = capacity_plan(need_frame(more), on_hand, rules)
        assert (low["hires_starting"] >= 0).all() and (high["hires_starting"] >= 0).all()
        assert high["hires_starting"].sum() >= low["hires_starting"].sum()
        ramped = slice(rules.hiring_lead_weeks + rules.ramp_weeks, None)  # hires ramped up
        covered = ~low["at_risk_with_hires"].to_numpy()[ramped]
        assert not high["at_risk_with_hires"].to_numpy()[ramped][covered].any()


def test_queues_are_planned_apart_and_summarised_with_a_total() -> None:
    need = pd.concat([need_frame([4.0] * 12 + [6.0] * 4, "a"),
                      need_frame([2.0] * 16, "b"), need_frame([1.0] * 16, "c")])
    on_hand = pd.concat([staff(4.0, "a"), staff(3.0, "b"), staff(9.0, "unused")])
    rules = CapacityRules(attrition_per_year=0.0)
    plan = capacity_plan(need, on_hand, rules)
    assert list(plan.columns) == list(PLAN_COLUMNS)
    assert sorted(plan["queue"].unique()) == ["a", "b", "c"]
    summary = hiring_summary(plan).set_index("queue")
    assert summary.loc["a", "hires"] == 2 and summary.loc["b", "hires"] == 0
    assert pd.isna(summary.loc["b", "first_start_week"])
    assert summary.loc["c", "weeks_at_risk_without"] == 16
    assert summary.loc["c", "weeks_at_risk_with"] == 10  # no staff: short until hires ramp up
    assert summary.loc[TOTAL, "hires"] == summary.drop(TOTAL)["hires"].sum()
    assert summary.loc[TOTAL, "weeks_at_risk_without"] == 16
    assert summary.loc[TOTAL, "first_start_week"] == START + pd.Timedelta(weeks=6)
    assert TOTAL not in hiring_summary(plan, total=False)["queue"].tolist()


def test_from_requirements_to_summary() -> None:
    frame = requirements("2026-10-05", "2026-12-28", 20.0, "en_phone")
    agents = read_agents(sample_paths()["agents"])
    rules = CapacityRules(plan_week="2026-08-03")
    plan = capacity_plan(weekly_need(frame, 30, rules.hours_per_fte),
                         headcount(agents, rules.hours_per_fte), rules)
    assert plan["week"].min() == pd.Timestamp("2026-08-03")
    summary = hiring_summary(plan)
    assert summary["hires"].iloc[0] > 0
    # lead time lets hires start on 14 Sep, a week short of a full ramp by 5 Oct: only
    # that first week may be short, rather than bought with heads surplus for all of Q4
    risk = plan.loc[plan["at_risk_with_hires"], "week"].tolist()
    assert set(risk) <= {pd.Timestamp("2026-10-05")}
    peak = plan["fte_needed"].max()  # whole heads replace fractional leavers: a little over
    assert plan["fte_with_hires"].max() <= 1.03 * peak


# validation --------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("hours_per_fte", 0), ("hours_per_fte", 80.0), ("hours_per_fte", float("nan")),
    ("attrition_per_year", 1.0), ("attrition_per_year", -0.1), ("attrition_per_year", "35%"),
    ("hiring_lead_weeks", -1), ("hiring_lead_weeks", 2.5), ("ramp_weeks", -2),
    ("ramp_start", 0.0), ("ramp_start", 1.5), ("min_hire_batch", 0), ("min_hire_batch", True),
    ("plan_week", "2026-09-08"), ("plan_week", "next monday"),
])
def test_a_bad_rule_names_its_key(field: str, value: object) -> None:
    with pytest.raises(ConfigError) as error:
        CapacityRules(**{field: value})
    assert error.value.key == f"staffing.capacity.{field}"
    assert f"staffing.capacity.{field}" in str(error.value)


def test_plan_week_is_read_as_a_monday() -> None:
    assert CapacityRules(plan_week="2026-09-07").plan_week == START
    tz_aware = pd.Timestamp("2026-09-07 00:00", tz=TZ)
    assert CapacityRules(plan_week=tz_aware).plan_week == START
    assert CapacityRules(hiring_lead_weeks=4.0).hiring_lead_weeks == 4


def test_bad_interval_length_names_its_key() -> None:
    with pytest.raises(ConfigError, match=r"staffing\.interval_min"):
        weekly_need(requirements("2026-11-02", "2026-11-03", 1.0), 0)

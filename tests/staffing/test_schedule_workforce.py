"""Shift lengths the team can fill: weekly patterns from contracts, each queue's shares of
paid hours by length, and schedules that keep every day within those shares."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from data import ConfigError, read_agents
from staffing import ScheduleRules, rules_for_team, schedule
from staffing.schedule.rules import ShiftRule
from staffing.schedule.workforce import length_shares, paid_hours, week_pattern

PAID = (4.0, 6.0, 7.5, 9.5)  # the default shifts' paid hours
AGENTS = """agent_id,name,queues,contract_h_week,min_h_week,max_h_week,available_days
A1,Ann,phone,40,40,44,
A2,Bob,phone;chat,24,24,24,Mon-Fri
A3,Cyd,chat,20,20,20,Mon-Thu
"""


@pytest.fixture
def agents(tmp_path) -> pd.DataFrame:
    path = tmp_path / "agents.csv"
    path.write_text(AGENTS, encoding="utf-8")
    return read_agents(path)


def test_default_paid_hours_take_out_unpaid_breaks() -> None:
    assert paid_hours(ScheduleRules()).tolist() == list(PAID)


@pytest.mark.parametrize(("low", "high", "contract", "days"), [
    (40, 44, 40, 5), (32, 36, 32, 5), (24, 24, 24, 5), (20, 20, 20, 5), (24, 24, 24, 4),
    (38, 42, 40, 4)])
def test_a_week_pattern_meets_the_contract_within_the_days(low, high, contract, days) -> None:
    pattern = week_pattern(PAID, low, high, contract, days)
    total = float(np.dot(pattern, PAID))
    assert low <= total <= high and pattern.sum() <= days


def test_a_part_timer_gets_short_shifts_and_an_impossible_week_none() -> None:
    assert week_pattern(PAID, 24, 24, 24, 5).tolist() == [0, 4, 0, 0]
    assert week_pattern(PAID, 50, 60, 50, 5) is None  # five 9.5 h shifts are 47.5 h
    assert week_pattern(PAID, 10, 12, 10, 0) is None


def test_shares_add_the_team_by_its_time_on_the_queue(agents) -> None:
    rules = ScheduleRules()
    phone = length_shares(agents, "phone", rules)
    assert phone.sum() == pytest.approx(1.0)
    # Ann's 40 h all on phone, Bob's 24 h (four 6 h shifts) half on phone
    ann = week_pattern(PAID, 40, 44, 40, 5) * np.array(PAID)
    expected = ann + np.array([0, 24, 0, 0]) / 2
    assert phone == pytest.approx(expected / expected.sum())
    assert length_shares(agents, "email", rules) is None


def test_rules_for_team_band_each_length_around_its_share(agents) -> None:
    rules = ScheduleRules()
    found = rules_for_team(rules, agents, ["chat", "email"], slack=0.1)
    assert found["email"] is rules
    shares = length_shares(agents, "chat", rules)
    for rule, share in zip(found["chat"].shifts, shares, strict=True):
        assert rule.min_share == pytest.approx(max(0, share - 0.1), abs=1e-4)
        assert rule.max_share == pytest.approx(min(1, share + 0.1), abs=1e-4)


def test_share_settings_are_checked_with_their_key() -> None:
    with pytest.raises(ConfigError, match="min_share"):
        ShiftRule(8.0, min_share=0.6, max_share=0.4)
    with pytest.raises(ConfigError, match="min_share"):
        ScheduleRules(shifts=(ShiftRule(4.0, min_share=0.6), ShiftRule(8.0, min_share=0.6)))
    with pytest.raises(ConfigError, match="max_share"):
        ScheduleRules(shifts=(ShiftRule(4.0, max_share=0.3), ShiftRule(8.0, max_share=0.3)))


def week(hours_open: tuple[int, int] = (8, 22)) -> pd.DataFrame:
    ds = pd.date_range("2026-11-02", periods=7 * 48, freq="30min", tz="Europe/Amsterdam")
    hour = ds.hour + ds.minute / 60
    open_ = (hour >= hours_open[0]) & (hour < hours_open[1])
    need = np.where(open_, 4 + 10 * np.exp(-((hour - 13) / 3) ** 2), 0.0)
    return pd.DataFrame({"queue": "q", "ds": ds, "agents_gross": need, "open": open_})


def day_shares(result) -> pd.DataFrame:
    shifts = result.shifts.assign(h=result.shifts["paid_h"] * result.shifts["agents"])
    by_day = shifts.pivot_table(index="day", columns="length_h", values="h", aggfunc="sum",
                                fill_value=0.0)
    return by_day.div(by_day.sum(axis=1), axis=0)


@pytest.mark.parametrize("method", ["windows", "two_phase"])
def test_every_day_keeps_the_shares_of_its_rules(method) -> None:
    plain = ScheduleRules(method=method, time_limit_s=20)
    bounds = {4.0: (0.2, 0.4), 6.0: (0.0, 1.0), 8.0: (0.3, 1.0), 10.0: (0.0, 0.2)}
    shifts = tuple(replace(r, min_share=bounds[r.length_h][0], max_share=bounds[r.length_h][1])
                   for r in plain.shifts)
    shares = day_shares(schedule(week(), replace(plain, shifts=shifts)))
    for length, (low, high) in bounds.items():
        got = shares[length] if length in shares else pd.Series(0.0, index=shares.index)
        assert (got >= low - 1e-6).all() and (got <= high + 1e-6).all(), (length, got)
    unbounded = day_shares(schedule(week(), plain))
    assert (unbounded.get(4.0, 0) < 0.2).any() or (unbounded.get(10.0, 0) > 0.2).any()

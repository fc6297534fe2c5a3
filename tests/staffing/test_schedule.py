"""Shift design: coverage identities, breaks in their windows, shortfall, limits, pins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import ConfigError, InfeasiblePlanError
from staffing.schedule.design import schedule
from staffing.schedule.rules import BreakRule, ScheduleRules, ShiftRule, parse_schedule_rules

ZONE = "Europe/Amsterdam"
EIGHT = ShiftRule(8.0, (BreakRule(30, 3.0, 5.0, False),))
FOUR = ShiftRule(4.0, ())


def need(days: int = 1, start: str = "2026-11-23", queue: str = "q", shape=None,
         interval_min: int = 30) -> pd.DataFrame:
    """A requirement: open 08:00-20:00 every day, `shape` agents per open interval."""
    ds = pd.date_range(start, periods=days * 24 * 60 // interval_min,
                       freq=f"{interval_min}min", tz=ZONE)
    hour = ds.hour + ds.minute / 60
    open_ = (hour >= 8) & (hour < 20)
    level = shape(hour) if shape is not None else 4 + 6 * np.exp(-((hour - 13) / 3) ** 2)
    return pd.DataFrame({"queue": queue, "ds": ds, "agents_gross": np.where(open_, level, 0.0),
                         "open": open_})


def rules(**changes) -> ScheduleRules:
    return ScheduleRules(shifts=(FOUR, EIGHT), time_limit_s=20, gap_rel=0.01, **changes)


def on_duty(result, ds: pd.Series) -> np.ndarray:
    """Agents on duty per interval, rebuilt from the shifts and breaks frames alone."""
    times = pd.DatetimeIndex(ds)
    duty = np.zeros(len(times))
    for row in result.shifts.itertuples():
        duty += row.agents * ((times >= row.start) & (times < row.end))
    for row in result.breaks.itertuples():
        duty -= row.agents * ((times >= row.break_start) & (times < row.break_end))
    return duty


@pytest.mark.parametrize("method", ["two_phase", "exact"])
def test_coverage_is_the_sum_of_shifts_less_breaks(method) -> None:
    frame = need()
    result = schedule(frame, rules(method=method))
    scheduled = result.coverage["scheduled"].to_numpy()
    assert scheduled == pytest.approx(on_duty(result, frame["ds"]))
    assert result.coverage["required"].to_numpy() == pytest.approx(
        np.ceil(frame["agents_gross"].to_numpy() - 1e-9))
    assert result.coverage["gap"].to_numpy() == pytest.approx(
        scheduled - result.coverage["required"].to_numpy())
    assert (result.coverage["gap"] >= -1e-9).all()  # enough headcount: no shortfall
    assert result.shortfall.empty
    solve = result.solves.iloc[0]
    assert solve["status"] in ("optimal", "feasible")
    assert solve["bound"] <= solve["objective"] + 1e-6
    assert solve["gap"] == pytest.approx((solve["objective"] - solve["bound"])
                                         / solve["objective"])


def test_breaks_fall_in_their_windows_and_every_agent_takes_one() -> None:
    result = schedule(need(), rules())
    eights = result.shifts[result.shifts["length_h"] == 8].set_index("shift_id")
    taken = result.breaks.groupby("shift_id")["agents"].sum()
    for shift_id, row in eights.iterrows():
        assert taken[shift_id] == row["agents"]
        mine = result.breaks[result.breaks["shift_id"] == shift_id]
        offset_h = (mine["break_start"] - row["start"]).dt.total_seconds() / 3600
        assert offset_h.between(3.0, 5.0).all()
        assert ((mine["break_end"] - mine["break_start"]) == pd.Timedelta(minutes=30)).all()
    shifts = result.shifts
    assert (shifts["start"].dt.hour >= 8).all()  # inside opening hours
    assert ((shifts["end"] - shifts["start"]).dt.total_seconds() / 3600
            == shifts["length_h"]).all()
    assert shifts.loc[shifts["length_h"] == 8, "paid_h"].eq(7.5).all()


def test_too_few_people_gives_a_shortfall_report_not_a_failure() -> None:
    frame = need(shape=lambda hour: np.full(len(hour), 10.0))
    result = schedule(frame, rules(max_agents_per_day=4))
    assert result.shifts["agents"].sum() <= 4
    short = result.shortfall
    assert len(short) > 0 and (short["agents_short"] > 0).all()
    assert short["agents_short"].max() == pytest.approx(
        10 - result.coverage["scheduled"].min() if result.coverage["scheduled"].min() < 10
        else 0, abs=10)
    assert result.solves["short_agent_intervals"].iloc[0] == pytest.approx(
        short["agents_short"].sum())


def test_shortfall_states_the_service_level_left_for_voice() -> None:
    frame = need(shape=lambda hour: np.full(len(hour), 10.0))
    frame = frame.assign(contacts=np.where(frame["open"], 60.0, 0.0), aht_s=180.0,
                         agents_net=np.where(frame["open"], 7.0, 0.0), model="erlang_c",
                         answer_within_s=20.0, service_level=0.8)
    result = schedule(frame, rules(max_agents_per_day=5))
    short = result.shortfall
    assert "service_level_scheduled" in short
    assert (short["service_level_scheduled"] < 0.8).all()


def test_a_time_limited_solve_says_so() -> None:
    # 15-minute starts for a full week in one second cannot be proven optimal
    frame = need(days=7, interval_min=15)
    result = schedule(frame, ScheduleRules(start_step_min=15, time_limit_s=1, gap_rel=0.0,
                                           method="exact"))
    solve = result.solves.iloc[0]
    assert solve["status"] == "feasible" and solve["gap"] > 0


def test_pinned_shifts_stay_put() -> None:
    frame = need()
    first = schedule(frame, rules())
    # publish two odd shifts the optimiser would not choose, then re-plan
    pins = pd.DataFrame({"queue": "q", "start": pd.to_datetime(
        ["2026-11-23 08:00", "2026-11-23 12:00"]).tz_localize(ZONE),
        "length_h": [8.0, 4.0], "agents": [3, 2]})
    second = schedule(frame, rules(), pinned=pins)
    for pin in pins.itertuples():
        kept = second.shifts[(second.shifts["start"] == pin.start)
                             & (second.shifts["length_h"] == pin.length_h)]
        assert kept["agents"].sum() >= pin.agents and kept["pinned"].sum() == pin.agents
    assert second.solves["objective"].sum() >= first.solves["objective"].sum() - 1e-6
    bad = pins.assign(start=pins["start"] + pd.Timedelta(minutes=10))
    with pytest.raises(InfeasiblePlanError, match="pinned shift"):
        schedule(frame, rules(), pinned=bad)


def test_pins_above_the_day_limit_are_named() -> None:
    pins = pd.DataFrame({"queue": ["q"], "start": [pd.Timestamp("2026-11-23 08:00", tz=ZONE)],
                         "length_h": [8.0], "agents": [9]})
    with pytest.raises(InfeasiblePlanError, match=r"schedule\.max_agents_per_day") as caught:
        schedule(need(), rules(max_agents_per_day=5), pinned=pins)
    assert "2026-11-23" in str(caught.value)


def test_cbc_gives_a_schedule_of_the_same_quality() -> None:
    frame = need()
    highs = schedule(frame, rules(method="exact"))
    cbc = schedule(frame, rules(method="exact", solver="cbc"))
    assert cbc.solves["solver"].iloc[0] == "cbc"
    a, b = highs.solves["objective"].iloc[0], cbc.solves["objective"].iloc[0]
    assert abs(a - b) / a < 0.02
    assert cbc.solves["bound"].iloc[0] <= b + 1e-6


def test_the_daylight_saving_night_keeps_elapsed_lengths() -> None:
    frame = need(start="2026-10-25", shape=lambda hour: np.full(len(hour), 3.0))
    frame["open"] = True
    frame["agents_gross"] = 3.0
    assert len(frame) == 48 - 2 + 2  # 25 hours of half hours less the 2 of 24 h... 48
    result = schedule(frame, rules())
    lengths = (result.shifts["end"] - result.shifts["start"]).dt.total_seconds() / 3600
    assert (lengths == result.shifts["length_h"]).all()
    assert result.shifts["shift_id"].is_unique


@pytest.mark.parametrize(("table", "key"), [
    ({"solver": "gurobi"}, "schedule.solver"),
    ({"method": "fast"}, "schedule.method"),
    ({"shifts": []}, "schedule.shifts"),
    ({"shifts": [{"length_h": 4, "breaks": [{"length_min": 30, "earliest_h": 3.8,
                                              "latest_h": 3.9}]}]},
     "schedule.shifts[0].breaks[0].latest_h"),
    ({"time_limit": 30}, "did you mean 'schedule.time_limit_s"),
    ({"holidays": ["2026-12-25"]}, "schedule.holidays"),
])
def test_bad_rules_name_their_key(table, key) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_schedule_rules(table)
    assert key in str(caught.value)

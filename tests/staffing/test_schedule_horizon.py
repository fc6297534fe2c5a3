"""The rolling horizon: a week sees the next week's first hours, shifts run across Sunday
midnight and count where they work, and one week on its own keeps its shifts inside."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from staffing import ScheduleRules, schedule
from staffing.schedule.rules import BreakRule, ShiftRule

ZONE = "Europe/Amsterdam"
SHIFTS = (ShiftRule(4.0, (BreakRule(15, 1.5, 2.5, True),)),
          ShiftRule(8.0, (BreakRule(30, 3.0, 5.0, False), BreakRule(15, 1.5, 2.5, True))))


def around_the_clock(weeks: int = 2, start: str = "2026-11-02", interval_min: int = 60,
                     queue: str = "q") -> pd.DataFrame:
    """A queue open day and night: 3 agents at night, 8 at the mid-afternoon peak."""
    ds = pd.date_range(start, periods=weeks * 7 * 24 * 60 // interval_min,
                       freq=f"{interval_min}min", tz=ZONE)
    hour = ds.hour + ds.minute / 60
    return pd.DataFrame({"queue": queue, "ds": ds,
                         "agents_gross": 3 + 5 * np.exp(-((hour - 14) / 4) ** 2)})


def rules(**changes) -> ScheduleRules:
    return ScheduleRules(shifts=SHIFTS, time_limit_s=30, **changes)


def rebuilt(result, ds: pd.Series, interval_min: int) -> np.ndarray:
    """Agents on duty per interval from the shifts and breaks frames alone; a break
    shorter than the interval takes its share of it."""
    times = pd.DatetimeIndex(ds)
    step = pd.Timedelta(minutes=interval_min)
    duty = np.zeros(len(times))
    for row in result.shifts.itertuples():
        duty += row.agents * ((times >= row.start) & (times < row.end))
    for row in result.breaks.itertuples():
        overlap = (np.minimum(times + step, row.break_end) - np.maximum(times, row.break_start))
        duty -= row.agents * np.clip(overlap / step, 0, None)
    return duty


@pytest.fixture(scope="module")
def two_weeks():
    frame = around_the_clock()
    return frame, schedule(frame, rules())


def test_shifts_run_across_sunday_midnight_and_count_on_monday(two_weeks) -> None:
    frame, result = two_weeks
    shifts = result.shifts
    start = shifts["start"].dt.tz_convert(ZONE)
    midnight = start.dt.normalize() + pd.Timedelta(days=1)
    crossing = shifts[(start.dt.day_of_week == 6) & (shifts["end"] > midnight)]
    assert len(crossing) > 0
    assert set(crossing["day"].astype(str)) == {"2026-11-08"}  # the week they start in
    scheduled = result.coverage["scheduled"].to_numpy()
    assert scheduled == pytest.approx(rebuilt(result, frame["ds"], 60))
    monday = result.coverage[result.coverage["ds"] == pd.Timestamp("2026-11-09 00:00",
                                                                    tz=ZONE)]
    carried = crossing[(crossing["start"] <= monday["ds"].iloc[0])
                       & (crossing["end"] > monday["ds"].iloc[0])]["agents"].sum()
    assert monday["scheduled"].iloc[0] >= carried - 1  # at most one of them on a break


def test_every_week_states_its_gap_and_the_weeks_add_up(two_weeks) -> None:
    frame, result = two_weeks
    solves = result.solves
    assert list(solves["week"].astype(str)) == ["2026-11-02", "2026-11-09"]
    assert set(solves["status"]) <= {"optimal", "feasible"}
    assert (solves["bound"] <= solves["objective"] + 1e-6).all()
    assert len(result.coverage) == len(frame)
    assert result.coverage["ds"].is_unique
    assert int(result.shifts["agents"].sum()) == int(solves["shifts"].sum())


def test_weeks_apart_keep_their_shifts_inside(two_weeks) -> None:
    frame, _ = two_weeks
    apart = schedule(frame, rules(lookahead_h=0.0))
    last = apart.shifts.groupby("day")["end"].max()
    for day, end in last.items():
        if pd.Timestamp(day).day_of_week == 6:
            assert end <= pd.Timestamp(day, tz=ZONE) + pd.Timedelta(days=1)


def test_one_week_alone_ends_by_sunday_midnight() -> None:
    frame = around_the_clock(weeks=1)
    result = schedule(frame, rules())
    assert result.shifts["end"].max() <= frame["ds"].max() + pd.Timedelta(hours=1)


def test_a_gap_in_the_data_stops_the_lookahead() -> None:
    """A week that does not follow on from the last one starts afresh: nothing carried."""
    frame = around_the_clock(weeks=3)
    cut = frame[(frame["ds"] < pd.Timestamp("2026-11-09", tz=ZONE))
                | (frame["ds"] >= pd.Timestamp("2026-11-16", tz=ZONE))]
    result = schedule(cut, rules())
    ends = result.shifts["end"]
    assert not ((ends > pd.Timestamp("2026-11-09", tz=ZONE))
                & (result.shifts["start"] < pd.Timestamp("2026-11-09", tz=ZONE))).any()
    assert len(result.coverage) == len(cut)


def test_the_daylight_saving_week_keeps_elapsed_lengths() -> None:
    frame = around_the_clock(weeks=2, start="2026-10-19")
    result = schedule(frame, replace(rules(), lookahead_h=12.0))
    lengths = (result.shifts["end"] - result.shifts["start"]).dt.total_seconds() / 3600
    assert (lengths == result.shifts["length_h"]).all()
    assert result.shifts["shift_id"].is_unique
    assert result.coverage["scheduled"].to_numpy() == pytest.approx(
        rebuilt(result, frame["ds"], 60))

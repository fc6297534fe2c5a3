"""Rostering: every hard rule holds (each case is built so that ignoring the rule would
fill the seat), the independent checker catches hand-made violations, seats and breaks
round-trip, reports add up, preferences count when there is slack, and it scales."""

from __future__ import annotations

import time
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from data.agents import read_agents
from data.errors import ConfigError, DataError
from data.sample import sample_paths
from staffing.roster import (
    RosterRules,
    burnout_report,
    check_roster,
    fairness_spread,
    fairness_table,
    roster,
)
from staffing.roster.build import build
from staffing.roster.check import RULES
from staffing.roster.prep import eligible, eligible_one, prepare_problem

TZ = "Europe/Amsterdam"
MONDAY = date(2026, 10, 5)
Q = "en_phone"


def shifts_for(days, starts_h, length_h=8.0, agents=1, queue=Q, paid_h=None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shifts on MONDAY + each day offset at each start hour; each has two breaks:
    break 0 mid-shift in two slots (half the agents each), break 1 later for all."""
    grid = pd.MultiIndex.from_product([list(days), list(starts_h)]).to_frame(index=False)
    day = [MONDAY + timedelta(days=int(d)) for d in grid[0]]
    start = pd.DatetimeIndex(pd.to_datetime(day) + pd.to_timedelta(grid[1], unit="h")
                             ).tz_localize(TZ)
    ids = [f"{queue}-{d:%Y%m%d}-{h:g}-{length_h:g}h" for d, h in zip(day, grid[1], strict=True)]
    shifts = pd.DataFrame({"queue": queue, "shift_id": ids, "day": day, "start": start,
                           "end": start + pd.Timedelta(hours=length_h), "length_h": length_h,
                           "paid_h": length_h - 0.5 if paid_h is None else paid_h,
                           "breaks": "", "agents": agents})
    half, mid = agents // 2, start + pd.Timedelta(hours=length_h / 2)
    slots = [(0, mid, agents - half), (0, mid + pd.Timedelta(minutes=30), half),
             (1, start + pd.Timedelta(hours=length_h * 0.8), agents)]
    breaks = pd.concat([pd.DataFrame({"queue": queue, "shift_id": ids, "break_no": no,
                                      "break_start": at, "break_end": at + pd.Timedelta(
                                          minutes=15), "paid": no == 1, "agents": count})
                        for no, at, count in slots if count] or [pd.DataFrame()],
                       ignore_index=True)
    return shifts, breaks


def join(*parts: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (pd.concat([p[0] for p in parts], ignore_index=True),
            pd.concat([p[1] for p in parts], ignore_index=True))


def agent(agent_id: str, **changes) -> dict:
    row = {"agent_id": agent_id, "name": f"Agent {agent_id}", "team": "T1", "queues": (Q,),
           "contract_h_week": 40.0, "min_h_week": 0.0, "max_h_week": 60.0,
           "available_days": tuple(range(7)), "earliest_start_min": 0, "latest_end_min": 1440,
           "unavailable": (), "preferences": ()}
    return row | changes


def agents_frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


FREE = RosterRules(min_rest_h=0, max_consecutive_days=14, min_days_off_per_week=0)
"""Rules that only forbid what one case is about (set the field under test back)."""


def run(parts, agents, rules: RosterRules | None = None):
    shifts, breaks = parts
    rules = rules or RosterRules()
    result = roster(shifts, breaks, agents, rules)
    violations = check_roster(result.assignments, agents, rules)
    assert violations.empty, violations.to_string()
    return result


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


# --- the checker ------------------------------------------------------------------------------

def assignment(agent_id="A", day=0, hour=9.0, length_h=8.0, queue=Q) -> dict:
    start = (pd.Timestamp(MONDAY + timedelta(days=day)) + pd.Timedelta(hours=hour)
             ).tz_localize(TZ)
    return {"agent_id": agent_id, "date": MONDAY + timedelta(days=day), "start": start,
            "end": start + pd.Timedelta(hours=length_h), "queue": queue,
            "paid_h": length_h - 0.5}


PLAIN = RosterRules()
VIOLATIONS = {  # rule: (assignments, the agent's changes, rules)
    "unknown_agent": ([assignment("Z")], {}, PLAIN),
    "skill": ([assignment(queue="ja_chat")], {}, PLAIN),
    "available_days": ([assignment(day=4)], {"available_days": (0, 1, 2, 3)}, PLAIN),
    "unavailable": ([assignment(day=3)], {"unavailable": (MONDAY + timedelta(days=3),)}, PLAIN),
    "earliest_start": ([assignment(hour=5)], {"earliest_start_min": 6 * 60}, PLAIN),
    "latest_end": ([assignment(hour=14)], {"latest_end_min": 21 * 60}, PLAIN),
    "one_shift_per_day": ([assignment(hour=6, length_h=4), assignment(hour=16, length_h=4)],
                          {}, FREE),
    "overlap": ([assignment(hour=20), assignment(day=1, hour=2)], {}, FREE),
    "min_rest": ([assignment(hour=12), assignment(day=1, hour=6)], {}, PLAIN),
    "max_consecutive_days": ([assignment(day=d) for d in (0, 1, 2)], {},
                             RosterRules(max_consecutive_days=2)),
    "min_days_off": ([assignment(day=d) for d in range(6)], {},
                     RosterRules(max_consecutive_days=7)),
    "max_h_week": ([assignment(day=d, length_h=10) for d in (0, 1)], {"max_h_week": 18.0},
                   PLAIN),
    "max_weekend_shifts": ([assignment(day=d) for d in (5, 6)], {},
                           RosterRules(max_weekend_shifts=1)),
    "max_peak_day_shifts": ([assignment(day=0)], {},
                            RosterRules(peak_days=(MONDAY,), max_peak_day_shifts=0)),
}


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_check_roster_catches(rule) -> None:
    rows, changes, rules = VIOLATIONS[rule]
    found = check_roster(pd.DataFrame(rows), agents_frame(agent("A", **changes)), rules)
    assert found["rule"].tolist() == [rule], found.to_string()
    assert set(RULES) == set(VIOLATIONS)


def test_check_roster_passes_a_clean_roster() -> None:
    rows = pd.DataFrame([assignment(day=d) for d in (0, 1, 2, 3, 4)])
    assert check_roster(rows, agents_frame(agent("A")), RosterRules()).empty


# --- round trips, breaks, determinism --------------------------------------------------------

def small_centre(seed: int = 0, n: int = 12) -> tuple[tuple, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    queues = (Q, "en_chat")
    people = agents_frame(*[agent(
        f"A{i:02d}", queues=queues[: 1 + i % 2] if i % 3 else ("en_chat",),
        contract_h_week=float(rng.choice([24, 32, 40])), max_h_week=44.0,
        preferences=(("no_nights",), (), ("early",))[i % 3]) for i in range(n)])
    parts = join(shifts_for(range(14), [7, 13], agents=2), shifts_for(range(14), [22]),
                 shifts_for(range(14), [9], agents=3, queue="en_chat"))
    return parts, people


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


# --- the sample agents and scale ----------------------------------------------------------

def centre_shifts(queue_agents: pd.Series, first: date, n_days: int, fill: float
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four templates a day per queue with seats in proportion to the queue's agents."""
    shape = {7: 0.3, 9: 0.3, 14: 0.3, 22: 0.1}
    parts = []
    for queue, count in queue_agents.items():
        for hour, share in shape.items():
            seats = round(count * fill * share)
            if seats:
                parts.append(_days(queue, first, n_days, hour, seats))
    return join(*parts)


def _days(queue, first, n_days, hour, seats):
    offset = (first - MONDAY).days
    return shifts_for(range(offset, offset + n_days), [hour], agents=seats, queue=queue)


def test_sample_agents_two_weeks() -> None:
    people = read_agents(sample_paths()["agents"])
    per_queue = people["queues"].explode().value_counts() / people["queues"].map(len).mean()
    shifts, breaks = centre_shifts(per_queue, date(2026, 11, 23), 14, fill=0.55)
    result = run((shifts, breaks), people)
    assert result.seats_unfilled <= 0.02 * shifts["agents"].sum()
    assert set(result.burnout["agent_id"]) == set(people["agent_id"])


def synthetic_agents(n: int, queues: list[str], seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    prefs = [(), ("no_nights",), ("nights",), ("early",), ("late",), ("no_weekends",)]
    rows = []
    for i in range(n):
        contract = float(rng.choice([24, 32, 36, 40, 40, 40]))
        off = rng.choice(91, size=int(rng.integers(0, 6)), replace=False)
        rows.append(agent(
            f"S{i:04d}", team=f"T{i % 20}", contract_h_week=contract, min_h_week=contract,
            max_h_week=contract + 4 if contract >= 32 else contract,
            queues=tuple(sorted(rng.choice(queues, size=int(rng.integers(1, 4)),
                                           replace=False))),
            available_days=tuple(range(5)) if i % 10 == 0 else tuple(range(7)),
            earliest_start_min=420 if i % 7 == 0 else 0,
            latest_end_min=1200 if i % 9 == 0 else 1440,
            unavailable=tuple(sorted(date(2026, 10, 1) + timedelta(int(x)) for x in off)),
            preferences=prefs[int(rng.integers(len(prefs)))]))
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_five_hundred_agents_thirteen_weeks() -> None:
    queues = [f"q{k}" for k in range(10)]
    people = synthetic_agents(500, queues)
    per_queue = people["queues"].explode().value_counts() / people["queues"].map(len).mean()
    shifts, breaks = centre_shifts(per_queue, date(2026, 10, 1), 91, fill=0.62)
    began = time.perf_counter()
    result = roster(shifts, breaks, people)
    seconds = time.perf_counter() - began
    assert shifts["agents"].sum() > 25_000
    assert check_roster(result.assignments, people).empty
    assert result.seats_unfilled <= 0.01 * shifts["agents"].sum()
    assert seconds < 60, seconds  # generous: about 5 s on a laptop


def test_daylight_saving_night() -> None:
    """Clocks go back on 25 Oct 2026: a night from 22:00 lasts 8 h and ends at 05:00, so
    a 16:00 start leaves 11 h of rest and a 15:00 start only 10 h."""
    night = shifts_for([19], [22])
    people = agents_frame(agent("A"))
    assert run(join(night, shifts_for([20], [16])), people).seats_unfilled == 0
    assert run(join(night, shifts_for([20], [15])), people).seats_unfilled == 1

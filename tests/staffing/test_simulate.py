"""The staffing formulas replayed by discrete-event simulation (`staffing.queueing.simulate`).

Steady state checks the formulas themselves (Erlang C, Erlang A, chat slots); a day
with a shape checks interval-by-interval staffing, where queues carry over boundaries;
real bank arrivals check it against arrivals nobody modelled. Seeds are fixed, so every
number here is reproducible; the tolerances are a few standard errors of the estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from staffing.queueing.backlog import backlog_agents
from staffing.queueing.chat import chat_agents, chat_measures
from staffing.queueing.erlang import agents_for_target, erlang_c, service_level
from staffing.queueing.erlang_a import agents_for_target_a, erlang_a
from staffing.queueing.simulate import (
    _chat_starts,
    _fifo_starts,
    arrivals_from_counts,
    poisson_arrivals,
    simulate_backlog,
    simulate_chat,
    simulate_voice,
)

HALF_HOUR = 1800.0
TARGET, WITHIN = 0.8, 20.0
DAY_TOLERANCE = 0.03
"""A day's contact-weighted service level may fall this far below the target."""


def steady(load: float, agents: int, aht_s: float, seed: int, *, patience_s=None,
           calls: int = 300_000, chat: tuple[int, float] | None = None) -> pd.Series:
    """Totals of a long run at constant Poisson load (Erlangs) and constant staffing."""
    per_interval = load * HALF_HOUR / aht_s
    rng = np.random.default_rng(seed)
    arrivals = poisson_arrivals(np.full(round(calls / per_interval), per_interval),
                                HALF_HOUR, rng)
    staffed = np.full(round(calls / per_interval), agents)
    if chat:
        return simulate_chat(arrivals, staffed, HALF_HOUR, aht_s, *chat, WITHIN, rng=rng).totals
    return simulate_voice(arrivals, staffed, HALF_HOUR, aht_s, WITHIN, patience_s,
                          rng=rng).totals


def pooled(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Per-interval counts summed over runs, with the pooled shares."""
    columns = [c for c in ("offered", "answered_within", "abandoned") if c in frames[0]]
    total = sum(f[columns] for f in frames)
    return total.assign(**{share: total[count] / total["offered"] for share, count in (
        ("service_level", "answered_within"), ("abandon_rate", "abandoned"))
        if count in total})


def day_share(frame: pd.DataFrame, column: str = "answered_within") -> float:
    return float(frame[column].sum() / frame["offered"].sum())


# --- steady state: the formulas ---------------------------------------------------------

@pytest.mark.parametrize(("load", "agents", "aht_s", "tolerance"), [
    (10.0, 14, 180.0, 0.015),  # 300,000 calls: standard error 0.4 points over seeds
    (30.0, 35, 240.0, 0.02),   # 86% busy, slower to mix: standard error 0.6 points
])
def test_voice_steady_state_matches_erlang_c(load, agents, aht_s, tolerance) -> None:
    totals = steady(load, agents, aht_s, seed=11)
    assert totals["offered"] > 290_000 and totals["abandoned"] == 0
    assert totals["service_level"] == pytest.approx(
        float(service_level(load, agents, aht_s, WITHIN)), abs=tolerance)
    assert totals["wait_probability"] == pytest.approx(float(erlang_c(load, agents)),
                                                       abs=tolerance)


def test_the_classic_example_in_numbers() -> None:
    """10 Erlangs, 180 s, 14 agents, 20 s: Erlang C says 0.888 and P(wait) 0.174."""
    totals = steady(10.0, 14, 180.0, seed=1)
    assert abs(totals["service_level"] - 0.888) < 0.015
    assert abs(totals["wait_probability"] - 0.174) < 0.015


@pytest.mark.parametrize(("load", "agents", "patience_s"), [
    (10.0, 14, 120.0),  # comfortable
    (10.0, 10, 180.0),  # at full load: only abandonment keeps it stable
    (20.0, 16, 60.0),   # overloaded, n < load
])
def test_voice_with_abandonment_matches_erlang_a(load, agents, patience_s) -> None:
    totals = steady(load, agents, 180.0, seed=5, patience_s=patience_s)
    model = erlang_a(load, agents, 180.0, patience_s, WITHIN)
    assert totals["service_level"] == pytest.approx(float(model.service_level), abs=0.015)
    assert totals["abandon_rate"] == pytest.approx(float(model.abandon_rate), abs=0.01)
    assert totals["wait_probability"] == pytest.approx(float(model.wait_probability),
                                                       abs=0.015)
    assert totals["mean_wait_s"] == pytest.approx(float(model.average_wait_s), rel=0.06)


def test_chat_without_slowdown_is_erlang_c_on_slots() -> None:
    """One chat each is M/M/n; two chats each with no slowdown are 2n plain servers."""
    single = steady(10.0, 14, 180.0, seed=3, calls=200_000, chat=(1, 0.0))
    assert single["service_level"] == pytest.approx(float(service_level(10, 14, 180, WITHIN)),
                                                    abs=0.015)
    double = steady(12.0, 8, 180.0, seed=4, calls=200_000, chat=(2, 0.0))
    assert double["service_level"] == pytest.approx(float(service_level(12, 16, 180, WITHIN)),
                                                    abs=0.015)


def test_chat_slot_model_is_on_the_safe_side_in_steady_state() -> None:
    """Agents with fewer chats than their concurrency work faster than the slot model's
    slowed-down servers, so the real queue does at least as well."""
    contacts = 15.0 * HALF_HOUR / 180  # 15 Erlangs of solo work
    model = chat_measures(contacts, 180.0, HALF_HOUR, 10, 3, 0.2, WITHIN)[0]
    totals = steady(15.0, 10, 180.0, seed=6, calls=80_000, chat=(3, 0.2))
    assert totals["service_level"] >= float(model) - 0.005  # 0.992 against 0.979


# --- a day with a shape: staffing interval by interval -----------------------------------

def day_counts(total: float, opens: float = 7.0, closes: float = 22.0) -> np.ndarray:
    """Expected contacts per half hour: a morning peak near 10:30, an afternoon one near
    14:30, closed outside [opens, closes)."""
    hour = (np.arange(48) + 0.5) / 2
    shape = 0.3 + np.exp(-((hour - 10.5) / 1.8) ** 2) + 0.8 * np.exp(-((hour - 14.5) / 2.2) ** 2)
    shape = np.where((hour > opens) & (hour < closes), shape, 0.0)
    return total * shape / shape.sum()


def replay_day(counts, agents, seeds, *, aht_s=300.0, patience_s=None) -> pd.DataFrame:
    frames = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        arrivals = poisson_arrivals(counts, HALF_HOUR, rng)
        frames.append(simulate_voice(arrivals, agents, HALF_HOUR, aht_s, WITHIN, patience_s,
                                     rng=rng).intervals)
    return pooled(frames)


def test_erlang_c_staffing_meets_the_target_over_a_day() -> None:
    """20,000 calls of 300 s, up to 215 agents, 40 simulated days. The day meets the target
    (0.795 pooled); intervals do not: while the load rises they beat it (0.87 to 0.95), and
    while it falls the queue left by the busier interval before meets fewer agents
    (0.54 to 0.77), the known lag of staffing each interval as if it were steady."""
    counts = day_counts(20_000)
    agents = agents_for_target(counts * 300 / HALF_HOUR, 300, TARGET, WITHIN)
    pool = replay_day(counts, agents, range(40))
    assert day_share(pool) >= TARGET - DAY_TOLERANCE
    busy = pool[pool["offered"] > 0]
    assert busy["service_level"].min() >= 0.45  # no interval collapses on average
    rising = np.flatnonzero(np.diff(counts) > 50) + 1
    assert pool["service_level"].iloc[rising].min() >= TARGET - 0.05


def test_erlang_a_staffing_meets_the_target_over_a_day() -> None:
    """Staffed for Erlang A (patience 300 s): fewer agents than Erlang C, the target still
    met over the day, and the abandonment Erlang A predicts (2.8%) within a point."""
    counts = day_counts(20_000)
    load = counts * 300 / HALF_HOUR
    agents = agents_for_target_a(load, 300, 300, TARGET, WITHIN)
    assert agents.sum() < agents_for_target(load, 300, TARGET, WITHIN).sum()
    pool = replay_day(counts, agents, range(40), patience_s=300.0)
    assert day_share(pool) >= TARGET - DAY_TOLERANCE
    predicted = float(np.sum(erlang_a(load, agents, 300, 300, WITHIN).abandon_rate * counts)
                      / counts.sum())
    assert day_share(pool, "abandoned") == pytest.approx(predicted, abs=0.01)
    assert pool.loc[pool["offered"] > 0, "service_level"].min() >= 0.5


def test_chat_slot_staffing_meets_the_target_over_a_day() -> None:
    """6,000 chats of 300 s solo work, 3 at once with 20% slowdown each, 80% in 30 s."""
    counts = day_counts(6_000, opens=8.0)
    agents = chat_agents(counts, 300, HALF_HOUR, 3, 0.2, TARGET, 30)
    frames = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        arrivals = poisson_arrivals(counts, HALF_HOUR, rng)
        frames.append(simulate_chat(arrivals, agents, HALF_HOUR, 300, 3, 0.2, 30,
                                    rng=rng).intervals)
    simulated = day_share(pooled(frames))
    model = chat_measures(counts, 300, HALF_HOUR, agents, 3, 0.2, 30)[0]
    assert simulated >= TARGET - DAY_TOLERANCE
    assert simulated >= float(np.sum(model * counts) / counts.sum()) - DAY_TOLERANCE


# --- email: backlog over closed hours ---------------------------------------------------

WEEK = 7 * 48


def email_weeks(weeks: int = 3, per_weekday: float = 800) -> tuple[np.ndarray, np.ndarray]:
    """Emails per half hour arriving around the clock (weekends at half rate; weeks start
    on Monday 00:00) and the opening hours Monday to Friday 08:00-18:00."""
    index = np.arange(weeks * WEEK)
    hour, weekday = (index % 48 + 0.5) / 2, index // 48 % 7
    shape = 0.3 + np.exp(-((hour - 11) / 3) ** 2) + 0.6 * np.exp(-((hour - 20) / 2) ** 2)
    shape = shape * np.where(weekday < 5, 1.0, 0.5)
    is_open = (weekday < 5) & (hour >= 8) & (hour < 18)
    return np.round(per_weekday * shape / shape[:48].sum()), is_open


def even_arrivals(counts: np.ndarray) -> np.ndarray:
    slot = np.repeat(np.arange(len(counts)), counts.astype(np.int64))
    within = np.concatenate([(np.arange(c) + 0.5) / c for c in counts.astype(np.int64)])
    return (slot + within) * HALF_HOUR


AHT_EMAIL, RESPOND, EMAIL_TARGET = 420.0, 8 * 3600.0, 0.9
FRI_CLOSE, MON_OPEN, MON_CLOSE = 4 * 48 + 35, WEEK + 16, WEEK + 35  # last interval before


def test_backlog_replay_reproduces_the_plan_and_carries_over_the_weekend() -> None:
    """Even arrivals and fixed handle times: the simulated backlog follows the plan's to
    within the emails in hand, nothing is worked while closed, and Friday's backlog is
    there on Monday morning with the weekend's mail on top, then worked down."""
    counts, is_open = email_weeks()
    plan = backlog_agents(counts, AHT_EMAIL, HALF_HOUR, is_open, RESPOND, EMAIL_TARGET)
    sim = simulate_backlog(even_arrivals(counts), plan.agents, HALF_HOUR, is_open, AHT_EMAIL,
                           RESPOND, rng=0, fixed_handle=True).intervals
    assert np.max(np.abs(sim["backlog"] - plan.backlog)) <= plan.agents.max() + 1
    assert sim.loc[~is_open, "handled"].sum() == 0
    backlog = sim["backlog"].to_numpy()
    assert backlog[FRI_CLOSE] > 0  # small: the level pace works ahead for Monday's pile
    weekend = counts[FRI_CLOSE + 1: MON_OPEN].sum()
    assert backlog[MON_OPEN - 1] == backlog[FRI_CLOSE] + weekend > 1000
    assert sim["handled"].iloc[MON_OPEN: MON_CLOSE + 1].sum() > backlog[MON_OPEN - 1]
    assert backlog[MON_CLOSE] < 0.3 * backlog[MON_OPEN - 1]


def test_email_plan_meets_its_response_target_in_simulation() -> None:
    """Poisson mail, exponential handle times, 90% promised within 8 open hours: the
    steady middle week and the first two weeks meet it (0.95 measured), and so does the
    weekend's mail, waiting 14 to 62 real hours for Monday, because its clock starts at
    the opening."""
    counts, is_open = email_weeks()
    plan = backlog_agents(counts, AHT_EMAIL, HALF_HOUR, is_open, RESPOND, EMAIL_TARGET)
    frames = []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        arrivals = poisson_arrivals(counts, HALF_HOUR, rng)
        frames.append(simulate_backlog(arrivals, plan.agents, HALF_HOUR, is_open, AHT_EMAIL,
                                       RESPOND, rng=rng).intervals)
    pool = pooled(frames)
    assert day_share(pool.iloc[WEEK: 2 * WEEK]) >= EMAIL_TARGET - DAY_TOLERANCE
    assert day_share(pool.iloc[: 2 * WEEK]) >= EMAIL_TARGET - DAY_TOLERANCE
    for week in (0, WEEK):
        weekend = slice(week + FRI_CLOSE + 1, week + MON_OPEN)
        assert day_share(pool.iloc[weekend]) >= EMAIL_TARGET - DAY_TOLERANCE
        assert all(f["backlog"].iloc[week + FRI_CLOSE] > 0 for f in frames)
        assert all(f["handled"].iloc[weekend].sum() == 0 for f in frames)


def test_a_pile_waiting_at_the_opening_is_planned_as_it_is_replayed() -> None:
    counts, is_open = [20, 0, 0, 0], [False, True, True, True]
    plan = backlog_agents(counts, 360, 3600, is_open, 3600, 1.0)
    arrivals = (np.arange(20) + 0.5) / 20 * 3600  # all before the opening at 3600 s
    sim = simulate_backlog(arrivals, plan.agents, 3600, is_open, 360, 3600, rng=0,
                           fixed_handle=True).totals
    assert sim["service_level"] == pytest.approx(plan.within_target[0], abs=0.05)
    assert sim["mean_response_s"] == pytest.approx(plan.response_s[0], rel=0.1)


# --- real arrivals: a US bank, 2003 -----------------------------------------------------

BANK_AHT = 300.0  # assumed: the published series has counts only, no handle times


def bank_day(folder, day: str) -> np.ndarray:
    """The 168 five-minute call counts of one day, 07:00 to 20:55 (the lone 21:00 stamp
    would be a 5-minute half hour and is left out)."""
    frame = pd.read_csv(folder / "us_bank_calls_2003_5min.csv", parse_dates=["DateTime"])
    stamps = frame["DateTime"]
    rows = frame[(stamps.dt.normalize() == pd.Timestamp(day)) & (stamps.dt.hour < 21)]
    assert len(rows) == 168, day
    return rows["Calls"].to_numpy()


@pytest.mark.realdata
@pytest.mark.parametrize("day", ["2003-03-03", "2003-06-11", "2003-10-17"])
def test_real_bank_day_staffed_by_erlang_c_and_a(realdata, day) -> None:
    """Staffed per half hour from the day's actual counts (a perfect forecast), replayed
    with the actual 5-minute counts, so the arrivals' real unevenness within each half
    hour is in. Erlang C days measured 0.82 to 0.83, Erlang A (patience 600 s) 0.80 to
    0.84, abandonment within half a point of Erlang A's."""
    five = bank_day(realdata, day)
    half = five.reshape(28, 6).sum(axis=1)
    load = half * BANK_AHT / HALF_HOUR
    plans = {None: agents_for_target(load, BANK_AHT, TARGET, WITHIN),
             600.0: agents_for_target_a(load, BANK_AHT, 600.0, TARGET, WITHIN)}
    for patience_s, agents in plans.items():
        frames = []
        for seed in range(8):
            rng = np.random.default_rng(seed)
            arrivals = arrivals_from_counts(five, 300, rng)
            frames.append(simulate_voice(arrivals, agents, HALF_HOUR, BANK_AHT, WITHIN,
                                         patience_s, rng=rng).intervals)
        pool = pooled(frames)
        assert pool["offered"].sum() == 8 * five.sum()
        assert day_share(pool) >= TARGET - DAY_TOLERANCE, (day, patience_s)
        if patience_s:
            model = erlang_a(load, agents, BANK_AHT, patience_s, WITHIN).abandon_rate
            assert day_share(pool, "abandoned") == pytest.approx(
                float(np.sum(model * half) / half.sum()), abs=0.005)


# --- mechanics ---------------------------------------------------------------------------

def test_fewer_agents_finish_their_calls_before_anyone_new_starts() -> None:
    """2 agents then 1 from t = 10: the third call waits until both busy agents are done
    (t = 31), not just one (t = 15); with a deadline of 20 it abandons instead."""
    arrivals = np.array([0.0, 1.0, 11.0, 12.0])
    work = np.array([15.0, 30.0, 5.0, 5.0])
    agents = np.array([2, 1])
    starts = _fifo_starts(arrivals, work, np.full(4, np.inf), agents, 10.0)
    assert starts.tolist() == [0.0, 1.0, 31.0, 36.0]
    deadlines = np.array([np.inf, np.inf, 20.0, np.inf])
    starts = _fifo_starts(arrivals, work, deadlines, agents, 10.0)
    assert starts.tolist() == [0.0, 1.0, np.inf, 31.0]


def test_an_unstaffed_interval_holds_calls_until_the_next() -> None:
    result = simulate_voice([10.0, 150.0], [1, 0, 1], 100.0, 1e-6, 20, rng=0)
    assert result.intervals["mean_wait_s"].tolist()[:2] == pytest.approx([0.0, 50.0])
    assert result.intervals["service_level"].tolist()[:2] == [1.0, 0.0]


def test_callers_hang_up_when_nobody_comes() -> None:
    result = simulate_voice([0.0, 1.0], [1], 1800, 1e9, 20, patience_s=30, rng=0)
    totals = result.totals
    assert totals[["answered", "abandoned", "waited"]].tolist() == [1.0, 1.0, 1.0]
    assert 0 < totals["mean_wait_s"] < 1e6


def test_chats_slow_each_other_down() -> None:
    """One agent, 2 chats at most, 50% slower each with two: chat 0 (10 s of work) has
    done 2 s when chat 1 joins, so finishes 8 x 1.5 = 12 s later, at 14, when chat 2
    starts; chat 2 (1 s) then finishes at 15.5 and chat 3 starts."""
    starts = _chat_starts(np.array([0.0, 2.0, 3.0, 3.5]), np.array([10.0, 10.0, 1.0, 1.0]),
                          np.array([1]), 1800.0, 2, 0.5)
    assert starts.tolist() == pytest.approx([0.0, 2.0, 14.0, 15.5])


def test_arrivals_from_counts_are_exact_and_within_their_slot() -> None:
    counts = np.array([3, 0, 5, 1])
    times = arrivals_from_counts(counts, 300, rng=2)
    assert np.all(np.diff(times) >= 0)
    assert np.bincount((times // 300).astype(int), minlength=4).tolist() == counts.tolist()
    with pytest.raises(ValueError, match=r"^counts: .*whole numbers"):
        arrivals_from_counts([1.5], 300, rng=0)


def test_poisson_arrivals_have_the_expected_count() -> None:
    times = poisson_arrivals(np.full(100, 50.0), 1800, rng=3)
    assert abs(times.size - 5000) < 4 * np.sqrt(5000)
    assert times.max() < 100 * 1800


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^arrival_times_s: .*sorted"):
        simulate_voice([5.0, 1.0], [1], 1800, 180, 20, rng=0)
    with pytest.raises(ValueError, match=r"^arrival_times_s: .*sorted"):
        simulate_voice([1900.0], [1], 1800, 180, 20, rng=0)
    with pytest.raises(ValueError, match=r"^agents_per_interval: .*whole number"):
        simulate_voice([1.0], [1.5], 1800, 180, 20, rng=0)
    with pytest.raises(ValueError, match=r"^open_: never open"):
        simulate_backlog([1.0], [1], 1800, [False], 300, 3600, rng=0)


def test_same_seed_same_result() -> None:
    counts = day_counts(3_000)
    agents = agents_for_target(counts * 300 / HALF_HOUR, 300, TARGET, WITHIN)
    chat = chat_agents(counts, 300, HALF_HOUR, 2, 0.2, TARGET, 30)
    arrivals = poisson_arrivals(counts, HALF_HOUR, rng=9)
    assert np.array_equal(arrivals, poisson_arrivals(counts, HALF_HOUR, rng=9))
    runs = {
        "voice": lambda seed: simulate_voice(arrivals, agents, HALF_HOUR, 300, WITHIN, 200.0,
                                             rng=seed),
        "chat": lambda seed: simulate_chat(arrivals, chat, HALF_HOUR, 300, 2, 0.2, 30,
                                           rng=seed),
        "email": lambda seed: simulate_backlog(arrivals, agents, HALF_HOUR, counts > 0, 300,
                                               3600, rng=seed),
    }
    for name, run in runs.items():
        first, again, other = run(7), run(np.random.default_rng(7)), run(8)
        pd.testing.assert_frame_equal(first.intervals, again.intervals, obj=name)
        pd.testing.assert_series_equal(first.totals, again.totals, obj=name)
        assert not first.intervals.equals(other.intervals), name

"""A season a manager can publish (issue 14): 13 weeks of a 24/7 voice queue and an
08:00-22:00 chat queue at 30-minute intervals, scheduled by `run_schedule` (the default
rules, the queue-weeks side by side in one process per core) and rostered by
`staffing.roster` for about 260 agents, audited by `check_roster`.

Agents (`make_agents`): contracts of 40 h (min 32, max 44), 32 h (min 26, max 36) and 24
h (min 20, max 28) a week; skilled on voice, chat or both; some on weekdays only, some
with an early window (ending by 18:00) or a late one (starting from 12:00), a few days of
leave each. The requirement's weekly agent-hours are sized to the team's contract hours:
quiet in October, about the contracts in November and a peak above them around Black
Friday (the short weeks, where the roster proposes overtime).

Two designs: the default rules, and `schedule.fit_contracts` (shift-length shares derived
from the agents' contracts). Reported for each: schedule wall time and worst gap to the
bound per queue-week; roster wall time;
hard-rule violations; seats unfilled; the required agent-intervals the rostered agents
leave uncovered (`benchmarks.roster_figures.uncovered_share`); agent-weeks below the
minimum, in all weeks and in the weeks whose seat hours reach the team's minimum.

Goals: no violation; at most 3% of required agent-intervals uncovered; at most 5% of
agent-weeks below minimum in the weeks whose need reaches the team's minimum; every
queue-week within 1% of its bound; schedule plus roster in at most 600 s.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import write_result
from benchmarks.roster_figures import hours_figures, uncovered_share
from benchmarks.schedule_week import day_shape

FIRST_MONDAY, WEEKS, TZ, INTERVAL_MIN = date(2026, 10, 5), 13, "Europe/Amsterdam", 30
AGENTS = 260
VOICE, CHAT = "voice", "chat"
GOALS = {"violations": 0, "uncovered_share_at_most": 0.03,
         "below_min_share_in_busy_weeks_at_most": 0.05, "worst_gap_at_most": 0.01,
         "wall_s_at_most": 600.0}


def make_requirement(seed: int = 29) -> pd.DataFrame:
    """Agents on duty needed per 30-minute interval (queue, ds, agents_gross, open):
    voice around the clock (10 at night, a late-morning peak of 55), chat from 08:00 to
    22:00 (peak 35), weekday factors, a season peaking 35% above October in late
    November, 3% noise."""
    ds = pd.date_range(str(FIRST_MONDAY), periods=WEEKS * 7 * 48, freq=f"{INTERVAL_MIN}min",
                       tz=TZ)
    shape, day = day_shape(ds, INTERVAL_MIN)
    weeks_in = (ds - ds[0]).days.to_numpy() / 7
    season = 1 + 0.35 * np.exp(-0.5 * ((weeks_in - 7.5) / 2.5) ** 2)
    rng = np.random.default_rng(seed)
    voice = 10 + 45 * shape * day * season * rng.lognormal(0.0, 0.03, len(ds))
    hour = ds.hour.to_numpy()
    open_chat = (hour >= 8) & (hour < 22)
    chat = np.where(open_chat, 3 + 32 * shape * day * season * rng.lognormal(0.0, 0.03, len(ds)),
                    0.0)
    return pd.concat([
        pd.DataFrame({"queue": VOICE, "ds": ds, "agents_gross": np.round(voice, 2),
                      "open": True}),
        pd.DataFrame({"queue": CHAT, "ds": ds, "agents_gross": np.round(chat, 2),
                      "open": open_chat}),
    ], ignore_index=True)


def make_agents(n: int = AGENTS, seed: int = 31) -> pd.DataFrame:
    """`n` agents in the `data.read_agents` contract (see the module docstring)."""
    rng = np.random.default_rng(seed)
    last = FIRST_MONDAY + timedelta(days=7 * WEEKS - 1)
    limits = {40.0: (32.0, 44.0), 32.0: (26.0, 36.0), 24.0: (20.0, 28.0)}
    rows = []
    for i in range(n):
        contract = float(rng.choice([40, 32, 24], p=[0.55, 0.25, 0.2]))
        skills = ((VOICE,), (CHAT,), (CHAT, VOICE))[int(rng.choice(3, p=[0.45, 0.3, 0.25]))]
        kind = rng.random()
        days = tuple(range(5)) if kind < 0.1 else tuple(range(7))
        earliest, latest = (720, 1440) if 0.1 <= kind < 0.18 else (0, 1440)
        latest = 1080 if 0.18 <= kind < 0.26 else latest
        leave = sorted({FIRST_MONDAY + timedelta(days=int(x))
                        for x in rng.choice(7 * WEEKS, size=int(rng.integers(0, 6)),
                                            replace=False)})
        rows.append({"agent_id": f"R{i:04d}", "name": f"Agent {i:04d}", "team": f"T{i % 12:02d}",
                     "queues": skills, "contract_h_week": contract,
                     "min_h_week": limits[contract][0], "max_h_week": limits[contract][1],
                     "available_days": days, "earliest_start_min": earliest,
                     "latest_end_min": latest,
                     "unavailable": tuple(d for d in leave if d <= last), "preferences": ()})
    return pd.DataFrame(rows)


def variant(requirement: pd.DataFrame, agents: pd.DataFrame, fit: bool) -> dict:
    """Schedule (shift lengths fitted to the agents' contracts when `fit`) and roster."""
    from dataclasses import replace

    from peakplan.stages.schedule import run_schedule
    from staffing import RosterRules, ScheduleRules, check_roster, roster

    rules = replace(ScheduleRules(), fit_contracts=fit)
    started = time.perf_counter()
    plan = run_schedule(requirement, rules, workers=0, agents=agents if fit else None)
    schedule_s = time.perf_counter() - started
    started = time.perf_counter()
    made = roster(plan.shifts, plan.breaks, agents, RosterRules())
    roster_s = time.perf_counter() - started
    violations = check_roster(made.assignments, agents, RosterRules())
    hours = hours_figures(made.hours, plan.shifts, agents)
    solves = plan.solves
    result = {
        "fit_contracts": fit,
        "schedule_s": round(schedule_s, 1), "roster_s": round(roster_s, 1),
        "wall_s": round(schedule_s + roster_s, 1),
        "blocks": len(solves), "worst_gap": round(float(solves["gap"].max()), 5),
        "blocks_within_1pct": int((solves["gap"] <= 0.01 + 1e-9).sum()),
        "shift_lengths_h": {str(k): int(v) for k, v in
                            plan.shifts.groupby("length_h")["agents"].sum().items()},
        "violations": len(violations),
        "violations_by_rule": violations["rule"].value_counts().to_dict() if len(violations)
        else {},
        "seats": int(plan.shifts["agents"].sum()), "seats_unfilled": made.seats_unfilled,
        **uncovered_share(made.assignments, requirement, INTERVAL_MIN), **hours,
    }
    result["goal_met"] = bool(
        result["violations"] == 0
        and result["uncovered_share"] <= GOALS["uncovered_share_at_most"]
        and hours["below_min_share_in_those_weeks"]
        <= GOALS["below_min_share_in_busy_weeks_at_most"]
        and result["worst_gap"] <= GOALS["worst_gap_at_most"]
        and result["wall_s"] <= GOALS["wall_s_at_most"])
    return result


def run() -> tuple[dict, Path]:
    requirement, agents = make_requirement(), make_agents()
    result = {
        "weeks": WEEKS, "agents": len(agents), "interval_min": INTERVAL_MIN,
        "contracts": {str(k): int(v) for k, v in
                      agents["contract_h_week"].value_counts().sort_index().items()},
        "team_contract_h_week": float(agents["contract_h_week"].sum()),
        "team_min_h_week": float(agents["min_h_week"].sum()),
        "required_agent_h_by_week": _weekly_hours(requirement),
        "variants": {name: variant(requirement, agents, fit)
                     for name, fit in (("plain design", False),
                                       ("design fitted to the contracts", True))},
        "goal": GOALS,
    }
    result["goal_met"] = any(v["goal_met"] for v in result["variants"].values())
    return result, write_result("roster_season", result)


def _weekly_hours(requirement: pd.DataFrame) -> list[float]:
    """Required agent-hours per Monday-Sunday week (both queues)."""
    hours = requirement["agents_gross"] * INTERVAL_MIN / 60
    week = (requirement["ds"].dt.tz_localize(None) - pd.Timestamp(FIRST_MONDAY)).dt.days // 7
    return [round(float(h), 0) for h in hours.groupby(week.to_numpy()).sum()]


if __name__ == "__main__":
    print(run()[1])

"""The peak week that `bench_schedule` plans, its rules, and how a schedule is scored:
shared by peakplan's variants and by the pyworkforce comparison
(`benchmarks.schedule_pyworkforce`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEK_START, TZ, INTERVAL_MIN = "2026-11-23", "Europe/Amsterdam", 15
PEAK_AGENTS, NIGHT_AGENTS = 300, 60
TIME_LIMIT_S, GAP_REL = 60.0, 0.005
QUEUE = "black_friday"


def day_shape(ds: pd.DatetimeIndex, interval_min: int) -> tuple[np.ndarray, np.ndarray]:
    """(the intraday shape, 1 at the 11:00 peak; the weekday factor) of each interval."""
    hour = (ds.hour + (ds.minute + interval_min / 2) / 60).to_numpy()
    shape = (np.exp(-0.5 * ((hour - 11.0) / 2.3) ** 2)
             + 0.85 * np.exp(-0.5 * ((hour - 15.5) / 2.2) ** 2)
             + 0.35 * np.exp(-0.5 * ((hour - 20.0) / 1.6) ** 2))
    day = np.array([1.0, 0.96, 0.94, 0.97, 1.0, 0.7, 0.55])[ds.day_of_week.to_numpy()]
    return shape / shape.max(), day


def make_requirement(seed: int = 5) -> pd.DataFrame:
    """Agents on duty needed per 15-minute interval of the week (queue, ds, agents_gross,
    open): NIGHT_AGENTS at night, a morning peak of PEAK_AGENTS at 11:00 on Monday and
    Friday, an afternoon shoulder and an evening tail, weekday factors (Saturday 0.7 and
    Sunday 0.55 of the day-time load) and 3% noise; fractional, as the Erlang step gives."""
    ds = pd.date_range(WEEK_START, periods=7 * 96, freq=f"{INTERVAL_MIN}min", tz=TZ)
    shape, day = day_shape(ds, INTERVAL_MIN)
    rng = np.random.default_rng(seed)
    noise = rng.lognormal(0.0, 0.03, len(ds))
    gross = NIGHT_AGENTS + (PEAK_AGENTS - NIGHT_AGENTS) * shape * day * noise
    return pd.DataFrame({"queue": QUEUE, "ds": ds, "agents_gross": np.round(gross, 2),
                         "open": True})


def make_rules(solver: str = "highs", method: str = "two_phase"):
    """The default shift lengths and breaks, starts every 15 minutes, 60 s, gap 0.5%."""
    from staffing import ScheduleRules

    return ScheduleRules(start_step_min=INTERVAL_MIN, time_limit_s=TIME_LIMIT_S,
                         gap_rel=GAP_REL, solver=solver, method=method)


def block(requirement: pd.DataFrame, rules):
    """required agents (whole), templates and day numbers, as `schedule` makes them."""
    from staffing.schedule import templates

    ds = requirement["ds"]
    required = np.ceil(requirement["agents_gross"].to_numpy(dtype=float) - 1e-9)
    tpl = templates(ds, requirement["open"].to_numpy(dtype=bool), rules, INTERVAL_MIN)
    return required, tpl, pd.factorize(ds.dt.date)[0]


def on_duty(tpl, starts: np.ndarray, breaks: np.ndarray, count: int) -> np.ndarray:
    """Agents on duty and not on a break per interval (breaks: rows of break row,
    interval, agents)."""
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, tpl.start + tpl.length, -starts)
    on = np.cumsum(duty)[:count]
    for row, t, agents in np.asarray(breaks, dtype=np.int64).reshape(-1, 3):
        on[t: t + tpl.break_length[row]] -= agents
    return on


def score(rules, tpl, required, starts, on) -> dict:
    """Shifts, paid hours, wages (cost) and objective (wages plus the rules' penalties
    per agent-interval short and over) of `starts` with `on` agents on duty."""
    short = float(np.clip(required - on, 0, None).sum())
    over = float(np.clip(on - required, 0, None).sum())
    wages = float(tpl.cost @ starts)
    return {"shifts": int(starts.sum()), "paid_hours": round(float(tpl.paid_h @ starts), 2),
            "cost": round(wages, 2),
            "objective": round(wages + rules.under_penalty * short + rules.over_penalty * over,
                               2),
            "agent_intervals_short": short, "intervals_short": int(np.sum(required - on > 0)),
            "agent_intervals_over": over}

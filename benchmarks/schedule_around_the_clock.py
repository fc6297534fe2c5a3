"""The 24/7 queue that `bench_schedule_horizon` plans over 13 weeks, and how its shifts
are read at the week boundaries: starts on Monday 00:00-04:00 against the Tuesday to
Thursday average of the same hours, and the shifts that run across Sunday midnight."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.schedule_week import day_shape

FIRST_MONDAY, WEEKS, TZ, INTERVAL_MIN = "2026-10-05", 13, "Europe/Amsterdam", 30
PEAK_AGENTS, NIGHT_AGENTS = 40, 8
QUEUE = "around_the_clock"


def make_requirement(seed: int = 13) -> pd.DataFrame:
    """Agents on duty needed per 30-minute interval of 13 weeks, open around the clock:
    NIGHT_AGENTS at night, a late-morning peak of PEAK_AGENTS, an afternoon shoulder and
    an evening tail, weekday factors (Saturday 0.7, Sunday 0.55 of the day-time load), a
    season that grows 40% towards late November, and 3% noise; fractional, as the
    Erlang step gives."""
    ds = pd.date_range(FIRST_MONDAY, periods=WEEKS * 7 * 48, freq=f"{INTERVAL_MIN}min", tz=TZ)
    shape, day = day_shape(ds, INTERVAL_MIN)
    weeks_in = (ds - ds[0]).days.to_numpy() / 7
    season = 1 + 0.4 * np.exp(-0.5 * ((weeks_in - 7.5) / 2.5) ** 2)
    noise = np.random.default_rng(seed).lognormal(0.0, 0.03, len(ds))
    gross = NIGHT_AGENTS + (PEAK_AGENTS - NIGHT_AGENTS) * shape * day * season * noise
    return pd.DataFrame({"queue": QUEUE, "ds": ds, "agents_gross": np.round(gross, 2),
                         "open": True})


def boundary_figures(shifts: pd.DataFrame) -> dict:
    """Starts (agents) between 00:00 and 04:00 on Mondays (all of them, and those after
    the season's first, which no earlier week can reach) against the Tuesday to Thursday
    average of the same hours; shifts and agents that start on a Sunday and end on the
    Monday."""
    start = shifts["start"].dt.tz_convert(TZ)
    end = shifts["end"].dt.tz_convert(TZ)
    early = shifts[start.dt.hour < 4]
    day = start[early.index].dt.day_of_week
    date = start[early.index].dt.date
    per_day = early.groupby([day, date])["agents"].sum()
    mondays = _per_day(per_day, 0, shifts, start)
    midweek = pd.concat([_per_day(per_day, d, shifts, start) for d in (1, 2, 3)])
    crossing = shifts[(start.dt.day_of_week == 6) & (end.dt.day_of_week == 0)]
    base = float(midweek.mean())
    return {
        "monday_00_04_starts_mean": round(float(mondays.mean()), 2),
        "monday_00_04_starts_mean_after_first_week": round(float(mondays.iloc[1:].mean()), 2),
        "tue_thu_00_04_starts_mean": round(base, 2),
        "monday_ratio": round(float(mondays.mean()) / base, 3) if base else None,
        "monday_ratio_after_first_week": (round(float(mondays.iloc[1:].mean()) / base, 3)
                                          if base else None),
        "shifts_across_sunday_midnight": len(crossing),
        "agents_across_sunday_midnight": int(crossing["agents"].sum()),
    }


def _per_day(per_day: pd.Series, weekday: int, shifts: pd.DataFrame,
             start: pd.Series) -> pd.Series:
    """Early starts on every date of `weekday` in the season (0 where none)."""
    dates = sorted({d for d, w in zip(start.dt.date, start.dt.day_of_week, strict=True)
                    if w == weekday})
    found = per_day.get(weekday, pd.Series(dtype=float)) if weekday in per_day.index.levels[0] \
        else pd.Series(dtype=float)
    return pd.Series([float(found.get(d, 0.0)) for d in dates], index=dates)

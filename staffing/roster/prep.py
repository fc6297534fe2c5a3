"""The rostering problem as arrays: shifts, agents and days indexed by integers, plus the
mutable state of a roster being built and the one eligibility test the builder uses.

Days are padded on both sides so that looking a few days back or ahead never leaves the
arrays; index -1 of every per-shift array is a sentinel "no shift" (ends at -inf,
starts at +inf, zero hours), so `work == -1` needs no special case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.errors import DataError
from data.schema import AGENT_COLUMNS
from staffing.roster.rules import (
    NO_END_LIMIT_MIN,
    RosterRules,
    as_date,
    end_minutes,
    is_night,
    start_minutes,
    week_start,
)

__all__ = ["SHIFT_COLUMNS", "Problem", "State", "eligible", "eligible_one",
           "prepare_problem"]

SHIFT_COLUMNS = ("queue", "shift_id", "day", "start", "end", "paid_h", "agents")
EARLY_START_MIN = 9 * 60
"""A shift starting before 09:00 is an early shift (for the 'early' preference)."""
LATE_END_MIN = 20 * 60
"""A shift ending at or after 20:00 is a late shift (for the 'late' preference)."""
_FAR = np.int64(2**62)
_HOUR_NS = 3_600_000_000_000
_EPS_H = 1e-6


@dataclass(frozen=True)
class Problem:
    """Shifts (sorted by day, start, queue, shift_id; arrays have one sentinel more),
    agents (sorted by agent_id) and padded days. Hours in h, times in ns or minutes."""

    shifts: pd.DataFrame
    agents: pd.DataFrame
    rules: RosterRules
    first_day: date
    pad: int
    n_days: int
    rest_days: int
    queue: np.ndarray
    day: np.ndarray
    start_ns: np.ndarray
    end_ns: np.ndarray
    start_min: np.ndarray
    end_min: np.ndarray
    paid: np.ndarray
    seats: np.ndarray
    night: np.ndarray
    weekend: np.ndarray
    peak: np.ndarray
    early: np.ndarray
    late: np.ndarray
    skill: np.ndarray
    avail: np.ndarray
    avail_left: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    max_h: np.ndarray
    target_h: np.ndarray
    min_h: np.ndarray
    share: np.ndarray
    prefs: dict[str, np.ndarray]
    week: np.ndarray

    @property
    def n_shifts(self) -> int:
        """Number of real shifts (without the sentinel)."""
        return len(self.shifts)

    def date_of(self, index: int) -> date:
        """The calendar date of padded day `index`."""
        return self.first_day + timedelta(days=int(index) - self.pad)


@dataclass(frozen=True)
class State:
    """A roster being built: work[agent, day] is the shift index or -1; per-week paid
    hours and days worked; weekend, night and peak-day shift counts per agent."""

    work: np.ndarray
    week_h: np.ndarray
    week_days: np.ndarray
    weekends: np.ndarray
    nights: np.ndarray
    peaks: np.ndarray

    @classmethod
    def empty(cls, p: Problem) -> State:
        """No one works yet."""
        n_agents, n_weeks = p.target_h.shape
        return cls(np.full((n_agents, p.n_days), -1, dtype=np.int64),
                   np.zeros((n_agents, n_weeks)), np.zeros((n_agents, n_weeks), dtype=np.int64),
                   *(np.zeros(n_agents, dtype=np.int64) for _ in range(3)))

    def add(self, p: Problem, agent: int, shift: int, sign: int = 1) -> None:
        """Give `shift` to `agent` (sign -1 takes it back)."""
        d = p.day[shift]
        self.work[agent, d] = shift if sign > 0 else -1
        self.week_h[agent, p.week[d]] += sign * p.paid[shift]
        self.week_days[agent, p.week[d]] += sign
        self.weekends[agent] += sign * p.weekend[shift]
        self.nights[agent] += sign * p.night[shift]
        self.peaks[agent] += sign * p.peak[shift]


def eligible(p: Problem, s: State, shift: int, agents: np.ndarray | slice = slice(None)
             ) -> np.ndarray:
    """Whether each of `agents` may take `shift` without breaking any hard rule, looking
    both back and ahead in the roster (bool array)."""
    r, d, a = p.rules, p.day[shift], agents
    ok = (p.skill[a, p.queue[shift]] & p.avail[a, d] & (p.earliest[a] <= p.start_min[shift])
          & (p.end_min[shift] <= p.latest[a]) & (s.work[a, d] < 0))
    rest = np.int64(round(r.min_rest_h * _HOUR_NS))
    k = p.rest_days
    ok &= (p.start_ns[shift] - p.end_ns[s.work[a, d - k:d]] >= rest).all(axis=-1)
    ok &= (p.start_ns[s.work[a, d + 1:d + k + 1]] - p.end_ns[shift] >= rest).all(axis=-1)
    n = r.max_consecutive_days
    before = np.cumprod(s.work[a, d - n:d][..., ::-1] >= 0, axis=-1).sum(axis=-1)
    after = np.cumprod(s.work[a, d + 1:d + n + 1] >= 0, axis=-1).sum(axis=-1)
    ok &= before + after < n
    w = p.week[d]
    ok &= s.week_days[a, w] < r.max_days_per_week
    ok &= s.week_h[a, w] + p.paid[shift] <= p.max_h[a] + _EPS_H
    if r.max_weekend_shifts is not None and p.weekend[shift]:
        ok &= s.weekends[a] < r.max_weekend_shifts
    if r.max_peak_day_shifts is not None and p.peak[shift]:
        ok &= s.peaks[a] < r.max_peak_day_shifts
    return ok


def eligible_one(p: Problem, s: State, shift: int, agent: int) -> bool:
    """`eligible` for one agent in plain Python (the repair pass calls it many times)."""
    r, d = p.rules, int(p.day[shift])
    if not (p.skill[agent, p.queue[shift]] and p.avail[agent, d] and s.work[agent, d] < 0
            and p.earliest[agent] <= p.start_min[shift] <= p.end_min[shift] <= p.latest[agent]):
        return False
    w = p.week[d]
    if (s.week_days[agent, w] >= r.max_days_per_week
            or s.week_h[agent, w] + p.paid[shift] > p.max_h[agent] + _EPS_H
            or (r.max_weekend_shifts is not None and p.weekend[shift]
                and s.weekends[agent] >= r.max_weekend_shifts)
            or (r.max_peak_day_shifts is not None and p.peak[shift]
                and s.peaks[agent] >= r.max_peak_day_shifts)):
        return False
    k, n = p.rest_days, r.max_consecutive_days
    row = s.work[agent, d - max(k, n):d + max(k, n) + 1].tolist()
    mid = max(k, n)
    rest = round(r.min_rest_h * _HOUR_NS)
    start, end = int(p.start_ns[shift]), int(p.end_ns[shift])
    for off in range(1, k + 1):
        if (start - int(p.end_ns[row[mid - off]]) < rest
                or int(p.start_ns[row[mid + off]]) - end < rest):
            return False
    run = 1
    for step in (-1, 1):
        off = 1
        while off <= n and row[mid + step * off] >= 0:
            run, off = run + 1, off + 1
    return run <= n


def prepare_problem(shifts: pd.DataFrame, agents: pd.DataFrame, rules: RosterRules) -> Problem:
    """Index shifts, agents and days; the shifts frame must hold SHIFT_COLUMNS."""
    for frame, columns, what in ((shifts, SHIFT_COLUMNS, "shifts"),
                                 (agents, AGENT_COLUMNS, "agents")):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise DataError(f"the {what} frame lacks {', '.join(missing)}",
                            expected="columns " + ", ".join(columns))
    twice = shifts.duplicated(["queue", "shift_id"])
    if twice.any():
        raise DataError(f"shift '{shifts['shift_id'][twice].iloc[0]}' appears twice in the "
                        "shifts frame", expected="one row per queue and shift_id")
    order = ["day", "start", "queue", "shift_id"]
    shifts = shifts[np.rint(shifts["agents"].to_numpy(dtype=float)) > 0]
    shifts = shifts.sort_values(order, kind="stable").reset_index(drop=True)
    agents = agents.sort_values("agent_id", kind="stable").reset_index(drop=True)
    days = [as_date(d) for d in shifts["day"]]
    shifts["day"] = pd.Series(days, dtype=object)
    first = min(days) if days else date(2000, 1, 3)
    length_h = max(((b - a).total_seconds() / 3600 for a, b in zip(
        shifts["start"], shifts["end"], strict=True)), default=0.0)
    rest_days = math.ceil(1 + (rules.min_rest_h + length_h + 1) / 24)
    pad = max(rest_days, rules.max_consecutive_days) + 1
    n_days = (max(days) - first).days + 1 + 2 * pad if days else 2 * pad + 1
    dates = [first + timedelta(days=k - pad) for k in range(n_days)]
    week = np.array([(week_start(x) - week_start(dates[0])).days // 7 for x in dates])
    shift_arrays = _shift_arrays(shifts, first, pad, rules)
    agent_arrays = _agent_arrays(agents, shifts, dates, pad, week)
    return Problem(shifts=shifts, agents=agents, rules=rules, first_day=first, pad=pad,
                   n_days=n_days, rest_days=rest_days, week=week,
                   **shift_arrays, **agent_arrays)


def _shift_arrays(shifts: pd.DataFrame, first: date, pad: int, rules: RosterRules) -> dict:
    def with_sentinel(values, sentinel) -> np.ndarray:
        values = np.asarray(values)
        return np.append(values, np.array([sentinel], dtype=values.dtype))

    day_index = np.array([(d - first).days + pad for d in shifts["day"]], dtype=np.int64)
    start_min = start_minutes(shifts["start"]) if len(shifts) else np.zeros(0, np.int64)
    end_min = end_minutes(shifts["day"], shifts["end"]) if len(shifts) else start_min
    night = is_night(start_min, end_min, rules.night_hours)
    weekend = np.array([d.weekday() >= 5 for d in shifts["day"]], dtype=bool)
    peak = np.isin(np.array(shifts["day"], dtype=object), list(rules.peak_days))
    queues = {q: k for k, q in enumerate(sorted(set(shifts["queue"])))}
    stamp = [pd.Timestamp(t).value for t in shifts["start"]]
    end_stamp = [pd.Timestamp(t).value for t in shifts["end"]]
    return {
        "queue": with_sentinel(np.array([queues[q] for q in shifts["queue"]], dtype=np.int64), 0),
        "day": with_sentinel(day_index, 0),
        "start_ns": with_sentinel(np.array(stamp, dtype=np.int64), _FAR),
        "end_ns": with_sentinel(np.array(end_stamp, dtype=np.int64), -_FAR),
        "start_min": with_sentinel(start_min.astype(np.int64), 0),
        "end_min": with_sentinel(end_min.astype(np.int64), 0),
        "paid": with_sentinel(shifts["paid_h"].to_numpy(dtype=float), 0.0),
        "seats": with_sentinel(np.rint(shifts["agents"].to_numpy(dtype=float)).astype(np.int64),
                               0),
        "night": with_sentinel(night.astype(np.int64), 0),
        "weekend": with_sentinel(weekend.astype(np.int64), 0),
        "peak": with_sentinel(peak.astype(np.int64), 0),
        "early": with_sentinel(start_min < EARLY_START_MIN, False),
        "late": with_sentinel(end_min >= LATE_END_MIN, False),
    }


def _agent_arrays(agents: pd.DataFrame, shifts: pd.DataFrame, dates: list[date], pad: int,
                  week: np.ndarray) -> dict:
    queues = sorted(set(shifts["queue"]))
    skill = np.array([[q in set(mine) for q in queues] for mine in agents["queues"]],
                     dtype=bool).reshape(len(agents), len(queues))
    inside = np.zeros(len(dates), dtype=bool)
    inside[pad:len(dates) - pad] = True
    weekday = np.array([x.weekday() for x in dates])
    calendar = np.array(dates, dtype=object)
    avail = np.array([np.isin(weekday, list(days)) & ~np.isin(calendar, list(off)) & inside
                      for days, off in zip(agents["available_days"], agents["unavailable"],
                                           strict=True)], dtype=bool)
    avail = avail.reshape(len(agents), len(dates))
    n_weeks = int(week.max()) + 1
    per_week = np.zeros((len(agents), n_weeks))
    np.add.at(per_week.T, week, avail.T)
    normal = np.array([max(len(d), 1) for d in agents["available_days"]], dtype=float)
    contract = agents["contract_h_week"].to_numpy(dtype=float)
    left = np.zeros(avail.shape, dtype=np.int64)
    for d in range(len(dates) - 1, -1, -1):
        same = d + 1 < len(dates) and week[d + 1] == week[d]
        left[:, d] = avail[:, d] + (left[:, d + 1] if same else 0)
    latest = agents["latest_end_min"].to_numpy(dtype=float)
    prefs = {name: np.array([name in p for p in agents["preferences"]], dtype=bool)
             for name in ("early", "late", "nights", "no_nights", "weekends", "no_weekends")}
    return {
        "skill": skill, "avail": avail, "avail_left": left,
        "earliest": agents["earliest_start_min"].to_numpy(dtype=float),
        "latest": np.where(latest >= NO_END_LIMIT_MIN, np.inf, latest),
        "max_h": agents["max_h_week"].to_numpy(dtype=float),
        "target_h": contract[:, None] * per_week / normal[:, None],
        "min_h": agents["min_h_week"].to_numpy(dtype=float)[:, None] * per_week / normal[:, None],
        "share": np.maximum(contract / max(contract.mean(), 1e-9), 1e-3) if len(agents)
        else contract,
        "prefs": prefs,
    }

"""Small rostering cases shared by the roster tests: shifts with breaks on the days and
hours asked, agents with one change each from a plain full-timer, assignments made by
hand, and rosters checked by `check_roster` as they are made."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from staffing.roster import RosterRules, check_roster, roster

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


def assignment(agent_id="A", day=0, hour=9.0, length_h=8.0, queue=Q) -> dict:
    start = (pd.Timestamp(MONDAY + timedelta(days=day)) + pd.Timedelta(hours=hour)
             ).tz_localize(TZ)
    return {"agent_id": agent_id, "date": MONDAY + timedelta(days=day), "start": start,
            "end": start + pd.Timedelta(hours=length_h), "queue": queue,
            "paid_h": length_h - 0.5}


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

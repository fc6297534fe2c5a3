"""Turn a built roster into frames: assignments with breaks dealt out, unfilled seats,
and each agent's weekly hours against their contract."""

from __future__ import annotations

import numpy as np
import pandas as pd

from staffing.roster.prep import Problem, State
from staffing.roster.rules import clock_text, week_start

__all__ = ["ASSIGNMENT_COLUMNS", "HOURS_COLUMNS", "UNFILLED_COLUMNS", "assignments_frame",
           "hours_frame", "unfilled_frame"]

ASSIGNMENT_COLUMNS = ("agent_id", "name", "date", "start", "end", "break_start", "break_end",
                      "queue", "shift_id", "paid_h", "breaks")
UNFILLED_COLUMNS = ("queue", "shift_id", "day", "start", "end", "agents_missing")
HOURS_COLUMNS = ("agent_id", "week", "paid_h", "target_h", "min_h", "max_h", "below_min",
                 "week_short", "overtime_h", "idle_h")


def assignments_frame(p: Problem, s: State, breaks: pd.DataFrame) -> pd.DataFrame:
    """One row per agent and shift (DESIGN roster contract plus shift_id, paid_h, breaks).

    Within a shift, agents in agent_id order take the break slots of each break_no in
    order of start time, as many agents per slot as the breaks frame says; `breaks`
    lists an agent's breaks in time order, break_start and break_end are the earliest
    (NaT when the shift has none)."""
    agent, day = np.nonzero(s.work >= 0)
    shift = s.work[agent, day]
    order = np.lexsort((agent, shift))
    agent, shift = agent[order], shift[order]
    slots = _break_slots(breaks)
    sh = p.shifts
    rank = np.zeros(len(shift), dtype=np.int64)
    if len(shift):
        first = np.r_[True, shift[1:] != shift[:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(len(shift)), 0))
        rank = np.arange(len(shift)) - starts
    keys = list(zip(sh["queue"], sh["shift_id"], strict=True))
    taken = [sorted(slot[k] for slot in slots.get(keys[i], []) if k < len(slot))
             for i, k in zip(shift.tolist(), rank.tolist(), strict=True)]
    first_break = [mine[0] if mine else None for mine in taken]
    tz = sh["start"].dt.tz if len(sh) else None
    frame = pd.DataFrame({
        "agent_id": p.agents["agent_id"].to_numpy()[agent],
        "name": p.agents["name"].to_numpy()[agent],
        "date": sh["day"].to_numpy()[shift],
        "start": sh["start"].iloc[shift].reset_index(drop=True),
        "end": sh["end"].iloc[shift].reset_index(drop=True),
        "break_start": pd.Series([b[0] if b else pd.NaT for b in first_break], dtype=object),
        "break_end": pd.Series([b[1] if b else pd.NaT for b in first_break], dtype=object),
        "queue": sh["queue"].to_numpy()[shift],
        "shift_id": sh["shift_id"].to_numpy()[shift],
        "paid_h": p.paid[shift],
        "breaks": [", ".join(f"{clock_text(a)}-{clock_text(b)}" for a, b in mine)
                   for mine in taken],
    }, columns=list(ASSIGNMENT_COLUMNS))
    for column in ("break_start", "break_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
        frame[column] = frame[column].dt.tz_convert(tz) if tz is not None else frame[column]
    frame = frame.sort_values(["date", "start", "queue", "shift_id", "agent_id"], kind="stable")
    return frame.reset_index(drop=True)


def _break_slots(breaks: pd.DataFrame) -> dict[tuple[str, str], list[list[tuple]]]:
    """(queue, shift_id) -> per break_no, the (start, end) slots, one per agent."""
    out: dict[tuple[str, str], dict[int, list[tuple]]] = {}
    if breaks is None or not len(breaks):
        return {}
    rows = breaks.sort_values(["queue", "shift_id", "break_no", "break_start"], kind="stable")
    for q, sid, no, a, b, n in zip(rows["queue"], rows["shift_id"], rows["break_no"],
                                   rows["break_start"], rows["break_end"], rows["agents"],
                                   strict=True):
        out.setdefault((q, sid), {}).setdefault(int(no), []).extend([(a, b)] * round(n))
    return {key: [per_no[no] for no in sorted(per_no)] for key, per_no in out.items()}


def unfilled_frame(p: Problem, missing: np.ndarray) -> pd.DataFrame:
    """Shifts with seats nobody could take (agents_missing > 0)."""
    rows = p.shifts.loc[missing > 0, ["queue", "shift_id", "day", "start", "end"]]
    rows = rows.assign(agents_missing=missing[missing > 0].astype(np.int64))
    return rows.reset_index(drop=True)[list(UNFILLED_COLUMNS)]


def _short_weeks(p: Problem, missing: np.ndarray) -> np.ndarray:
    """[agent, week]: whether a queue the agent works has seats unfilled that week."""
    n_weeks = p.target_h.shape[1]
    unfilled = np.zeros((n_weeks, p.skill.shape[1]), dtype=bool)
    short = np.flatnonzero(missing[:p.n_shifts] > 0)
    unfilled[p.week[p.day[short]], p.queue[short]] = True
    return (p.skill.astype(np.int64) @ unfilled.T.astype(np.int64)) > 0


def hours_frame(p: Problem, s: State, missing: np.ndarray | None = None) -> pd.DataFrame:
    """Paid hours per agent and Monday-Sunday week against the week's contract target
    and minimum (both prorated by the agent's available days that week inside the
    roster); below_min flags weeks short of the minimum (a goal, not a hard rule).

    What a manager does with the hours: week_short says a queue the agent works has seats
    unfilled that week (`missing`, per shift); there, overtime_h (paid above the target,
    within max_h) is overtime the roster proposes to this named agent; in the other,
    quiet weeks idle_h (target hours not worked) are voluntary-time-off candidates."""
    weeks = np.unique(p.week[p.pad:p.n_days - p.pad])
    monday = [week_start(p.date_of(np.flatnonzero(p.week == w)[0])) for w in weeks]
    n_agents = len(p.agents)
    paid = s.week_h[:, weeks]
    minimum, target = p.min_h[:, weeks], p.target_h[:, weeks]
    missing = np.zeros(p.n_shifts) if missing is None else missing
    short = _short_weeks(p, missing)[:, weeks]
    frame = pd.DataFrame({
        "agent_id": np.repeat(p.agents["agent_id"].to_numpy(), len(weeks)),
        "week": np.tile(np.array(monday, dtype=object), n_agents),
        "paid_h": paid.ravel(),
        "target_h": target.ravel(),
        "min_h": minimum.ravel(),
        "max_h": np.repeat(p.max_h, len(weeks)),
        "below_min": (paid < minimum - 1e-6).ravel(),
        "week_short": short.ravel(),
        "overtime_h": np.clip(paid - target, 0.0, None).ravel(),
        "idle_h": np.where(short, 0.0, np.clip(target - paid, 0.0, None)).ravel(),
    })
    return frame[list(HOURS_COLUMNS)]

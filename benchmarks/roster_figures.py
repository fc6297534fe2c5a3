"""How a roster meets its agents' contracts and its requirement, as the roster
benchmarks report it: agent-weeks below the minimum hours (in every week, and in the
weeks whose need reaches the team's minimum), and the required agent-intervals that the
rostered agents leave uncovered."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["hours_figures", "uncovered_share"]


def hours_figures(hours: pd.DataFrame, shifts: pd.DataFrame,
                  agents: pd.DataFrame | None = None) -> dict:
    """Agent-weeks below their minimum (`Roster.hours`), all weeks and those whose need
    reaches the team's minimum: per team (agents linked by the queues they share, from
    `agents`; one team without it), the weeks whose seat hours on the team's queues (the
    shifts' paid hours times agents, by Monday-Sunday week) reach the sum of its agents'
    minimum hours that week; and the hours short of the minimum."""
    day = pd.to_datetime(pd.Series(shifts["day"]).astype(str))
    monday = (day - pd.to_timedelta(day.dt.dayofweek, unit="D")).dt.date.to_numpy()
    team_of_queue, team_of_agent = _teams(hours, shifts, agents)
    seat_h = (shifts["paid_h"] * shifts["agents"]).groupby(
        [shifts["queue"].map(team_of_queue).to_numpy(), monday]).sum()
    team = hours["agent_id"].map(team_of_agent)
    team_min = hours.groupby([team.to_numpy(), hours["week"].to_numpy()])["min_h"].sum()
    busy = {key for key, need in team_min.items() if seat_h.get(key, 0.0) >= need}
    in_busy = pd.Series([(t, w) in busy for t, w in zip(team, hours["week"], strict=True)],
                        index=hours.index)
    below = hours["below_min"]
    short = (hours["min_h"] - hours["paid_h"]).clip(lower=0)
    return {
        "agent_weeks": len(hours), "agent_weeks_below_min": int(below.sum()),
        "below_min_share": round(float(below.mean()), 4) if len(hours) else 0.0,
        "teams": len(set(team_of_agent.values())),
        "team_weeks_need_reaches_team_min": len(busy),
        "agent_weeks_in_those_weeks": int(in_busy.sum()),
        "below_min_in_those_weeks": int(below[in_busy].sum()),
        "below_min_share_in_those_weeks": (round(float(below[in_busy].mean()), 4)
                                           if in_busy.any() else 0.0),
        "hours_below_min": round(float(short.sum()), 1),
        "agents_below_min_any_week": int(hours.loc[below, "agent_id"].nunique()),
    }


def _teams(hours: pd.DataFrame, shifts: pd.DataFrame,
           agents: pd.DataFrame | None) -> tuple[dict, dict]:
    """(queue -> team, agent_id -> team): queues linked by an agent who works both."""
    queues = sorted(set(shifts["queue"].astype(str)))
    if agents is None:
        return dict.fromkeys(queues, 0), dict.fromkeys(hours["agent_id"], 0)
    parent = {q: q for q in queues}

    def root(q: str) -> str:
        while parent[q] != q:
            q = parent[q]
        return q

    for mine in agents["queues"]:
        mine = [q for q in mine if q in parent]
        for q in mine[1:]:
            parent[root(q)] = root(mine[0])
    team_of_queue = {q: root(q) for q in queues}
    team_of_agent = {a: next((team_of_queue[q] for q in mine if q in parent), "-")
                     for a, mine in zip(agents["agent_id"], agents["queues"], strict=True)}
    return team_of_queue, team_of_agent


def uncovered_share(assignments: pd.DataFrame, requirement: pd.DataFrame,
                    interval_min: int) -> dict:
    """Required agent-intervals (`requirement`: queue, ds, agents_gross or agents) that
    the rostered agents (on duty from start to end, off during every break) leave
    uncovered, per queue and in all."""
    need_col = "agents_gross" if "agents_gross" in requirement else "agents"
    step = np.int64(interval_min * 60 * 1_000_000_000)
    out, short_all, need_all = {}, 0.0, 0.0
    for queue, req in requirement.groupby("queue", sort=True):
        ds = _ns(req["ds"])
        base = ds.min()
        on = np.zeros(len(req) + 2)
        mine = assignments[assignments["queue"] == queue]
        _add(on, _ns(mine["start"]), _ns(mine["end"]), base, step, 1.0)
        for first, last in _breaks(mine):
            _add(on, first, last, base, step, -1.0)
        duty = np.cumsum(on)[:len(req)]
        index = ((ds - base) // step).astype(np.int64)
        need = np.ceil(req[need_col].to_numpy(dtype=float) - 1e-9)
        short = np.clip(need - duty[index], 0, None)
        out[str(queue)] = round(float(short.sum() / max(need.sum(), 1e-9)), 4)
        short_all += float(short.sum())
        need_all += float(need.sum())
    return {"uncovered_share": round(short_all / max(need_all, 1e-9), 4), "by_queue": out}


def _ns(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values, utc=True).astype("datetime64[ns, UTC]").astype("int64") \
        .to_numpy()


def _add(on: np.ndarray, first: np.ndarray, last: np.ndarray, base: np.int64, step: np.int64,
         sign: float) -> None:
    """Add `sign` to every interval that [first, last) covers (whole intervals; a part
    interval counts by its share)."""
    a = np.clip((first - base) / step, 0, len(on) - 2)
    b = np.clip((last - base) / step, 0, len(on) - 2)
    for lo, hi in zip(a, b, strict=True):
        i, j = int(np.floor(lo)), int(np.floor(hi))
        if i == j:
            on[i] += sign * (hi - lo)
            on[i + 1] -= sign * (hi - lo)
            continue
        on[i] += sign * (i + 1 - lo)
        on[i + 1] -= sign * (i + 1 - lo)
        on[i + 1] += sign
        on[j] -= sign
        on[j] += sign * (hi - j)
        on[j + 1] -= sign * (hi - j)


def _breaks(assignments: pd.DataFrame):
    """(start, end) ns arrays of every break of the assignments ('breaks' text: all of
    them, else break_start/break_end)."""
    if "breaks" not in assignments or not len(assignments):
        yield _ns(assignments["break_start"].dropna()), _ns(assignments["break_end"].dropna())
        return
    day = pd.to_datetime(assignments["start"])
    firsts, lasts = [], []
    for start, text in zip(day, assignments["breaks"], strict=True):
        for part in filter(None, str(text or "").split(", ")):
            a, b = part.split("-")
            first = start.normalize() + pd.Timedelta(a + ":00")
            first = first if first >= start else first + pd.Timedelta(days=1)
            last = first.normalize() + pd.Timedelta(b + ":00")
            last = last if last > first else last + pd.Timedelta(days=1)
            firsts.append(first)
            lasts.append(last)
    yield _ns(pd.Series(firsts)), _ns(pd.Series(lasts))

"""An independent check of a roster against every hard rule.

It shares nothing with the rosterer beyond `RosterRules` and `week_start`: it reads the
assignments frame row by row and agent by agent, the way a planner would audit a roster.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import groupby, pairwise

import pandas as pd

from staffing.roster.rules import NO_END_LIMIT_MIN, RosterRules, as_date, week_start

__all__ = ["RULES", "VIOLATION_COLUMNS", "check_roster"]

VIOLATION_COLUMNS = ("agent_id", "date", "rule", "detail")
RULES = ("unknown_agent", "skill", "available_days", "unavailable", "earliest_start",
         "latest_end", "one_shift_per_day", "overlap", "min_rest", "max_consecutive_days",
         "min_days_off", "max_h_week", "max_weekend_shifts", "max_peak_day_shifts")
"""The rule names check_roster reports."""
_EPS_H = 1e-6


def check_roster(assignments: pd.DataFrame, agents: pd.DataFrame,
                 rules: RosterRules | None = None) -> pd.DataFrame:
    """Every hard-rule violation in `assignments` (columns agent_id, date, start, end,
    queue and paid_h; without paid_h, end minus start counts as paid): one row per
    violation with agent_id, date, rule (one of RULES) and a readable detail.

    latest_end_min 1440 means no end limit; otherwise the shift must end by that many
    minutes after midnight of the day it starts. Days of a week outside the roster count
    as days off."""
    rules = rules or RosterRules()
    found: list[tuple[str, date, str, str]] = []
    if not len(assignments):
        return _frame(found)
    rows = assignments.copy()
    rows["date"] = pd.Series([as_date(d) for d in rows["date"]], index=rows.index, dtype=object)
    if "paid_h" not in rows:
        rows["paid_h"] = (rows["end"] - rows["start"]).dt.total_seconds() / 3600
    info = {r.agent_id: r for r in agents.itertuples(index=False)}
    midnight = pd.to_datetime(pd.Series(rows["date"], index=rows.index))
    rows["start_min"] = (rows["start"].dt.tz_localize(None) - midnight).dt.total_seconds() / 60
    rows["end_min"] = (rows["end"].dt.tz_localize(None) - midnight).dt.total_seconds() / 60
    for row in rows.itertuples(index=False):
        agent = info.get(row.agent_id)
        if agent is None:
            found.append((row.agent_id, row.date, "unknown_agent", "not in the agents frame"))
        else:
            found += _row_violations(row, agent)
    known = rows[rows["agent_id"].isin(list(info))]
    records = sorted(zip(known["agent_id"], _ns(known["start"]), _ns(known["end"]),
                         known["date"], known["paid_h"].astype(float), strict=True))
    for agent_id, mine in groupby(records, key=lambda r: r[0]):
        found += _agent_violations(agent_id, list(mine), info[agent_id], rules)
    return _frame(found)


def _ns(stamps: pd.Series) -> list[int]:
    return pd.to_datetime(stamps, utc=True).dt.as_unit("ns").astype("int64").tolist()


def _frame(found: list) -> pd.DataFrame:
    frame = pd.DataFrame(found, columns=list(VIOLATION_COLUMNS))
    return frame.sort_values(["agent_id", "date", "rule"], kind="stable").reset_index(drop=True)


def _row_violations(row, agent) -> list[tuple[str, date, str, str]]:
    out = []
    at = (row.agent_id, row.date)
    if row.queue not in agent.queues:
        out.append((*at, "skill", f"works {row.queue}, skilled for {', '.join(agent.queues)}"))
    if row.date.weekday() not in agent.available_days:
        out.append((*at, "available_days", f"weekday {row.date.weekday()} is not available"))
    if row.date in agent.unavailable:
        out.append((*at, "unavailable", "the date is marked unavailable"))
    if row.start_min < agent.earliest_start_min:
        out.append((*at, "earliest_start", f"starts at minute {row.start_min:.0f}, earliest "
                                           f"{agent.earliest_start_min}"))
    if agent.latest_end_min < NO_END_LIMIT_MIN and row.end_min > agent.latest_end_min:
        out.append((*at, "latest_end", f"ends at minute {row.end_min:.0f}, latest "
                                       f"{agent.latest_end_min}"))
    return out


def _agent_violations(agent_id: str, mine: list[tuple], agent, rules: RosterRules
                      ) -> list[tuple[str, date, str, str]]:
    """`mine`: (agent_id, start ns, end ns, date, paid_h) sorted by start."""
    out = []
    for before, after in pairwise(mine):
        gap_h = (after[1] - before[2]) / 3.6e12
        if gap_h < 0:
            out.append((agent_id, after[3], "overlap", f"overlaps the shift of {before[3]}"))
        elif gap_h < rules.min_rest_h - _EPS_H:
            out.append((agent_id, after[3], "min_rest", f"{gap_h:.1f} h rest after the "
                                                         f"shift of {before[3]}"))
    per_day = Counter(r[3] for r in mine)
    out += [(agent_id, d, "one_shift_per_day", f"{n} shifts") for d, n in per_day.items() if n > 1]
    out += _run_violations(agent_id, sorted(per_day), rules.max_consecutive_days)
    days: dict[date, set[date]] = defaultdict(set)
    hours: dict[date, float] = defaultdict(float)
    for r in mine:
        days[week_start(r[3])].add(r[3])
        hours[week_start(r[3])] += r[4]
    for monday in sorted(days):
        if len(days[monday]) > 7 - rules.min_days_off_per_week:
            out.append((agent_id, monday, "min_days_off",
                        f"{7 - len(days[monday])} days off in the week"))
        if hours[monday] > agent.max_h_week + _EPS_H:
            out.append((agent_id, monday, "max_h_week", f"{hours[monday]:.2f} h paid in the "
                                                         f"week, max {agent.max_h_week}"))
    weekend = sorted(r[3] for r in mine if r[3].weekday() >= 5)
    out += _cap_violation(agent_id, weekend, rules.max_weekend_shifts, "max_weekend_shifts")
    peak = sorted(r[3] for r in mine if r[3] in set(rules.peak_days))
    out += _cap_violation(agent_id, peak, rules.max_peak_day_shifts, "max_peak_day_shifts")
    return out


def _run_violations(agent_id: str, days: list[date], limit: int) -> list:
    out, run = [], 0
    for k, d in enumerate(days):
        run = run + 1 if k and d - days[k - 1] == timedelta(days=1) else 1
        if run == limit + 1:
            out.append((agent_id, d, "max_consecutive_days", f"day {run} in a row"))
    return out


def _cap_violation(agent_id: str, days: list[date], cap: int | None, rule: str) -> list:
    if cap is None or len(days) <= cap:
        return []
    return [(agent_id, days[cap], rule, f"{len(days)} shifts, cap {cap}")]

"""How hard a roster works each agent (burnout report) and how evenly it spreads the
unpopular shifts (fairness table)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from staffing.roster.rules import (
    RosterRules,
    as_date,
    end_minutes,
    is_night,
    start_minutes,
    week_start,
)

__all__ = ["BURNOUT_COLUMNS", "FAIRNESS_COLUMNS", "HIGH_OCCUPANCY", "MIN_COUNT",
           "OVERTIME_WEEKS", "SHARE_FACTOR", "burnout_report", "fairness_spread",
           "fairness_table"]

BURNOUT_COLUMNS = ("agent_id", "name", "team", "shifts", "paid_h", "max_week_h", "overtime_h",
                   "overtime_weeks", "longest_run", "weekend_shifts", "night_shifts",
                   "peak_day_shifts", "occupancy", "at_risk", "reasons")
FAIRNESS_COLUMNS = ("agent_id", "name", "team", "contract_h_week", "nights", "nights_fair",
                    "weekends", "weekends_fair", "peak_days", "peak_days_fair")
HIGH_OCCUPANCY = 0.90
"""A mean scheduled occupancy at or above this puts an agent at risk."""
OVERTIME_WEEKS = 2
"""Overtime (paid hours above contract) in this many weeks or more puts an agent at risk."""
SHARE_FACTOR = 2.0
"""A share of weekend (night) shifts among an agent's shifts at least this many times the
average share over agents with shifts puts them at risk ..."""
MIN_COUNT = 3
"""... if they have at least this many weekend (night) shifts."""


def _flags(assignments: pd.DataFrame, rules: RosterRules) -> pd.DataFrame:
    """Per assignment: agent_id, date, week (Monday), paid_h, night, weekend, peak."""
    rows = assignments.reset_index(drop=True)
    days = [as_date(d) for d in rows["date"]]
    paid = (rows["paid_h"] if "paid_h" in rows
            else (rows["end"] - rows["start"]).dt.total_seconds() / 3600)
    night = (is_night(start_minutes(rows["start"]), end_minutes(pd.Series(days), rows["end"]),
                      rules.night_hours) if len(rows) else np.zeros(0, dtype=bool))
    return pd.DataFrame({
        "agent_id": rows["agent_id"], "date": days, "week": [week_start(d) for d in days],
        "paid_h": paid.to_numpy(dtype=float), "night": night,
        "weekend": [d.weekday() >= 5 for d in days],
        "peak": [d in set(rules.peak_days) for d in days],
    })


def burnout_report(assignments: pd.DataFrame, agents: pd.DataFrame,
                   rules: RosterRules | None = None,
                   requirements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per agent: shifts, paid_h (total h), max_week_h (most paid h in one week),
    overtime_h (h above contract_h_week, summed over weeks), overtime_weeks, longest_run
    (days worked in a row), weekend, night and peak-day shifts, and occupancy (mean
    `occupancy` of the agent's queue over the requirement intervals they work; NaN
    without requirements).

    at_risk when any of: overtime in OVERTIME_WEEKS (2) weeks or more; a weekend (night)
    share of shifts >= SHARE_FACTOR (2) x the average share of agents with shifts, with
    at least MIN_COUNT (3) such shifts; occupancy >= HIGH_OCCUPANCY (0.90); a run of
    max_consecutive_days or more days together with any overtime. `reasons` names them."""
    rules = rules or RosterRules()
    flags = _flags(assignments, rules)
    info = agents.set_index("agent_id")
    weekly = flags.groupby(["agent_id", "week"])["paid_h"].sum().reset_index()
    weekly["over"] = (weekly["paid_h"] - weekly["agent_id"].map(info["contract_h_week"])
                      ).clip(lower=0).round(6)
    per = pd.DataFrame(index=pd.Index(agents["agent_id"], name="agent_id"))
    by = flags.groupby("agent_id")
    per["shifts"] = by.size()
    per["paid_h"] = by["paid_h"].sum()
    per["max_week_h"] = weekly.groupby("agent_id")["paid_h"].max()
    per["overtime_h"] = weekly.groupby("agent_id")["over"].sum()
    per["overtime_weeks"] = weekly[weekly["over"] > 0].groupby("agent_id").size()
    per["longest_run"] = by["date"].agg(_longest_run)
    for column, flag in (("weekend_shifts", "weekend"), ("night_shifts", "night"),
                         ("peak_day_shifts", "peak")):
        per[column] = by[flag].sum()
    per = per.fillna(0)
    for column in ("shifts", "overtime_weeks", "longest_run", "weekend_shifts", "night_shifts",
                   "peak_day_shifts"):
        per[column] = per[column].astype(np.int64)
    per["occupancy"] = (_occupancy(assignments, requirements)
                        if requirements is not None else np.nan)
    per["reasons"] = _reasons(per, rules)
    per["at_risk"] = per["reasons"] != ""
    per["name"] = info["name"]
    per["team"] = info.get("team", "")
    return per.reset_index()[list(BURNOUT_COLUMNS)]


def _longest_run(days: pd.Series) -> int:
    ordered, best, run = sorted(set(days)), 0, 0
    for k, d in enumerate(ordered):
        run = run + 1 if k and d - ordered[k - 1] == timedelta(days=1) else 1
        best = max(best, run)
    return best


def _reasons(per: pd.DataFrame, rules: RosterRules) -> pd.Series:
    parts = []
    for column, label in (("weekend_shifts", "weekend"), ("night_shifts", "night")):
        share = per[column] / per["shifts"].where(per["shifts"] > 0)
        high = (share >= SHARE_FACTOR * share.mean()) & (per[column] >= MIN_COUNT)
        parts.append(high.map({True: f"{label} share >= {SHARE_FACTOR:g}x average",
                               False: ""}))
    parts.append((per["overtime_weeks"] >= OVERTIME_WEEKS).map(
        {True: f"overtime in {OVERTIME_WEEKS}+ weeks", False: ""}))
    parts.append((per["occupancy"] >= HIGH_OCCUPANCY).map(
        {True: f"occupancy >= {HIGH_OCCUPANCY:.0%}", False: ""}))
    long_run = (per["longest_run"] >= rules.max_consecutive_days) & (per["overtime_weeks"] > 0)
    parts.append(long_run.map({True: "long run with overtime", False: ""}))
    if not len(per):
        return pd.Series("", index=per.index, dtype=str)
    return pd.concat(parts, axis=1).apply(lambda r: "; ".join(x for x in r if x), axis=1)


def _occupancy(assignments: pd.DataFrame, requirements: pd.DataFrame) -> pd.Series:
    """Mean requirement occupancy over the intervals each agent works, per agent_id."""
    total = pd.Series(0.0, index=pd.Index(assignments["agent_id"].unique(), name="agent_id"))
    count = total.copy()
    for queue, need in requirements.groupby("queue", sort=True):
        mine = assignments[assignments["queue"] == queue]
        if not len(mine):
            continue
        need = need.sort_values("ds")
        ds = _ns(need["ds"])
        occ = need["occupancy"].to_numpy(dtype=float)
        sums = np.r_[0.0, np.cumsum(np.nan_to_num(occ))]
        counts = np.r_[0, np.cumsum(~np.isnan(occ))]
        lo = np.searchsorted(ds, _ns(mine["start"]), side="left")
        hi = np.searchsorted(ds, _ns(mine["end"]), side="left")
        total = total.add(pd.Series(sums[hi] - sums[lo]).groupby(mine["agent_id"].to_numpy())
                          .sum(), fill_value=0.0)
        count = count.add(pd.Series(counts[hi] - counts[lo]).groupby(mine["agent_id"].to_numpy())
                          .sum(), fill_value=0.0)
    return total / count.where(count > 0)


def _ns(stamps: pd.Series) -> np.ndarray:
    return pd.to_datetime(stamps, utc=True).dt.as_unit("ns").astype("int64").to_numpy()


def fairness_table(assignments: pd.DataFrame, agents: pd.DataFrame,
                   rules: RosterRules | None = None) -> pd.DataFrame:
    """Per agent: night, weekend and peak-day shifts and each one's fair count, the
    team's total split by contract hours (agent's contract_h_week / team's total)."""
    rules = rules or RosterRules()
    flags = _flags(assignments, rules).groupby("agent_id")[["night", "weekend", "peak"]].sum()
    out = agents[["agent_id", "name", "team", "contract_h_week"]].copy()
    team_h = out.groupby("team")["contract_h_week"].transform("sum")
    for column, flag in (("nights", "night"), ("weekends", "weekend"), ("peak_days", "peak")):
        out[column] = out["agent_id"].map(flags[flag]).fillna(0).astype(np.int64)
        team_n = out.groupby("team")[column].transform("sum")
        out[column + "_fair"] = team_n * out["contract_h_week"] / team_h
    return out.reset_index(drop=True)[list(FAIRNESS_COLUMNS)]


def fairness_spread(fairness: pd.DataFrame) -> pd.DataFrame:
    """Per measure (nights, weekends, peak_days): mean, min, max and std of the counts,
    and max_gap, the largest |count - fair count| of any agent."""
    rows = []
    for measure in ("nights", "weekends", "peak_days"):
        counts = fairness[measure]
        gap = (counts - fairness[measure + "_fair"]).abs()
        rows.append({"measure": measure, "mean": counts.mean(), "min": counts.min(),
                     "max": counts.max(), "std": counts.std(ddof=0),
                     "max_gap": gap.max()})
    return pd.DataFrame(rows)

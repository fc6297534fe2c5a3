"""Rostering a whole Q4: `staffing.roster.roster` for 500 agents over 13 weeks (1 October
to 31 December 2026, 92 days, through the end of summer time on 25 October), audited by
`check_roster`.

Agents (`make_agents`): contracts of 24, 32 and 40 h a week (minimum 80% of the contract,
maximum contract + 4 h), skilled for 1 to 3 of four queues, some only on weekdays or with
another fixed day off, some with an earliest start of 07:00 or a latest end of 20:00, a
few days of leave each and a week or two at Christmas for some, and shift preferences
(early, late, nights, no_nights, weekends, no_weekends).

Shifts (`make_schedule`): a schedule in the contract shape of `staffing.schedule`
(queue, shift_id, day, start, end, length_h, paid_h, breaks, agents, pinned, cost, and a
breaks frame), generated rather than solved: each queue's seats each day add up to about
FILL of the paid hours its agents can give that week (their contract prorated by the
days they are available, split over their queues), spread over 8.5 h shifts (8 h paid,
a paid 15-minute break and an unpaid 30-minute lunch), 6 h and 4 h shifts (a paid
15-minute break), quieter weekends, a Black Friday / Cyber Monday bump and a nightly
22:00 shift on the two phone queues (24/7); each break is split over two slots.

Rules: `RosterRules` defaults (11 h rest, at most 5 days in a row, 2 days off a week)
with at most 16 weekend shifts per agent over the quarter and at most 2 shifts on the
peak days (Black Friday and Cyber Monday).

Measured: the time of `roster(...)` (best of one: it runs for tens of seconds), the
time of `check_roster`, violations by rule, unfilled seats, agent-weeks below the
minimum hours, seats given out more often than the schedule has them, breaks dealt, and
whether a second run on the rows shuffled gives the same roster.

Goal: no hard-rule violation (check_roster empty and no seat over-assigned).
"""

from __future__ import annotations

import os
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd

from benchmarks.common import write_result

FIRST, DAYS, TZ = date(2026, 10, 1), 92, "Europe/Amsterdam"
AGENTS = 500
QUEUES = ("en_phone", "de_phone", "en_chat", "nl_email")
ALL_HOURS = ("en_phone", "de_phone")  # 24/7: a night shift at 22:00
QUEUE_WEIGHT = (0.4, 0.25, 0.2, 0.15)
FILL = 0.92
PEAK_DAYS = (date(2026, 11, 27), date(2026, 11, 30))
WEEKDAY_NEED = (1.05, 1.0, 1.0, 1.0, 1.05, 0.7, 0.55)

# (start hour, length h, paid h, break list, weight in seat-hours)
# breaks: (break_no, minutes after the start, length min, paid)
LONG = ((0, 120, 15, True), (1, 240, 30, False))
SHORT_6 = ((0, 180, 15, True),)
SHORT_4 = ((0, 120, 15, True),)
TEMPLATES = (
    *[(h, 8.5, 8.0, LONG, w) for h, w in ((6, 0.05), (7, 0.1), (8, 0.14), (9, 0.12),
                                          (10, 0.1), (11, 0.08), (12, 0.07), (13, 0.06),
                                          (14, 0.05))],
    *[(h, 6.0, 6.0, SHORT_6, w) for h, w in ((8, 0.03), (10, 0.03), (12, 0.03), (14, 0.03),
                                             (16, 0.03))],
    *[(h, 4.0, 4.0, SHORT_4, w) for h, w in ((10, 0.03), (12, 0.02), (16, 0.03),
                                             (18, 0.02))],
)
NIGHT = (22, 8.5, 8.0, LONG, 0.05)


def make_agents(n: int = AGENTS, seed: int = 17) -> pd.DataFrame:
    """`n` agents in the `data.read_agents` contract."""
    rng = np.random.default_rng(seed)
    prefs = [(), (), ("early",), ("late",), ("nights",), ("no_nights",), ("weekends",),
             ("no_weekends",), ("early", "no_weekends")]
    rows = []
    for i in range(n):
        contract = float(rng.choice([24, 32, 40], p=[0.25, 0.25, 0.5]))
        skills = rng.choice(QUEUES, size=int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])),
                            replace=False, p=QUEUE_WEIGHT)
        kind = rng.random()
        if kind < 0.1:
            days = tuple(range(5))  # weekdays only
        elif kind < 0.2:
            off = int(rng.integers(7))
            days = tuple(d for d in range(7) if d != off)  # one fixed day off
        else:
            days = tuple(range(7))
        leave = {FIRST + timedelta(days=int(x))
                 for x in rng.choice(DAYS, size=int(rng.integers(0, 6)), replace=False)}
        if rng.random() < 0.15:  # a week or two at Christmas
            start = date(2026, 12, 19) + timedelta(days=int(rng.integers(0, 7)))
            leave |= {start + timedelta(days=k) for k in range(int(rng.choice([7, 14])))}
        leave = {d for d in leave if FIRST <= d < FIRST + timedelta(days=DAYS)}
        rows.append({
            "agent_id": f"A{i:04d}", "name": f"Agent {i:04d}", "team": f"T{i % 25:02d}",
            "queues": tuple(sorted(str(q) for q in skills)),
            "contract_h_week": contract, "min_h_week": 0.8 * contract,
            "max_h_week": contract + 4.0, "available_days": days,
            "earliest_start_min": 420 if rng.random() < 0.1 else 0,
            "latest_end_min": 1200 if rng.random() < 0.1 else 1440,
            "unavailable": tuple(sorted(leave)),
            "preferences": prefs[int(rng.integers(len(prefs)))]})
    return pd.DataFrame(rows)


def queue_hours(agents: pd.DataFrame) -> pd.DataFrame:
    """Paid hours each queue's agents can give each day: every agent's weekly contract
    prorated by the days they are available that week (as the rosterer prorates its
    targets), spread over the week's days by WEEKDAY_NEED and split over their queues."""
    dates = [FIRST + timedelta(days=k) for k in range(DAYS)]
    week = np.array([(d - timedelta(days=d.weekday()) - FIRST).days // 7 for d in dates])
    need = np.array([WEEKDAY_NEED[d.weekday()] for d in dates])
    hours = np.zeros((len(QUEUES), DAYS))
    for row in agents.itertuples(index=False):
        able = np.array([d.weekday() in row.available_days and d not in row.unavailable
                         for d in dates])
        usual = max(len(row.available_days), 1)
        for w in np.unique(week):
            days = week == w
            weekly = row.contract_h_week * able[days].sum() / usual  # a part week: less
            per_queue = weekly * need[days] / need[days].sum() / len(row.queues)
            for q in row.queues:
                hours[QUEUES.index(q), days] += per_queue
    return pd.DataFrame(hours.T, index=pd.Index(dates, name="day"), columns=list(QUEUES))


def make_schedule(agents: pd.DataFrame, seed: int = 23) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shifts and breaks for every queue and day, FILL of the agents' hours (more on the
    peak days), in the DESIGN shift contract."""
    rng = np.random.default_rng(seed)
    capacity = queue_hours(agents)
    shifts, breaks = [], []
    for day, row in capacity.iterrows():
        bump = 1.1 if day in PEAK_DAYS else 1.0
        midnight = pd.Timestamp(day)
        for queue in QUEUES:
            plan = TEMPLATES + ((NIGHT,) if queue in ALL_HOURS else ())
            weights = np.array([t[4] for t in plan])
            paid = np.array([t[2] for t in plan])
            hours = row[queue] * FILL * bump * weights / weights.sum()
            expected = hours / paid
            seats = np.floor(expected + rng.random(len(plan))).astype(int)  # unbiased
            for (hour, length_h, paid_h, rules, _), count in zip(plan, seats, strict=True):
                if count <= 0:
                    continue
                start = (midnight + pd.Timedelta(hours=hour)).tz_localize(TZ)
                end = start + pd.Timedelta(hours=length_h)  # absolute: DST-safe
                sid = f"{queue}-{start:%Y%m%d-%H%M%z}-{length_h:g}h"
                slots = []
                for no, after, minutes, is_paid in rules:
                    first = count - count // 2
                    for shift_min, agents_ in ((0, first), (15, count // 2)):
                        if agents_:
                            at = start + pd.Timedelta(minutes=after + shift_min)
                            slots.append((no, at, at + pd.Timedelta(minutes=minutes),
                                          is_paid, agents_))
                text = "; ".join(f"{a:%H:%M}-{b:%H:%M} x{n}" for _, a, b, _, n in slots)
                shifts.append({"queue": queue, "shift_id": sid, "day": day, "start": start,
                               "end": end, "length_h": length_h, "paid_h": paid_h,
                               "breaks": text, "agents": int(count), "pinned": 0,
                               "cost": 25.0 * paid_h * count})
                breaks += [{"queue": queue, "shift_id": sid, "break_no": no,
                            "break_start": a, "break_end": b, "paid": p, "agents": n}
                           for no, a, b, p, n in slots]
    shift_frame = pd.DataFrame(shifts)
    for column in ("start", "end"):
        shift_frame[column] = pd.to_datetime(shift_frame[column].tolist()).tz_convert(TZ)
    break_frame = pd.DataFrame(breaks)
    for column in ("break_start", "break_end"):
        break_frame[column] = pd.to_datetime(break_frame[column].tolist()).tz_convert(TZ)
    return shift_frame, break_frame


def make_rules():
    from staffing import RosterRules

    return RosterRules(max_weekend_shifts=16, max_peak_day_shifts=2, peak_days=PEAK_DAYS)


def consistency(shifts: pd.DataFrame, breaks: pd.DataFrame, roster_) -> dict:
    """Seats given out more often than scheduled, assignments to unknown shifts, and
    assignments of shifts with breaks that got none or the wrong number."""
    a = roster_.assignments
    given = a.groupby(["queue", "shift_id"]).size()
    seats = shifts.set_index(["queue", "shift_id"])["agents"]
    unknown = int((~given.index.isin(seats.index)).sum())
    over = (given - seats.reindex(given.index).fillna(0)).clip(lower=0)
    unfilled = int(roster_.unfilled["agents_missing"].sum())
    numbers = breaks.groupby(["queue", "shift_id"])["break_no"].nunique()
    expected = numbers.reindex(pd.MultiIndex.from_frame(a[["queue", "shift_id"]])).fillna(0)
    got = a["breaks"].fillna("").map(lambda t: len([x for x in t.split(", ") if x]))
    return {"seats_over_assigned": int(over.sum()), "assignments_to_unknown_shifts": unknown,
            "seats_assigned_plus_unfilled_equals_seats":
                bool(len(a) + unfilled == int(shifts["agents"].sum())),
            "assignments_with_wrong_break_count": int(
                (got.to_numpy() != expected.to_numpy()).sum())}


def by_contract(hours: pd.DataFrame, agents: pd.DataFrame) -> dict:
    """Per contract: mean paid hours against the (prorated) target in whole weeks of the
    quarter, the share of those agent-weeks below the minimum and above the target."""
    inner = hours[hours["target_h"] > 0].merge(agents[["agent_id", "contract_h_week"]],
                                               on="agent_id")
    full = inner[inner["week"].map(lambda w: FIRST <= w <= FIRST + timedelta(days=DAYS - 7))]
    out = {}
    for contract, rows in full.groupby("contract_h_week"):
        out[f"{contract:g}h"] = {
            "agent_weeks": len(rows),
            "paid_over_target": round(float(rows["paid_h"].sum() / rows["target_h"].sum()), 3),
            "below_min_share": round(float(rows["below_min"].mean()), 3),
            "above_target_share": round(float((rows["paid_h"] > rows["target_h"] + 1e-6)
                                              .mean()), 3)}
    return out


def run() -> tuple[dict, object]:
    """Roster the quarter, check it, roster it again from shuffled rows."""
    from staffing import check_roster, roster

    agents = make_agents()
    shifts, breaks = make_schedule(agents)
    rules = make_rules()
    began = time.perf_counter()
    result = roster(shifts, breaks, agents, rules)
    roster_s = time.perf_counter() - began
    began = time.perf_counter()
    violations = check_roster(result.assignments, agents, rules)
    check_s = time.perf_counter() - began
    checks = consistency(shifts, breaks, result)
    same, again_s = rerun_shuffled(shifts, breaks, agents, rules, result)
    result_dict = {
        **_setup(agents, shifts, breaks, rules),
        "machine_load_average_1min": round(os.getloadavg()[0], 2),
        "roster_s": round(roster_s, 2), "check_roster_s": round(check_s, 2),
        **_seats(result, shifts), **_violations(violations), "consistency": checks,
        **_hours(result, agents), **_wellbeing(result),
        "rerun_shuffled_rows": {"same_roster": same, "roster_s": round(again_s, 2)},
        "goal": {"violations": 0, "seats_over_assigned": 0},
        "goal_met": bool(len(violations) == 0 and checks["seats_over_assigned"] == 0
                         and checks["assignments_to_unknown_shifts"] == 0)}
    return result_dict, write_result("roster", result_dict)


def rerun_shuffled(shifts: pd.DataFrame, breaks: pd.DataFrame, agents: pd.DataFrame,
                   rules, result) -> tuple[bool, float]:
    """Roster again from the rows shuffled: whether the roster is the same, and the
    seconds it took."""
    from staffing import roster

    order = np.random.default_rng(1).permutation
    began = time.perf_counter()
    again = roster(shifts.iloc[order(len(shifts))], breaks.iloc[order(len(breaks))],
                   agents.iloc[order(len(agents))], rules)
    again_s = time.perf_counter() - began
    key = ["agent_id", "date", "shift_id"]
    same = bool(result.assignments[key].sort_values(key).reset_index(drop=True).equals(
        again.assignments[key].sort_values(key).reset_index(drop=True)))
    return same, again_s


def _setup(agents: pd.DataFrame, shifts: pd.DataFrame, breaks: pd.DataFrame,
           rules) -> dict:
    """The quarter's size: days, agents, queues, rows, seats and their paid hours
    against the hours the agents can give, contracts and rules."""
    capacity_h = float(queue_hours(agents).to_numpy().sum())
    paid_seat_h = float((shifts["paid_h"] * shifts["agents"]).sum())
    return {
        "days": DAYS, "first_day": str(FIRST), "agents": len(agents), "queues": len(QUEUES),
        "shift_rows": len(shifts), "break_rows": len(breaks),
        "seats": int(shifts["agents"].sum()),
        "seat_paid_hours": round(paid_seat_h), "agent_paid_hours_available": round(capacity_h),
        "fill": round(paid_seat_h / capacity_h, 3),
        "contracts": agents["contract_h_week"].value_counts().sort_index().to_dict(),
        "rules": {"min_rest_h": rules.min_rest_h,
                  "max_consecutive_days": rules.max_consecutive_days,
                  "min_days_off_per_week": rules.min_days_off_per_week,
                  "max_weekend_shifts": rules.max_weekend_shifts,
                  "max_peak_day_shifts": rules.max_peak_day_shifts,
                  "peak_days": [str(d) for d in rules.peak_days]}}


def _seats(result, shifts: pd.DataFrame) -> dict:
    """Assignments and their paid hours; seats left unfilled, by queue, weekday and
    start hour."""
    seats = int(shifts["agents"].sum())
    unfilled = result.unfilled
    return {
        "assignments": len(result.assignments),
        "assigned_paid_hours": round(float(result.assignments["paid_h"].sum())),
        "seats_unfilled": int(result.seats_unfilled),
        "seats_unfilled_share": round(result.seats_unfilled / seats, 4),
        "unfilled_by_queue": unfilled.groupby("queue")["agents_missing"].sum().to_dict(),
        "unfilled_by_weekday": unfilled.assign(
            weekday=[pd.Timestamp(d).day_name()[:3] for d in unfilled["day"]])
        .groupby("weekday")["agents_missing"].sum().to_dict(),
        "unfilled_by_start_hour": unfilled.assign(hour=unfilled["start"].dt.hour)
        .groupby("hour")["agents_missing"].sum().to_dict()}


def _violations(violations: pd.DataFrame) -> dict:
    """Hard-rule violations found by `check_roster`: how many, by rule, a few examples."""
    by_rule = violations["rule"].value_counts().to_dict() if len(violations) else {}
    return {"violations": len(violations), "violations_by_rule": by_rule,
            "violation_examples": violations.head(5).astype(str).to_dict("records")}


def _hours(result, agents: pd.DataFrame) -> dict:
    """Agent-weeks below the minimum hours, paid hours over and under target, and the
    hours by contract."""
    hours = result.hours
    below = result.agents_below_min
    full_weeks = hours.groupby("week")["target_h"].transform("sum") > 0
    return {
        "agent_weeks": int(full_weeks.sum()),
        "agent_weeks_below_min": len(below),
        "agents_below_min_any_week": int(below["agent_id"].nunique()),
        "agent_weeks_below_min_by_week": below.groupby("week").size().astype(int)
        .rename(index=str).to_dict(),
        "paid_h_over_target": round(float((hours["paid_h"] - hours["target_h"]).clip(lower=0)
                                          .sum()), 1),
        "paid_h_under_target": round(float((hours["target_h"] - hours["paid_h"]).clip(lower=0)
                                           .sum()), 1),
        "hours_by_contract": by_contract(hours, agents)}


def _wellbeing(result) -> dict:
    """Agents at risk of burnout and why; the fairness spread."""
    from staffing import fairness_spread

    spread = fairness_spread(result.fairness)
    return {
        "burnout_at_risk": int(result.burnout["at_risk"].sum()),
        "burnout_reasons": result.burnout["reasons"].str.split("; ").explode()
        .loc[lambda r: r.fillna("") != ""].value_counts().to_dict(),
        "fairness_spread": spread.reset_index().astype(str).to_dict("records")
        if spread is not None else None}

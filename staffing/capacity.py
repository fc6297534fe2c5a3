"""Capacity and hiring plan: weekly FTE need per queue against the staff on hand.

Need comes from the requirements frame (scheduled agents per interval, shrinkage
included), staff from the agents file. Staff on hand leave at a steady attrition rate;
new hires start whole, ramp up to full productivity and leave at the same rate. The
plan says, per queue and week, how short the queue is without and with the hires it
proposes, and which weeks stay at risk because no hire can be ready in time.

Units: hours are paid hours a week; one FTE is `hours_per_fte` of them; weeks are the
Monday (naive local date at midnight) of the contact centre's calendar week.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from data.agents import MAX_H_WEEK
from data.errors import ConfigError, DataError
from data.schema import AGENT_ID, CONTRACT_H_WEEK, DS, QUEUES
from data.settings import Check, Settings, setting

__all__ = [
    "DEFAULT_HOURS_PER_FTE",
    "NEED_COLUMNS",
    "PLAN_COLUMNS",
    "SUMMARY_COLUMNS",
    "TOTAL",
    "CapacityRules",
    "capacity_plan",
    "headcount",
    "hire_fte",
    "hiring_summary",
    "weekly_attrition",
    "weekly_need",
]

KEY = "staffing.capacity."
DEFAULT_HOURS_PER_FTE = 38.0
"""Paid hours a week of one full-time equivalent."""
TOTAL = "total"
"""`queue` of the row of `hiring_summary` that adds up every queue."""
TOLERANCE_FTE = 1e-6
"""A gap at or below this many FTE counts as covered (floating-point noise)."""
QUEUE = "queue"
WEEK = "week"
NEED_COLUMNS = (QUEUE, WEEK, "agent_hours", "fte_needed", "days")
PLAN_COLUMNS = (QUEUE, WEEK, "fte_needed", "fte_without_hires", "hires_starting",
                "fte_with_hires", "gap_without_hires", "gap_with_hires",
                "at_risk_without_hires", "at_risk_with_hires", "partial_week")
SUMMARY_COLUMNS = (QUEUE, "hires", "first_start_week", "weeks_at_risk_without",
                   "weeks_at_risk_with")
_ONE_WEEK = pd.Timedelta(days=7)


def _is_number(value: object) -> bool:
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool) and math.isfinite(value))


def _check_hours_per_fte(value: object) -> None:
    _hours_per_fte(KEY + "hours_per_fte", value)


def _hours_per_fte(key: str, value: object) -> float:
    if not _is_number(value) or not 0 < value <= MAX_H_WEEK:
        raise ConfigError(key, value, f"must be paid hours a week above 0, at most {MAX_H_WEEK:g}")
    return value


def _checked(ok, problem: str) -> Check:
    """A check that keeps the value where `ok(value)` holds."""
    def check(key: str, value: object) -> object:
        if not _is_number(value) or not ok(value):
            raise ConfigError(key, value, problem)
        return value
    return check


def _monday(key: str, value: object) -> pd.Timestamp | None:
    """A date, datetime or ISO text as the naive midnight of its day, which must be a Monday."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise ConfigError(key, value, "must be a date such as 2026-09-07")
    stamp = (stamp.tz_localize(None) if stamp.tz is not None else stamp).normalize()
    if stamp.day_of_week != 0:
        raise ConfigError(key, value, f"must be a Monday, not a {stamp.day_name()}")
    return stamp


def _weeks(low: int, unit: str) -> Check:
    def check(key: str, value: object) -> int:
        if not _is_number(value) or not float(value).is_integer() or value < low:
            raise ConfigError(key, value, f"must be a whole number of {unit}, {low} or more")
        return int(value)
    return check


@dataclass(frozen=True)
class CapacityRules(Settings):
    """How staff leave, how long hiring takes and how fast hires become productive.

    hours_per_fte: paid hours a week of one FTE; a hire is one full-time contract of
        that many hours, so one hire is 1 FTE once fully productive;
    attrition_per_year: share of staff that leave within a year (0.35; 0.30-0.45 is
        typical of contact centres), applied weekly as 1 - (1 - r) ** (1 / 52);
    hiring_lead_weeks: weeks from deciding to hire until the hire's first week;
    ramp_weeks: weeks until a hire is fully productive; ramp_start: productive share in
        the first week, rising linearly to 1 in week `ramp_weeks` after the start;
    plan_week: the Monday on which hiring can first be decided (None: the first week of
        the need); min_hire_batch: hires start in whole multiples of this many people;
    max_hires_per_week: most hires of a queue that can start in one week (a training
        class; None: no cap); needs beyond it start in the weeks before, else after.
    """

    SECTION = "staffing.capacity"

    hours_per_fte: float = setting(DEFAULT_HOURS_PER_FTE, check=_hours_per_fte)
    attrition_per_year: float = setting(0.35, check=_checked(
        lambda v: 0 <= v < 1, "must be a yearly share in [0, 1), e.g. 0.35"))
    hiring_lead_weeks: int = setting(6, check=_weeks(0, "weeks"))
    ramp_weeks: int = setting(4, check=_weeks(0, "weeks"))
    ramp_start: float = setting(0.5, check=_checked(
        lambda v: 0 < v <= 1, "must be the first week's productive share in (0, 1], e.g. 0.5"))
    plan_week: pd.Timestamp | date | str | None = setting(
        None, check=_monday, dump=lambda week: None if week is None else week.date())
    min_hire_batch: int = setting(1, check=_weeks(1, "people"))
    max_hires_per_week: int | None = setting(None, check=lambda key, value: None if value is None
                                             else _weeks(1, "people")(key, value))

    def check_together(self) -> None:
        if self.max_hires_per_week is not None and self.max_hires_per_week < self.min_hire_batch:
            raise ConfigError(self.key_of("max_hires_per_week"), self.max_hires_per_week,
                              f"is below min_hire_batch ({self.min_hire_batch}): no batch "
                              "could start")


def weekly_attrition(attrition_per_year: float) -> float:
    """Weekly leaving rate (share of staff a week) of a yearly attrition share.

    >>> round(weekly_attrition(0.35), 6)  # 35% a year is 0.825% a week
    0.00825
    >>> round((1 - weekly_attrition(0.35)) ** 52, 12)  # a year of weeks keeps 65%
    0.65
    """
    return 1.0 - (1.0 - attrition_per_year) ** (1.0 / 52.0)


def hire_fte(weeks_since_start, rules: CapacityRules) -> np.ndarray:
    """FTE one hire gives `weeks_since_start` weeks after starting (0 = the start week):
    the ramp share times the chance of still being there; 0 before the start.

    >>> [round(float(x), 3) for x in hire_fte([-1, 0, 2, 4], CapacityRules(attrition_per_year=0))]
    [0.0, 0.5, 0.75, 1.0]
    """
    weeks = np.asarray(weeks_since_start, dtype=float)
    done = weeks >= rules.ramp_weeks
    share = np.where(done, 1.0, rules.ramp_start
                     + (1.0 - rules.ramp_start) * weeks / max(rules.ramp_weeks, 1))
    stay = (1.0 - weekly_attrition(rules.attrition_per_year)) ** np.maximum(weeks, 0.0)
    return np.where(weeks < 0, 0.0, share * stay)


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"the {what} frame has no column '{missing[0]}'", column=missing[0],
                        expected=", ".join(columns))


def _week_of(ds: pd.Series) -> pd.Series:
    """Monday (naive local midnight) of each timestamp's local calendar week."""
    local = ds.dt.tz_localize(None) if ds.dt.tz is not None else ds
    day = local.dt.normalize()
    return (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).astype("datetime64[ns]")


def weekly_need(requirements: pd.DataFrame, interval_min: float,
                hours_per_fte: float = DEFAULT_HOURS_PER_FTE) -> pd.DataFrame:
    """Agent hours and FTE needed per queue and week (NEED_COLUMNS), and the days of the
    week the requirements cover (`days` < 7: a partial week at the season's edge).

    agent_hours = sum of `agents_gross` (agents to schedule, shrinkage included) over the
    week's intervals x interval_min / 60; fte_needed = agent_hours / hours_per_fte. Hours
    come from the intervals actually present, so a daylight-saving week counts its 25- or
    23-hour day as it is. `week` is the Monday of the interval's local date.
    """
    _require(requirements, (QUEUE, DS, "agents_gross"), "requirements")
    if not _is_number(interval_min) or not 0 < interval_min <= 1440:
        raise ConfigError("staffing.interval_min", interval_min,
                          "must be minutes above 0, at most 1440")
    _check_hours_per_fte(hours_per_fte)
    agents = pd.to_numeric(requirements["agents_gross"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(agents) | (agents < 0)
    if bad.any():
        raise DataError(f"{int(bad.sum())} interval(s) have no or a negative agent count",
                        column="agents_gross", expected="agents to schedule, 0 or more")
    local = requirements[DS].dt.tz_localize(None) if requirements[DS].dt.tz is not None \
        else requirements[DS]
    frame = pd.DataFrame({QUEUE: requirements[QUEUE].to_numpy(),
                          WEEK: _week_of(requirements[DS]).to_numpy(),
                          "agent_hours": agents * interval_min / 60.0,
                          "day": local.dt.normalize().to_numpy()})
    out = frame.groupby([QUEUE, WEEK], as_index=False, sort=True).agg(
        agent_hours=("agent_hours", "sum"), days=("day", "nunique"))
    out["fte_needed"] = out["agent_hours"] / hours_per_fte
    return out[list(NEED_COLUMNS)].reset_index(drop=True)


def headcount(agents: pd.DataFrame, hours_per_fte: float = DEFAULT_HOURS_PER_FTE,
              weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """FTE on hand per queue: [queue, fte_on_hand, agents].

    Each agent's contract hours are split across the queues they work: evenly (an agent
    of 40 h on two queues gives 20 h to each), or in proportion to `weights` per queue
    (e.g. the season's need, so a multi-skilled agent's hours go where the work is; a
    queue without weight gets none of a shared agent's hours unless all are without).
    The FTE of all queues adds up to the total contract hours / hours_per_fte. `agents`
    counts the people who work the queue; an agent on several queues counts in each.
    """
    _require(agents, (AGENT_ID, QUEUES, CONTRACT_H_WEEK), "agents")
    _check_hours_per_fte(hours_per_fte)
    queues = [tuple(dict.fromkeys(q)) for q in agents[QUEUES]]
    if any(not q for q in queues):
        raise DataError("an agent works no queue", column=QUEUES, expected="one queue or more")
    contract = agents[CONTRACT_H_WEEK].to_numpy(dtype=float)
    rows = []
    for agent, skills, total in zip(agents[AGENT_ID].to_numpy(), queues, contract,
                                    strict=True):
        weight = np.array([max(float((weights or {}).get(q, 0.0)), 0.0) for q in skills])
        if weights is None or weight.sum() <= 0:
            weight = np.ones(len(skills))
        for queue, share in zip(skills, weight / weight.sum(), strict=True):
            rows.append((queue, total * share, agent))
    long = pd.DataFrame(rows, columns=[QUEUE, "hours", AGENT_ID])
    out = long.groupby(QUEUE, as_index=False, sort=True).agg(
        hours=("hours", "sum"), agents=(AGENT_ID, "nunique"))
    out["fte_on_hand"] = out["hours"] / hours_per_fte
    return out[[QUEUE, "fte_on_hand", "agents"]]


def _start_weeks(best: int, earliest: int, week: int) -> list[int]:
    """Start weeks for hires needed in `week`, best first: `best` (as late as possible yet
    ramped up by `week`), then earlier down to `earliest`, then later up to `week`."""
    return [*range(best, earliest - 1, -1), *range(best + 1, week + 1)]


def _place(hires: np.ndarray, people: int, starts: list[int], rules: CapacityRules) -> None:
    """Add `people` hires (in whole batches) to `hires`, filling the start weeks in order up
    to `max_hires_per_week`; what no week can take is not hired (the week stays at risk)."""
    batch, cap = rules.min_hire_batch, rules.max_hires_per_week
    wanted = math.ceil(people / batch) * batch
    for start in starts:
        room = wanted if cap is None else (cap - hires[start]) // batch * batch
        take = min(room, wanted)
        hires[start] += take
        wanted -= take
        if wanted <= 0:
            return


def _hires(needed: np.ndarray, without: np.ndarray, earliest: int,
           rules: CapacityRules) -> tuple[np.ndarray, np.ndarray]:
    """Whole hires per start week and the FTE they give per week (see capacity_plan).

    A week still short starts as many hires as cover it given their ramp share, but never
    more than the weeks up to one ramp ahead can use once they are ramped up (needs after
    that are met by later, then ramped, hires): extra heads bought for a ramp would
    otherwise be surplus for the rest of the season."""
    n = len(needed)
    steps = np.arange(n)
    lag = np.subtract.outer(steps, steps)  # [week, start week]
    gives = hire_fte(lag, rules)
    ramped = hire_fte(lag, replace(rules, ramp_weeks=0))  # attrition only
    hires = np.zeros(n, dtype=np.int64)
    for week in range(n):
        gap = needed[week] - without[week] - gives[week] @ hires
        best = max(earliest, week - rules.ramp_weeks)
        if gap <= TOLERANCE_FTE or best > week:
            continue
        horizon = slice(week, week + rules.ramp_weeks + 1)  # after it, later hires are ramped
        later = needed[horizon] - without[horizon] - ramped[horizon] @ hires
        usable = np.max(later) / ramped[week, best]
        people = min(math.ceil(gap / gives[week, best] - 1e-9), math.ceil(usable - 1e-9))
        if people > 0:
            _place(hires, people, _start_weeks(best, earliest, week), rules)
    return hires, gives @ hires


def _queue_plan(needed: np.ndarray, fte_on_hand: float, offset: np.ndarray,
                rules: CapacityRules) -> dict[str, np.ndarray]:
    leave = weekly_attrition(rules.attrition_per_year)
    without = fte_on_hand * (1.0 - leave) ** np.maximum(offset, 0)
    earliest = int(rules.hiring_lead_weeks - offset[0])
    hires, gained = _hires(needed, without, earliest, rules)
    with_hires = without + gained
    return {"fte_needed": needed, "fte_without_hires": without, "hires_starting": hires,
            "fte_with_hires": with_hires, "gap_without_hires": needed - without,
            "gap_with_hires": needed - with_hires,
            "at_risk_without_hires": needed - without > TOLERANCE_FTE,
            "at_risk_with_hires": needed - with_hires > TOLERANCE_FTE}


def _need_weeks(need: pd.DataFrame) -> pd.Series:
    weeks = pd.to_datetime(need[WEEK])
    if weeks.dt.tz is not None:
        weeks = weeks.dt.tz_localize(None)
    weeks = weeks.astype("datetime64[ns]")
    if (weeks != weeks.dt.normalize()).any() or (weeks.dt.day_of_week != 0).any():
        raise DataError("a week is not a Monday at midnight", column=WEEK,
                        expected="the Monday of each week, as weekly_need gives it")
    return weeks


def capacity_plan(need: pd.DataFrame, on_hand: pd.DataFrame,
                  rules: CapacityRules | None = None) -> pd.DataFrame:
    """FTE needed, available without and with hires, and the hires to start, per queue and
    week (PLAN_COLUMNS; FTE at `rules.hours_per_fte`, gap = needed - available, > 0 short).

    `need` is `weekly_need`'s frame, `on_hand` is `headcount`'s (queues without staff have
    0 FTE; staffed queues with no need are left out). Weeks run from the earlier of
    plan_week and the first week of need to the last week of need; weeks without need
    have 0. Staff on hand in week w are fte_on_hand x (1 - weekly attrition) ** (weeks
    since plan_week). Hiring walks the weeks in order: where a week is short even with the
    hires so far, whole hires (1 FTE each once ramped) start in week max(plan_week +
    hiring_lead_weeks, w - ramp_weeks), as late as possible yet fully productive by w when
    the lead time allows; their count covers the gap given their ramp share and attrition
    by week w, but never exceeds what the weeks from w on can use once they are ramped up
    (a ramp is not bought with heads the later weeks would carry as surplus: such a week
    stays at risk), rounded up to min_hire_batch.
    At most max_hires_per_week start in one week: the rest start in the weeks before,
    else after. Short weeks before the earliest start stay at risk with hires.
    partial_week marks weeks that the requirements cover on fewer than 7 days (the
    season's first and last week), whose need is for those days only.
    """
    rules = rules if rules is not None else CapacityRules()
    _require(need, (QUEUE, WEEK, "fte_needed"), "need")
    _require(on_hand, (QUEUE, "fte_on_hand"), "on-hand")
    if need.empty:
        return pd.DataFrame({c: [] for c in PLAN_COLUMNS})
    weeks = _need_weeks(need)
    plan_week = rules.plan_week if rules.plan_week is not None else weeks.min()
    calendar = pd.date_range(min(plan_week, weeks.min()), weeks.max(), freq="7D",
                             unit="ns")
    offset = ((calendar - plan_week) // _ONE_WEEK).to_numpy(dtype=np.int64)
    staff = on_hand.groupby(QUEUE)["fte_on_hand"].sum()
    long = pd.DataFrame({QUEUE: need[QUEUE].to_numpy(), WEEK: weeks.to_numpy(),
                         "fte": need["fte_needed"].to_numpy(dtype=float),
                         "days": need["days"].to_numpy() if "days" in need else 7})
    table = long.pivot_table(index=WEEK, columns=QUEUE, values="fte", aggfunc="sum") \
        .reindex(calendar).fillna(0.0)
    days = long.pivot_table(index=WEEK, columns=QUEUE, values="days", aggfunc="max") \
        .reindex(calendar).fillna(0)
    parts = []
    for queue in table.columns:
        columns = _queue_plan(table[queue].to_numpy(dtype=float, copy=True),
                              float(staff.get(queue, 0.0)), offset, rules)
        covered = days[queue].to_numpy()
        parts.append(pd.DataFrame({QUEUE: queue, WEEK: calendar, **columns,
                                   "partial_week": (covered > 0) & (covered < 7)}))
    return pd.concat(parts, ignore_index=True)[list(PLAN_COLUMNS)]


def hiring_summary(plan: pd.DataFrame, *, total: bool = True) -> pd.DataFrame:
    """Per queue: hires (people), first_start_week (NaT: none), and the weeks at risk
    without and with hires (SUMMARY_COLUMNS). With `total`, a last row `queue` = TOTAL
    adds the hires, takes the first start and counts the weeks in which any queue is at
    risk.
    """
    _require(plan, PLAN_COLUMNS, "plan")
    starts = plan[WEEK].where(plan["hires_starting"] > 0)
    frame = plan.assign(start=starts)
    rows = frame.groupby(QUEUE, as_index=False, sort=True).agg(
        hires=("hires_starting", "sum"), first_start_week=("start", "min"),
        weeks_at_risk_without=("at_risk_without_hires", "sum"),
        weeks_at_risk_with=("at_risk_with_hires", "sum"))
    if total:
        weekly = frame.groupby(WEEK)[["at_risk_without_hires", "at_risk_with_hires"]].any()
        rows = pd.concat([rows, pd.DataFrame({
            QUEUE: [TOTAL], "hires": [plan["hires_starting"].sum()],
            "first_start_week": [starts.min()],
            "weeks_at_risk_without": [weekly["at_risk_without_hires"].sum()],
            "weeks_at_risk_with": [weekly["at_risk_with_hires"].sum()]})], ignore_index=True)
    counts = ["hires", "weeks_at_risk_without", "weeks_at_risk_with"]
    rows[counts] = rows[counts].astype(np.int64)
    rows["first_start_week"] = pd.to_datetime(rows["first_start_week"])
    return rows[list(SUMMARY_COLUMNS)]

"""Shift rules and templates: which shifts may start when, with which breaks, at what cost.

`ScheduleRules` is the `[schedule]` table of a season's TOML (or a rules.toml of its own);
`templates` lists every shift that may start on the intervals of a requirement, with the
intervals it covers, its break windows and its cost. Pure: no solver here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.errors import ConfigError, check_known_keys

__all__ = ["BreakRule", "ScheduleRules", "ShiftRule", "Templates", "parse_schedule_rules",
           "schedule_rules_table", "templates"]

SOLVERS = ("highs", "cbc")


@dataclass(frozen=True)
class BreakRule:
    """A break of `length_min` that starts between `earliest_h` and `latest_h` after the
    shift's start (anywhere in that window: the optimiser places it); paid or unpaid."""

    length_min: int = 30
    earliest_h: float = 3.0
    latest_h: float = 5.0
    paid: bool = False


@dataclass(frozen=True)
class ShiftRule:
    """A shift length (start to end, breaks included) and its breaks."""

    length_h: float
    breaks: tuple[BreakRule, ...] = ()


def _default_shifts() -> tuple[ShiftRule, ...]:
    lunch = BreakRule(30, 3.0, 5.0, False)
    return (ShiftRule(4.0, (BreakRule(15, 1.5, 2.5, True),)),
            ShiftRule(6.0, (BreakRule(15, 2.0, 4.0, True),)),
            ShiftRule(8.0, (lunch, BreakRule(15, 1.5, 2.5, True))),
            ShiftRule(10.0, (BreakRule(30, 4.0, 6.0, False), BreakRule(15, 1.5, 3.0, True))))


@dataclass(frozen=True)
class ScheduleRules:
    """How shifts are designed and solved. Costs per paid hour; premiums are shares added
    for the paid hours at night, at weekends and on holidays; penalties per agent and
    interval short of (under) or above (over) the requirement."""

    shifts: tuple[ShiftRule, ...] = field(default_factory=_default_shifts)
    start_step_min: int = 30
    hourly_cost: float = 25.0
    night_premium: float = 0.25
    night_start_min: int = 22 * 60
    night_end_min: int = 6 * 60
    weekend_premium: float = 0.5
    holiday_premium: float = 1.0
    holidays: tuple[date, ...] = ()
    full_time_h: float = 8.0
    part_time_max_share: float = 1.0
    max_agents_per_day: int = 0
    under_penalty: float = 500.0
    over_penalty: float = 1.0
    solver: str = "highs"
    method: str = "two_phase"
    time_limit_s: float = 60.0
    gap_rel: float = 0.005


@dataclass(frozen=True)
class Templates:
    """Every shift that may start, with NumPy arrays over the shifts: start interval,
    length in intervals, paid hours, cost, part-time flag; and per break (shift, break
    number, first and last start interval, length in intervals, paid)."""

    start: np.ndarray
    length: np.ndarray
    rule: np.ndarray
    paid_h: np.ndarray
    cost: np.ndarray
    part_time: np.ndarray
    break_shift: np.ndarray
    break_no: np.ndarray
    break_first: np.ndarray
    break_last: np.ndarray
    break_length: np.ndarray
    break_paid: np.ndarray


def _hour_cost(ds: pd.Series, rules: ScheduleRules) -> np.ndarray:
    """Cost of one agent for one hour starting at each interval start (premiums added)."""
    minute = (ds.dt.hour * 60 + ds.dt.minute).to_numpy()
    if rules.night_start_min > rules.night_end_min:
        night = (minute >= rules.night_start_min) | (minute < rules.night_end_min)
    else:
        night = (minute >= rules.night_start_min) & (minute < rules.night_end_min)
    weekend = ds.dt.day_of_week.to_numpy() >= 5
    holiday = np.isin(np.array(ds.dt.date), np.array(rules.holidays, dtype=object))
    premium = (1 + rules.night_premium * night + rules.weekend_premium * weekend
               + rules.holiday_premium * holiday)
    return rules.hourly_cost * premium


def templates(ds: pd.Series, open_: np.ndarray, rules: ScheduleRules,
              interval_min: int) -> Templates:
    """Shifts that may start on the grid inside the opening hours of `ds` (consecutive
    intervals of `interval_min`), lie wholly in the horizon and open intervals."""
    count = len(ds)
    hour_cost = _hour_cost(ds, rules) * interval_min / 60
    cumulative_cost = np.concatenate([[0.0], np.cumsum(hour_cost)])
    closed_before = np.concatenate([[0], np.cumsum(~np.asarray(open_, dtype=bool))])
    minute = (ds.dt.hour * 60 + ds.dt.minute).to_numpy()
    grid = max(rules.start_step_min, interval_min)
    on_grid = minute % grid == 0
    starts, lengths, which = [], [], []
    for k, rule in enumerate(rules.shifts):
        span = round(rule.length_h * 60 / interval_min)
        first = np.arange(0, max(count - span + 1, 0))
        ok = on_grid[first] & (closed_before[first + span] - closed_before[first] == 0)
        starts.append(first[ok])
        lengths.append(np.full(ok.sum(), span))
        which.append(np.full(ok.sum(), k))
    start, length, rule = (np.concatenate(v).astype(np.int64) for v in (starts, lengths, which))
    unpaid = np.array([sum(b.length_min for b in r.breaks if not b.paid) / 60
                       for r in rules.shifts])
    paid_h = np.array([r.length_h for r in rules.shifts])[rule] - unpaid[rule]
    cost = cumulative_cost[start + length] - cumulative_cost[start]
    cost = cost * np.where(unpaid[rule] > 0, paid_h / (length * interval_min / 60), 1.0)
    part_time = np.array([r.length_h < rules.full_time_h for r in rules.shifts])[rule]
    b_shift, b_no, b_first, b_last, b_len, b_paid = [], [], [], [], [], []
    for k, r in enumerate(rules.shifts):
        mine = np.flatnonzero(rule == k)
        for n, b in enumerate(r.breaks):
            b_shift.append(mine)
            b_no.append(np.full(len(mine), n))
            b_first.append(start[mine] + round(b.earliest_h * 60 / interval_min))
            b_last.append(start[mine] + round(b.latest_h * 60 / interval_min))
            b_len.append(np.full(len(mine), max(1, round(b.length_min / interval_min))))
            b_paid.append(np.full(len(mine), b.paid))
    def join(parts, kind):
        return (np.concatenate(parts).astype(kind) if parts
                else np.zeros(0, dtype=kind))
    return Templates(start, length, rule, paid_h, cost, part_time,
                     join(b_shift, np.int64), join(b_no, np.int64), join(b_first, np.int64),
                     join(b_last, np.int64), join(b_len, np.int64), join(b_paid, bool))


def _number(key: str, value: Any, low: float, high: float = np.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not np.isfinite(value) or not low <= value <= high:
        raise ConfigError(key, value, f"must be a number from {low:g} to {high:g}")
    return float(value)


def _clock(key: str, text: Any) -> int:
    try:
        hour, minute = str(text).split(":")
        value = int(hour) * 60 + int(minute)
    except ValueError:
        raise ConfigError(key, text, 'must be a time such as "22:00"') from None
    if not 0 <= value <= 1440:
        raise ConfigError(key, text, "must be within one day")
    return value


def _break(key: str, table: Any) -> BreakRule:
    if not isinstance(table, dict):
        raise ConfigError(key, table, "must be a table such as { length_min = 30, "
                          "earliest_h = 3, latest_h = 5, paid = false }")
    check_known_keys(table, {f.name for f in fields(BreakRule)}, key + ".")
    rule = BreakRule(
        length_min=int(_number(f"{key}.length_min", table.get("length_min", 30), 5, 240)),
        earliest_h=_number(f"{key}.earliest_h", table.get("earliest_h", 3.0), 0, 24),
        latest_h=_number(f"{key}.latest_h", table.get("latest_h", 5.0), 0, 24),
        paid=bool(table.get("paid", False)))
    if rule.latest_h < rule.earliest_h:
        raise ConfigError(f"{key}.latest_h", rule.latest_h, "is before earliest_h")
    return rule


def _shift(key: str, table: Any) -> ShiftRule:
    if not isinstance(table, dict):
        raise ConfigError(key, table, "must be a table ([[schedule.shifts]])")
    check_known_keys(table, {f.name for f in fields(ShiftRule)}, key + ".")
    if "length_h" not in table:
        raise ConfigError(f"{key}.length_h", None, "is required: the shift's length in hours")
    length = _number(f"{key}.length_h", table["length_h"], 1, 16)
    breaks = table.get("breaks", [])
    if not isinstance(breaks, list):
        raise ConfigError(f"{key}.breaks", breaks, "must be a list of break tables")
    rules = tuple(_break(f"{key}.breaks[{i}]", b) for i, b in enumerate(breaks))
    for i, b in enumerate(rules):
        if b.latest_h * 60 + b.length_min > length * 60:
            raise ConfigError(f"{key}.breaks[{i}].latest_h", b.latest_h,
                              f"the break would end after the {length:g} h shift")
    return ShiftRule(length, rules)


def parse_schedule_rules(table: dict[str, Any] | None) -> ScheduleRules:
    """`ScheduleRules` from a `[schedule]` table (a `roster` sub-table is left to the
    roster); errors name the key."""
    table = {k: v for k, v in dict(table or {}).items() if k != "roster"}
    check_known_keys(table, {f.name for f in fields(ScheduleRules)}, "schedule.")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"schedule.{key}"
        if key == "shifts":
            if not isinstance(value, list) or not value:
                raise ConfigError(where, value, "must list at least one [[schedule.shifts]]")
            values[key] = tuple(_shift(f"{where}[{i}]", s) for i, s in enumerate(value))
        elif key in ("night_start", "night_end"):
            values[f"{key}_min"] = _clock(where, value)
        elif key in ("night_start_min", "night_end_min"):
            values[key] = int(_number(where, value, 0, 1440))
        elif key == "start_step_min":
            values[key] = int(_number(where, value, 5, 240))
        elif key in ("hourly_cost", "under_penalty", "over_penalty"):
            values[key] = _number(where, value, 0)
        elif key in ("night_premium", "weekend_premium", "holiday_premium"):
            values[key] = _number(where, value, 0, 10)
        elif key == "holidays":
            if not isinstance(value, list) or not all(isinstance(d, date) for d in value):
                raise ConfigError(where, value, "must be a list of dates such as "
                                  "[2026-12-25, 2026-12-26] (no quotes)")
            values[key] = tuple(value)
        elif key == "full_time_h":
            values[key] = _number(where, value, 1, 16)
        elif key == "part_time_max_share":
            values[key] = _number(where, value, 0, 1)
        elif key == "max_agents_per_day":
            values[key] = int(_number(where, value, 0))
        elif key == "solver":
            if value not in SOLVERS:
                raise ConfigError(where, value, "must be 'highs' (default) or 'cbc'")
            values[key] = value
        elif key == "method":
            if value not in ("two_phase", "exact"):
                raise ConfigError(where, value, "must be 'two_phase' (default: shifts, then "
                                  "breaks, bounded by the LP) or 'exact' (one model)")
            values[key] = value
        elif key == "time_limit_s":
            values[key] = _number(where, value, 1, 86400)
        elif key == "gap_rel":
            values[key] = _number(where, value, 0, 1)
    return ScheduleRules(**values)


def schedule_rules_table(rules: ScheduleRules) -> dict[str, Any]:
    """The TOML table of `rules` (round-trips through `parse_schedule_rules`)."""
    out: dict[str, Any] = {}
    for item in fields(ScheduleRules):
        value = getattr(rules, item.name)
        if item.name == "shifts":
            value = [{"length_h": s.length_h,
                      "breaks": [{f.name: getattr(b, f.name) for f in fields(BreakRule)}
                                 for b in s.breaks]} for s in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[item.name] = value
    return out

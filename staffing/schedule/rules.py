"""Shift rules and templates: which shifts may start when, with which breaks, at what cost.

`ScheduleRules` is the `[schedule]` table of a season's TOML (or a rules.toml of its own);
`templates` lists every shift that may start on the intervals of a requirement, with the
intervals it covers, its break windows and its cost. Pure: no solver here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.errors import ConfigError
from data.settings import (
    Settings,
    clock,
    dates,
    flag,
    from_table,
    number,
    one_of,
    optional,
    setting,
    share,
    tables_of,
    to_table,
    whole,
)
from staffing.night import NIGHT_HOURS, at_night

__all__ = ["METHODS", "SOLVERS", "BreakRule", "ScheduleRules", "ShiftRule", "Templates",
           "parse_schedule_rules", "schedule_rules_table", "templates"]

SOLVERS = ("highs", "cbc")
METHODS = ("windows", "two_phase", "exact")


def _after_start_h(key: str, value: Any) -> float:
    return number(0, 24, unit="hours after the shift's start")(key, value)


@dataclass(frozen=True)
class BreakRule(Settings):
    """A break of `length_min` that starts between `earliest_h` and `latest_h` after the
    shift's start (anywhere in that window: the optimiser places it); paid or unpaid."""

    SECTION = "schedule.shifts.breaks"

    length_min: int = setting(30, check=whole(5, 240, unit="minutes"))
    earliest_h: float = setting(3.0, check=_after_start_h)
    latest_h: float = setting(5.0, check=_after_start_h)
    paid: bool = setting(False, check=flag)

    def check_together(self) -> None:
        if self.latest_h < self.earliest_h:
            raise ConfigError(self.key_of("latest_h"), self.latest_h, "is before earliest_h")


def _breaks(key: str, value: Any) -> tuple[BreakRule, ...]:
    if not isinstance(value, tuple | list) or not all(isinstance(b, BreakRule) for b in value):
        raise ConfigError(key, value, "must be a list of break tables")
    return tuple(value)


@dataclass(frozen=True)
class ShiftRule(Settings):
    """A shift length (start to end, breaks included, 1-16 h) and its breaks; min_share
    and max_share bound the share of each day's paid hours on shifts of this length (so
    that the team's contracts can be filled from them: a 24-hour part-timer needs 4 or
    6 h shifts, a 40-hour full-timer working five days mostly 8 and 10 h ones). The
    schedule stage sets them per queue from the agents file when it has one."""

    SECTION = "schedule.shifts"

    length_h: float = setting(check=number(1, 16, unit="hours"),
                              required="is required: the shift's length in hours")
    breaks: tuple[BreakRule, ...] = setting((), check=_breaks, parse=tables_of(BreakRule))
    min_share: float = setting(0.0, check=share())
    max_share: float = setting(1.0, check=share())

    @property
    def bounded(self) -> bool:
        """Whether the share of this length is bounded."""
        return self.min_share > 0 or self.max_share < 1

    def check_together(self) -> None:
        if self.min_share > self.max_share:
            raise ConfigError(self.key_of("min_share"), self.min_share,
                              f"is above max_share ({self.max_share:g})")
        for i, b in enumerate(self.breaks):
            if b.latest_h * 60 + b.length_min > self.length_h * 60:
                raise ConfigError(f"{self.key_of('breaks')}[{i}].latest_h", b.latest_h,
                                  f"the break would end after the {self.length_h:g} h shift")


def _default_shifts() -> tuple[ShiftRule, ...]:
    lunch = BreakRule(30, 3.0, 5.0, False)
    return (ShiftRule(4.0, (BreakRule(15, 1.5, 2.5, True),)),
            ShiftRule(6.0, (BreakRule(15, 2.0, 4.0, True),)),
            ShiftRule(8.0, (lunch, BreakRule(15, 1.5, 2.5, True))),
            ShiftRule(10.0, (BreakRule(30, 4.0, 6.0, False), BreakRule(15, 1.5, 3.0, True))))


def _shifts(key: str, value: Any) -> tuple[ShiftRule, ...]:
    if (not isinstance(value, tuple | list) or not value
            or not all(isinstance(s, ShiftRule) for s in value)):
        raise ConfigError(key, value, "must list at least one [[schedule.shifts]]")
    return tuple(value)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_MINUTE_OF_DAY = whole(0, 1440, unit="minutes after midnight")


@dataclass(frozen=True)
class ScheduleRules(Settings):
    """How shifts are designed and solved. Costs per paid hour; premiums are shares added
    for the paid hours at night (night_start to night_end, minutes after local midnight;
    "HH:MM" in TOML; the same night the roster's fairness report and the exports use), at
    weekends and on holidays; penalties per agent and interval short of (under) or above
    (over) the requirement. A block (a queue's week) stops within gap_rel (a fraction) or
    gap_abs (cost units; unset: the cost of one agent-shift, `agent_shift_cost`) of its
    proven bound; lookahead_h: hours of the next week a week's block sees (at least the
    longest shift, so that a shift may start late on Sunday and run into Monday, where it
    counts). fit_contracts: keep each queue's shift lengths near the shares its team's
    contracts can fill (the agents file; `workforce.rules_for_team`)."""

    SECTION = "schedule"

    shifts: tuple[ShiftRule, ...] = setting(factory=_default_shifts, check=_shifts,
                                            parse=tables_of(ShiftRule, at_least=1))
    start_step_min: int = setting(30, check=whole(5, 240, unit="minutes"))
    hourly_cost: float = setting(25.0, check=number(0))
    night_premium: float = setting(0.25, check=number(0, 10))
    night_start: int = setting(NIGHT_HOURS[0], check=_MINUTE_OF_DAY, parse=clock, dump=_hhmm)
    night_end: int = setting(NIGHT_HOURS[1], check=_MINUTE_OF_DAY, parse=clock, dump=_hhmm)
    weekend_premium: float = setting(0.5, check=number(0, 10))
    holiday_premium: float = setting(1.0, check=number(0, 10))
    holidays: tuple[date, ...] = setting((), check=dates)
    full_time_h: float = setting(8.0, check=number(1, 16, unit="hours"))
    part_time_max_share: float = setting(1.0, check=share())
    max_agents_per_day: int = setting(0, check=whole(0))
    under_penalty: float = setting(500.0, check=number(0))
    over_penalty: float = setting(1.0, check=number(0))
    solver: str = setting("highs", check=one_of(*SOLVERS,
                                                explain="must be 'highs' (default) or 'cbc'"))
    method: str = setting("windows", check=one_of(
        *METHODS, explain="must be 'windows' (default: day by day, each day with the next "
        "in view), 'two_phase' (shifts, then breaks, bounded by the LP) or 'exact' "
        "(one model)"))
    time_limit_s: float = setting(60.0, check=number(1, 86400, unit="seconds"))
    gap_rel: float = setting(0.005, check=share())
    gap_abs: float | None = setting(None, check=optional(number(0, unit="cost units")))
    lookahead_h: float = setting(12.0, check=number(0, 168, unit="hours"))
    fit_contracts: bool = setting(False, check=flag)

    def check_together(self) -> None:
        if sum(s.min_share for s in self.shifts) > 1 + 1e-9:
            raise ConfigError(f"{self.key_of('shifts')}.min_share",
                              [s.min_share for s in self.shifts],
                              "the shifts' min_share add up to more than 1")
        if sum(s.max_share for s in self.shifts) < 1 - 1e-9:
            raise ConfigError(f"{self.key_of('shifts')}.max_share",
                              [s.max_share for s in self.shifts],
                              "the shifts' max_share add up to less than 1")
        if self.night_start % 1440 == self.night_end % 1440:
            raise ConfigError(self.key_of("night_end"), _hhmm(self.night_end),
                              "must differ from night_start (night needs some hours)")

    @property
    def per_day_limits(self) -> bool:
        """Whether a limit ties the shifts that start on the same day together."""
        return bool(self.max_agents_per_day or self.part_time_max_share < 1
                    or any(s.bounded for s in self.shifts))

    @property
    def night_hours(self) -> tuple[int, int]:
        """(start, end) of the night in minutes after local midnight."""
        return self.night_start, self.night_end

    @property
    def agent_shift_cost(self) -> float:
        """The absolute tolerance of a block (cost units): gap_abs, or when unset the
        wage of one full-time shift at hourly_cost (full_time_h hours)."""
        return self.gap_abs if self.gap_abs is not None else self.hourly_cost * self.full_time_h


@dataclass(frozen=True)
class Templates:
    """Every shift that may start, with NumPy arrays over the shifts: start interval,
    length in intervals, paid hours, cost, part-time flag; and per break (shift, break
    number, first and last start interval, length in intervals, paid). A break's length
    may be a fraction of an interval (a 15-minute break on a 30-minute grid is 0.5): it
    takes that share of its last interval's coverage (`staffing.schedule.cover`)."""

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
    night = at_night(minute, rules.night_hours)
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
            b_len.append(np.full(len(mine), b.length_min / interval_min))
            b_paid.append(np.full(len(mine), b.paid))
    def join(parts, kind):
        return (np.concatenate(parts).astype(kind) if parts
                else np.zeros(0, dtype=kind))
    return Templates(start, length, rule, paid_h, cost, part_time,
                     join(b_shift, np.int64), join(b_no, np.int64), join(b_first, np.int64),
                     join(b_last, np.int64), join(b_len, float), join(b_paid, bool))


def parse_schedule_rules(table: dict[str, Any] | None) -> ScheduleRules:
    """`ScheduleRules` from a `[schedule]` table (a `roster` sub-table is left to the
    roster); errors name the key."""
    table = {k: v for k, v in dict(table or {}).items() if k != "roster"}
    return from_table(ScheduleRules, table, "schedule")


def schedule_rules_table(rules: ScheduleRules) -> dict[str, Any]:
    """The TOML table of `rules` (round-trips through `parse_schedule_rules`)."""
    return to_table(rules)

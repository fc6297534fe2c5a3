"""Between frames and templates: published shifts (pins) as lower bounds per template,
and a block's chosen shifts and breaks as the rows of the `shifts` and `breaks` frames.
Pure: no solver here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import InfeasiblePlanError
from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["BREAK_COLUMNS", "SHIFT_COLUMNS", "check_pins", "pins", "shift_rows"]

SHIFT_COLUMNS = ("queue", "shift_id", "day", "start", "end", "length_h", "paid_h", "breaks",
                 "agents", "pinned", "cost")
BREAK_COLUMNS = (s.QUEUE, "shift_id", "break_no", "break_start", "break_end", "paid", "agents")


def pins(name: str, ds: pd.Series, tpl: Templates, rules: ScheduleRules,
         interval_min: int, pinned: pd.DataFrame | None, own: int | None = None) -> np.ndarray:
    """Agents pinned per template: published shifts that must stay. A pin that starts in
    the first `own` intervals (all, when None) must match a template; one that starts in
    the lookahead after them is kept when it fits there and is otherwise left to the next
    block."""
    lows = np.zeros(len(tpl.start))
    if pinned is None or pinned.empty:
        return lows
    step = pd.Timedelta(minutes=interval_min)
    own_end = ds.iloc[own] if own is not None and own < len(ds) else ds.iloc[-1] + step
    mine = pinned[pinned[s.QUEUE] == name]
    mine = mine[(mine["start"] >= ds.iloc[0]) & (mine["start"] < ds.iloc[-1] + step)]
    position = pd.Series(np.arange(len(ds)), index=pd.DatetimeIndex(ds))
    lengths = np.array([r.length_h for r in rules.shifts])
    for row in mine.itertuples():
        at = position.get(row.start, -1)
        where = np.flatnonzero((tpl.start == at) & np.isclose(lengths[tpl.rule], row.length_h))
        if where.size == 0 and row.start < own_end:
            raise InfeasiblePlanError(
                "pinned shift", f"{row.length_h:g} h from {row.start} in queue {name} "
                "matches no shift template (lengths, start grid or opening hours)",
                day=str(row.start.date()))
        if where.size:
            lows[where[0]] += int(row.agents)
    return lows


def check_pins(name: str, lows: np.ndarray, tpl: Templates, rules: ScheduleRules,
               day_of: np.ndarray, ds: pd.Series) -> None:
    """A day whose published shifts alone exceed max_agents_per_day is named."""
    if not rules.max_agents_per_day or not lows.any():
        return
    per_day = np.bincount(day_of[tpl.start], weights=lows, minlength=day_of.max() + 1)
    over = np.flatnonzero(per_day > rules.max_agents_per_day)
    if over.size:
        day = ds[day_of == over[0]].iloc[0].date()
        raise InfeasiblePlanError(
            "schedule.max_agents_per_day", f"queue {name} has {int(per_day[over[0]])} "
            f"agents on published shifts, above the limit of {rules.max_agents_per_day}",
            day=str(day))


def _break_rows(name: str, ds: pd.Series, placed: np.ndarray, tpl: Templates,
                ident: dict[int, str], step: pd.Timedelta) -> pd.DataFrame:
    """One row per break start of a shift: when it starts and ends (its real length,
    also when it is shorter than an interval) and how many of the shift's agents take
    it then."""
    rows = placed[:, 0] if len(placed) else np.zeros(0, dtype=np.int64)
    begin = (pd.DatetimeIndex(ds.iloc[placed[:, 1]]) if len(placed)
             else pd.DatetimeIndex([], tz=ds.dt.tz))
    breaks = pd.DataFrame({
        s.QUEUE: name, "shift_id": [ident[tpl.break_shift[r]] for r in rows],
        "break_no": tpl.break_no[rows], "break_start": begin,
        "paid": tpl.break_paid[rows], "agents": placed[:, 2] if len(placed) else rows})
    breaks["break_end"] = breaks["break_start"] + pd.to_timedelta(
        np.round(tpl.break_length[rows] * step.total_seconds()), unit="s")
    return breaks[list(BREAK_COLUMNS)]


def shift_rows(name: str, ds: pd.Series, starts: np.ndarray, placed: np.ndarray,
               tpl: Templates, rules: ScheduleRules, interval_min: int,
               lows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `shifts` rows (one per template used, with its breaks as text) and `breaks`
    rows of `starts` agents per template and `placed` breaks over the intervals `ds`."""
    step = pd.Timedelta(minutes=interval_min)
    used = np.flatnonzero(starts > 0)
    begin = pd.DatetimeIndex(ds.iloc[tpl.start[used]])
    ids = [f"{name}-{b:%Y%m%d-%H%M%z}-{rules.shifts[r].length_h:g}h"  # offset: DST-safe
           for b, r in zip(begin, tpl.rule[used], strict=True)]
    breaks = _break_rows(name, ds, placed, tpl, dict(zip(used, ids, strict=True)), step)
    text = (breaks.assign(t=breaks["break_start"].dt.strftime("%H:%M")
                          + "-" + breaks["break_end"].dt.strftime("%H:%M")
                          + " x" + breaks["agents"].astype(str))
            .groupby("shift_id")["t"].agg("; ".join))
    shifts = pd.DataFrame({
        s.QUEUE: name, "shift_id": ids, "day": begin.date, "start": begin,
        "end": begin + tpl.length[used] * step,
        "length_h": tpl.length[used] * interval_min / 60, "paid_h": tpl.paid_h[used],
        "agents": starts[used], "pinned": lows[used].astype(np.int64),
        "cost": tpl.cost[used] * starts[used]})
    shifts["breaks"] = [text.get(i, "") for i in shifts["shift_id"]]
    return shifts[list(SHIFT_COLUMNS)], breaks

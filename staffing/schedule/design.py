"""Shift schedules per queue: from interval requirements to how many agents start which
shift, solved week by week (Monday to Sunday, local time) with `staffing.schedule.solver`
and `staffing.schedule.two_phase` (loaded on the first solve, so importing this module
does not load PuLP).

The result carries the shifts (DESIGN contract plus cost and pins), where their breaks
fall, the coverage against the requirement, a shortfall report (which intervals, by how
many agents, and the service level that leaves) and each solve's status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import InfeasiblePlanError
from staffing.queueing.erlang import service_level
from staffing.requirements.channels import CHANNEL_MODELS
from staffing.schedule.cover import on_duty
from staffing.schedule.rules import ScheduleRules, Templates, templates

__all__ = ["Schedule", "schedule"]

log = logging.getLogger(__name__)
SHIFT_COLUMNS = ("queue", "shift_id", "day", "start", "end", "length_h", "paid_h", "breaks",
                 "agents", "pinned", "cost")


@dataclass(frozen=True)
class Schedule:
    """shifts: one row per shift template used (agents starting it); breaks: how many of
    a shift's agents take each break when; coverage: queue, ds, required, scheduled
    (on duty, not on a break), gap (scheduled - required); shortfall: the intervals short
    of the requirement with the service level left (voice queues, Erlang C); solves: one
    row per queue and week (status, objective, bound, gap, seconds, solver)."""

    shifts: pd.DataFrame
    breaks: pd.DataFrame
    coverage: pd.DataFrame
    shortfall: pd.DataFrame
    solves: pd.DataFrame


def _interval_min(ds: pd.Series) -> int:
    steps = ds.sort_values().diff().dropna()
    if steps.empty:
        raise InfeasiblePlanError("requirements", "need at least two intervals to schedule")
    return max(1, round(steps.mode().iloc[0].total_seconds() / 60))


def _weeks(ds: pd.Series) -> pd.Series:
    local = ds.dt.tz_localize(None) if ds.dt.tz is not None else ds
    return local.dt.normalize() - pd.to_timedelta(local.dt.day_of_week, unit="D")


def schedule(requirements: pd.DataFrame, rules: ScheduleRules, *,
             pinned: pd.DataFrame | None = None, queues: list[str] | None = None,
             progress: Callable[[str], None] | None = None,
             model_folder: Path | None = None) -> Schedule:
    """Design shifts for every queue (or `queues`) of `requirements` (DESIGN contract;
    `agents_gross` is what must be on duty; an `open` column, when present, keeps shifts
    inside opening hours). `pinned`: published shifts (queue, start, length_h, agents)
    kept when re-planning. `model_folder`: write each model as an LP file there."""
    _check(requirements)
    names = queues or sorted(requirements[s.QUEUE].unique())
    parts = {key: [] for key in ("shifts", "breaks", "coverage", "solves")}
    for name in names:
        frame = requirements[requirements[s.QUEUE] == name].sort_values(s.DS)
        if frame.empty:
            raise InfeasiblePlanError(f"queue {name}", "has no requirement rows")
        interval_min = _interval_min(frame[s.DS])
        for week, block in frame.groupby(_weeks(frame[s.DS]), sort=True):
            if progress:
                progress(f"{name} week of {week.date()}")
            result = _solve_block(name, block.reset_index(drop=True), rules, interval_min,
                                  pinned, model_folder)
            for key, value in result.items():
                parts[key].append(value)
    shifts = pd.concat(parts["shifts"], ignore_index=True) if parts["shifts"] else \
        pd.DataFrame(columns=list(SHIFT_COLUMNS))
    coverage = pd.concat(parts["coverage"], ignore_index=True)
    return Schedule(shifts, pd.concat(parts["breaks"], ignore_index=True), coverage,
                    _shortfall(coverage, requirements), pd.DataFrame(parts["solves"]))


def _check(requirements: pd.DataFrame) -> None:
    missing = [c for c in (s.QUEUE, s.DS, s.AGENTS_GROSS) if c not in requirements]
    if missing:
        raise InfeasiblePlanError("requirements", "missing columns " + ", ".join(missing)
                                  + " (the requirements contract of DESIGN.md)")
    gross = requirements[s.AGENTS_GROSS]
    if gross.isna().any() or (gross < 0).any():
        row = int(np.flatnonzero(gross.isna() | (gross < 0))[0])
        raise InfeasiblePlanError("requirements.agents_gross",
                                  "must be a number of agents, 0 or more",
                                  interval=str(requirements[s.DS].iloc[row]))


def _pins(name: str, ds: pd.Series, tpl: Templates, rules: ScheduleRules,
          interval_min: int, pinned: pd.DataFrame | None) -> np.ndarray:
    """Agents pinned per template: published shifts that must stay."""
    lows = np.zeros(len(tpl.start))
    if pinned is None or pinned.empty:
        return lows
    mine = pinned[pinned[s.QUEUE] == name]
    step = pd.Timedelta(minutes=interval_min)
    mine = mine[(mine["start"] >= ds.iloc[0]) & (mine["start"] < ds.iloc[-1] + step)]
    position = pd.Series(np.arange(len(ds)), index=pd.DatetimeIndex(ds))
    lengths = np.array([r.length_h for r in rules.shifts])
    for row in mine.itertuples():
        at = position.get(row.start, -1)
        where = np.flatnonzero((tpl.start == at) & np.isclose(lengths[tpl.rule], row.length_h))
        if where.size == 0:
            raise InfeasiblePlanError(
                "pinned shift", f"{row.length_h:g} h from {row.start} in queue {name} "
                "matches no shift template (lengths, start grid or opening hours)",
                day=str(row.start.date()))
        lows[where[0]] += int(row.agents)
    return lows


def _solve_block(name: str, block: pd.DataFrame, rules: ScheduleRules, interval_min: int,
                 pinned: pd.DataFrame | None, model_folder: Path | None) -> dict:
    from staffing.schedule.solver import build_model, solve_model  # loads pulp
    from staffing.schedule.two_phase import solve_two_phase

    ds = block[s.DS]
    open_ = block["open"].to_numpy(dtype=bool) if "open" in block else np.ones(len(block), bool)
    # whole people on duty: a requirement of 28.6 agents needs 29
    required = np.ceil(block[s.AGENTS_GROSS].to_numpy(dtype=float) - 1e-9)
    required = np.where(open_, required, 0.0)
    tpl = templates(ds, open_, rules, interval_min)
    day_of = pd.factorize(ds.dt.date)[0]
    lows = _pins(name, ds, tpl, rules, interval_min, pinned)
    _check_pins(name, lows, tpl, rules, day_of, ds)
    label = f"{name}_{ds.iloc[0]:%Y%m%d}"
    model = build_model(label, required, tpl, rules, day_of, lows)
    write_to = model_folder / f"{label}.lp" if model_folder else None
    if model_folder:
        model_folder.mkdir(parents=True, exist_ok=True)
    if rules.method == "exact":
        result = solve_model(model, rules, write_to=write_to)
        if result.status == "no solution in time":
            log.warning("%s: no schedule within the time limit; solving in two phases", label)
            result = solve_two_phase(build_model(label, required, tpl, rules, day_of, lows),
                                     required, tpl, rules, day_of, lows)
    else:
        result = solve_two_phase(model, required, tpl, rules, day_of, lows, write_to=write_to)
    if result.status == "infeasible":
        raise InfeasiblePlanError(f"schedule of {name}", "the solver found no schedule "
                                  "(check max_agents_per_day, part_time_max_share and pins)",
                                  day=str(ds.iloc[0].date()))
    scheduled = on_duty(tpl, result.starts, result.breaks, len(block))
    coverage = pd.DataFrame({s.QUEUE: name, s.DS: ds.to_numpy(), "required": required,
                             "scheduled": scheduled, "gap": scheduled - required})
    shifts, breaks = _rows(name, ds, result, tpl, rules, interval_min, lows)
    solve = {"queue": name, "week": ds.iloc[0].date(), "status": result.status,
             "solver": result.solver, "objective": result.objective, "bound": result.bound,
             "gap": result.gap, "seconds": result.seconds,
             "shifts": int(result.starts.sum()), "short_agent_intervals": float(
                 np.clip(required - scheduled, 0, None).sum())}
    return {"shifts": shifts, "breaks": breaks, "coverage": coverage, "solves": solve}


def _check_pins(name, lows, tpl, rules, day_of, ds) -> None:
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


def _rows(name, ds, result, tpl: Templates, rules: ScheduleRules, interval_min: int,
          lows: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    step = pd.Timedelta(minutes=interval_min)
    used = np.flatnonzero(result.starts > 0)
    starts = ds.to_numpy()[tpl.start[used]]
    begin = pd.DatetimeIndex(ds.iloc[tpl.start[used]])
    ids = [f"{name}-{b:%Y%m%d-%H%M%z}-{rules.shifts[r].length_h:g}h"  # offset: DST-safe
           for b, r in zip(begin, tpl.rule[used], strict=True)]
    ident = dict(zip(used, ids, strict=True))
    brk = result.breaks
    breaks = pd.DataFrame({
        s.QUEUE: name, "shift_id": [ident[tpl.break_shift[r]] for r in brk[:, 0]],
        "break_no": tpl.break_no[brk[:, 0]],
        "break_start": pd.DatetimeIndex(ds.iloc[brk[:, 1]]) if len(brk) else
        pd.DatetimeIndex([], tz=ds.dt.tz),
        "paid": tpl.break_paid[brk[:, 0]], "agents": brk[:, 2]})
    breaks["break_end"] = breaks["break_start"] + tpl.break_length[brk[:, 0]] * step
    text = (breaks.assign(t=breaks["break_start"].dt.strftime("%H:%M")
                          + "-" + breaks["break_end"].dt.strftime("%H:%M")
                          + " x" + breaks["agents"].astype(str))
            .groupby("shift_id")["t"].agg("; ".join))
    shifts = pd.DataFrame({
        s.QUEUE: name, "shift_id": ids, "day": begin.date, "start": starts,
        "end": begin + tpl.length[used] * step,
        "length_h": tpl.length[used] * interval_min / 60, "paid_h": tpl.paid_h[used],
        "agents": result.starts[used], "pinned": lows[used].astype(np.int64),
        "cost": tpl.cost[used] * result.starts[used]})
    shifts["start"] = begin
    shifts["breaks"] = [text.get(i, "") for i in shifts["shift_id"]]
    return shifts[list(SHIFT_COLUMNS)], breaks[[s.QUEUE, "shift_id", "break_no",
                                                "break_start", "break_end", "paid", "agents"]]


def _shortfall(coverage: pd.DataFrame, requirements: pd.DataFrame) -> pd.DataFrame:
    """Intervals short of the requirement, by how many agents, and for voice queues the
    Erlang C service level the scheduled agents give (net of shrinkage, as planned)."""
    short = coverage[coverage["gap"] < -1e-6].copy()
    columns = [c for c in (s.QUEUE, s.DS, s.CONTACTS, s.AHT_S, s.AGENTS_NET, s.AGENTS_GROSS,
                           "model", "answer_within_s", s.SERVICE_LEVEL) if c in requirements]
    short = short.merge(requirements[columns], on=[s.QUEUE, s.DS], how="left")
    short["agents_short"] = -short["gap"]
    if {s.CONTACTS, s.AHT_S, s.AGENTS_NET, "model", "answer_within_s"} <= set(short):
        voice = short["model"].isin([m.name for m in CHANNEL_MODELS.values() if m.voice])
        voice = voice.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            net_share = np.where(short[s.AGENTS_GROSS] > 0,
                                 short[s.AGENTS_NET] / short[s.AGENTS_GROSS], 1.0)
        available = np.floor(np.clip(short["scheduled"], 0, None) * net_share + 1e-9)
        seconds = 60.0 * _interval_min(requirements[s.DS].drop_duplicates())
        load = short[s.CONTACTS] * short[s.AHT_S] / seconds
        level = service_level(load, available, short[s.AHT_S].clip(lower=1),
                              short["answer_within_s"].fillna(20))
        short["service_level_scheduled"] = np.where(voice, level, np.nan)
        short = short.rename(columns={s.SERVICE_LEVEL: "service_level_planned"})
    return short.reset_index(drop=True)

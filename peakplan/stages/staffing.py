"""The staffing stage: requirements and the capacity plan from a forecast, kept in a run.

`peakplan staff` reuses the interval forecast of a run (the latest by default), computes
the requirements per queue and interval and the weekly capacity and hiring plan, and
writes them with the forecast into a new run, so every run stays complete on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from peakplan.config import Config
from peakplan.inputs import Inputs, load_inputs, unknown_queues_note
from peakplan.runs import Run, run_with, write_run
from peakplan.toml_out import config_toml
from staffing import (
    Prepared,
    StaffingConfig,
    capacity_plan,
    compute,
    headcount,
    hiring_summary,
    prepare,
    weekly_need,
    with_scenario,
)

__all__ = ["StaffOutcome", "forecast_run", "run_staffing", "scenario_config", "staff",
           "staff_artifacts", "store_staffing"]

FORECAST_ARTIFACTS = ("forecast", "interval_forecast", "choices", "metrics")


@dataclass(frozen=True)
class StaffOutcome:
    """Requirements, volume steps, the capacity plan and its summary (None without an
    agents file), notes, and the run whose forecast was used."""

    requirements: pd.DataFrame
    steps: pd.DataFrame
    capacity: pd.DataFrame | None
    hiring: pd.DataFrame | None
    notes: tuple[str, ...]
    source: Run | None
    timings_s: dict[str, float]


def scenario_config(config: Config, **changes: Any) -> Config:
    """`config` with staffing-wide what-if settings changed (None leaves one as it is)."""
    wanted = {k: v for k, v in changes.items() if v is not None}
    if not wanted:
        return config
    return replace(config, staffing=with_scenario(config.staffing, **wanted))


def forecast_run(config: Config, ref: str = "latest") -> Run:
    """The run whose interval forecast staffing uses: `ref`, or the latest run with one."""
    return run_with(config.runs.root, ref, "interval_forecast", "an interval forecast",
                    "run `peakplan forecast` on an interval history")


def run_staffing(staffing: StaffingConfig, interval_forecast: pd.DataFrame, *,
                 history: pd.DataFrame | None, agents: pd.DataFrame | None,
                 capacity_rules, prepared: Prepared | None = None) -> StaffOutcome:
    """Requirements and capacity plan for one staffing config (pure: frames in and out)."""
    started = time.perf_counter()
    prepared = prepared or prepare(interval_forecast, staffing, history=history)
    result = compute(prepared, staffing)
    done = time.perf_counter()
    capacity = hiring = None
    notes = list(result.notes)
    if agents is not None and len(result.frame):
        need = weekly_need(result.frame, prepared.interval_min, capacity_rules.hours_per_fte)
        season_need = need.groupby("queue")["fte_needed"].sum().to_dict()
        on_hand = headcount(agents, capacity_rules.hours_per_fte, weights=season_need)
        capacity = capacity_plan(need, on_hand, capacity_rules)
        hiring = hiring_summary(capacity)
        missing = sorted(set(need["queue"]) - set(on_hand["queue"]))
        if missing:
            notes.append("no agent in the agents file works " + ", ".join(missing))
        planned = [q.name for q in staffing.queues] or sorted(set(result.frame["queue"]))
        if note := unknown_queues_note(agents, planned):
            notes.append(note)
    elif agents is None:
        notes.append("no agents file: the capacity and hiring plan needs one (data.agents)")
    notes.insert(0, f"handle times from the {prepared.aht_source}")
    return StaffOutcome(result.frame, result.steps, capacity, hiring, tuple(notes), None,
                        {"requirements": done - started,
                         "capacity": time.perf_counter() - done})


def staff(config: Config, ref: str = "latest", inputs: Inputs | None = None) -> StaffOutcome:
    """Staff the interval forecast of run `ref` with `config`'s staffing settings."""
    source = forecast_run(config, ref)
    inputs = inputs or load_inputs(config)
    outcome = run_staffing(config.staffing, source.artifact("interval_forecast"),
                           history=inputs.history.frame, agents=inputs.agents,
                           capacity_rules=config.capacity)
    return replace(outcome, source=source)


def staff_artifacts(outcome: StaffOutcome) -> dict[str, pd.DataFrame]:
    """The frames a staffing run adds."""
    artifacts = {"requirements": outcome.requirements, "staffing_steps": outcome.steps}
    if outcome.capacity is not None:
        artifacts["capacity"] = outcome.capacity
        artifacts["hiring"] = outcome.hiring
    return artifacts


def store_staffing(config: Config, outcome: StaffOutcome,
                   forecast: dict[str, pd.DataFrame] | None = None,
                   extra: dict[str, Any] | None = None) -> Run:
    """Write the forecast (copied from the source run unless given) and the staffing
    artifacts into a new run."""
    if forecast is None and outcome.source is not None:
        forecast = {name: outcome.source.artifact(name) for name in FORECAST_ARTIFACTS
                    if name in outcome.source.artifacts()}
    data = config.data
    inputs = {"volume": data.volume, "agents": data.agents}
    more = {"forecast_run": outcome.source.name} if outcome.source is not None else {}
    return write_run(config.runs.root, f"{config.season.name}-staff",
                     config_text=config_toml(config),
                     artifacts={**(forecast or {}), **staff_artifacts(outcome)},
                     inputs=inputs, timings_s=outcome.timings_s, notes=outcome.notes,
                     extra={**more, **(extra or {})})

"""What the Staffing page shows of a scenario, worked out once per scenario (pure).

`view` turns `staffing.compute`'s result into the page's headline figures and per-queue
table; the dashboard keeps the view with the result, so a rerun that only picks another
queue or chart redoes none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import staffing
from staffing import CHANNEL_MODELS, RequirementsResult

__all__ = ["Headline", "ScenarioView", "headline", "per_queue", "view", "with_targets"]


@dataclass(frozen=True)
class Headline:
    """The scenario at a glance: contacts, gross agent hours, the peak of gross agents
    on duty (with its local time), contact-weighted service level and mean occupancy of
    staffed intervals (fractions; NaN when nothing was staffed)."""

    contacts: float
    agent_hours: float
    peak_agents: float
    peak_at: pd.Timestamp | None
    service_level: float
    occupancy: float


@dataclass(frozen=True)
class ScenarioView:
    """A scenario's requirements (with each queue's `target`), volume steps and notes
    (as `staffing.compute` gives them), headline figures and table per queue."""

    frame: pd.DataFrame
    steps: pd.DataFrame
    notes: tuple[str, ...]
    headline: Headline
    queues: pd.DataFrame


def view(result: RequirementsResult, scenario: staffing.StaffingConfig,
         interval_min: int) -> ScenarioView:
    """The page's view of a scenario's requirements."""
    frame = with_targets(result.frame, scenario)
    return ScenarioView(frame, result.steps, result.notes, headline(frame, interval_min),
                        per_queue(frame))


def headline(frame: pd.DataFrame, interval_min: int) -> Headline:
    """Headline figures of requirements with `interval_min`-minute intervals."""
    weight = frame["contacts"].where(frame["service_level"].notna(), 0.0)
    level = (frame["service_level"].fillna(0) * weight).sum() / max(weight.sum(), 1e-9)
    staffed = frame.loc[frame["agents_net"] > 0, "occupancy"]
    on_duty = frame.groupby("ds")["agents_gross"].sum()
    return Headline(
        contacts=float(frame["contacts"].sum()),
        agent_hours=float(frame["agents_gross"].sum() * interval_min / 60),
        peak_agents=float(on_duty.max()) if len(on_duty) else 0.0,
        peak_at=on_duty.idxmax() if len(on_duty) else None,
        service_level=float(level),
        occupancy=float(staffed.mean()) if len(staffed) else float("nan"))


def per_queue(frame: pd.DataFrame) -> pd.DataFrame:
    """Contacts, peak agents, service level and occupancy (in %) per queue."""
    weight = frame["contacts"].where(frame["service_level"].notna(), 0.0)
    table = frame.assign(_w=weight, _sl=frame["service_level"].fillna(0) * weight,
                         _occ=frame["occupancy"].where(frame["agents_net"] > 0))
    out = table.groupby("queue", sort=True).agg(
        model=("model", "first"), contacts=("contacts", "sum"),
        peak_agents_net=("agents_net", "max"), peak_agents_gross=("agents_gross", "max"),
        w=("_w", "sum"), sl=("_sl", "sum"), occupancy=("_occ", "mean"))
    out["service_level_pct"] = 100 * out["sl"] / out["w"].where(out["w"] > 0)
    out["occupancy_pct"] = 100 * out.pop("occupancy")
    out["contacts"] = out["contacts"].round()
    return out.drop(columns=["w", "sl"]).reset_index()


def with_targets(frame: pd.DataFrame, scenario: staffing.StaffingConfig) -> pd.DataFrame:
    """The requirements with each queue's service target as `target` (a fraction; NaN
    where the queue's channel model staffs to a response time of its own instead, as the
    backlog model does), for the chart's dashed line."""
    targets = {q.name: scenario.for_queue(q).service_level for q in scenario.queues}
    target = frame["queue"].map(targets).astype(float)
    own_target = [name for name, model in CHANNEL_MODELS.items()
                  if not model.sized_to_service_level]
    return frame.assign(target=target.fillna(scenario.service_level).where(
        ~frame["model"].isin(own_target), np.nan))

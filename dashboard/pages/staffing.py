"""Staffing: what-if scenarios on the run's interval forecast, recomputed live.

The forecast is mapped to queues once per run (`staffing.prepare`, cached); each change
of a control reruns only `staffing.compute` (a fraction of a second) inside a fragment.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

import staffing
from dashboard import charts, state
from data import PlannerError
from peakplan.staff import run_staffing, store_staffing

config, run = state.page("Staffing")
if run is None:
    st.info(state.no_runs_message(config))
    st.stop()
settings = state.run_config(run, config)


def controls(base: staffing.StaffingConfig, query_types: list[str]) -> dict:
    """The scenario's changes to the run's staffing settings."""
    key = f"scenario_{run.name}_"
    left, middle, right = st.columns(3)
    uplift = left.slider("Volume uplift (%)", -50, 100, round(base.volume_uplift * 100), 5,
                         key=key + "uplift", help="+10 plans 10% more contacts everywhere")
    aht = left.slider("Handle time change (%)", -50, 100, round(base.aht_change * 100), 5,
                      key=key + "aht", help="+10 makes every handle time 10% longer")
    level = middle.slider("Service target (% answered in time)", 50, 99,
                          round(base.service_level * 100), 1, key=key + "level",
                          help="queues with a target of their own keep it")
    within = middle.slider("... within (seconds)", 5, 300, round(base.answer_within_s), 5,
                           key=key + "within")
    shrinkage = right.slider("Shrinkage (% of paid time off the queue)", 0, 60,
                             round(base.shrinkage * 100), 1, key=key + "shrinkage")
    cap = right.slider("Occupancy cap (%)", 50, 100, round(base.max_occupancy * 100), 1,
                       key=key + "cap", help="the burnout guard")
    deflection = dict(base.deflection)
    with st.expander("Self-service deflection per query type"):
        columns = st.columns(min(len(query_types), 5) or 1)
        for i, name in enumerate(query_types):
            share = columns[i % len(columns)].slider(
                f"{name} (%)", 0, 90, round(deflection.get(name, 0.0) * 100), 1,
                key=key + "deflect_" + name)
            deflection[name] = share / 100
    return {"volume_uplift": uplift / 100, "aht_change": aht / 100,
            "service_level": level / 100, "answer_within_s": float(within),
            "shrinkage": shrinkage / 100, "max_occupancy": cap / 100,
            "deflection": {k: v for k, v in deflection.items() if v > 0}}


def summary(frame: pd.DataFrame, interval_min: int) -> None:
    """Headline figures of the scenario's requirements."""
    weight = frame["contacts"].where(frame["service_level"].notna(), 0.0)
    level = (frame["service_level"].fillna(0) * weight).sum() / max(weight.sum(), 1e-9)
    staffed = frame[frame["agents_net"] > 0]
    on_duty = frame.groupby("ds")["agents_gross"].sum()
    columns = st.columns(5)
    columns[0].metric("Contacts planned", f"{frame['contacts'].sum():,.0f}")
    columns[1].metric("Agent hours (gross)",
                      f"{frame['agents_gross'].sum() * interval_min / 60:,.0f}",
                      help="agents to schedule, shrinkage included, summed over the season")
    columns[2].metric("Peak agents on duty", f"{on_duty.max():,.0f}",
                      help=f"at {on_duty.idxmax():%a %d %b %H:%M}" if len(on_duty) else None)
    columns[3].metric("Service level", f"{level:.1%}", help="weighted by contacts")
    columns[4].metric("Occupancy", f"{staffed['occupancy'].mean():.1%}",
                      help="mean over staffed intervals")


def per_queue(frame: pd.DataFrame) -> pd.DataFrame:
    """Contacts, peak agents, service level and occupancy per queue."""
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
    """The requirements with each queue's service target (for the chart's dashed line)."""
    targets = {q.name: scenario.queue_value(q, "service_level") for q in scenario.queues}
    target = frame["queue"].map(targets).astype(float)
    return frame.assign(target=target.fillna(scenario.service_level).where(
        frame["model"] != "backlog", np.nan))


def save(scenario: staffing.StaffingConfig, prepared, history) -> None:
    """Write the scenario's requirements and capacity plan into a new run."""
    agents = None
    with contextlib.suppress(PlannerError):
        agents = state.inputs(settings).agents
    with st.spinner("Sizing the agents and writing the run..."):
        outcome = run_staffing(scenario, state.artifact(str(run.path), "interval_forecast"),
                               history=history, agents=agents,
                               capacity_rules=settings.capacity, prepared=prepared)
        saved = store_staffing(replace(settings, staffing=scenario),
                               replace(outcome, source=run))
    state.select_run(saved.name)
    state.flash(f"Saved the scenario as run `{saved.name}`.")
    st.rerun()


@st.fragment
def scenario(prepared, history) -> None:
    """Controls, then the requirements they give: headline figures, per queue, heatmap,
    service level and occupancy, volume steps."""
    base = settings.staffing
    query_types = sorted(str(q) for q in prepared.rows["query_type"].cat.categories)
    changes = controls(base, query_types)
    with state.errors():
        chosen = staffing.with_scenario(base, **changes)
        result = staffing.compute(prepared, chosen)
        frame = result.frame
        if frame.empty:
            st.warning("No forecast contacts reach any queue.")
            return
        summary(frame, prepared.interval_min)
        state.table(per_queue(frame), digits=1)
        queue = st.selectbox("Queue", sorted(frame["queue"].unique()), key="staffing_queue")
        state.show(charts.requirement_heatmap(frame, queue, value="agents_gross"))
        state.show(charts.service_and_occupancy(with_targets(frame, chosen), queue))
        st.subheader("Volume steps")
        state.table(result.steps, digits=0)
        for note in result.notes:
            st.caption(f"Note: {note}")
        if st.button("Save this scenario as a run", type="primary", key="staffing_save"):
            save(chosen, prepared, history)


with state.errors():
    if state.need(run, "interval_forecast", what="staffing needs an interval forecast "
                  "(a history of intervals, not days)"):
        history = state.history_frame(settings)
        scenario(state.prepared(run, settings, history), history)

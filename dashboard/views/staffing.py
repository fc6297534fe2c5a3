"""Staffing: what-if scenarios on the run's interval forecast, recomputed live.

The forecast is mapped to queues once per run and history file (`state.basis`); a change of
a control reruns only the scenario fragment: `staffing.compute` once per scenario (each
queue's sizing reused where the change leaves it alone) and only the open chart tab,
drawn once per scenario, queue and value (`dashboard.state.scenario`, `display.show`).
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import streamlit as st

import staffing
from dashboard import charts, display, state
from dashboard.scenario import Headline
from data import PlannerError
from peakplan import run_staffing, store_staffing

config, run = state.run_page("Staffing")
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


def summary(headline: Headline) -> None:
    """Headline figures of the scenario's requirements."""
    columns = st.columns(5)
    columns[0].metric("Contacts planned", f"{headline.contacts:,.0f}")
    columns[1].metric("Agent hours (gross)", f"{headline.agent_hours:,.0f}",
                      help="agents to schedule, shrinkage included, summed over the season")
    columns[2].metric("Peak agents on duty", f"{headline.peak_agents:,.0f}",
                      help=f"at {headline.peak_at:%a %d %b %H:%M}" if headline.peak_at
                      else None)
    columns[3].metric("Service level", f"{headline.service_level:.1%}",
                      help="weighted by contacts")
    columns[4].metric("Occupancy", f"{headline.occupancy:.1%}",
                      help="mean over staffed intervals")


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


HEATMAP_VALUES = {"agents_gross": "Agents to schedule (gross)",
                  "agents_net": "Agents answering (net)", "contacts": "Contacts",
                  "service_level": "Service level", "occupancy": "Occupancy"}


@st.fragment
def scenario(basis: state.Basis, history) -> None:
    """Controls, then the requirements they give: headline figures, per queue, heatmap or
    service level and occupancy (only the open tab is drawn), volume steps."""
    base = settings.staffing
    query_types = sorted(str(q) for q in basis.prepared.rows["query_type"].cat.categories)
    changes = controls(base, query_types)
    with display.errors():
        chosen = staffing.with_scenario(base, **changes)
        shown = state.scenario(basis, chosen)
        frame = shown.frame
        if frame.empty:
            st.warning("No forecast contacts reach any queue.")
            return
        summary(shown.headline)
        display.table(shown.queues, digits=1)
        left, right = st.columns(2)
        queue = left.selectbox("Queue", sorted(frame["queue"].unique()), key="staffing_queue")
        value = right.selectbox("Heatmap of", list(HEATMAP_VALUES), key="staffing_value",
                                format_func=HEATMAP_VALUES.__getitem__)
        heatmap, service = st.tabs(["Heatmap by day and time", "Service level and occupancy"],
                                   key="staffing_chart", on_change="rerun")
        drawn = (basis.key, repr(chosen), queue)
        if heatmap.open:
            with heatmap:
                display.show(lambda: charts.requirement_heatmap(frame, queue, value=value),
                             key=("heatmap", *drawn, value))
        if service.open:
            with service:
                display.show(lambda: charts.service_and_occupancy(frame, queue),
                             key=("service", *drawn))
        st.subheader("Volume steps")
        display.table(shown.steps, digits=0)
        for note in shown.notes:
            st.caption(f"Note: {note}")
        if st.button("Save this scenario as a run", type="primary", key="staffing_save"):
            save(chosen, basis.prepared, history)


with display.errors():
    if state.need(run, "interval_forecast", what="staffing needs an interval forecast "
                  "(a history of intervals, not days)"):
        history = state.history_frame(settings)
        scenario(state.basis(run, settings, history), history)

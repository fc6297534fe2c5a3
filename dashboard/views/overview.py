"""Overview: the season at a glance for the chosen run."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, display, state
from data import local_day
from staffing import CHANNEL_MODELS

config, run = state.run_page("Overview")
path = str(run.path)


def peaks() -> None:
    """Season contacts, the busiest day and interval, hires."""
    forecast = state.artifact(path, "forecast")
    per_day = forecast.groupby(local_day(forecast["ds"]))["yhat"].sum()
    columns = st.columns(4)
    columns[0].metric("Contacts forecast", f"{per_day.sum():,.0f}",
                      help=f"{per_day.index.min():%d %b} to {per_day.index.max():%d %b %Y}")
    columns[1].metric("Peak day", f"{per_day.idxmax():%a %d %b}",
                      f"{per_day.max():,.0f} contacts", delta_color="off", delta_arrow="off",
                      help=f"{per_day.idxmax():%A %d %B %Y}")
    if "interval_forecast" in run.artifacts():
        intervals = state.artifact(path, "interval_forecast")
        per_interval = intervals.groupby("ds")["yhat"].sum()
        peak = per_interval.idxmax()
        columns[2].metric("Peak interval", f"{peak:%d %b %H:%M}",
                          f"{per_interval.max():,.0f} contacts", delta_color="off",
                          delta_arrow="off", help=f"{peak:%A %d %B %Y %H:%M %Z}")
    if "hiring" in run.artifacts():
        hiring = state.artifact(path, "hiring")
        total = hiring[hiring["queue"] == "total"]
        hires = int(total["hires"].sum()) if len(total) else int(hiring["hires"].sum())
        columns[3].metric("Hires proposed", f"{hires:,}")


def capacity() -> None:
    """FTE needed per week against the staff on hand, and the hiring plan."""
    st.subheader("FTE needed per week against headcount")
    if not state.need(run, "capacity", "hiring",
                      what="the capacity plan needs an agents file (data.agents)"):
        return
    plan = state.artifact(path, "capacity")
    queue = st.selectbox("Queue", ["All queues", *sorted(plan["queue"].unique())],
                         key="overview_queue")
    display.show(charts.fte_vs_headcount(plan, None if queue == "All queues" else queue))
    st.subheader("Hiring plan")
    display.table(state.artifact(path, "hiring"))


def _short_intervals(requirements: pd.DataFrame) -> pd.DataFrame:
    """Intervals whose planned service level stays below the queue's target."""
    settings = state.run_config(run, config).staffing
    targets = {q.name: settings.for_queue(q).service_level for q in settings.queues}
    target = requirements["queue"].map(targets).astype(float).fillna(settings.service_level)
    short = requirements[(requirements["contacts"] > 0) & requirements["service_level"].notna()
                         & (requirements["service_level"] < target - 0.005)]
    if "model" in short:  # a model with a response target of its own is judged by it
        to_target = {name: m.sized_to_service_level for name, m in CHANNEL_MODELS.items()}
        short = short[short["model"].map(to_target).fillna(True).astype(bool)]
    return short


def risks() -> None:
    """Weeks and intervals short of target, agents at burnout risk, the run's notes."""
    st.subheader("Risks")
    found = False
    if "capacity" in run.artifacts():
        plan = state.artifact(path, "capacity")
        weeks = plan[plan["at_risk_with_hires"]]
        if len(weeks):
            found = True
            st.warning(f"{len(weeks)} queue-weeks stay short of the FTE needed even with the "
                       f"proposed hires ({plan['at_risk_without_hires'].sum()} without them).")
            display.table(weeks.groupby("queue").agg(
                weeks_short=("week", "size"), first_week=("week", "min"),
                last_week=("week", "max"), largest_gap_fte=("gap_with_hires", "max"))
                .reset_index())
            with st.expander("Every week short of its need"):
                display.table(weeks[["queue", "week", "fte_needed", "fte_with_hires",
                                   "gap_with_hires"]])
    if "requirements" in run.artifacts():
        short = _short_intervals(state.artifact(path, "requirements"))
        if len(short):
            found = True
            st.warning(f"{len(short)} interval{'s are' if len(short) != 1 else ' is'} planned "
                       "below the service target.")
            display.table(short.groupby("queue").agg(intervals=("ds", "size"),
                                                    lowest=("service_level", "min"))
                         .reset_index())
    if "shortfall" in run.artifacts():
        shortfall = state.artifact(path, "shortfall")
        if len(shortfall):
            found = True
            st.warning(f"The schedule leaves {len(shortfall)} interval"
                       f"{'s' if len(shortfall) != 1 else ''} short of the requirement.")
            display.table(shortfall)
    if "burnout" in run.artifacts():
        burnout = state.artifact(path, "burnout")
        at_risk = burnout[burnout["at_risk"]]
        if len(at_risk):
            found = True
            st.warning(f"{len(at_risk)} agent{'s are' if len(at_risk) != 1 else ' is'} at "
                       "burnout risk in the roster.")
            display.table(at_risk)
    if not found:
        st.success("No week, interval or agent at risk in this run.")
    for note in run.manifest.get("notes", []):
        st.caption(f"Note: {note}")


with display.errors():
    if state.need(run, "forecast", what="make a forecast with `peakplan run`"):
        peaks()
        st.subheader("Contacts per week by query type")
        display.show(charts.weekly_contacts(state.artifact(path, "forecast")))
    capacity()
    risks()

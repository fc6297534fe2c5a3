"""Data: the input files (the config's, or uploaded ones), their validation report, and
a new run from them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import peakplan
from dashboard import display, state, uploads

ROLES = {"contacts": ("volume", "Contact history"), "traffic": ("traffic", "Web traffic"),
         "events": ("events", "Events"), "agents": ("agents", "Agents")}

config, _ = state.page("Data")
st.caption(f"Config: `{config.source or 'the bundled sample'}`; season "
           f"{config.season.name}, time zone {config.season.timezone}")


def upload_controls() -> dict:
    """Uploaders for each input (kept in the session) and the history's reading options."""
    columns = st.columns(4)
    for column, (kind, (_, label)) in zip(columns, ROLES.items(), strict=True):
        with column:
            uploads.upload_widget(kind, label)
    with st.expander("Reading options for an uploaded contact history"):
        left, middle, right, last = st.columns(4)
        options = {"country": left.text_input("Country (file without the column)",
                                              key="data_country") or None,
                   "channel": middle.text_input("Channel (file without the column)",
                                                key="data_channel") or None,
                   "query_type": right.text_input("Query type (file without the column)",
                                                  key="data_query_type") or None,
                   "allow_gaps": last.checkbox("Keep days without rows as missing",
                                               key="data_gaps") or None}
    if uploads.kept() and st.button("Use the config's files again", key="data_reset"):
        uploads.kept().clear()
        for kind in ROLES:
            st.session_state.pop(f"upload_{kind}", None)
        st.rerun()
    return options if "contacts" in uploads.kept() else {}


def files_in_use(effective) -> None:
    rows = []
    for kind, (field, label) in ROLES.items():
        value = getattr(effective.data, field)
        uploaded = uploads.kept().get(kind)
        rows.append({"input": label, "file": uploaded[0] if uploaded else
                     (str(value) if value else "none"),
                     "from": "upload" if uploaded else "config"})
    display.table(pd.DataFrame(rows))


def new_run(effective) -> None:
    st.subheader("Forecast and staff")
    st.write("Forecast the season from these files, size the agents of every queue and "
             "keep it all as a run (a few minutes for the sample; an identical earlier run "
             "is reused).")
    if st.button("Forecast and staff into a new run", key="data_run"):
        with st.spinner("Forecasting and staffing the season..."):
            made = peakplan.run(effective, reuse=True)
        state.select_run(made.name)
        state.flash(f"Run `{made.name}` is ready.")
        st.rerun()


with display.errors():
    options = upload_controls()
    effective = uploads.with_uploads(config, **options)
    files_in_use(effective)
    st.subheader("Validation report")
    reports = state.input_reports(effective)
    st.success("Every input is valid.")
    for report in reports:
        st.code(report, language=None)
    new_run(effective)

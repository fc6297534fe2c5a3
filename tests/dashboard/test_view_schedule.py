"""The Schedule & roster page: the run's schedule and roster with their downloads; a
queue-week designed, rostered and saved as runs."""

from __future__ import annotations

import pandas as pd
import pytest
from page_testing import metric, no_errors, open_page

from dashboard import state
from peakplan.runs import list_runs

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_the_run_schedule_and_roster_are_shown(store) -> None:
    at = open_page("schedule", run=store.rostered.name)
    no_errors(at)
    assert {"Coverage against the requirement", "Roster", "Burnout report"} <= {
        s.value for s in at.subheader}
    assert metric(at, "Shifts rostered") == len(store.rostered.artifact("roster"))
    assert {b.label for b in at.get("download_button")} >= {
        "Roster (CSV)", "Roster (Excel)", "Calendars (iCalendar, zip)"}
    team = at.multiselect(key="roster_teams")
    team.set_value(team.options[:1]).run()
    no_errors(at)


@pytest.mark.slow
def test_design_roster_and_save_a_queue_week(store) -> None:
    at = open_page("schedule", run=store.rostered.name)
    at.selectbox(key="schedule_queue").set_value("hu_email").run()
    assert at.selectbox(key="schedule_week").value.day_of_week == 0  # the busiest week
    at.selectbox(key="schedule_week").set_value(pd.Timestamp("2026-11-16"))
    at.slider(key="schedule_limit").set_value(2)
    at.button(key="schedule_run").click().run()
    no_errors(at)
    assert at.radio(key="schedule_source").value == "designed just now"
    at.button(key="roster_run").click().run()
    no_errors(at)
    assert metric(at, "Shifts rostered") > 0
    count = len(list_runs(store.runs))
    at.button(key="roster_save").click().run()
    no_errors(at)
    saved = list_runs(store.runs)
    assert len(saved) == count + 2
    schedule_run, roster_run = saved[-2:]
    assert "roster" not in schedule_run.artifacts()  # no earlier roster rides along
    assert roster_run.manifest["source_run"] == schedule_run.name
    assert "exports/roster.xlsx" in roster_run.manifest["files"]
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == roster_run.name

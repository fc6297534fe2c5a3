"""The Staffing page: the scenario controls change the requirement, the chart follows
the queue and value and only the open tab is drawn, a scenario is saved as a run."""

from __future__ import annotations

import pytest
from page_testing import metric, no_errors, open_page
from streamlit.testing.v1 import AppTest

from dashboard import state
from peakplan.runs import list_runs

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_the_uplift_slider_raises_the_agents(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    no_errors(at)
    hours, contacts = metric(at, "Agent hours (gross)"), metric(at, "Contacts planned")
    uplift = next(s for s in at.slider if s.label.startswith("Volume uplift"))
    uplift.set_value(50).run()
    no_errors(at)
    assert metric(at, "Agent hours (gross)") > hours * 1.2
    assert metric(at, "Contacts planned") > contacts * 1.4
    steps = next(t.value for t in at.dataframe if "step" in t.value)
    assert steps.loc[steps["step"] == "scenario uplift", "change"].iloc[0] > 0


def test_a_stricter_target_and_more_shrinkage_need_more_agents(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    hours = metric(at, "Agent hours (gross)")
    next(s for s in at.slider if s.label.startswith("Shrinkage")).set_value(45).run()
    assert metric(at, "Agent hours (gross)") > hours
    more = metric(at, "Agent hours (gross)")
    next(s for s in at.slider if s.label.startswith("Service target")).set_value(95).run()
    no_errors(at)
    assert metric(at, "Agent hours (gross)") > more


def tab_pictures(at: AppTest) -> dict[str, list[str]]:
    """Picture URLs shown in each tab of the page, by tab label."""
    return {tab.label: [shown.proto.imgs[0].url for shown in tab.children.values()
                        if shown.type == "image"] for tab in at.tabs}


def test_the_heatmap_follows_the_queue_and_value_and_only_the_open_tab_is_drawn(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    shown = tab_pictures(at)
    assert len(shown["Heatmap by day and time"]) == 1
    assert shown["Service level and occupancy"] == []  # a closed tab costs nothing
    first = shown["Heatmap by day and time"][0]
    at.run()
    assert tab_pictures(at)["Heatmap by day and time"] == [first]  # the same picture, kept
    at.selectbox(key="staffing_value").set_value("occupancy").run()
    no_errors(at)
    occupancy = tab_pictures(at)["Heatmap by day and time"]
    assert len(occupancy) == 1 and occupancy[0] != first
    queue = at.selectbox(key="staffing_queue")
    assert queue.options == ["hu_chat", "hu_email", "hu_phone"]
    queue.set_value("hu_phone").run()
    no_errors(at)
    assert tab_pictures(at)["Heatmap by day and time"][0] not in (first, occupancy[0])


def test_the_service_tab_shows_service_level_and_occupancy(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    at.session_state["staffing_chart"] = "Service level and occupancy"
    at.run()
    no_errors(at)
    shown = tab_pictures(at)
    assert shown["Heatmap by day and time"] == []
    assert len(shown["Service level and occupancy"]) == 1


@pytest.mark.slow
def test_a_scenario_is_saved_as_a_run(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    next(s for s in at.slider if s.label.startswith("Volume uplift")).set_value(20).run()
    count = len(list_runs(store.runs))
    at.button(key="staffing_save").click().run()
    no_errors(at)
    saved = list_runs(store.runs)
    assert len(saved) == count + 1 and saved[-1].name.endswith("-hu-staff")
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == saved[-1].name
    assert saved[-1].manifest["forecast_run"] == store.rostered.name
    base = store.rostered.artifact("requirements")["agents_gross"].sum()
    assert saved[-1].artifact("requirements")["agents_gross"].sum() > base

"""The Data page: the validation report of every input, uploads that replace the config's
files (or show an error box), and a new run made from them."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from page_testing import BAD_CSV, no_errors, open_page

from dashboard import state
from data import sample_paths
from peakplan.runs import list_runs

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_the_data_page_reports_every_input(store) -> None:
    at = open_page("data")
    no_errors(at)
    assert any("Every input is valid" in s.value for s in at.success)
    reports = "\n".join(c.value for c in at.code)
    assert "contact history" in reports and "agents" in reports


def test_a_bad_history_upload_is_an_error_box(store) -> None:
    at = open_page("data", uploads={"contacts": ("history.csv", BAD_CSV)})
    assert not at.exception
    assert at.error and "history.csv" in at.error[0].value
    assert "uploads" not in at.error[0].value  # named as uploaded, not by its kept path
    assert not any("Every input is valid" in s.value for s in at.success)


def test_an_uploaded_agents_file_replaces_the_config_one(store) -> None:
    agents = pd.read_csv(sample_paths()["agents"]).head(20)
    buffer = io.StringIO()
    agents.to_csv(buffer, index=False)
    at = open_page("data", uploads={"agents": ("my-agents.csv", buffer.getvalue().encode())})
    no_errors(at)
    assert any("agents: 20" in c.value for c in at.code)


def test_the_data_page_makes_a_run(store) -> None:
    at = open_page("data")
    count = len(list_runs(store.runs))
    at.button(key="data_run").click().run()
    no_errors(at)
    made = list_runs(store.runs)
    assert len(made) == count + 1 and "requirements" in made[-1].artifacts()
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == made[-1].name
    assert any(made[-1].name in s.value for s in at.success)

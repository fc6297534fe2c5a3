"""The Overview page: the risks and the hiring plan, per queue."""

from __future__ import annotations

import pytest
from page_testing import no_errors, open_page

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_overview_shows_risks_and_the_hiring_plan(store) -> None:
    at = open_page("overview", run=store.rostered.name)
    assert "Hiring plan" in [s.value for s in at.subheader]
    assert at.warning or at.success
    at.selectbox(key="overview_queue").set_value("hu_phone").run()
    no_errors(at)

"""The Season review page: uploaded actuals against the forecast, a bad upload, a history
that misses the season, and a run's backtest."""

from __future__ import annotations

import pytest
from page_testing import BAD_CSV, actuals_csv, metric, no_errors, open_page

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_uploaded_actuals_show_what_rose_and_fell(store) -> None:
    upload = ("actuals.csv", actuals_csv(store.forecast, rose="order_status"))
    at = open_page("review", run=store.rostered.name, uploads={"actuals": upload})
    no_errors(at)
    assert metric(at, "Actual contacts") > 0
    by_type = next(t.value for t in at.dataframe if "query_type" in t.value
                   and "country" not in t.value)
    assert by_type.iloc[0]["query_type"] == "order_status"
    assert by_type.iloc[0]["change_vs_forecast"] == pytest.approx(0.3, abs=0.02)
    at.radio(key="review_by").set_value("day").run()
    no_errors(at)
    at.radio(key="review_by").set_value("channel").run()
    no_errors(at)


def test_a_bad_actuals_upload_is_an_error_box(store) -> None:
    at = open_page("review", run=store.rostered.name,
                   uploads={"actuals": ("actuals.csv", BAD_CSV)})
    assert not at.exception
    assert at.error and "actuals.csv" in at.error[0].value and "row 3" in at.error[0].value


def test_a_history_that_ends_before_the_season_is_said_so(store) -> None:
    at = open_page("review", run=store.rostered.name)
    at.radio(key="review_source").set_value("The config's contact history").run()
    no_errors(at)
    assert any("share no day" in w.value for w in at.warning)


def test_the_review_of_a_backtest_run(store) -> None:
    at = open_page("review", run=store.backtested.name)
    at.radio(key="review_source").set_value("The run's backtest").run()
    no_errors(at)
    assert metric(at, "Bias") == pytest.approx(-16.7, abs=0.2)  # forecast 1/1.2 of actual

"""The Forecast page: a country and series chosen, their backtest, a day's intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from page_testing import no_errors, open_page

pytestmark = pytest.mark.usefixtures("uploads_folder")


def test_choosing_a_country_and_series_changes_the_forecast(store) -> None:
    at = open_page("forecast", run=store.backtested.name)
    titles = [s.value for s in at.subheader]
    assert "Daily contacts: all countries · all query types · all channels" in titles
    at.selectbox(key="forecast_country").set_value("HU").run()
    assert "Daily contacts: HU · all query types · all channels" in [s.value for s in
                                                                    at.subheader]
    at.selectbox(key="forecast_query_type").set_value("order_status")
    at.selectbox(key="forecast_channel").set_value("phone").run()
    no_errors(at)
    assert "Daily contacts: HU · order_status · phone" in [s.value for s in at.subheader]
    shown = [t.value for t in at.dataframe]
    assert any(len(t) == 3 and set(t["model"]) == {"snaive_week", "snaive_year", "prophet"}
               for t in shown)  # the series' backtest against the baselines
    assert any(list(t["unique_id"]) == ["HU/order_status/phone"] for t in shown
               if "unique_id" in t)  # which model it got, and why
    at.date_input(key="forecast_day").set_value(pd.Timestamp("2026-11-27").date()).run()
    no_errors(at)


def _run_with_a_warning(store, *, in_choices: bool) -> str:
    """A run of the shared store's forecast whose HU/payment/phone total is flagged, in the
    `check` column of choices or (an older run) in the manifest's notes only."""
    from forecast import GUARD_PREFIX
    from peakplan import write_run

    message = (f"{GUARD_PREFIX} HU/payment/phone: its season total of 9,999 contacts is "
               "2.0 times last year's same season scaled by the recent level (5,000)")
    choices = store.rostered.artifact("choices")
    if in_choices:
        choices = choices.assign(check=np.where(choices["unique_id"] == "HU/payment/phone",
                                                message, ""))
    run = write_run(store.runs, "hu-flagged", config_text=store.config.read_text("utf-8"),
                    artifacts={"forecast": store.forecast, "choices": choices},
                    inputs={}, timings_s={}, notes=("traffic HU: plan", message))
    return run.path.name


@pytest.mark.parametrize("in_choices", [True, False])
def test_an_implausible_season_total_is_a_warning_naming_the_series(store, in_choices) -> None:
    at = open_page("forecast", run=_run_with_a_warning(store, in_choices=in_choices))
    no_errors(at)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1
    assert warnings[0].startswith("Check the forecast of HU/payment/phone: its season total "
                                  "of 9,999 contacts is 2.0 times last year's")


def test_a_plausible_forecast_shows_no_warning(store) -> None:
    at = open_page("forecast", run=store.backtested.name)
    assert not [w.value for w in at.warning if "Check the forecast" in w.value]

"""The Forecast page: a country and series chosen, their backtest, a day's intervals."""

from __future__ import annotations

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

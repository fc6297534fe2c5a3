"""The real public files in ../shared/realdata load through the same readers."""

from __future__ import annotations

import pandas as pd
import pytest

from data import load_contacts, local_day, read_traffic, resample_intervals, to_daily

pytestmark = pytest.mark.realdata


def test_bank_calls_5_minute_arrivals(realdata) -> None:
    path = realdata / "us_bank_calls_2003_5min.csv"
    history = load_contacts(path, timezone="America/New_York", country="US", channel="phone",
                            allow_gaps=True)
    frame = history.frame
    assert history.grain_min == 5 and len(frame) == 27716
    assert set(frame["country"]) == {"US"} and set(frame["channel"]) == {"phone"}
    hours = frame["ds"].dt.hour
    assert hours.min() == 7 and hours.max() == 21  # 07:00 to the 21:00 interval
    assert set(local_day(frame["ds"]).dt.day_of_week) == {0, 1, 2, 3, 4}
    closed = {d.date().isoformat() for d in history.closed_days}
    assert {"2003-05-26", "2003-07-04", "2003-09-01"} <= closed  # US public holidays
    assert len(history.gap_days) == 3  # days the published series lacks
    daily = to_daily(frame)
    assert daily["contacts"].sum() == frame["contacts"].sum()
    half_hours = resample_intervals(frame, 5, 30)
    assert half_hours["contacts"].sum() == frame["contacts"].sum()
    days = local_day(frame["ds"]).nunique()
    assert len(half_hours) == days * 29  # 07:00 to 21:00 inclusive: 28 full half hours + 1


def test_bank_calls_without_allow_gaps_name_the_first_gap(realdata) -> None:
    from data import DataError

    message = r"row 4057, column 'DateTime': no rows for 1 day .*2003-04-04"
    with pytest.raises(DataError, match=message):
        load_contacts(realdata / "us_bank_calls_2003_5min.csv", timezone="America/New_York",
                      country="US")


def test_daily_website_visitors_as_a_daily_history_and_as_traffic(realdata) -> None:
    path = realdata / "us_website_visitors_daily.csv"
    traffic = read_traffic(path, country="US", sessions_column="Unique.Visits")
    assert len(traffic) == 2167 and set(traffic["country"]) == {"US"}
    assert traffic["ds"].min() == pd.Timestamp("2014-09-14")
    by_day = traffic.set_index("ds")["sessions"]
    thanksgiving, week_before = pd.Timestamp("2019-11-28"), pd.Timestamp("2019-11-21")
    assert by_day[thanksgiving] < 0.8 * by_day[week_before]


def test_sessions_by_country_are_summed_over_browser_and_os(realdata) -> None:
    traffic = read_traffic(realdata / "ga_sessions_by_country_2019.csv.gz")
    raw = pd.read_csv(realdata / "ga_sessions_by_country_2019.csv.gz", sep=";")
    assert traffic["sessions"].sum() == raw["sessions"].sum()
    assert traffic.attrs["summed_over"] == ["browser", "operating_system"]
    assert {"US", "GB", "AR", "HU", "JP"} <= set(traffic["country"])
    assert not traffic.duplicated(["ds", "country"]).any()


def test_textbook_page_views_without_a_country(realdata) -> None:
    traffic = read_traffic(realdata / "otexts_pageviews_daily.csv")
    assert set(traffic["country"]) == {"ZZ"} and len(traffic) == 1561

"""Traffic, events and agents files: what each reader accepts and how it reads it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data import DataError, read_agents, read_events, read_traffic


def test_traffic_by_country_and_page_category(write) -> None:
    text = ("date,country,page_category,visits\n2026-11-27,AR,Order Status,100\n"
            "2026-11-27,Argentina,order status,50\n2026-11-27,HUN,payment,7\n")
    with pytest.raises(DataError, match="repeats the day"):
        read_traffic(write("t.csv", text))
    clean = text.replace("Argentina,order status", "AR,payment")
    frame = read_traffic(write("t2.csv", clean))
    assert list(frame.columns) == ["ds", "country", "query_type", "sessions"]
    assert frame.set_index(["country", "query_type"])["sessions"].to_dict() == {
        ("AR", "order_status"): 100, ("AR", "payment"): 50, ("HU", "payment"): 7}


def test_hourly_traffic_is_summed_to_days(write) -> None:
    text = "ds,country,sessions\n" + "\n".join(
        f"2026-12-01 {h:02d}:00,GB,{h}" for h in range(24))
    frame = read_traffic(write("hourly.csv", text))
    assert frame["sessions"].tolist() == [sum(range(24))]
    assert frame["ds"].tolist() == [pd.Timestamp("2026-12-01")]


def test_traffic_country_flag_filters_or_fills(write) -> None:
    text = "ds,sessions\n2026-12-01,5\n2026-12-02,6\n"
    assert set(read_traffic(write("one.csv", text), country="United Kingdom")["country"]) == {"GB"}


def test_events_default_to_every_country_and_zero_windows(write) -> None:
    frame = read_events(write("e.csv", "event,date\nWinter Sale,2026-12-27\n"))
    row = frame.iloc[0]
    assert (row["name"], row["country"], row["lower_window"], row["upper_window"]) == (
        "Winter Sale", "*", 0, 0)
    assert row["ds"] == pd.Timestamp("2026-12-27")


def test_events_with_windows_and_countries(write) -> None:
    text = ("name,ds,country,lower_window,upper_window\nHot Sale,2026-05-11,ARG,-2,3\n"
            "Anniversary,2026-09-10,all,,1\n")
    frame = read_events(write("e.csv", text)).set_index("name")
    assert frame.loc["Hot Sale", ["country", "lower_window", "upper_window"]].tolist() == [
        "AR", -2, 3]
    assert frame.loc["Anniversary", ["country", "lower_window"]].tolist() == ["*", 0]


AGENTS = """agent_id,name,team,skills,contract_hours,max_h_week,available_days,\
earliest_start,latest_end,unavailable,preferences
A1,Ana Díaz,ES-1,es_phone;es_chat,40,44,,07:00,20:00,2026-12-24;2026-12-30..2026-12-31,early
A2,Bence Nagy,HU-1,HU Phone|HU Email,24,,Mon-Wed,,,,no_nights;no_weekends
A3,Chloe Hall,EN-1,en_chat,32,,Fri-Mon,,,,
"""


def test_agents_lists_hours_days_and_preferences(write) -> None:
    frame = read_agents(write("agents.csv", AGENTS)).set_index("agent_id")
    assert frame.loc["A1", "queues"] == ("es_phone", "es_chat")
    assert frame.loc["A2", "queues"] == ("hu_phone", "hu_email")
    assert frame.loc["A1", ["contract_h_week", "min_h_week", "max_h_week"]].tolist() == [
        40, 40, 44]
    assert frame.loc["A2", "max_h_week"] == 24
    assert frame.loc["A2", "available_days"] == (0, 1, 2)
    assert frame.loc["A3", "available_days"] == (0, 4, 5, 6)
    assert frame.loc["A1", "available_days"] == tuple(range(7))
    assert (frame.loc["A1", "earliest_start_min"], frame.loc["A1", "latest_end_min"]) == (420,
                                                                                        1200)
    assert frame.loc["A1", "unavailable"] == (date(2026, 12, 24), date(2026, 12, 30),
                                              date(2026, 12, 31))
    assert frame.loc["A2", "preferences"] == ("no_nights", "no_weekends")


@pytest.mark.parametrize(("change", "message"), [
    (("Mon-Wed", "Mon-Funday"), "not a weekday"),
    (("07:00", "7am"), "not a time of day"),
    (("2026-12-30..2026-12-31", "2026-12-31..2026-12-30"), "earlier to a later"),
    (("40,44", "40,30"), "maximum weekly hours 30 are below the contract"),
])
def test_agents_cells_that_cannot_be_read(write, change, message) -> None:
    with pytest.raises(DataError, match=message) as error:
        read_agents(write("agents.csv", AGENTS.replace(*change, 1)))
    assert error.value.row in (2, 3)

"""The contact history reader: optional columns, grain, gaps, duplicates, filters."""

from __future__ import annotations

import pandas as pd
import pytest

from data import ConfigError, DataError, load_contacts, read_contacts

TZ = "Europe/Amsterdam"


def interval_csv(days: list[str], minutes: int = 30, extra: str = "",
                 hours: tuple[int, int] = (8, 10)) -> str:
    rows = ["ds,contacts" + ("," + extra.split("=")[0] if extra else "")]
    for day in days:
        for stamp in pd.date_range(f"{day} {hours[0]:02d}:00", f"{day} {hours[1]:02d}:00",
                                   freq=f"{minutes}min", inclusive="left"):
            rows.append(f"{stamp:%Y-%m-%d %H:%M},3" + ("," + extra.split("=")[1] if extra else ""))
    return "\n".join(rows)


@pytest.mark.parametrize("minutes", [5, 15, 30, 60])
def test_interval_grain_is_detected(write, minutes) -> None:
    history = load_contacts(write("g.csv", interval_csv(["2026-01-05", "2026-01-06"], minutes)),
                            timezone=TZ)
    assert history.grain_min == minutes and not history.is_daily


def test_daily_grain_is_detected(write) -> None:
    text = "date,calls\n" + "\n".join(f"2026-01-{d:02d},{d}" for d in range(1, 15))
    history = load_contacts(write("d.csv", text), timezone=TZ)
    assert history.is_daily and history.frame["contacts"].sum() == sum(range(1, 15))


def test_missing_series_columns_take_named_values_or_defaults(write) -> None:
    path = write("one.csv", interval_csv(["2026-01-05"]))
    named = read_contacts(path, timezone=TZ, country="Argentina", channel="Voice",
                          query_type="Order Status")
    assert set(zip(named["country"], named["query_type"], named["channel"], strict=True)) == {
        ("AR", "order_status", "phone")}
    plain = load_contacts(path, timezone=TZ)
    assert set(plain.frame["country"]) == {"ZZ"} and set(plain.frame["channel"]) == {"all"}
    assert any("no 'country' column" in note for note in plain.notes)


def test_a_named_value_filters_a_file_that_has_the_column(write) -> None:
    text = "ds,country,channel,contacts\n" + "\n".join(
        f"2026-01-05 {h:02d}:00,{c},{ch},{n}" for h in (8, 9) for c, n in (("HU", 1), ("ARG", 2))
        for ch in ("phone", "e-mail"))
    path = write("multi.csv", text)
    frame = read_contacts(path, timezone=TZ, country="AR", channel="email")
    assert len(frame) == 2 and frame["contacts"].tolist() == [2, 2]
    with pytest.raises(DataError, match="no rows for country 'GB'"):
        read_contacts(path, timezone=TZ, country="GB")
    with pytest.raises(ConfigError, match="country"):
        read_contacts(path, timezone=TZ, country="Narnia")


def test_labels_are_normalised(write) -> None:
    text = ("ds,Query Type,Channel,contacts\n2026-01-05 08:00,Order Status,Live Chat,1\n"
            "2026-01-05 08:30,order status,CHAT,2\n")
    frame = read_contacts(write("labels.csv", text), timezone=TZ)
    assert set(frame["query_type"]) == {"order_status"} and set(frame["channel"]) == {"chat"}


def test_duplicates_name_both_rows(write) -> None:
    text = "ds,contacts\n2026-01-05 08:00,1\n2026-01-05 08:30,1\n2026-01-05 08:00,4\n"
    with pytest.raises(DataError, match="already given in row 2") as error:
        read_contacts(write("dup.csv", text), timezone=TZ)
    assert error.value.row == 4


def test_missing_intervals_inside_a_day_are_zero_not_gaps(write) -> None:
    text = "ds,contacts\n2026-01-05 08:00,1\n2026-01-05 11:30,1\n2026-01-06 09:00,2\n" \
           "2026-01-06 09:30,2\n"
    history = load_contacts(write("sparse.csv", text), timezone=TZ)
    assert history.grain_min == 30 and not history.gap_days


def test_a_missing_day_is_a_gap_unless_allowed(write) -> None:
    days = [d.date().isoformat() for d in pd.bdate_range("2026-01-05", "2026-01-23")
            if d.day not in (14, 15)]
    path = write("gap.csv", interval_csv(days))
    with pytest.raises(DataError, match=r"no rows for 2 days .*2026-01-14 to 2026-01-15") as error:
        read_contacts(path, timezone=TZ)
    assert error.value.row == 1 + 7 * 4  # the last row of 13 January
    history = load_contacts(path, timezone=TZ, allow_gaps=True)
    assert [d.date().isoformat() for d in history.gap_days] == ["2026-01-14", "2026-01-15"]


def test_never_open_weekdays_and_public_holidays_are_closed_days(write) -> None:
    weekdays = [d.date().isoformat() for d in pd.bdate_range("2025-12-15", "2026-01-09")
                if d.date().isoformat() not in ("2025-12-25", "2025-12-26", "2026-01-01")]
    history = load_contacts(write("gb.csv", interval_csv(weekdays)), timezone=TZ, country="GB")
    assert not history.gap_days
    closed = {d.date().isoformat() for d in history.closed_days}
    assert closed == {"2025-12-25", "2025-12-26", "2026-01-01"}


def test_handle_time_is_kept_and_may_be_empty(write) -> None:
    text = "ds,contacts,aht_s\n2026-01-05 08:00,3,300\n2026-01-05 08:30,0,\n"
    frame = read_contacts(write("aht.csv", text), timezone=TZ)
    assert frame["aht_s"].iloc[0] == 300 and pd.isna(frame["aht_s"].iloc[1])


def test_output_is_sorted_by_series_then_time(write) -> None:
    text = ("ds,channel,contacts\n2026-01-05 09:00,phone,1\n2026-01-05 08:00,chat,1\n"
            "2026-01-05 08:00,phone,1\n2026-01-05 08:30,chat,1\n")
    frame = read_contacts(write("order.csv", text), timezone=TZ)
    assert frame["channel"].tolist() == ["chat", "chat", "phone", "phone"]
    assert frame.groupby("channel")["ds"].apply(lambda s: s.is_monotonic_increasing).all()


def test_weekdays_never_seen_in_three_weeks_are_closed_and_reported(write) -> None:
    days = [d.date().isoformat() for d in pd.bdate_range("2026-01-05", "2026-01-23")]
    history = load_contacts(write("weekdays.csv", interval_csv(days)), timezone=TZ)
    assert not history.gap_days
    assert "closed weekdays (never in the file, not counted as gaps): Sat, Sun" in history.notes


def test_weekdays_missed_once_are_gaps_not_closed_days(write) -> None:
    days = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-08", "2026-10-09"]
    with pytest.raises(DataError, match="no rows for 3 days"):
        read_contacts(write("short.csv", interval_csv(days)), timezone=TZ)


def test_counts_with_thousands_dots_in_a_semicolon_file(write) -> None:
    text = "ds;contacts\n2026-01-05 08:00;1.250\n2026-01-05 08:30;12.500.000\n"
    frame = read_contacts(write("dots.csv", text), timezone=TZ)
    assert frame["contacts"].tolist() == [1250, 12_500_000]

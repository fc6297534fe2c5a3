"""Timestamps land in the center's zone; daylight-saving days have 23 and 25 hours."""

from __future__ import annotations

import pandas as pd
import pytest

from data import DataError, load_contacts, local_day, read_contacts, to_daily
from data.errors import ConfigError

TZ = "Europe/Amsterdam"


def day_of_naive_intervals(day: str, minutes: int = 30) -> list[str]:
    """Every wall-clock interval start a local export writes for `day` (DST-aware)."""
    start = pd.Timestamp(day).tz_localize(TZ)
    end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)
    stamps = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    return [s.strftime("%Y-%m-%d %H:%M") for s in stamps]


def csv(stamps: list[str], counts: list[int] | None = None) -> str:
    counts = counts or [1] * len(stamps)
    return "ds,contacts\n" + "\n".join(f"{s},{c}" for s, c in zip(stamps, counts, strict=True))


@pytest.mark.parametrize(("day", "intervals", "hours"), [
    ("2026-03-29", 46, 23), ("2026-10-25", 50, 25), ("2026-06-01", 48, 24)])
def test_daylight_saving_days_in_naive_local_time(write, day, intervals, hours) -> None:
    stamps = day_of_naive_intervals(day)
    assert len(stamps) == intervals
    frame = read_contacts(write("dst.csv", csv(stamps)), timezone=TZ)
    assert len(frame) == intervals and frame["ds"].is_monotonic_increasing
    span = frame["ds"].iloc[-1] - frame["ds"].iloc[0] + pd.Timedelta(minutes=30)
    assert span == pd.Timedelta(hours=hours)
    assert (local_day(frame["ds"]) == pd.Timestamp(day)).all()
    assert to_daily(frame)["contacts"].tolist() == [intervals]


def test_autumn_repeated_hour_is_summer_then_winter_per_series(write) -> None:
    rows = ["ds,channel,contacts"]
    for wall in ("2026-10-25 01:30", "2026-10-25 02:00", "2026-10-25 02:30",
                 "2026-10-25 02:00", "2026-10-25 02:30", "2026-10-25 03:00"):
        rows += [f"{wall},phone,1", f"{wall},chat,2"]
    frame = read_contacts(write("autumn.csv", "\n".join(rows)), timezone=TZ)
    phone = frame[frame["channel"] == "phone"]["ds"]
    offsets = [ts.utcoffset().total_seconds() / 3600 for ts in phone]
    assert offsets == [2, 2, 2, 1, 1, 1]
    assert phone.diff().dropna().eq(pd.Timedelta(minutes=30)).all()


def test_an_autumn_time_seen_once_is_summer_time_and_counted(write) -> None:
    stamps = ["2026-10-25 00:00", "2026-10-25 00:30", "2026-10-25 01:00", "2026-10-25 01:30",
              "2026-10-25 02:30", "2026-10-25 03:00", "2026-10-25 03:30"]
    history = load_contacts(write("once.csv", csv(stamps)), timezone=TZ)
    assert history.frame["ds"].iloc[4].utcoffset() == pd.Timedelta(hours=2)
    assert "1 autumn wall-clock times seen once were read as summer time" in history.notes


def test_a_skipped_spring_time_is_an_error(write) -> None:
    stamps = ["2026-03-29 01:30", "2026-03-29 02:30", "2026-03-29 03:00"]
    with pytest.raises(DataError, match="does not exist in Europe/Amsterdam") as error:
        read_contacts(write("spring.csv", csv(stamps)), timezone=TZ)
    assert error.value.row == 3


def test_offsets_are_exact_and_converted(write) -> None:
    stamps = ["2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z",
              "2026-10-25T01:30:00Z"]
    frame = read_contacts(write("utc.csv", csv(stamps)), timezone=TZ)
    walls = frame["ds"].dt.strftime("%H:%M%z").tolist()
    assert walls == ["02:00+0200", "02:30+0200", "02:00+0100", "02:30+0100"]


def test_naive_times_in_another_zone(write) -> None:
    stamps = ["2026-01-05 08:00", "2026-01-05 08:30"]
    frame = read_contacts(write("ny.csv", csv(stamps)), timezone=TZ,
                          naive_timezone="America/New_York")
    assert frame["ds"].iloc[0] == pd.Timestamp("2026-01-05 14:00", tz=TZ)


@pytest.mark.parametrize(("stamps", "first"), [
    (["31/12/2025 23:30", "01/01/2026 00:00"], "2025-12-31 23:30"),
    (["12/31/2025 23:30", "01/01/2026 00:00"], "2025-12-31 23:30"),
    (["31.12.2025 23:30", "01.01.2026 00:00"], "2025-12-31 23:30"),
    (["2025/12/31 23:30", "2026/01/01 00:00"], "2025-12-31 23:30"),
])
def test_common_date_formats(write, stamps, first) -> None:
    frame = read_contacts(write("formats.csv", csv(stamps)), timezone=TZ)
    assert frame["ds"].iloc[0] == pd.Timestamp(first, tz=TZ)


def test_day_month_ambiguity_asks_for_a_format(write) -> None:
    stamps = ["01/02/2026", "02/02/2026", "03/02/2026"]
    with pytest.raises(DataError, match="day-first or month-first"):
        read_contacts(write("amb.csv", csv(stamps)), timezone=TZ)
    frame = read_contacts(write("amb.csv", csv(stamps)), timezone=TZ, date_format="%d/%m/%Y")
    assert local_day(frame["ds"]).dt.month.tolist() == [2, 2, 2]


def test_dates_without_time_are_local_days(write) -> None:
    history = load_contacts(write("daily.csv", csv(["2026-03-28", "2026-03-29", "2026-03-30"])),
                            timezone=TZ)
    assert history.is_daily
    assert history.frame["ds"].dt.strftime("%H:%M").tolist() == ["00:00"] * 3


def test_unknown_time_zone_names_the_setting(write) -> None:
    with pytest.raises(ConfigError, match=r"season\.timezone"):
        read_contacts(write("a.csv", csv(["2026-01-01", "2026-01-02"])), timezone="Mars/Base")


def test_an_invalid_date_format_is_a_config_error(write) -> None:
    with pytest.raises(ConfigError) as error:
        read_contacts(write("a.csv", csv(["2026-01-01", "2026-01-02"])), timezone=TZ,
                      date_format="%Q")
    assert error.value.key == "date_format"


def test_days_stamped_at_midnight_utc_are_days(write) -> None:
    stamps = ["2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "2026-10-26T00:00:00Z"]
    history = load_contacts(write("utc_days.csv", csv(stamps)), timezone=TZ)
    assert history.is_daily
    assert local_day(history.frame["ds"]).dt.day.tolist() == [24, 25, 26]


def test_excel_serial_day_numbers(write) -> None:
    history = load_contacts(write("serial.csv", csv(["46296", "46297", "46298"])), timezone=TZ)
    assert history.is_daily
    assert local_day(history.frame["ds"]).iloc[0] == pd.Timestamp("2026-10-01")


def test_two_digit_years(write) -> None:
    frame = read_contacts(write("yy.csv", csv(["31/12/25 23:30", "01/01/26 00:00"])),
                          timezone=TZ)
    assert frame["ds"].iloc[0] == pd.Timestamp("2025-12-31 23:30", tz=TZ)

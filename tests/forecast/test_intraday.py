"""Intraday profiles: shares per key, fallbacks, special days, daylight saving, totals."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from data import ConfigError, DataError, load_contacts, sample_paths
from forecast.intraday import (
    DAY_TYPE,
    FALLBACKS_ATTR,
    SHARE,
    SLOT_MIN,
    IntradayProfiles,
    distribute,
    learn_profiles,
    special_day_calendar,
)

TZ = "Europe/Amsterdam"
VALUES = ["yhat", "yhat_lower", "yhat_upper"]
OFFICE = {minute: 10 for minute in range(9 * 60, 17 * 60, 30)}
"""Ten contacts in each half hour from 09:00 to 17:00: 160 a day."""


def one_day(day: str, contacts: Mapping[int, float], *, grain_min: int = 30,
            country: str = "GB", channel: str = "phone",
            query_type: str = "order_status") -> pd.DataFrame:
    """History rows of one local day: `contacts` per wall-clock minute of the interval
    start (both autumn 02:00 intervals get the value of minute 120); zero rows left out."""
    start = pd.Timestamp(day).tz_localize(TZ)
    end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)
    ds = pd.date_range(start, end, freq=f"{grain_min}min", inclusive="left")
    wall = ds.tz_localize(None)
    minute = (wall - wall.normalize()) // pd.Timedelta(minutes=1)
    frame = pd.DataFrame({"ds": ds, "country": country, "query_type": query_type,
                          "channel": channel,
                          "contacts": [contacts.get(int(m), 0) for m in minute]})
    return frame[frame["contacts"] > 0]


def history(first: str, last: str, contacts: Mapping[int, float], **keys) -> pd.DataFrame:
    days = pd.date_range(first, last, freq="D")
    return pd.concat([one_day(str(day.date()), contacts, **keys) for day in days],
                     ignore_index=True)


def forecast(days: list[str], series=(("GB", "order_status", "phone"),),
             yhat: float = 480.0) -> pd.DataFrame:
    rows = [(f"{c}/{q}/{ch}", c, q, ch, pd.Timestamp(day, tz=TZ), yhat + i,
             0.8 * (yhat + i), 1.3 * (yhat + i), "test")
            for i, (day, (c, q, ch)) in enumerate((d, s) for d in days for s in series)]
    return pd.DataFrame(rows, columns=["unique_id", "country", "query_type", "channel", "ds",
                                       *VALUES, "model"])


def daily_totals(intervals: pd.DataFrame) -> pd.DataFrame:
    day = intervals["ds"].dt.tz_localize(None).dt.normalize().dt.tz_localize(TZ)
    return intervals.groupby(["unique_id", day])[VALUES].sum()


def assert_totals_kept(daily: pd.DataFrame, intervals: pd.DataFrame) -> None:
    expected = daily.set_index(["unique_id", "ds"])[VALUES].sort_index()
    got = daily_totals(intervals).sort_index()
    assert got.index.equals(expected.index)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=0)


def share_between(intervals: pd.DataFrame, start_min: int, end_min: int) -> float:
    wall = intervals["ds"].dt.tz_localize(None)
    minute = (wall - wall.dt.normalize()) // pd.Timedelta(minutes=1)
    inside = (minute >= start_min) & (minute < end_min)
    return float(intervals.loc[inside, "yhat"].sum() / intervals["yhat"].sum())


def key_sums(profiles: IntradayProfiles) -> pd.Series:
    frame = profiles.frame
    return frame.groupby(["country", "channel", frame[DAY_TYPE].astype(str)])[SHARE].sum()


# --- the bundled sample, loaded once -------------------------------------------------------

@pytest.fixture(scope="module")
def amsterdam_history() -> pd.DataFrame:
    return load_contacts(sample_paths()["contacts"], timezone=TZ).frame


@pytest.fixture(scope="module")
def sample_profiles(amsterdam_history) -> IntradayProfiles:
    return learn_profiles(amsterdam_history, grain_min=30,
                          special_days=special_day_calendar(range(2023, 2027)))


def test_sample_profiles_cover_every_key_and_sum_to_one(sample_profiles) -> None:
    sums = key_sums(sample_profiles)
    assert len(sums) == 6 * 3 * 9  # countries x channels x (7 weekdays + 2 special days)
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=0, atol=1e-12)
    assert (sample_profiles.frame[SHARE] >= 0).all()
    assert sample_profiles.frame.groupby(["country", "channel", DAY_TYPE]).size().eq(48).all()
    assert sample_profiles.fallbacks == {}  # every key has well over 200 contacts


def test_gb_phone_peaks_late_morning_center_time(sample_profiles) -> None:
    frame = sample_profiles.frame
    workdays = frame[(frame["country"] == "GB") & (frame["channel"] == "phone")
                     & frame[DAY_TYPE].isin([0, 1, 2, 3, 4])]
    busiest = workdays.groupby(SLOT_MIN)[SHARE].mean().idxmax()
    assert 10 * 60 <= busiest < 13 * 60
    assert 10 * 60 <= sample_profiles.shares("GB", "phone", 0).idxmax() < 13 * 60


@pytest.mark.parametrize("weekday", range(5))
def test_japan_arrives_in_the_center_night(sample_profiles, weekday) -> None:
    """Japan is 7-8 hours ahead: its phone morning falls before 08:00 in Amsterdam, and so
    does its chat lunchtime (its evening chat peak lands in the center's afternoon)."""
    def night(country, channel):
        shares = sample_profiles.shares(country, channel, weekday)
        return shares[shares.index < 8 * 60].sum()

    phone = sample_profiles.shares("JP", "phone", weekday)
    office = phone[(phone.index >= 8 * 60) & (phone.index < 18 * 60)].sum()
    assert office < 0.4
    assert night("JP", "chat") > 0.3 > 0.15 > night("GB", "chat")
    assert night("JP", "chat") > 3 * night("GB", "chat")


def test_a_season_keeps_every_daily_total(sample_profiles, amsterdam_history) -> None:
    series = amsterdam_history[["country", "query_type", "channel"]].drop_duplicates()
    days = [str(d.date()) for d in pd.date_range("2026-10-01", "2026-12-31")]
    daily = forecast(days, series=list(series.itertuples(index=False, name=None)))
    assert len(daily) == 90 * 92
    intervals = distribute(daily, sample_profiles, timezone=TZ,
                           special_days=special_day_calendar([2026]))
    assert list(intervals.columns) == list(daily.columns)
    assert len(intervals) == 90 * (92 * 48 + 2)  # one 25-hour day in the season
    assert_totals_kept(daily, intervals)
    assert intervals["model"].eq("test").all()
    assert intervals.attrs[FALLBACKS_ATTR] == {}


@pytest.mark.parametrize(("day", "intervals"), [("2026-03-29", 46), ("2026-10-25", 50),
                                                ("2026-10-26", 48)])
def test_daylight_saving_days(sample_profiles, day, intervals) -> None:
    daily = forecast([day], series=[("JP", "payment", "chat"), ("GB", "payment", "phone")])
    out = distribute(daily, sample_profiles, timezone=TZ)
    for _, one in out.groupby("unique_id"):
        assert len(one) == intervals
        assert one["ds"].iloc[0] == pd.Timestamp(day, tz=TZ)
        steps = one["ds"].dt.tz_convert("UTC").diff().dropna()
        assert (steps == pd.Timedelta(minutes=30)).all()
        assert one["ds"].iloc[-1] + pd.Timedelta(minutes=30) == (
            pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)
    assert_totals_kept(daily, out)


# --- learning ------------------------------------------------------------------------------

def test_both_autumn_02_00_intervals_count_for_their_slot() -> None:
    frame = one_day("2026-10-25", {120: 3, 180: 6})
    assert len(frame) == 3  # 02:00 CEST, 02:00 CET and 03:00
    profiles = learn_profiles(frame, grain_min=30, min_contacts=1)
    sunday = profiles.shares("GB", "phone", 6)
    assert sunday[120] == pytest.approx(0.5) and sunday[180] == pytest.approx(0.5)
    assert sunday.sum() == pytest.approx(1.0)


def test_query_types_are_summed_and_only_the_last_weeks_count() -> None:
    old = history("2026-01-05", "2026-01-11", {0: 50})  # before the 8-week window
    recent = pd.concat([history("2026-03-02", "2026-04-26", {600: 30}),
                        history("2026-03-02", "2026-04-26", {630: 10}, query_type="payment")])
    profiles = learn_profiles(pd.concat([old, recent]), grain_min=30)
    assert set(profiles.frame.columns) == {"country", "channel", DAY_TYPE, SLOT_MIN, SHARE}
    for weekday in range(7):
        shares = profiles.shares("GB", "phone", weekday)
        assert shares[0] == 0
        assert shares[600] == pytest.approx(0.75) and shares[630] == pytest.approx(0.25)
    np.testing.assert_allclose(key_sums(profiles).to_numpy(), 1.0, atol=1e-12)


def test_black_friday_has_its_own_profile() -> None:
    past = pd.concat([one_day("2024-11-29", {0: 150}),  # Black Friday 2024
                      history("2025-10-20", "2025-12-14", OFFICE)])
    past = past[past["ds"].dt.date != pd.Timestamp("2025-11-28").date()]
    past = pd.concat([past, one_day("2025-11-28", {30: 150})])  # Black Friday 2025
    profiles = learn_profiles(past, grain_min=30, special_days=special_day_calendar([2024, 2025]))
    friday = profiles.shares("GB", "phone", 4)
    black = profiles.shares("GB", "phone", "Black Friday")
    assert black[0] == pytest.approx(0.5) and black[30] == pytest.approx(0.5)  # both years
    assert friday[[0, 30]].sum() == 0  # Black Friday 2025 stays out of the Fridays
    # Cyber Monday 2025 alone has 160 contacts, under the 200 needed for its own profile.
    assert profiles.fallbacks == {("GB", "phone", "Cyber Monday"): "all weekdays"}
    daily = forecast(["2026-11-20", "2026-11-27"])  # an ordinary Friday, Black Friday
    out = distribute(daily, profiles, timezone=TZ, special_days=special_day_calendar([2026]))
    ordinary, sale = (out[out["ds"].dt.day == day] for day in (20, 27))
    assert share_between(sale, 0, 60) == pytest.approx(1.0)
    assert share_between(ordinary, 0, 60) == 0
    assert share_between(ordinary, 9 * 60, 17 * 60) == pytest.approx(1.0)
    assert_totals_kept(daily, out)


def test_without_the_special_days_black_friday_is_a_friday() -> None:
    past = pd.concat([one_day("2025-11-28", {0: 500}), history("2025-10-20", "2025-12-14",
                                                               OFFICE)])
    profiles = learn_profiles(past, grain_min=30, special_days=special_day_calendar([2025]))
    out = distribute(forecast(["2026-11-27"]), profiles, timezone=TZ)
    assert share_between(out, 0, 60) == 0
    assert share_between(out, 9 * 60, 17 * 60) == pytest.approx(1.0)


def test_a_special_day_without_a_profile_uses_its_weekday(caplog) -> None:
    profiles = learn_profiles(history("2025-10-20", "2025-12-14", OFFICE), grain_min=30)
    with caplog.at_level(logging.WARNING, logger="forecast.intraday"):
        out = distribute(forecast(["2026-11-27"]), profiles, timezone=TZ,
                         special_days=special_day_calendar([2026]))
    assert share_between(out, 9 * 60, 17 * 60) == pytest.approx(1.0)
    assert out.attrs[FALLBACKS_ATTR] == {"GB/phone/Black Friday": "weekday 4 profile"}
    assert "Black Friday" in caplog.text


def test_a_thin_country_falls_back_to_all_countries() -> None:
    busy = history("2026-08-03", "2026-09-27", OFFICE)
    thin = history("2026-08-03", "2026-09-27", {180: 1}, country="HU")  # 8 a weekday
    profiles = learn_profiles(pd.concat([busy, thin]), grain_min=30)
    for weekday in range(7):
        assert profiles.fallbacks[("HU", "phone", weekday)] == "all countries"
        assert ("GB", "phone", weekday) not in profiles.fallbacks
        hu = profiles.shares("HU", "phone", weekday)
        pooled = 8 * 160 + 8  # GB and HU contacts on this weekday over 8 weeks
        assert hu[180] == pytest.approx(8 / pooled)
        assert hu[9 * 60] == pytest.approx(8 * 10 / pooled)
        assert profiles.shares("GB", "phone", weekday)[180] == 0
    np.testing.assert_allclose(key_sums(profiles).to_numpy(), 1.0, atol=1e-12)


@pytest.mark.parametrize(("min_contacts", "used"), [(300, "all weekdays"), (5000, "uniform")])
def test_thinner_keys_fall_back_to_all_weekdays_then_uniform(min_contacts, used) -> None:
    # 30 contacts a day: 240 per weekday over 8 weeks, 1,680 over all weekdays.
    past = history("2026-08-03", "2026-09-27", {600: 20, 900: 10}, channel="email")
    profiles = learn_profiles(past, grain_min=30, min_contacts=min_contacts)
    assert profiles.fallbacks == {("GB", "email", d): used for d in range(7)}
    monday = profiles.shares("GB", "email", 0)
    if used == "uniform":
        np.testing.assert_allclose(monday.to_numpy(), 1 / 48)
    else:
        assert monday[600] == pytest.approx(2 / 3) and monday[900] == pytest.approx(1 / 3)


def test_a_special_day_never_seen_falls_back_to_all_weekdays() -> None:
    past = history("2026-08-03", "2026-09-27", OFFICE)
    profiles = learn_profiles(past, grain_min=30, special_days=special_day_calendar([2025]))
    assert profiles.fallbacks == {("GB", "phone", "Black Friday"): "all weekdays",
                                  ("GB", "phone", "Cyber Monday"): "all weekdays"}
    np.testing.assert_allclose(profiles.shares("GB", "phone", "Black Friday").to_numpy(),
                               profiles.shares("GB", "phone", 2).to_numpy())


# --- distributing --------------------------------------------------------------------------

def test_an_unknown_country_gets_a_uniform_day_and_is_listed(caplog) -> None:
    profiles = learn_profiles(history("2026-08-03", "2026-09-27", OFFICE), grain_min=30)
    daily = forecast(["2026-10-02"], series=[("GB", "payment", "phone"),
                                            ("FR", "payment", "chat")])
    with caplog.at_level(logging.WARNING, logger="forecast.intraday"):
        out = distribute(daily, profiles, timezone=TZ)
    france = out[out["country"] == "FR"]
    np.testing.assert_allclose(france["yhat"].to_numpy(), daily["yhat"].iloc[1] / 48)
    assert out.attrs[FALLBACKS_ATTR] == {"FR/chat/4": "uniform"}
    assert "FR/chat/4" in caplog.text
    assert_totals_kept(daily, out)


def test_weight_only_in_the_skipped_spring_hour_spreads_evenly() -> None:
    profiles = learn_profiles(history("2026-02-02", "2026-03-29", {120: 30}), grain_min=30)
    daily = forecast(["2026-03-29"])  # 02:00-03:00 does not exist that Sunday
    out = distribute(daily, profiles, timezone=TZ)
    assert len(out) == 46
    np.testing.assert_allclose(out["yhat"].to_numpy(), daily["yhat"].iloc[0] / 46)
    assert_totals_kept(daily, out)


@pytest.mark.parametrize(("day", "intervals"), [("2026-10-25", 100), ("2026-11-02", 96),
                                                ("2026-03-29", 92)])
def test_a_15_minute_grain(day, intervals) -> None:
    quarters = {9 * 60 + 15: 7, 9 * 60 + 45: 3, 14 * 60 + 15: 10}  # off the half hours
    past = history("2026-09-07", "2026-11-01", quarters, grain_min=15)
    profiles = learn_profiles(past, grain_min=15)
    assert profiles.grain_min == 15
    assert profiles.frame.groupby(["country", "channel", DAY_TYPE]).size().eq(96).all()
    monday = profiles.shares("GB", "phone", 0)
    assert monday[555] == pytest.approx(0.35) and monday[1095] == 0
    np.testing.assert_allclose(key_sums(profiles).to_numpy(), 1.0, atol=1e-12)
    daily = forecast([day])
    out = distribute(daily, profiles, timezone=TZ)
    assert len(out) == intervals
    assert (out["ds"].dt.tz_convert("UTC").diff().dropna() == pd.Timedelta(minutes=15)).all()
    assert share_between(out, 9 * 60 + 15, 9 * 60 + 30) == pytest.approx(0.35)
    assert_totals_kept(daily, out)


def test_rows_follow_the_daily_order_with_intervals_in_time_order() -> None:
    profiles = learn_profiles(history("2026-08-03", "2026-09-27", OFFICE), grain_min=30)
    daily = forecast(["2026-10-06", "2026-10-05"], series=[("GB", "payment", "phone"),
                                                           ("US", "payment", "phone")])
    out = distribute(daily, profiles, timezone=TZ)
    firsts = out.groupby(["unique_id", out["ds"].dt.date], sort=False).head(1)
    assert list(firsts["ds"]) == list(daily["ds"])
    assert list(firsts["unique_id"]) == list(daily["unique_id"])


def test_an_empty_forecast_stays_empty() -> None:
    profiles = learn_profiles(history("2026-08-03", "2026-09-27", OFFICE), grain_min=30)
    daily = forecast([]).astype({"ds": f"datetime64[ns, {TZ}]"})
    out = distribute(daily, profiles, timezone=TZ)
    assert out.empty and list(out.columns) == list(daily.columns)


# --- contract checks -----------------------------------------------------------------------

@pytest.mark.parametrize("grain_min", [0, 7, 90.0])
def test_a_grain_that_does_not_divide_a_day_is_refused(grain_min) -> None:
    with pytest.raises(ConfigError, match="grain_min"):
        learn_profiles(one_day("2026-10-05", OFFICE), grain_min=grain_min)


def test_forecast_days_must_be_tz_aware_local_midnights() -> None:
    profiles = learn_profiles(history("2026-08-03", "2026-09-27", OFFICE), grain_min=30)
    naive = forecast(["2026-10-05"]).assign(ds=pd.Timestamp("2026-10-05"))
    with pytest.raises(DataError, match="no time zone"):
        distribute(naive, profiles, timezone=TZ)
    noon = forecast(["2026-10-05"]).assign(ds=pd.Timestamp("2026-10-05 12:00", tz=TZ))
    with pytest.raises(DataError, match="not the start of a local day"):
        distribute(noon, profiles, timezone=TZ)


def test_special_day_calendar() -> None:
    calendar = special_day_calendar([2026, 2024, 2025, 2025])
    assert [d.isoformat() for d in calendar["Black Friday"]] == [
        "2024-11-29", "2025-11-28", "2026-11-27"]
    assert [d.isoformat() for d in calendar["Cyber Monday"]] == [
        "2024-12-02", "2025-12-01", "2026-11-30"]


def test_a_coarser_history_than_the_grain_is_flagged(caplog) -> None:
    past = history("2026-08-03", "2026-09-27", OFFICE)  # half hours only
    with caplog.at_level(logging.WARNING, logger="forecast.intraday"):
        profiles = learn_profiles(past, grain_min=15)
    assert "resample" in caplog.text
    assert profiles.shares("GB", "phone", 0)[9 * 60 + 15] == 0

"""The bundled sample: what the issue asks of it, the effects it documents, and that the
seeded generator makes exactly the bundled files."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from data import (
    holiday_calendar,
    load_contacts,
    local_day,
    read_agents,
    read_events,
    read_traffic,
    sample_paths,
    to_daily,
)
from data.sample_model import COUNTRIES

TZ = "Europe/Amsterdam"
CONTINENT = {"GB": "Europe", "HU": "Europe", "US": "North America", "AR": "South America",
             "JP": "Asia", "AU": "Oceania"}


@pytest.fixture(scope="module")
def history():
    return load_contacts(sample_paths()["contacts"], timezone=TZ)


@pytest.fixture(scope="module")
def daily(history) -> pd.DataFrame:
    frame = to_daily(history.frame)
    frame["day"] = local_day(frame["ds"])
    return frame


def test_sample_files_are_small_and_present() -> None:
    paths = sample_paths()
    assert all(path.is_file() for path in paths.values())
    total = sum(path.stat().st_size for path in paths.values())
    assert total < 5 * 2**20, f"sample is {total / 2**20:.1f} MB"


def test_three_years_of_30_minute_history_ending_the_day_before_the_season(history) -> None:
    days = local_day(history.frame["ds"])
    assert history.grain_min == 30 and not history.gap_days
    assert days.min() == pd.Timestamp("2023-10-01")
    assert days.max() == pd.Timestamp("2026-09-30")
    assert str(history.frame["ds"].dt.tz) == TZ


def test_breadth_of_countries_query_types_and_channels(history) -> None:
    frame = history.frame
    countries = set(frame["country"])
    assert len(countries) >= 6 and {"AR", "HU"} <= countries
    assert len({CONTINENT[c] for c in countries}) >= 3
    assert frame["query_type"].nunique() >= 5
    assert set(frame["channel"]) == {"phone", "chat", "email"}
    aht = frame.groupby("channel")["aht_s"].mean()
    assert aht["chat"] > aht["email"] > aht["phone"]


def test_each_country_has_its_own_offset_to_the_center() -> None:
    winter = pd.Timestamp("2026-01-15 12:00")
    center = ZoneInfo(TZ).utcoffset(winter)
    offsets = {c.code: ZoneInfo(c.timezone).utcoffset(winter) - center for c in COUNTRIES}
    assert len(set(offsets.values())) == len(offsets)


def test_daylight_saving_days_have_46_and_50_intervals(history) -> None:
    frame = history.frame
    phone_gb = frame[(frame["country"] == "US") & (frame["query_type"] == "order_status")
                     & (frame["channel"] == "chat")]
    days = local_day(phone_gb["ds"])
    starts = phone_gb.groupby(days)["ds"].agg(["min", "max"])
    assert (starts.loc["2025-10-26", "max"] - starts.loc["2025-10-26", "min"]) >= pd.Timedelta(
        hours=24, minutes=-30)
    all_rows = frame.assign(day=local_day(frame["ds"]))
    distinct = all_rows.groupby("day")["ds"].nunique()
    assert distinct.loc["2025-03-30"] == 46 and distinct.loc["2025-10-26"] == 50


def test_over_dispersed_noise(history) -> None:
    """Counts vary more than Poisson around a smooth level (variance over mean well above 1)."""
    frame = history.frame
    one = frame[(frame["country"] == "GB") & (frame["query_type"] == "order_status")
                & (frame["channel"] == "phone")]
    hour = one.set_index("ds")["contacts"]
    noon = hour[(hour.index.hour == 11) & (hour.index.minute == 0)
                & (hour.index.day_of_week == 2)]
    level = noon.rolling(9, center=True).median()
    ratio = ((noon - level) ** 2).mean() / noon.mean()
    assert ratio > 1.5


def test_growth_year_on_year(daily) -> None:
    per_year = daily.groupby(daily["day"].dt.to_period("Q-SEP").dt.qyear)["contacts"].sum()
    assert per_year.loc[2025] > 1.08 * per_year.loc[2024]
    assert per_year.loc[2026] > 1.08 * per_year.loc[2025]


def test_weekday_pattern_differs_by_channel(daily) -> None:
    by = daily.groupby(["channel", daily["day"].dt.day_of_week])["contacts"].mean().unstack()
    sunday_share = by[6] / by.mean(axis=1)
    assert sunday_share["chat"] > 0.8 > 0.6 > sunday_share["phone"]


def test_intraday_pattern_differs_by_channel(history) -> None:
    frame = history.frame[history.frame["country"] == "GB"]
    hours = frame.groupby(["channel", frame["ds"].dt.hour])["contacts"].sum().unstack(fill_value=0)
    peak_hour = hours.idxmax(axis=1)
    assert 10 <= peak_hour["phone"] <= 13 and 19 <= peak_hour["chat"] <= 22


def _type_day(daily: pd.DataFrame, query_type: str, country: str | None = None) -> pd.Series:
    rows = daily[daily["query_type"] == query_type]
    if country:
        rows = rows[rows["country"] == country]
    return rows.groupby("day")["contacts"].sum()


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_order_status_and_delivery_surge_black_friday_to_christmas(daily, year) -> None:
    for query_type in ("order_status", "delivery_problem"):
        series = _type_day(daily, query_type)
        october = series[f"{year}-10-01":f"{year}-10-31"].mean()
        peak = series[f"{year}-11-28":f"{year}-12-22"].mean()
        assert peak > 1.25 * october, query_type


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_returns_surge_after_christmas(daily, year) -> None:
    series = _type_day(daily, "returns_refunds")
    before = series[f"{year}-12-01":f"{year}-12-10"].mean()
    after = series[f"{year}-12-27":f"{year + 1}-01-10"].mean()
    assert after > 1.4 * before


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_product_questions_fall_in_the_peak_while_order_status_rises(daily, year) -> None:
    share = (_type_day(daily, "product_question") / daily.groupby("day")["contacts"].sum())
    assert share[f"{year}-12-01":f"{year}-12-20"].mean() < 0.85 * share[
        f"{year}-10-01":f"{year}-10-31"].mean()


@pytest.mark.parametrize("country", ["AR", "HU", "JP"])
def test_product_questions_rise_before_each_countrys_own_holidays(daily, country) -> None:
    series = _type_day(daily, "product_question", country)
    calendar = holiday_calendar([country], range(2023, 2027), retail=False)
    holidays = set(calendar["ds"])
    before = {h - pd.Timedelta(days=k) for h in holidays for k in (1, 2, 3)} - holidays
    ratios = []
    for day in sorted(before):
        same_weekdays = [day + pd.Timedelta(days=d) for d in (-14, -7, 7, 14)]
        ordinary = [d for d in same_weekdays if d in series.index and d not in holidays
                    and d not in before]
        if day in series.index and ordinary:
            ratios.append(series[day] / np.mean([series[d] for d in ordinary]))
    assert len(ratios) > 20
    assert np.median(ratios) > 1.2


def test_an_argentine_holiday_moves_argentina_only(history) -> None:
    """20 June 2025 (Flag Day, a Friday) against the same weekday a week before and after,
    each country counted on its own local days."""
    frame = history.frame
    ratio = {}
    for country in ("AR", "HU"):
        zone = next(c.timezone for c in COUNTRIES if c.code == country)
        rows = frame[frame["country"] == country]
        days = rows["ds"].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        totals = rows.groupby(days)["contacts"].sum()
        week = [totals[pd.Timestamp(d)] for d in ("2025-06-13", "2025-06-27")]
        ratio[country] = totals[pd.Timestamp("2025-06-20")] / np.mean(week)
    assert ratio["AR"] < 0.7 and 0.85 < ratio["HU"] < 1.15


def test_contacts_follow_web_traffic_days_later(daily) -> None:
    traffic = read_traffic(sample_paths()["traffic"])
    us_sessions = traffic[traffic["country"] == "US"].set_index("ds")["sessions"]
    us_orders = _type_day(daily, "order_status", "US")
    both = pd.concat({"s": us_sessions, "c": us_orders}, axis=1).dropna()
    weekly_change = both.pct_change(7).dropna()
    lagged = {lag: weekly_change["c"].corr(weekly_change["s"].shift(lag)) for lag in range(0, 5)}
    assert max(lagged, key=lagged.get) >= 2


def test_side_files_read_through_the_readers() -> None:
    paths = sample_paths()
    plan = read_traffic(paths["traffic_plan"])
    assert plan["ds"].min() == pd.Timestamp("2026-10-01")
    assert plan["ds"].max() == pd.Timestamp("2026-12-31")
    assert plan["country"].nunique() == 6
    events = read_events(paths["events"])
    assert {"*", "AR", "AU"} <= set(events["country"])
    agents = read_agents(paths["agents"])
    assert len(agents) >= 200 and agents["agent_id"].is_unique


def test_manifest_matches_the_files() -> None:
    import hashlib

    manifest = json.loads((sample_paths()["contacts"].parent / "manifest.json").read_text())
    for role, entry in manifest["files"].items():
        path = sample_paths()[role]
        assert path.name == entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], role


@pytest.mark.slow
def test_the_seeded_generator_makes_the_bundled_frames(tmp_path) -> None:
    from data import make_sample

    manifest = json.loads((sample_paths()["contacts"].parent / "manifest.json").read_text())
    versions = make_sample.generator_versions()
    for library in ("numpy", "holidays"):
        if versions[library] != manifest["versions"][library]:
            pytest.skip(f"the sample was made with {library} {manifest['versions'][library]}, "
                        f"this environment has {versions[library]}")
    paths = make_sample.write(make_sample.generate(), tmp_path)
    for role, path in paths.items():
        fresh = pd.read_csv(path) if path.suffix != ".parquet" else pd.read_parquet(path)
        bundled = sample_paths()[role]
        kept = pd.read_csv(bundled) if bundled.suffix != ".parquet" else pd.read_parquet(bundled)
        pd.testing.assert_frame_equal(_in_ns(fresh), _in_ns(kept), obj=role)


def _in_ns(frame: pd.DataFrame) -> pd.DataFrame:
    """Times in nanoseconds whatever pandas read them in (pandas 3 keeps microseconds)."""
    return frame.apply(lambda column: column.dt.as_unit("ns")
                       if pd.api.types.is_datetime64_any_dtype(column) else column)

"""Series keys, interval-to-day totals and resampling keep every contact."""

from __future__ import annotations

import pandas as pd
import pytest

from data import ConfigError, resample_intervals, series_id, to_daily, with_unique_id

TZ = "Europe/Amsterdam"


def history(day: str, minutes: int = 15, contacts: int = 2, aht: float | None = None,
            channel: str = "chat") -> pd.DataFrame:
    start = pd.Timestamp(day).tz_localize(TZ)
    end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)
    ds = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    frame = pd.DataFrame({"ds": ds, "country": "HU", "query_type": "payment",
                          "channel": channel, "contacts": contacts})
    if aht is not None:
        frame["aht_s"] = aht
    return frame


def test_unique_id_joins_the_series_keys() -> None:
    frame = history("2026-01-05")
    assert set(series_id(frame)) == {"HU/payment/chat"}
    assert with_unique_id(frame).columns[0] == "unique_id"


@pytest.mark.parametrize(("day", "intervals"), [("2026-03-29", 92), ("2026-10-25", 100),
                                                ("2026-01-05", 96)])
def test_daily_totals_on_daylight_saving_days(day, intervals) -> None:
    daily = to_daily(history(day))
    assert len(daily) == 1 and daily["contacts"].iloc[0] == 2 * intervals
    assert daily["ds"].iloc[0] == pd.Timestamp(day, tz=TZ)


def test_daily_handle_time_is_weighted_by_contacts() -> None:
    busy = history("2026-01-05", contacts=3, aht=200.0)
    quiet = history("2026-01-05", contacts=1, aht=600.0, channel="phone")
    quiet["channel"] = "chat"
    quiet["ds"] = quiet["ds"] + pd.Timedelta(minutes=5)
    daily = to_daily(pd.concat([busy, quiet]))
    assert daily["aht_s"].iloc[0] == pytest.approx((3 * 200 + 1 * 600) / 4)


@pytest.mark.parametrize("target", [30, 60])
def test_coarser_grains_sum_exactly_also_on_the_long_autumn_day(target) -> None:
    frame = history("2026-10-25")
    coarse = resample_intervals(frame, 15, target)
    assert coarse["contacts"].sum() == frame["contacts"].sum()
    assert len(coarse) == 25 * 60 // target
    assert (coarse["contacts"] == 2 * target // 15).all()
    assert coarse["ds"].is_unique


def test_finer_grains_split_evenly_and_round_trip() -> None:
    frame = history("2026-03-29", minutes=60, contacts=6)
    fine = resample_intervals(frame, 60, 15)
    assert len(fine) == 4 * len(frame) and (fine["contacts"] == 1.5).all()
    back = resample_intervals(fine, 15, 60)
    pd.testing.assert_series_equal(back["contacts"].astype(int), frame["contacts"],
                                   check_names=False)
    assert (back["ds"].to_numpy() == frame["ds"].to_numpy()).all()


def test_resampling_to_a_grain_that_does_not_fit_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="interval_min"):
        resample_intervals(history("2026-01-05"), 15, 25)
    with pytest.raises(ConfigError, match="interval_min"):
        resample_intervals(history("2026-01-05", minutes=30), 30, 20)

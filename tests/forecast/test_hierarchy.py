"""Sparse series are split from a parent, and every total is the sum of its series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.hierarchy import chain, daily_matrix, plan_units, split, weekday_shares


def wide(seed: int = 3) -> pd.DataFrame:
    days = pd.date_range("2026-01-05", periods=70, freq="D")
    rng = np.random.default_rng(seed)
    columns = {"GB/order_status/phone": 200, "GB/order_status/chat": 100,
               "GB/order_status/email": 4, "HU/payment/phone": 3, "HU/payment/chat": 2,
               "AR/payment/phone": 40}
    return pd.DataFrame({k: rng.poisson(v, len(days)).astype(float)
                         for k, v in columns.items()}, index=days)


def test_chain_goes_from_the_series_to_the_whole_shop() -> None:
    assert chain("HU/payment/chat") == ["HU/payment/chat", "HU/payment/*", "*/payment/chat",
                                        "*/payment/*", "*/*/*"]


def test_sparse_series_take_the_first_level_with_enough_volume() -> None:
    units, assignment = plan_units(wide(), min_daily=20, weeks=4)
    assert assignment["GB/order_status/phone"] == "GB/order_status/phone"
    assert assignment["GB/order_status/email"] == "GB/order_status/*"
    assert assignment["HU/payment/phone"] == "*/payment/phone"  # HU payment alone is 5 a day
    assert set(units["*/payment/phone"].members) == {"HU/payment/phone", "AR/payment/phone"}
    assert assignment["HU/payment/chat"] == "*/payment/*"


def test_weekday_shares_reproduce_the_history_and_split_keeps_the_parent_total() -> None:
    frame = wide()
    units, _ = plan_units(frame, min_daily=20, weeks=10)
    unit = units["GB/order_status/*"]
    members = list(unit.members)
    shares = {m: weekday_shares(frame, m, unit, 10) for m in members}
    total = np.sum([shares[m] for m in members], axis=0)
    np.testing.assert_allclose(total, 1.0)
    parent = pd.DataFrame({"yhat": 100.0, "yhat_lower": 80.0, "yhat_upper": 120.0},
                          index=pd.date_range("2026-03-16", periods=14, freq="D"))
    parts = sum(split(parent, shares[m]) for m in members)
    pd.testing.assert_frame_equal(parts, parent)


def test_daily_matrix_keeps_gap_days_missing_and_absent_series_zero() -> None:
    tz = "Europe/Amsterdam"
    daily = pd.DataFrame({
        "unique_id": ["GB/a/phone", "GB/a/phone", "HU/a/phone"],
        "ds": pd.to_datetime(["2026-01-01", "2026-01-03", "2026-01-03"]).tz_localize(tz),
        "contacts": [5, 6, 7]})
    matrix = daily_matrix(daily)
    assert matrix.loc["2026-01-01", "HU/a/phone"] == 0.0
    assert matrix.loc["2026-01-02"].isna().all()
    assert matrix.shape == (3, 2)


@pytest.mark.parametrize("min_daily", [0, 1e9])
def test_extreme_thresholds(min_daily) -> None:
    units, assignment = plan_units(wide(), min_daily=min_daily, weeks=4)
    if min_daily == 0:
        assert all(k == v for k, v in assignment.items())
    else:
        assert set(assignment.values()) == {"*/*/*"} and len(units) == 1


def test_the_choice_scores_final_units_whatever_the_backtest_split() -> None:
    """A series that is dense now but was split from a parent in the backtest still gets
    a model chosen on its own backtest days."""
    from datetime import date

    from forecast.backtest import BacktestRun, Window
    from forecast.choice import choose
    from forecast.hierarchy import Unit

    days = pd.date_range("2025-10-01", periods=10, freq="D")
    rows = []
    for model, error in (("prophet", 1.0), ("snaive_week", 5.0)):
        for uid in ("HU/payment/email", "HU/payment/phone"):
            rows += [{"unique_id": uid, "day": d, "model": model, "unit": "HU/payment/*",
                      "window": "season 2025", "yhat": 20.0 + error, "actual": 20.0}
                     for d in days]
    run = BacktestRun(pd.DataFrame(rows), (Window(date(2025, 10, 1), date(2025, 10, 10),
                                                   "season 2025"),))
    units = {"HU/payment/email": Unit("HU/payment/email", ("HU/payment/email",))}
    chosen, reasons = choose(run, units, recent=False)
    assert chosen == {"HU/payment/email": "prophet"}
    assert reasons["HU/payment/email"].endswith(
        "prophet 5.0%, mean(prophet,snaive_week) 15.0%, snaive_week 25.0%")


def test_another_model_must_beat_prophet_by_the_margin() -> None:
    from datetime import date

    from forecast.backtest import BacktestRun, Window
    from forecast.choice import choose
    from forecast.hierarchy import Unit

    days = pd.date_range("2025-10-01", periods=10, freq="D")
    rows = [{"unique_id": "GB/a/phone", "day": d, "model": model, "unit": "GB/a/phone",
             "window": "season 2025", "yhat": 100.0 + error, "actual": 100.0}
            for model, error in (("prophet", 10.0), ("mstl", 10.2), ("snaive_year", 9.8))
            for d in days]
    run = BacktestRun(pd.DataFrame(rows), (Window(date(2025, 10, 1), date(2025, 10, 10),
                                                   "season 2025"),))
    units = {"GB/a/phone": Unit("GB/a/phone", ("GB/a/phone",))}
    assert choose(run, units, False, margin=0.0)[0] == {"GB/a/phone": "snaive_year"}
    chosen, reasons = choose(run, units, False, margin=0.05)
    assert chosen == {"GB/a/phone": "prophet"}  # 10.0%: within 5% of 9.8%
    assert reasons["GB/a/phone"].startswith("prophet within 5% of the lowest weighted wape on "
                                            "season 2025 (weight 1): snaive_year 9.8%, ")

"""Bands calibrated on backtest errors hold the asked share of past actuals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.bands import calibrate


def predictions(ratios: np.ndarray, model: str = "prophet") -> pd.DataFrame:
    days = pd.date_range("2025-10-01", periods=len(ratios), freq="D")
    yhat = np.full(len(ratios), 100.0)
    actual = np.expm1(np.log1p(yhat) + ratios)
    return pd.DataFrame({"unique_id": "GB/a/phone", "day": days, "model": model,
                         "yhat": yhat, "actual": actual})


def test_the_band_is_the_backtest_error_quantiles() -> None:
    ratios = np.linspace(-0.5, 0.5, 101)
    series = pd.DataFrame({"unique_id": ["GB/a/phone"], "day": [pd.Timestamp("2026-10-01")],
                           "yhat": [200.0], "yhat_lower": [190.0], "yhat_upper": [210.0]})
    out, count = calibrate(series, pd.concat([predictions(ratios),
                                              predictions(ratios * 5, "snaive_week")]),
                           {"GB/a/phone": "prophet"}, width=0.8)
    assert count == 1
    assert out["yhat_lower"].iloc[0] == pytest.approx(np.expm1(np.log1p(200) - 0.4))
    assert out["yhat_upper"].iloc[0] == pytest.approx(np.expm1(np.log1p(200) + 0.4))
    assert out["yhat"].iloc[0] == 200.0


def test_too_few_backtest_days_keep_the_own_band() -> None:
    series = pd.DataFrame({"unique_id": ["GB/a/phone"], "day": [pd.Timestamp("2026-10-01")],
                           "yhat": [200.0], "yhat_lower": [190.0], "yhat_upper": [210.0]})
    out, count = calibrate(series, predictions(np.zeros(10)), {"GB/a/phone": "prophet"}, 0.8)
    assert count == 0 and out["yhat_lower"].iloc[0] == 190.0


def test_the_band_always_holds_the_point() -> None:
    series = pd.DataFrame({"unique_id": ["GB/a/phone"], "day": [pd.Timestamp("2026-10-01")],
                           "yhat": [200.0], "yhat_lower": [0.0], "yhat_upper": [0.0]})
    out, _ = calibrate(series, predictions(np.full(40, 0.3)), {"GB/a/phone": "prophet"}, 0.8)
    assert out["yhat_lower"].iloc[0] <= 200.0 <= out["yhat_upper"].iloc[0]


def test_backtest_errors_widen_a_band_and_never_narrow_it() -> None:
    series = pd.DataFrame({"unique_id": ["GB/a/phone"] * 2,
                           "day": pd.date_range("2026-10-01", periods=2),
                           "yhat": [200.0, 200.0], "yhat_lower": [100.0, 199.0],
                           "yhat_upper": [400.0, 201.0]})
    out, count = calibrate(series, predictions(np.linspace(-0.1, 0.1, 41)),
                           {"GB/a/phone": "prophet"}, 0.8)
    assert count == 1
    assert out["yhat_lower"].iloc[0] == 100.0 and out["yhat_upper"].iloc[0] == 400.0  # kept
    assert out["yhat_lower"].iloc[1] == pytest.approx(np.expm1(np.log1p(200) - 0.08))
    assert out["yhat_upper"].iloc[1] == pytest.approx(np.expm1(np.log1p(200) + 0.08))


def test_the_band_spans_the_widest_window_not_the_pooled_days() -> None:
    calm = predictions(np.linspace(-0.1, 0.1, 41)).assign(window="summer")
    rough = predictions(np.linspace(-0.2, 0.4, 41)).assign(window="spring")
    series = pd.DataFrame({"unique_id": ["GB/a/phone"], "day": [pd.Timestamp("2026-10-01")],
                           "yhat": [200.0], "yhat_lower": [199.0], "yhat_upper": [201.0]})
    out, count = calibrate(series, pd.concat([calm, rough]), {"GB/a/phone": "prophet"}, 0.8)
    assert count == 1
    # 10% and 90% quantiles: summer -0.08 .. 0.08, spring -0.14 .. 0.34; pooled they would
    # be about -0.10 .. 0.22
    assert out["yhat_lower"].iloc[0] == pytest.approx(np.expm1(np.log1p(200) - 0.14))
    assert out["yhat_upper"].iloc[0] == pytest.approx(np.expm1(np.log1p(200) + 0.34))
    few = pd.concat([calm, rough.iloc[:10]])  # ten spring days: pooled into the summer
    out, _ = calibrate(series, few, {"GB/a/phone": "prophet"}, 0.8)
    assert out["yhat_upper"].iloc[0] == pytest.approx(np.expm1(np.log1p(200) + 0.08))


def test_past_seasons_alone_are_pooled() -> None:
    one = predictions(np.linspace(-0.1, 0.1, 41)).assign(window="season 2024")
    two = predictions(np.linspace(-0.2, 0.4, 41)).assign(window="season 2025")
    series = pd.DataFrame({"unique_id": ["GB/a/phone"], "day": [pd.Timestamp("2026-10-01")],
                           "yhat": [200.0], "yhat_lower": [199.0], "yhat_upper": [201.0]})
    rows = pd.concat([one, two])
    pooled, _ = calibrate(series, rows, {"GB/a/phone": "prophet"}, 0.8, widest=False)
    widest, _ = calibrate(series, rows, {"GB/a/phone": "prophet"}, 0.8)
    ratios = np.log1p(rows["actual"]) - np.log1p(rows["yhat"])
    assert pooled["yhat_upper"].iloc[0] == pytest.approx(
        np.expm1(np.log1p(200) + ratios.quantile(0.9)))
    assert pooled["yhat_upper"].iloc[0] < widest["yhat_upper"].iloc[0]

"""statsforecast fits: the log scale, the yearly season from one year seen, gaps, and the
same forecast on every run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast import ForecastConfig
from forecast.models import SF_MODELS, FitTask, run_task
from forecast.statsforecast_model import fit_predict, yearly_period

pytestmark = pytest.mark.slow


def seasonal(days: int, start: str = "2024-07-01") -> pd.Series:
    """A daily series with a weekly shape, a flat year and a Q4 peak (x2.5 from mid-November
    to Christmas), as an e-commerce contact series; 2% seeded noise."""
    index = pd.date_range(start, periods=days, freq="D")
    week = np.array([1.2, 1.1, 1.0, 1.0, 0.9, 0.7, 0.6])[index.day_of_week]
    peak = ((index.month == 11) & (index.day >= 15)) | ((index.month == 12) & (index.day <= 24))
    noise = np.random.default_rng(5).normal(1, 0.02, days)
    return pd.Series(100 * week * np.where(peak, 2.5, 1.0) * noise, index=index)


def test_the_yearly_period_needs_a_whole_year() -> None:
    assert [yearly_period(n) for n in (366, 365, 364)] == [365, 364, None]


def test_mstl_carries_last_years_q4_shape_from_fifteen_months() -> None:
    full = seasonal(640)  # 2024-07-01 .. 2026-03-31
    history = full[:"2025-09-30"]  # 15 months
    days = pd.date_range("2025-10-01", "2025-12-31", freq="D")
    forecast = fit_predict(history, days, "mstl")
    actual = full.reindex(days)
    assert np.abs(forecast["yhat"] - actual).sum() / actual.sum() < 0.1
    # a model without the yearly season carries the summer level into Q4
    ets = fit_predict(history, days, "ets")
    assert ets["yhat"].sum() < 0.8 * actual.sum()


@pytest.mark.parametrize("model", SF_MODELS)
def test_every_model_forecasts_positive_days_in_a_band_the_same_every_run(model) -> None:
    history = seasonal(500)
    history.iloc[100:103] = np.nan  # a gap: interpolated on the log scale
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=30, freq="D")
    first = fit_predict(history, days, model)
    again = fit_predict(history, days, model)
    pd.testing.assert_frame_equal(first, again)
    assert list(first.index) == list(days) and first.notna().all().all()
    assert (first["yhat_lower"] <= first["yhat"]).all()
    assert (first["yhat"] <= first["yhat_upper"]).all() and (first["yhat_lower"] >= 0).all()


def test_a_fit_that_fails_runs_snaive_week_and_says_so(monkeypatch) -> None:
    import forecast.statsforecast_model as sf

    def fails(*_args, **_kwargs):
        raise ValueError("no convergence")

    monkeypatch.setattr(sf, "fit_predict", fails)
    history = seasonal(200)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14, freq="D")
    result = run_task(FitTask("x", "ets", history, days, None, ForecastConfig()))
    assert result.attrs["fallback"] == "snaive_week" and len(result) == 14

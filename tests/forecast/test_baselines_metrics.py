"""Baselines repeat what they should; metrics agree with hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from forecast import METRICS, evaluate, metric
from forecast.baselines import snaive_week, snaive_year


def test_snaive_week_repeats_the_last_week(weekly) -> None:
    history = weekly(60)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=21, freq="D")
    result = snaive_week(history, days)
    last_week = history.iloc[-7:]
    for day, value in result["yhat"].items():
        assert value == last_week[last_week.index.day_of_week == day.day_of_week].iloc[0]
    assert (result["yhat_lower"] <= result["yhat"]).all()
    assert (result["yhat"] <= result["yhat_upper"]).all()


def test_snaive_year_scales_last_year_by_the_recent_level(weekly) -> None:
    history = weekly(500)
    history.iloc[-100:] *= 1.5  # the level rose lately
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14, freq="D")
    result = snaive_year(history, days)
    recent = history.iloc[-56:]
    level = recent.sum() / history.reindex(recent.index - pd.Timedelta(days=364)).sum()
    expected = history.reindex(days - pd.Timedelta(days=364)).to_numpy() * level
    np.testing.assert_allclose(result["yhat"].to_numpy(), expected)


def test_snaive_year_needs_a_year_and_falls_back(weekly) -> None:
    history = weekly(100)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=7, freq="D")
    pd.testing.assert_frame_equal(snaive_year(history, days), snaive_week(history, days))


def test_metrics_on_a_hand_example() -> None:
    actual = np.array([100.0, 200.0, 0.0, 100.0])
    forecast = np.array([110.0, 150.0, 10.0, 100.0])
    scores = evaluate(actual, forecast, forecast - 20, forecast + 20)
    assert scores["wape"] == pytest.approx(70 / 400)
    assert scores["mape"] == pytest.approx((0.1 + 0.25 + 0) / 3)
    assert scores["bias"] == pytest.approx(-30 / 400)
    assert scores["peak_error"] == pytest.approx(-0.25)
    assert scores["coverage"] == pytest.approx(0.75)


def test_poisson_floor_shrinks_with_volume() -> None:
    floors = [METRICS["poisson_wape_floor"](np.full(90, rate)) for rate in (5, 50, 500, 5000)]
    assert floors == sorted(floors, reverse=True)
    assert floors[-1] == pytest.approx(math.sqrt(2 / (math.pi * 5000)), rel=0.01)


def test_a_new_metric_is_one_function(monkeypatch) -> None:
    monkeypatch.setattr("forecast.metrics.METRICS", dict(METRICS))
    from forecast import metrics

    @metric("max_abs")
    def max_abs(actual, forecast, *_):
        return float(np.max(np.abs(forecast - actual)))

    assert "max_abs" in metrics.METRICS
    metrics.METRICS.pop("max_abs")


def test_a_short_history_falls_back_from_prophet(weekly) -> None:
    from forecast.config import ForecastConfig
    from forecast.models import FitTask, run_task

    history = weekly(20)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=7, freq="D")
    result = run_task(FitTask("x", "prophet", history, days, None, ForecastConfig()))
    assert result.attrs["fallback"] == "snaive_week"
    pd.testing.assert_frame_equal(result, snaive_week(history, days), check_like=True)


def test_a_prophet_fit_that_fails_falls_back_and_names_the_series(weekly, monkeypatch,
                                                                    caplog) -> None:
    from forecast.config import ForecastConfig
    from forecast.models import FitTask, run_task

    def fails(*_args, **_kwargs):
        raise RuntimeError("Error during optimization!")

    monkeypatch.setattr("forecast.prophet_model.fit_predict", fails)
    history = weekly(70)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=7, freq="D")
    result = run_task(FitTask("GB/returns/phone", "prophet", history, days, None,
                              ForecastConfig()))
    assert result.attrs["fallback"] == "snaive_week"
    pd.testing.assert_frame_equal(result, snaive_week(history, days), check_like=True)
    assert "GB/returns/phone: prophet could not be fitted" in caplog.text

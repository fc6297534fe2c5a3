"""Holiday inputs per country, traffic alignment, and Prophet fits on small data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import holiday_calendar
from forecast.features import country_sessions, holiday_features, traffic_features
from forecast.prophet_model import ProphetOptions, fit_predict

DAYS = pd.date_range("2025-05-01", "2025-07-31", freq="D")


def test_an_argentine_holiday_moves_only_argentine_inputs() -> None:
    calendar = holiday_calendar(["AR", "HU"], [2025], retail=False)
    argentina = holiday_features(DAYS, calendar, {"AR": 1.0}, (-3, 1))
    hungary = holiday_features(DAYS, calendar, {"HU": 1.0}, (-3, 1))
    may_25 = pd.Timestamp("2025-05-25")
    assert argentina.loc[may_25, "h_national_p0"] == 1.0
    assert argentina.loc[may_25 - pd.Timedelta(days=3), "h_national_m3"] == 1.0
    assert hungary.loc[may_25].sum() == 0.0
    july_9 = pd.Timestamp("2025-07-09")
    assert argentina.loc[july_9, "h_national_p0"] == 1.0 and hungary.loc[july_9].sum() == 0.0


def test_a_series_over_several_countries_weighs_holidays_by_share() -> None:
    calendar = holiday_calendar(["AR", "HU"], [2025], retail=False)
    mixed = holiday_features(DAYS, calendar, {"AR": 0.7, "HU": 0.3}, (-3, 1))
    assert mixed.loc["2025-05-25", "h_national_p0"] == pytest.approx(0.7)
    assert mixed.loc["2025-06-09", "h_national_p0"] == pytest.approx(0.3)  # Whit Monday, HU


def test_retail_events_get_their_own_windows() -> None:
    days = pd.date_range("2025-11-01", "2025-12-31", freq="D")
    features = holiday_features(days, holiday_calendar(["GB"], [2025]), {"GB": 1.0}, (-3, 1))
    assert features.loc["2025-11-28", "h_black_friday_p0"] == 1.0
    assert features.loc["2025-11-25", "h_black_friday_m3"] == 1.0
    assert features.loc["2025-12-01", "h_cyber_monday_p0"] == 1.0
    assert "h_black_friday_m4" not in features


def test_traffic_lags_look_back_only() -> None:
    sessions = pd.Series(np.arange(1, 101, dtype=float),
                         index=pd.date_range("2025-01-01", periods=100, freq="D"))
    days = sessions.index[30:40]
    features = traffic_features(days, sessions, [(0, 0), (1, 3)])
    same_day = features["x_sessions_l0_0"].to_numpy()
    np.testing.assert_allclose(same_day, np.log1p(sessions.iloc[30:40].to_numpy()))
    previous = np.log1p(sessions).shift(1).rolling(3).mean().iloc[30:40].to_numpy()
    np.testing.assert_allclose(features["x_sessions_l1_3"].to_numpy(), previous)


def test_country_sessions_sum_the_countries() -> None:
    traffic = pd.DataFrame({"ds": pd.to_datetime(["2025-01-01"] * 3), "country": ["AR", "HU",
                                                                                 "GB"],
                            "sessions": [1.0, 2.0, 4.0]})
    assert country_sessions(traffic, ["AR", "HU"]).tolist() == [3.0]


def _frame(days: pd.DatetimeIndex, values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"ds": days, "y": values})


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])
def test_the_zone_is_stripped_for_prophet_and_restored_on_change_over_days(weekly, day) -> None:
    history = weekly(200, start="2025-09-01")
    tz = "Europe/Amsterdam"
    train = _frame(history.index.tz_localize(tz), history.to_numpy())
    ahead = pd.date_range(pd.Timestamp(day) - pd.Timedelta(days=2), periods=5, freq="D")
    ahead = ahead.tz_localize(tz)
    result = fit_predict(train, pd.DataFrame({"ds": ahead}), ProphetOptions(yearly=False))
    assert (result["ds"] == ahead).all() and str(result["ds"].dt.tz) == tz
    assert (result["ds"].dt.hour == 0).all()
    offsets = {ts.utcoffset().total_seconds() / 3600 for ts in result["ds"]}
    assert offsets == {1.0, 2.0}


def test_log_model_learns_the_weekly_pattern_and_stays_positive(weekly) -> None:
    history = weekly(300, level=20.0)
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=28, freq="D")
    result = fit_predict(_frame(history.index, history.to_numpy()),
                         pd.DataFrame({"ds": days}), ProphetOptions(yearly=False))
    by_weekday = result.groupby(result["ds"].dt.day_of_week)["yhat"].mean()
    assert by_weekday[0] > 1.8 * by_weekday[6]
    assert (result[["yhat", "yhat_lower", "yhat_upper"]] >= 0).all().all()
    assert (result["yhat_lower"] <= result["yhat"]).all()
    assert (result["yhat"] <= result["yhat_upper"]).all()


def test_trend_damping_holds_back_a_runaway_slope(weekly) -> None:
    history = weekly(300, level=50.0)
    history.iloc[-90:] *= np.linspace(1, 3, 90)  # the history ends on a steep climb
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=90, freq="D")
    train = _frame(history.index, history.to_numpy())
    future = pd.DataFrame({"ds": days})
    free = fit_predict(train, future, ProphetOptions(yearly=False, trend_damping=1.0))
    damped = fit_predict(train, future, ProphetOptions(yearly=False, trend_damping=0.0))
    assert damped["yhat"].iloc[-7:].mean() < free["yhat"].iloc[-7:].mean()
    last_week = history.iloc[-7:].mean()
    assert damped["yhat"].iloc[-7:].mean() < 1.6 * last_week


@pytest.mark.parametrize("mode", ["additive", "multiplicative"])
def test_point_forecast_equals_prophets_predict(weekly, mode) -> None:
    from prophet import Prophet

    from forecast.prophet_model import point_forecast

    history = weekly(120)
    frame = pd.DataFrame({"ds": history.index, "y": history.to_numpy(),
                          "h_day": (np.arange(120) % 9 == 0).astype(float),
                          "x_sessions": np.linspace(1, 2, 120)})
    model = Prophet(uncertainty_samples=0, seasonality_mode=mode)
    model.add_regressor("h_day", standardize=False)
    model.add_regressor("x_sessions")
    model.fit(frame)
    ahead = pd.concat([frame.drop(columns="y"), pd.DataFrame({
        "ds": pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14),
        "h_day": 0.0, "x_sessions": 2.1})], ignore_index=True)
    expected = model.predict(ahead)
    got = point_forecast(model, ahead)
    np.testing.assert_array_equal(got["yhat"].to_numpy(), expected["yhat"].to_numpy())
    np.testing.assert_array_equal(got["trend"].to_numpy(), expected["trend"].to_numpy())


def test_plain_options_give_prophets_own_forecast_and_leave_prophet_alone(weekly) -> None:
    """No sampling, NumPy inputs and the two-product predict change no number; the input
    speed-up is installed on our models only."""
    from prophet import Prophet

    history = weekly(200)
    train = _frame(history.index, history.to_numpy())
    days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=30, freq="D")
    ours = fit_predict(train, pd.DataFrame({"ds": days}), ProphetOptions(log=False,
                                                                         yearly=False))
    plain = Prophet(uncertainty_samples=0, yearly_seasonality=False).fit(train)
    expected = plain.predict(plain.make_future_dataframe(30))["yhat"].to_numpy()[-30:]
    np.testing.assert_allclose(ours["yhat"].to_numpy(), np.clip(expected, 0, None), rtol=0,
                               atol=1e-9)
    assert Prophet().stan_backend.prepare_data.__name__ == "prepare_data"


def test_shared_features_change_no_forecast(weekly) -> None:
    """Two series over the same days share one feature matrix; each forecast still equals
    Prophet's own, and different regressor values are not confused."""
    from prophet import Prophet

    days = pd.date_range("2025-01-01", periods=150, freq="D")
    ahead = pd.date_range(days[-1] + pd.Timedelta(days=1), periods=10, freq="D")
    for seed, sessions in ((1, np.linspace(1, 2, 160)), (2, np.linspace(5, 3, 160))):
        history = weekly(150, seed=seed)
        train = pd.DataFrame({"ds": days, "y": history.to_numpy(), "x_s": sessions[:150]})
        future = pd.DataFrame({"ds": ahead, "x_s": sessions[150:]})
        ours = fit_predict(train, future, ProphetOptions(log=False, yearly=False))
        plain = Prophet(uncertainty_samples=0, yearly_seasonality=False)
        plain.add_regressor("x_s")
        plain.fit(train)
        expected = plain.predict(future)["yhat"].clip(lower=0).to_numpy()
        np.testing.assert_allclose(ours["yhat"].to_numpy(), expected, rtol=0, atol=1e-9)


def test_direct_stan_run_and_recent_tail_match_prophet(weekly) -> None:
    """Over 500 days (Stan run directly, only the last year re-predicted) the forecast
    still equals Prophet's own, and no Stan files are left behind."""
    import os

    from prophet import Prophet

    from forecast import prophet_model

    days = pd.date_range("2024-01-01", periods=500, freq="D")
    ahead = pd.date_range(days[-1] + pd.Timedelta(days=1), periods=30, freq="D")
    train = pd.DataFrame({"ds": days, "y": weekly(500, seed=4).to_numpy()})
    runs_before = next(prophet_model._RUN_IDS)
    ours = fit_predict(train, pd.DataFrame({"ds": ahead}),
                       ProphetOptions(log=False, yearly=False))
    plain = Prophet(uncertainty_samples=0, yearly_seasonality=False).fit(train)
    expected = plain.predict(pd.DataFrame({"ds": ahead}))["yhat"].clip(lower=0).to_numpy()
    np.testing.assert_allclose(ours["yhat"].to_numpy(), expected, rtol=0, atol=1e-9)
    import tempfile

    left = [name for name in os.listdir(tempfile.gettempdir())
            if name.startswith(f"peakplan-stan-{os.getpid()}-")]
    assert left == []
    assert next(prophet_model._RUN_IDS) > runs_before + 1  # Stan was run directly


def test_regressors_are_set_up_as_prophet_does_it(weekly) -> None:
    """The block-wise regressor setup gives Prophet's own frame and scales, days given out
    of order, a binary, a constant and a standardised regressor."""
    from prophet import Prophet

    from forecast.prophet_model import _Prophet

    history = weekly(90, seed=3)
    frame = pd.DataFrame({"ds": history.index, "y": history.to_numpy(),
                          "h_national_p0": (np.arange(90) % 11 == 0).astype(float),
                          "h_flat": np.zeros(90), "x_sessions": np.linspace(3, 1, 90) ** 2,
                          "x_binary": (np.arange(90) % 2).astype(float)})
    frame = frame.sample(frac=1.0, random_state=5)  # out of order: both sort the same way
    models = [cls(uncertainty_samples=0, yearly_seasonality=False) for cls in (Prophet,
                                                                               _Prophet)]
    for model in models:
        model.add_regressor("h_national_p0", standardize=False)
        model.add_regressor("h_flat", standardize=False)
        model.add_regressor("x_sessions")
        model.add_regressor("x_binary")
    fitted = [m.setup_dataframe(frame.copy(), initialize_scales=True) for m in models]
    pd.testing.assert_frame_equal(fitted[1], fitted[0])
    assert models[1].extra_regressors == models[0].extra_regressors
    assert models[1].extra_regressors["x_sessions"]["std"] != 1.0  # it was standardised
    ahead = frame.drop(columns="y").assign(x_sessions=2.5)
    pd.testing.assert_frame_equal(models[1].setup_dataframe(ahead.copy()),
                                  models[0].setup_dataframe(ahead.copy()))

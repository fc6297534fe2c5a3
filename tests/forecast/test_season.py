"""End to end on the sample: the forecast finds the built-in effects, stays coherent, and
says which model each series got and why."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data import holiday_calendar, local_day
from forecast import ForecastConfig, backtest, forecast_season

SEASON_2025 = (date(2025, 10, 1), date(2025, 12, 31))
TZ = "Europe/Amsterdam"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def season_2025(sample_history, sample_traffic, sample_events):
    """Prophet on AR and GB, trained to 30 September 2025 with honest traffic."""
    history = sample_history[sample_history["country"].isin(["AR", "GB"])
                             & (sample_history["ds"] < pd.Timestamp("2025-10-01", tz=TZ))]
    return forecast_season(history, SEASON_2025, traffic=sample_traffic, events=sample_events,
                           config=ForecastConfig(model="prophet"))


def _by_type(daily: pd.DataFrame, query_type: str, country: str | None = None) -> pd.Series:
    rows = daily[daily["query_type"] == query_type]
    if country:
        rows = rows[rows["country"] == country]
    return rows.groupby(local_day(rows["ds"]))["yhat"].sum()


def test_forecast_covers_the_season_for_every_series(season_2025) -> None:
    daily = season_2025.daily
    assert daily["unique_id"].nunique() == 30
    assert local_day(daily["ds"]).min() == pd.Timestamp("2025-10-01")
    assert local_day(daily["ds"]).max() == pd.Timestamp("2025-12-31")
    assert daily.groupby("unique_id").size().eq(92).all()
    assert (daily["yhat_lower"] <= daily["yhat"]).all() and (daily["yhat"] >= 0).all()
    assert any("traffic AR: forecast from its own history" in n for n in season_2025.notes)


def test_black_friday_to_christmas_peak_is_found(season_2025) -> None:
    for query_type in ("order_status", "delivery_problem"):
        series = _by_type(season_2025.daily, query_type)
        assert series["2025-11-28":"2025-12-22"].mean() > 1.25 * series["2025-10"].mean()
    busiest = season_2025.daily.groupby(local_day(season_2025.daily["ds"]))["yhat"].sum()
    assert pd.Timestamp("2025-11-27") <= busiest.idxmax() <= pd.Timestamp("2025-12-23")


def test_post_christmas_returns_surge_is_found(season_2025) -> None:
    returns = _by_type(season_2025.daily, "returns_refunds")
    early_december = returns["2025-12-01":"2025-12-10"].mean()
    assert returns["2025-12-27":"2025-12-31"].mean() > 1.3 * early_december


def test_pre_holiday_rise_of_argentine_product_questions_is_found(
        sample_history, sample_traffic, sample_events) -> None:
    """Any season window works: April to August 2025 holds six Argentine holidays."""
    history = sample_history[(sample_history["country"] == "AR")
                             & (sample_history["query_type"] == "product_question")
                             & (sample_history["ds"] < pd.Timestamp("2025-04-01", tz=TZ))]
    result = forecast_season(history, (date(2025, 4, 1), date(2025, 8, 31)),
                             traffic=sample_traffic, events=sample_events,
                             config=ForecastConfig(model="prophet"))
    series = _by_type(result.daily, "product_question")
    holidays = set(holiday_calendar(["AR"], [2025], retail=False)["ds"])
    before = sorted({h - pd.Timedelta(days=k) for h in holidays for k in (1, 2, 3)} - holidays)
    week = pd.Timedelta(days=7)
    ratios = [series[d] / np.mean([series[d - week], series[d + week]]) for d in before
              if d - week in series.index and d + week in series.index]
    assert len(ratios) >= 15 and np.median(ratios) > 1.2


def test_intervals_add_up_to_the_days(season_2025) -> None:
    intervals = season_2025.intervals
    day_totals = intervals.groupby(["unique_id", local_day(intervals["ds"])])["yhat"].sum()
    daily = season_2025.daily.set_index(["unique_id", local_day(season_2025.daily["ds"])])["yhat"]
    np.testing.assert_allclose(day_totals.reindex(daily.index).to_numpy(), daily.to_numpy(),
                               rtol=1e-9)
    autumn = intervals[local_day(intervals["ds"]) == pd.Timestamp("2025-10-26")]
    assert autumn.groupby("unique_id").size().eq(50).all()


def test_auto_chooses_per_series_and_says_why(sample_history, sample_traffic) -> None:
    history = sample_history[(sample_history["country"] == "HU")
                             & (sample_history["query_type"] == "order_status")]
    result = forecast_season(history, (date(2026, 10, 1), date(2026, 12, 31)),
                             traffic=sample_traffic, config=ForecastConfig(model="auto"))
    assert set(result.choices["unique_id"]) == set(result.daily["unique_id"])
    assert result.choices["reason"].str.contains(
        "weighted wape on season 2025 (weight 1), 92 days to 2026-09-30 (weight 0.5), 92 days "
        "to 2026-06-30 (weight 0.337): ", regex=False).all()
    assert not result.choices["reason"].str.contains("mean(prophet,mstl,snaive_year) within",
                                                     regex=False).any()  # traffic: prophet's
    assert result.choices["windows"].str.startswith(
        "season 2025 (weight 1: the season's calendar 1 year back, 731 days of history").all()
    overall = result.backtest[(result.backtest["level"] == "overall")
                              & (result.backtest["window"] == "all")].set_index("model")
    best_baseline = overall.loc[["snaive_week", "snaive_year"], "wape"].min()
    for model in set(result.choices["model"]):  # combinations are scored too
        assert overall.loc[model, "wape"] < best_baseline
    assert (result.choices["check"] == "").all()  # a plausible season total


def test_a_young_shop_chooses_on_recent_windows(sample_history) -> None:
    history = sample_history[(sample_history["country"] == "GB")
                             & (sample_history["query_type"] == "payment")
                             & (sample_history["ds"] >= pd.Timestamp("2026-01-01", tz=TZ))]
    result = forecast_season(history, (date(2026, 10, 1), date(2026, 12, 31)))
    assert any("no complete past season" in note for note in result.notes)
    assert result.choices["reason"].str.contains("windows ending at the cutoff").all()
    assert result.choices["model"].nunique() == 1  # chosen once, on the total


def test_daily_history_gets_a_daily_forecast_and_a_note(sample_history) -> None:
    from data import to_daily

    history = to_daily(sample_history[(sample_history["country"] == "HU")
                                      & (sample_history["query_type"] == "payment")])
    result = forecast_season(history, (date(2026, 10, 1), date(2026, 10, 31)),
                             config=ForecastConfig(model="snaive_year"))
    assert result.intervals is None
    assert any("interval forecasts need an intraday history" in n for n in result.notes)
    assert len(result.daily) == 3 * 31


def test_public_backtest_reports_every_level(sample_history) -> None:
    history = sample_history[(sample_history["country"] == "HU")
                             & (sample_history["query_type"] == "payment")]
    table = backtest(history, [(date(2025, 10, 1), date(2025, 12, 31))],
                     config=ForecastConfig(model="auto"))
    assert set(table["level"]) == {"series", "query_type", "channel", "country", "overall"}
    assert {"wape", "mape", "bias", "peak_error", "coverage", "poisson_wape_floor"} <= set(table)
    overall = table[(table["level"] == "overall") & (table["window"] == "all")]
    assert set(overall["model"]) == {*ForecastConfig().candidates, "prophet_plain"}
    assert (overall["wape"] > overall["poisson_wape_floor"]).all()


def test_only_the_historys_countries_get_a_traffic_forecast(sample_history,
                                                            sample_traffic) -> None:
    history = sample_history[(sample_history["country"] == "HU")
                             & (sample_history["query_type"] == "payment")]
    result = forecast_season(history, (date(2026, 10, 1), date(2026, 10, 31)),
                             traffic=sample_traffic, config=ForecastConfig(model="snaive_week"))
    assert [n for n in result.notes if n.startswith("traffic")] == [
        "traffic HU: forecast from its own history"]


def test_a_fit_stan_cannot_finish_runs_the_baseline_and_says_so(
        sample_history, monkeypatch) -> None:
    def fails(*_args, **_kwargs):
        raise RuntimeError("Error during optimization! Command ... error code 70")

    monkeypatch.setattr("forecast.prophet_model.fit_predict", fails)
    history = sample_history[(sample_history["country"] == "AR")
                             & (sample_history["query_type"] == "product_question")
                             & (sample_history["ds"] < pd.Timestamp("2025-10-01", tz=TZ))]
    result = forecast_season(history, SEASON_2025,
                             config=ForecastConfig(model="prophet", workers=1))
    assert set(result.choices["model"]) == {"snaive_week"}
    assert result.choices["reason"].str.contains("prophet could not run on it").all()
    note = next(n for n in result.notes if "ran snaive_week instead" in n)
    assert note.startswith(f"{result.choices['unit'].nunique()} of ")
    assert result.daily["yhat"].notna().all() and len(result.daily)


@pytest.mark.slow
def test_one_or_two_workers_give_the_same_forecast(sample_history, sample_traffic,
                                                   sample_events) -> None:
    """The backtest windows' fits go to the workers in one batch, regressor frames are
    shared and Prophet's setup is done block-wise: none of it may change a number."""
    history = sample_history[(sample_history["country"] == "HU")
                             & (sample_history["query_type"] == "order_status")]
    results = [forecast_season(history, (date(2026, 10, 1), date(2026, 12, 31)),
                               traffic=sample_traffic, events=sample_events,
                               config=ForecastConfig(workers=workers))
               for workers in (1, 2)]
    pd.testing.assert_frame_equal(results[0].daily, results[1].daily)
    pd.testing.assert_frame_equal(results[0].choices, results[1].choices)
    pd.testing.assert_frame_equal(results[0].backtest, results[1].backtest)

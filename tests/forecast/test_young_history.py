"""A young shop on real data: 13 to 18 months of daily history (the season seen once)
forecast their Q4 with the annual shape, not twice the real volume, the same every run."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast import ForecastConfig, forecast_season

pytestmark = [pytest.mark.slow, pytest.mark.realdata]
TZ = "America/New_York"


def daily(path, column: str, date_column: str) -> pd.Series:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    frame = pd.read_csv(path, thousands=",")
    return pd.Series(frame[column].astype(float).to_numpy(),
                     index=pd.to_datetime(frame[date_column]))


def contacts(series: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"ds": series.index.tz_localize(TZ), "country": "US",
                         "query_type": "all", "channel": "web",
                         "contacts": series.to_numpy()})


def q4(series: pd.Series, year: int, months: int) -> tuple[pd.DataFrame, pd.Series]:
    start = pd.Timestamp(year, 10, 1)
    history = series[start - pd.DateOffset(months=months):start - pd.Timedelta(days=1)]
    return contacts(history), series[start:pd.Timestamp(year, 12, 31)]


def season_wape(result, actual: pd.Series) -> float:
    forecast = result.daily.set_index(result.daily["ds"].dt.tz_localize(None))["yhat"]
    return float((forecast - actual).abs().sum() / actual.sum())


@pytest.fixture(scope="module")
def visitors(realdata) -> pd.Series:
    return daily(realdata / "us_website_visitors_daily.csv", "Unique.Visits",
                 "Date_reconstructed")


@pytest.fixture(scope="module")
def pageviews(realdata) -> pd.Series:
    return daily(realdata / "otexts_pageviews_daily.csv", "Pageviews", "Date")


@pytest.fixture(scope="module")
def realdata() -> Path:
    """../shared/realdata (or $PEAKPLAN_REALDATA), once for the module's fits."""
    folder = Path(os.environ.get("PEAKPLAN_REALDATA",
                                 Path(__file__).resolve().parents[3] / "shared" / "realdata"))
    if not folder.is_dir():
        pytest.skip(f"real data folder {folder} is absent (set PEAKPLAN_REALDATA)")
    return folder


@pytest.mark.parametrize(("name", "year", "months"), [("visitors", 2018, 15),
                                                      ("visitors", 2019, 13),
                                                      ("pageviews", 2021, 15)])
def test_a_season_seen_once_is_forecast_within_a_sane_factor(request, name, year,
                                                             months) -> None:
    history, actual = q4(request.getfixturevalue(name), year, months)
    result = forecast_season(history, (date(year, 10, 1), date(year, 12, 31)),
                             config=ForecastConfig(workers=1))
    total = result.daily["yhat"].sum() / actual.sum()
    assert 0.75 < total < 1.3, (name, year, months, total)  # the old miss was x2
    assert season_wape(result, actual) < 0.2
    assert (result.choices["check"] == "").all()  # nothing implausible to warn about


def test_thirteen_months_keep_the_default_with_its_yearly_season_and_say_it_was_not_tested(
        visitors) -> None:
    history, actual = q4(visitors, 2018, 13)
    result = forecast_season(history, (date(2018, 10, 1), date(2018, 12, 31)),
                             config=ForecastConfig(workers=1))
    assert set(result.choices["model"]) == {"mean(prophet,mstl,snaive_year)"}  # no traffic
    assert result.choices["reason"].str.contains("leaves no room to backtest one").all()
    assert any("holds a yearly season but leaves no room" in n for n in result.notes)
    assert season_wape(result, actual) < 0.2


def test_the_same_history_gives_the_same_forecast_every_run(visitors) -> None:
    history, _ = q4(visitors, 2018, 15)
    runs = [forecast_season(history, (date(2018, 10, 1), date(2018, 12, 31)),
                            config=ForecastConfig(workers=workers)) for workers in (1, 2)]
    pd.testing.assert_frame_equal(runs[0].daily, runs[1].daily)
    pd.testing.assert_frame_equal(runs[0].choices, runs[1].choices)
    assert np.isfinite(runs[0].daily["yhat"]).all()
    assert runs[0].choices["model"].str.startswith("weighted(").all()  # windows before the
    # cutoff and no regressors: every candidate, by the inverse of its backtest error

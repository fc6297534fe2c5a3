"""Guard rails: a season total far from last year's season (scaled by the recent level) or
from every simple baseline is a warning that names the series and the figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from forecast import GUARD_PREFIX, ForecastConfig, forecast_season
from forecast.guard import last_year_scaled, plausibility

SEASON = pd.date_range("2025-10-01", "2025-12-31", freq="D")


def history(growth: float = 1.1) -> pd.Series:
    """Two years to 30 September 2025: 100 a day until a year ago, then `growth` times it,
    and 300 a day over last year's Q4 (the season peak)."""
    days = pd.date_range("2023-10-01", "2025-09-30", freq="D")
    values = np.where(days > pd.Timestamp("2024-09-30"), 100.0 * growth, 100.0)
    values[(days >= pd.Timestamp("2024-10-01")) & (days <= pd.Timestamp("2024-12-31"))] = 300
    return pd.Series(values, index=days)


def test_last_years_season_is_scaled_by_the_recent_level() -> None:
    # the same weekdays 52 weeks back, 2024-10-02 .. 2025-01-01: 91 days at 300 and one at
    # 110; times the level of the last eight weeks (56 days at 110) against the same days
    # 52 weeks before (55 at 100 and 1 October 2024 at 300)
    level = 56 * 110 / (55 * 100 + 300)
    assert last_year_scaled(history(), SEASON) == pytest.approx((91 * 300 + 110) * level)
    short = history().loc["2024-09-01":]
    assert last_year_scaled(short, SEASON) is not None  # four weeks set the level
    assert last_year_scaled(history().loc["2025-01-01":], SEASON) is None  # never saw Q4


def test_a_doubled_season_is_named_with_its_figures() -> None:
    expected = last_year_scaled(history(), SEASON)
    doubled = pd.Series(2 * expected / len(SEASON), index=SEASON)
    check = plausibility("GB/payment/phone", history(), doubled, 1.5)
    assert check.message.startswith(f"{GUARD_PREFIX} GB/payment/phone: its season total of "
                                    f"{2 * expected:,.0f} contacts is 2.0 times last year's "
                                    f"same season scaled by the recent level ({expected:,.0f})")
    assert "Check the history for a level shift" in check.message
    assert check.total == pytest.approx(2 * expected)


def test_a_season_like_last_years_passes_and_a_third_of_it_does_not() -> None:
    expected = last_year_scaled(history(), SEASON)
    same = pd.Series(expected / len(SEASON), index=SEASON)
    assert plausibility("x", history(), same, 1.5).message == ""
    third = plausibility("x", history(), same / 3, 1.5)
    assert "3.0 times below last year's same season" in third.message


def test_without_last_year_every_baseline_must_disagree() -> None:
    young = history().loc["2025-03-01":]  # seven months: no last year
    level = pd.Series(110.0, index=SEASON)
    assert plausibility("x", young, level, 1.5).message == ""
    flagged = plausibility("x", young, level * 2, 1.5).message
    assert "beyond 1.5 times every simple baseline (snaive_week 10,120, snaive_year 10,120)" \
        in flagged


@pytest.mark.slow
def test_a_planted_implausible_forecast_warns_in_the_notes_and_choices(
        sample_history, monkeypatch) -> None:
    import forecast.statsforecast_model as sf

    fitted = sf.fit_predict
    monkeypatch.setattr(sf, "fit_predict", lambda *a, **k: fitted(*a, **k) * 2.5)
    history = sample_history[(sample_history["country"] == "HU")
                             & (sample_history["query_type"] == "payment")]
    result = forecast_season(history, (date(2026, 10, 1), date(2026, 12, 31)),
                             config=ForecastConfig(model="mstl", workers=1))
    flagged = result.choices[result.choices["check"] != ""]
    assert len(flagged) >= 1
    for _, row in flagged.iterrows():
        note = next(n for n in result.notes if n.startswith(f"{GUARD_PREFIX} {row['unit']}:"))
        assert "times last year's same season scaled by the recent level" in note
        assert note == row["check"]

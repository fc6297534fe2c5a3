"""Model choice: weighted windows, combinations of the best, and the margin a simple
baseline needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.choice import (
    combination_predictions,
    combine,
    combined_name,
    default_model,
    members,
    pick,
    rank_models,
)

DAYS = pd.date_range("2025-10-01", periods=10, freq="D")


def rows(errors: dict[str, dict[str, float]], actual: float = 100.0) -> pd.DataFrame:
    """Backtest rows of one series: per model and window, a constant error."""
    return pd.DataFrame([{"unique_id": "GB/a/phone", "unit": "GB/a/phone", "day": d,
                          "model": model, "window": window, "yhat": actual + error,
                          "yhat_lower": actual + error - 5, "yhat_upper": actual + error + 5,
                          "actual": actual}
                         for model, by_window in errors.items()
                         for window, error in by_window.items() for d in DAYS])


def test_names_of_combinations_round_trip() -> None:
    name = combined_name("median", ["prophet", "mstl", "ets"])
    assert name == "median(prophet,mstl,ets)"
    assert combined_name("median", ["ets", "prophet", "mstl"]) == name  # one name each
    assert members(name) == ("prophet", "mstl", "ets") and members("mstl") == ("mstl",)


def test_combine_takes_the_mean_or_median_day_by_day() -> None:
    frames = [pd.DataFrame({"yhat": [v, v], "yhat_lower": [v - 1] * 2,
                            "yhat_upper": [v + 1] * 2}, index=DAYS[:2]) for v in (10, 20, 60)]
    assert combine("mean(a,b,c)", frames)["yhat"].tolist() == [30.0, 30.0]
    median = combine("median(a,b,c)", frames)
    assert median["yhat"].tolist() == [20.0, 20.0] and median["yhat_upper"].iloc[0] == 21
    with pytest.raises(ValueError, match="not a combination"):
        combine("prophet", frames)


def test_errors_that_cancel_make_the_mean_of_two_the_best() -> None:
    ranked = rank_models(rows({"prophet": {"w": 10.0}, "mstl": {"w": -8.0},
                               "snaive_week": {"w": 30.0}}), {"w": 1.0})
    assert ranked.index[0] == "mean(prophet,mstl)"  # one name whatever their order of merit
    assert ranked.iloc[0] == pytest.approx(0.01)
    assert ranked["median(prophet,mstl,snaive_week)"] == pytest.approx(0.10)


def test_windows_count_by_their_weight() -> None:
    errors = {"prophet": {"season 2025": 5.0, "recent": 20.0},
              "mstl": {"season 2025": 10.0, "recent": 10.0}}
    equal = rank_models(rows(errors), {"season 2025": 1.0, "recent": 1.0})
    assert equal["prophet"] == pytest.approx(0.125) and equal["mstl"] == pytest.approx(0.10)
    weighted = rank_models(rows(errors), {"season 2025": 1.0, "recent": 0.25})
    assert weighted["prophet"] == pytest.approx((5 + 0.25 * 20) / 1.25 / 100)
    assert weighted.index[0] == "prophet"


def test_ties_are_broken_by_name_so_the_choice_is_the_same_every_run() -> None:
    ranked = rank_models(rows({"theta": {"w": 5.0}, "ets": {"w": 5.0}}), {"w": 1.0})
    assert list(ranked.index) == ["ets", "mean(ets,theta)", "theta"]  # all 5%


def test_the_chosen_combinations_backtest_rows_are_kept_for_the_bands() -> None:
    frame = rows({"prophet": {"w": 10.0}, "mstl": {"w": -8.0}})
    both = combination_predictions(frame, ["mean(prophet,mstl)", "prophet"])
    combo = both[both["model"] == "mean(prophet,mstl)"]
    assert len(combo) == len(DAYS)
    np.testing.assert_allclose(combo["yhat"], 101.0)
    np.testing.assert_allclose(combo["actual"], 100.0)


def test_another_model_needs_a_clear_edge_over_prophet() -> None:
    ranked = pd.Series({"mean(prophet,mstl)": 0.100, "snaive_year": 0.103, "prophet": 0.104})
    model, reason = pick(ranked, 0.05, "w")
    assert model == "prophet" and reason.startswith("prophet within 5% of the lowest")
    assert pick(ranked, 0.03, "w")[0] == "mean(prophet,mstl)"
    assert pick(ranked.drop("prophet"), 0.05, "w")[0] == "mean(prophet,mstl)"
    assert pick(pd.Series(dtype=float), 0.05, "w")[0] == "snaive_week"


def test_without_regressors_the_mean_of_three_families_is_kept_unless_clearly_beaten() -> None:
    from forecast.config import POOL

    default = default_model(POOL, regressors=False)
    assert default == "mean(prophet,mstl,snaive_year)"
    assert default_model(POOL, regressors=True) == "prophet"  # traffic or events: its own
    errors = {"prophet": {"w": 5.4}, "mstl": {"w": 4.6}, "snaive_year": {"w": 5.0},
              "snaive_week": {"w": 4.8}}
    ranked = rank_models(rows(errors), {"w": 1.0}, also=[default])
    assert ranked[default] == pytest.approx(0.05) and ranked.iloc[0] == pytest.approx(0.046)
    model, reason = pick(ranked, 0.1, "w", default=default)
    assert model == default  # 5.0% is within 10% of 4.6%
    assert reason.startswith(f"{default} within 10% of the lowest weighted wape")
    assert pick(ranked, 0.05, "w", default=default)[0] != default  # but not within 5%
    assert pick(ranked, 0.1, "w", default="prophet")[0] != "prophet"  # 5.4%: beaten

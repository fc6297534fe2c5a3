"""Model choice: weighted windows, combinations of the best, and the margin a simple
baseline needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecast.backtest import BacktestRun
from forecast.choice import (
    choose,
    combination_predictions,
    combine,
    combined_name,
    default_model,
    inverse_weighted,
    members,
    pick,
    rank_models,
    weights_of,
)
from forecast.hierarchy import Unit
from forecast.windows import Window

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


def test_inverse_weights_follow_the_backtest_errors_of_single_models_only() -> None:
    ranked = pd.Series({"mean(prophet,mstl)": 0.01, "snaive_week": 0.20, "mstl": 0.05,
                        "prophet": 0.10})
    name = inverse_weighted(ranked)
    assert members(name) == ("prophet", "mstl", "snaive_week")  # in the order of MODELS
    shares = weights_of(name)
    assert shares["mstl"] == pytest.approx(2 * shares["prophet"], rel=5e-3)
    assert shares["prophet"] == pytest.approx(2 * shares["snaive_week"], rel=5e-3)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert inverse_weighted(pd.Series({"mstl": 0.0, "prophet": 0.1})) == "mstl"  # perfect
    assert inverse_weighted(pd.Series({"mstl": 0.1, "mean(mstl,ets)": 0.05})) == "mstl"
    with pytest.raises(ValueError, match="no single model"):
        inverse_weighted(pd.Series({"mean(mstl,ets)": 0.05}))


def test_a_weighted_combination_is_the_weighted_mean_of_its_members_day_by_day() -> None:
    frames = [pd.DataFrame({"yhat": [v, v], "yhat_lower": [v - 1] * 2,
                            "yhat_upper": [v + 1] * 2}, index=DAYS[:2]) for v in (10, 40)]
    combined = combine("weighted(prophet:0.75,mstl:0.25)", frames)
    assert combined["yhat"].tolist() == [17.5, 17.5]
    assert combined["yhat_lower"].iloc[0] == pytest.approx(16.5)
    assert weights_of("weighted(prophet:3,mstl:1)") == {"prophet": 0.75, "mstl": 0.25}
    assert weights_of("median(prophet,mstl,ets)") == {}


def test_a_weighted_combinations_backtest_rows_are_kept_for_the_bands() -> None:
    frame = rows({"prophet": {"w": 10.0}, "mstl": {"w": -10.0}})
    name = "weighted(prophet:0.25,mstl:0.75)"
    combo = combination_predictions(frame, [name])
    combo = combo[combo["model"] == name]
    assert len(combo) == len(DAYS)
    np.testing.assert_allclose(combo["yhat"], 95.0)  # 0.25 * 110 + 0.75 * 90
    np.testing.assert_allclose(combo["yhat_upper"], 100.0)
    np.testing.assert_allclose(combo["actual"], 100.0)


def run_of(errors: dict[str, dict[str, float]], labels: list[str]) -> BacktestRun:
    windows = tuple(Window(DAYS[0].date(), DAYS[-1].date(), label) for label in labels)
    return BacktestRun(rows(errors), windows)


def test_windows_before_the_cutoff_without_regressors_weight_every_candidate() -> None:
    errors = {"prophet": {"w": 10.0}, "mstl": {"w": 5.0}, "snaive_year": {"w": -20.0}}
    units = {"GB/a/phone": Unit("GB/a/phone", ("GB/a/phone",))}
    run = run_of(errors, ["w"])
    default = "mean(prophet,mstl,snaive_year)"
    models, reasons = choose(run, units, recent=True, margin=0.1, default=default, blend=True)
    shares = weights_of(models["GB/a/phone"])
    assert list(shares) == ["prophet", "mstl", "snaive_year"]
    assert shares["mstl"] == pytest.approx(0.5714, abs=1e-3)  # (1/5) / (1/10 + 1/5 + 1/20)
    assert reasons["GB/a/phone"].startswith("every candidate weighted by the inverse")
    picked, _ = choose(run, units, recent=True, margin=0.1, default=default)
    assert picked["GB/a/phone"] == default  # without blend: the best one (1.7%)
    seasons = run_of(errors, ["season 2024"])
    assert choose(seasons, units, recent=False, margin=0.1, default=default,
                  blend=True)[0] == picked  # past seasons: the best one, as before

"""Review charts (`backtest_accuracy`, `season_review`): titles, units, the bars drawn
per model, window or group, and inputs that hold nothing to show."""

from __future__ import annotations

import numpy as np
import pandas as pd
from chart_reading import TZ, assert_readable, bars, daily_forecast, gid, main_axes, texts

from dashboard import charts


def metrics_frame() -> pd.DataFrame:
    rows = []
    for level, keys in (("overall", ["all"]), ("query_type", ["payment", "returns"])):
        for k, key in enumerate(keys):
            for m, model in enumerate(("prophet", "snaive_week")):
                for w, window in enumerate(("all", "season 2025")):
                    rows.append({"level": level, "key": key, "model": model, "window": window,
                                 "wape": 0.05 + 0.1 * m + 0.01 * w + 0.02 * k, "mape": 0.1,
                                 "bias": 0.0, "peak_error": 0.0, "coverage": 0.8,
                                 "poisson_wape_floor": 0.02 + 0.01 * w})
    return pd.DataFrame(rows)


# --- backtest_accuracy ---------------------------------------------------------------------

def test_backtest_accuracy_overall_bars_and_poisson_floor() -> None:
    fig = charts.backtest_accuracy(metrics_frame())
    assert_readable(fig, "WAPE", "WAPE (%", "window")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 2 * 2  # two models x two windows
    assert sorted(round(r.get_height(), 6) for r in rects) == [5.0, 6.0, 15.0, 16.0]
    floors = gid(ax, "floor")
    assert len(floors) == 2 and all(f.get_linestyle() == "--" for f in floors)
    assert sorted(round(f.get_ydata()[0], 6) for f in floors) == [2.0, 3.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["all", "season 2025"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"prophet", "snaive_week"} <= set(legend) and any("Poisson" in t for t in legend)


def test_backtest_accuracy_averages_keys_or_picks_one() -> None:
    metrics = metrics_frame()
    mean = bars(main_axes(charts.backtest_accuracy(metrics, "query_type")))
    assert sorted(round(r.get_height(), 6) for r in mean) == [6.0, 7.0, 16.0, 17.0]
    one = bars(main_axes(charts.backtest_accuracy(metrics, "query_type", "returns")))
    assert sorted(round(r.get_height(), 6) for r in one) == [7.0, 8.0, 17.0, 18.0]


def test_backtest_accuracy_unknown_level_says_so() -> None:
    fig = charts.backtest_accuracy(metrics_frame(), "country", "JP")
    assert charts.NO_DATA in texts(fig) and "JP" in texts(fig)


# --- season_review -------------------------------------------------------------------------

def test_season_review_signed_error_per_group_sorted() -> None:
    forecast = daily_forecast()
    actual = forecast.rename(columns={"yhat": "y"}).drop(
        columns=["yhat_lower", "yhat_upper", "model"])
    actual["y"] = np.where(actual["query_type"] == "payment", 12.0, 15.0)
    extra = actual.iloc[:1].assign(ds=pd.Timestamp("2026-12-01", tz=TZ), y=1e6)
    fig = charts.season_review(pd.concat([actual, extra]), forecast)
    assert_readable(fig, "actual vs forecast", "%", "query type")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 2
    widths = [r.get_width() for r in sorted(rects, key=lambda r: r.get_y())]
    np.testing.assert_allclose(widths, [-25.0, 20.0])  # sorted; the extra day is ignored
    assert [t.get_text() for t in ax.get_yticklabels()] == ["returns", "payment"]
    assert "+20.0%" in texts(fig) and "-25.0%" in texts(fig)


def test_season_review_by_country_needs_both_frames() -> None:
    forecast = daily_forecast()
    assert charts.NO_DATA in texts(charts.season_review(forecast.iloc[:0], forecast,
                                                        by="country"))

"""Accuracy charts: backtest WAPE per model and window, and the season review."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from dashboard.charts_base import (
    color_map,
    is_empty,
    local_wall,
    new_figure,
    no_data_figure,
    require_columns,
)
from data.schema import DS, Y

__all__ = ["backtest_accuracy", "season_review"]

_METRIC_COLUMNS = ("level", "key", "model", "window", "wape", "poisson_wape_floor")


def backtest_accuracy(metrics: pd.DataFrame, level: str = "overall",
                      key: str | None = None) -> Figure:
    """Grouped bars of WAPE (%) per model for each backtest window, Poisson floor dashed.

    Rows are filtered to `level` and, when given, `key`; with `key=None` the keys of that
    level are averaged (one 'overall' row stays as it is). The floor is the WAPE that pure
    Poisson noise alone would cause: no model can be expected to beat it.
    """
    scope = "all" if key is None else key
    title = f"Backtest accuracy: WAPE by model ({level}: {scope})"
    if key is None and level != "overall":
        title = f"Backtest accuracy: WAPE by model (mean over every {level.replace('_', ' ')})"
    if is_empty(metrics):
        return no_data_figure(title)
    require_columns(metrics, _METRIC_COLUMNS, "metrics")
    rows = metrics[metrics["level"] == level]
    if key is not None:
        rows = rows[rows["key"] == key]
    if rows.empty:
        return no_data_figure(title, f"no metrics for level '{level}'"
                              + ("" if key is None else f", key '{key}'"))
    table = rows.groupby(["window", "model"], sort=False)[["wape", "poisson_wape_floor"]].mean()
    windows = sorted(table.index.unique("window"), key=lambda w: (w != "all", str(w)))
    models = list(dict.fromkeys(table.index.get_level_values("model")))
    colors = color_map(models)
    width = 0.8 / len(models)
    fig, ax = new_figure()
    for i, model in enumerate(models):
        wape = [table["wape"].get((w, model), np.nan) * 100 for w in windows]
        x = np.arange(len(windows)) - 0.4 + width * (i + 0.5)
        bars = ax.bar(x, wape, width=width * 0.95, label=model, color=colors[model])
        ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=1)
    for j, window in enumerate(windows):
        floor = table.loc[window, "poisson_wape_floor"].mean() * 100
        if np.isfinite(floor):
            (line,) = ax.plot([j - 0.45, j + 0.45], [floor, floor], color="black",
                              linestyle="--", linewidth=1.2,
                              label="Poisson noise floor" if j == 0 else "_nolegend_")
            line.set_gid("floor")
    ax.set_xticks(np.arange(len(windows)), windows)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("backtest window")
    ax.set_ylabel("WAPE (%, lower is better)")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.08)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def season_review(actual: pd.DataFrame, forecast: pd.DataFrame,
                  by: str = "query_type") -> Figure:
    """Horizontal bars of actual vs forecast contacts (%, signed) per group of `by`.

    +12 % means 12 % more contacts arrived than forecast (it rose against the forecast),
    -8 % means 8 % fewer. Only days present in both frames are compared; groups with no
    forecast contacts are left out (their percentage is undefined).
    """
    title = f"Season review: actual vs forecast contacts by {by.replace('_', ' ')}"
    if is_empty(actual) or is_empty(forecast):
        return no_data_figure(title, "needs both actual and forecast contacts")
    require_columns(actual, (DS, by, Y), "actual")
    require_columns(forecast, (DS, by, "yhat"), "forecast")
    act = pd.DataFrame({"day": local_wall(actual[DS]).dt.normalize(),
                        by: actual[by].astype(str), "y": actual[Y].to_numpy()})
    fc = pd.DataFrame({"day": local_wall(forecast[DS]).dt.normalize(),
                       by: forecast[by].astype(str), "yhat": forecast["yhat"].to_numpy()})
    common = set(act["day"]) & set(fc["day"])
    if not common:
        return no_data_figure(title, "the actual and forecast frames share no days")
    totals = pd.concat([act[act["day"].isin(common)].groupby(by)["y"].sum(),
                        fc[fc["day"].isin(common)].groupby(by)["yhat"].sum()], axis=1)
    totals = totals.fillna(0.0)
    totals = totals[totals["yhat"] > 0]
    if totals.empty:
        return no_data_figure(title, "no group has forecast contacts")
    totals["error_pct"] = (totals["y"] / totals["yhat"] - 1) * 100
    totals = totals.sort_values("error_pct")
    fig, ax = new_figure((10.0, max(3.0, 1.2 + 0.35 * len(totals))))
    colors = np.where(totals["error_pct"] >= 0, "tab:red", "tab:blue")
    bars = ax.barh(totals.index, totals["error_pct"], color=colors)
    labels = [f"{e:+.1f}%  ({a:,.0f} vs {f:,.0f})" for e, a, f in
              zip(totals["error_pct"], totals["y"], totals["yhat"], strict=True)]
    ax.bar_label(bars, labels, fontsize=8, padding=3)
    ax.axvline(0, color="black", linewidth=0.8)
    reach = max(abs(totals["error_pct"]).max(), 1.0)
    ax.set_xlim(-reach * 1.6, reach * 1.6)
    span = f"{min(common):%d %b %Y} – {max(common):%d %b %Y}"
    ax.set_title(title, fontsize=12)
    ax.set_xlabel(f"actual vs forecast contacts (%): red = more than forecast, "
                  f"blue = fewer ({span})")
    ax.set_ylabel(by.replace("_", " "))
    return fig

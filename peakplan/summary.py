"""Short text summaries of a forecast and a backtest for the command line."""

from __future__ import annotations

import pandas as pd

from data import local_day
from peakplan.pipeline import BacktestOutcome, ForecastOutcome

__all__ = ["backtest_summary", "forecast_summary"]


def forecast_summary(outcome: ForecastOutcome) -> str:
    """Season, series, contacts, peak day and interval, models chosen, notes."""
    daily = outcome.result.daily
    per_day = daily.groupby(local_day(daily["ds"]))["yhat"].sum()
    models = outcome.result.choices["model"].value_counts()
    lines = [
        f"season {outcome.season[0]} to {outcome.season[1]}: {daily['unique_id'].nunique()} "
        f"series, {per_day.sum():,.0f} contacts forecast",
        f"busiest day {per_day.idxmax().date()} with {per_day.max():,.0f} contacts",
        "models: " + ", ".join(f"{m} for {n} series" for m, n in models.items()),
    ]
    intervals = outcome.result.intervals
    if intervals is not None:
        per_interval = intervals.groupby("ds")["yhat"].sum()
        lines.append(f"busiest interval {per_interval.idxmax()} with "
                     f"{per_interval.max():,.0f} contacts")
    lines += [f"note: {note}" for note in outcome.result.notes]
    return "\n".join(lines)


def backtest_summary(outcome: BacktestOutcome) -> str:
    """Overall WAPE, bias and band coverage per model and window."""
    table = outcome.metrics[outcome.metrics["level"] == "overall"]
    pivot = table.pivot_table(index="model", columns="window", values="wape")
    lines = ["overall WAPE by model and window:", _format(pivot)]
    everything = table[table["window"] == "all"].set_index("model")
    lines.append("all windows: " + "; ".join(
        f"{m} bias {r['bias']:+.1%}, coverage {r['coverage']:.0%}"
        for m, r in everything.iterrows()))
    if outcome.recent_windows:
        lines.append("note: no complete past season; the most recent windows of the "
                     "season's length were used")
    return "\n".join(lines)


def _format(pivot: pd.DataFrame) -> str:
    return pivot.map(lambda v: f"{v:.1%}").to_string()

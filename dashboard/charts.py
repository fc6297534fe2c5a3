"""Chart builders for the dashboard: pure functions that take frames and return figures.

Every builder returns a `matplotlib.figure.Figure` (made without pyplot, Agg-safe, about
10 x 4 inches) with a title, unit-bearing axis labels and a constrained layout; an empty
input gives a figure that says "No data to show" instead of raising. Timestamps are drawn
in local wall-clock time. The code lives in `charts_base`, `charts_forecast`,
`charts_review` and `charts_staffing`; import the names from here.
"""

from __future__ import annotations

from dashboard.charts_base import NO_DATA, figure_png
from dashboard.charts_forecast import MAX_EVENT_LABELS, forecast_band, intraday, weekly_contacts
from dashboard.charts_review import backtest_accuracy, season_review
from dashboard.charts_staffing import (
    coverage,
    fte_vs_headcount,
    requirement_heatmap,
    service_and_occupancy,
    shift_counts,
)

__all__ = [
    "MAX_EVENT_LABELS",
    "NO_DATA",
    "backtest_accuracy",
    "coverage",
    "figure_png",
    "forecast_band",
    "fte_vs_headcount",
    "intraday",
    "requirement_heatmap",
    "season_review",
    "service_and_occupancy",
    "shift_counts",
    "weekly_contacts",
]

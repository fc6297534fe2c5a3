"""What every chart builder shares: date axes, a "no data" figure for empty input, named
missing columns, PNG bytes at laptop size, and no Streamlit or pyplot loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chart_reading import FALL_BACK, daily_forecast, local_days, main_axes, texts
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dashboard import charts

REPO = Path(__file__).resolve().parents[2]


def test_a_week_across_a_month_end_labels_the_first_with_its_day() -> None:
    from dashboard.charts_base import format_date_axis, new_figure

    fig, ax = new_figure()
    days = pd.date_range("2026-11-30", "2026-12-07", freq="D")
    ax.plot(days, np.arange(len(days)))
    format_date_axis(ax)
    FigureCanvasAgg(fig).draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "01 Dec" in labels and "Dec" not in labels
    assert labels[labels.index("01 Dec") + 1] == "02"


# --- every builder ------------------------------------------------------------------------

EMPTY_CALLS = {
    "weekly_contacts": lambda: charts.weekly_contacts(pd.DataFrame()),
    "forecast_band": lambda: charts.forecast_band(pd.DataFrame(), pd.DataFrame(),
                                                  pd.DataFrame()),
    "intraday": lambda: charts.intraday(pd.DataFrame(), FALL_BACK),
    "backtest_accuracy": lambda: charts.backtest_accuracy(pd.DataFrame()),
    "requirement_heatmap": lambda: charts.requirement_heatmap(pd.DataFrame(), "en_phone"),
    "service_and_occupancy": lambda: charts.service_and_occupancy(None, "en_phone"),
    "fte_vs_headcount": lambda: charts.fte_vs_headcount(pd.DataFrame()),
    "coverage": lambda: charts.coverage(pd.DataFrame(), "en_phone", day=FALL_BACK),
    "season_review": lambda: charts.season_review(pd.DataFrame(), pd.DataFrame()),
    "shift_counts": lambda: charts.shift_counts(pd.DataFrame()),
}


@pytest.mark.parametrize("name", sorted(EMPTY_CALLS))
def test_empty_input_gives_a_no_data_figure(name: str) -> None:
    fig = EMPTY_CALLS[name]()
    assert isinstance(fig, Figure)
    assert charts.NO_DATA in texts(fig)
    assert main_axes(fig).get_title()
    assert charts.figure_png(fig).startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="yhat"):
        charts.weekly_contacts(pd.DataFrame({"ds": local_days("2026-10-01", 2),
                                             "query_type": "payment"}))


def test_figure_png_gives_png_bytes_at_laptop_size() -> None:
    fig = charts.weekly_contacts(daily_forecast())
    png = charts.figure_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1000, 400)


def test_builders_load_neither_streamlit_nor_pyplot() -> None:
    code = ("import sys, pandas as pd; from dashboard import charts; "
            "charts.figure_png(charts.weekly_contacts(pd.DataFrame())); "
            "bad = {'streamlit', 'matplotlib.pyplot'} & set(sys.modules); "
            "sys.exit(f'loaded {bad}' if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr + result.stdout

"""Showing things on a page: error boxes, tables and charts.

Charts are drawn to PNG here (not by `st.pyplot`, which draws at 200 dpi with a tight
bounding box, so twice, and then has Streamlit shrink and re-encode the picture): at
`CHART_DPI` a 10-inch chart is as sharp on screen for about half the cost. A chart shown
with a `key` is drawn once per key; later reruns with that key reuse the picture.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Hashable, Iterator

import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

from dashboard import uploads
from dashboard.charts import figure_png
from data import PlannerError

__all__ = ["CHART_DPI", "errors", "message", "show", "table", "tidy"]

CHART_DPI = 144
"""Dots per inch of the charts on screen: a 10-inch chart is 1,440 px wide, just under
Streamlit's widest content (1,460 px), so it is never scaled down and re-encoded."""


@contextlib.contextmanager
def errors() -> Iterator[None]:
    """Show a PlannerError raised inside the block as an error box, never a traceback."""
    try:
        yield
    except PlannerError as exc:
        st.error(message(exc))


def message(exc: Exception) -> str:
    """The error's one line, with an uploaded file named as it was uploaded."""
    return re.sub(re.escape(str(uploads.UPLOAD_ROOT)) + r"[\\/][0-9a-f]+[\\/]", "", str(exc))


def tidy(frame: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """A frame for display: local times as 'YYYY-MM-DD HH:MM', naive midnights as dates,
    floats rounded."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            out[name] = column.dt.strftime("%Y-%m-%d %H:%M")
        elif pd.api.types.is_datetime64_any_dtype(column):
            if (column.dropna() == column.dropna().dt.normalize()).all():
                out[name] = column.dt.date
        elif pd.api.types.is_float_dtype(column):
            out[name] = column.round(digits)
    return out


def table(frame: pd.DataFrame, digits: int = 2, **options) -> None:
    """`st.dataframe` of `tidy(frame)` without the index."""
    st.dataframe(tidy(frame, digits), hide_index=True, **options)


@st.cache_data(show_spinner=False, max_entries=96)
def _kept_png(key: Hashable, _draw: Callable[[], bytes]) -> bytes:
    return _draw()


def chart_png(figure: Figure | Callable[[], Figure], key: Hashable | None = None) -> bytes:
    """The chart as on-screen PNG bytes; with `key`, drawn once per key (the 96 most
    recent pictures are kept, for every session) and `figure` may be a function that
    builds the figure, called only when the key is new."""
    def draw() -> bytes:
        built = figure() if callable(figure) else figure
        return figure_png(built, dpi=CHART_DPI, compress_level=1)

    return draw() if key is None else _kept_png(key, draw)


def show(figure: Figure | Callable[[], Figure], download: str | None = None,
         key: Hashable | None = None) -> None:
    """Draw a chart full width; with `download`, offer it as a PNG of that file name;
    with `key`, reuse the picture drawn for that key before (see `chart_png`)."""
    png = chart_png(figure, key)
    st.image(png, width="stretch")
    if download:
        st.download_button("Download chart (PNG)", png, file_name=download,
                           mime="image/png", key=f"png_{download}", on_click="ignore")

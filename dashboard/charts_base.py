"""Shared pieces of the chart builders: figures, local time, axes formats, 'no data'.

Figures are built with `matplotlib.figure.Figure` directly (no pyplot), so nothing is kept
between calls and no interactive backend is touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from io import BytesIO

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

__all__ = [
    "FIGSIZE",
    "NO_DATA",
    "color_map",
    "day_hours",
    "day_length_h",
    "figure_png",
    "format_count_axis",
    "format_date_axis",
    "interval_minutes",
    "is_empty",
    "local_time_label",
    "local_wall",
    "new_figure",
    "no_data_figure",
    "require_columns",
    "set_day_hour_axis",
]

FIGSIZE = (10.0, 4.0)
"""Inches: about 1000 x 400 pixels at 100 dpi, readable on a laptop screen."""

NO_DATA = "No data to show"
"""Text of the message drawn on an empty chart."""

_PALETTE = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
            "tab:pink", "tab:gray", "tab:olive", "tab:cyan")


def new_figure(figsize: tuple[float, float] = FIGSIZE,
               margins: tuple[float, float, float, float] | None = None
               ) -> tuple[Figure, Axes]:
    """A fresh figure with one axes and a constrained (tight) layout; or, with `margins`
    (left, right, bottom, top as fractions of the figure), a fixed one, which draws in
    about half the time for charts redrawn on every scenario change."""
    if margins is None:
        fig = Figure(figsize=figsize, layout="constrained")
    else:
        fig = Figure(figsize=figsize)
        left, right, bottom, top = margins
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return fig, fig.add_subplot()


def no_data_figure(title: str, reason: str = "") -> Figure:
    """A figure that says there is nothing to draw (and why), under the chart's title."""
    fig, ax = new_figure()
    ax.set_title(title, fontsize=12)
    message = NO_DATA + (f"\n{reason}" if reason else "")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=13, color="0.35",
            transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def is_empty(frame: pd.DataFrame | None) -> bool:
    """True for None or a frame without rows."""
    return frame is None or len(frame) == 0


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ValueError naming the columns `frame` lacks (a caller's mistake, not 'no data')."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}; it has {list(frame.columns)}")


def local_wall(values: pd.Series | Sequence) -> pd.Series:
    """Timestamps as naive local wall-clock time (tz-aware ones keep their local reading).

    Accepts tz-aware or naive timestamps, `datetime.date` objects and date strings.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_localize(None)
    if series.dtype == object:  # dates, strings, naive and aware timestamps, mixed
        return series.map(lambda v: pd.Timestamp(v).tz_localize(None)).astype(
            "datetime64[us]")
    converted = pd.to_datetime(series)
    if isinstance(converted.dtype, pd.DatetimeTZDtype):
        return converted.dt.tz_localize(None)
    return converted


def interval_minutes(ds: pd.Series, default: int = 30) -> int:
    """The most common positive step between distinct timestamps, in minutes."""
    times = pd.to_datetime(pd.Series(ds).dropna())
    if isinstance(times.dtype, pd.DatetimeTZDtype):  # steps between instants, not walls
        times = times.dt.tz_convert("UTC")
    seconds = np.unique(pd.DatetimeIndex(times).as_unit("s").asi8)
    steps = np.diff(seconds)
    steps = steps[steps > 0]
    if not len(steps):
        return default
    values, counts = np.unique(steps, return_counts=True)
    return round(float(values[counts.argmax()]) / 60)


def day_hours(ds: pd.Series, day: dt.date) -> tuple[pd.Series, pd.Timestamp | None]:
    """Elapsed hours since local midnight of `day` for each timestamp, and that midnight.

    Elapsed (not wall-clock) time keeps every interval of a daylight-saving day apart:
    the 25-hour day runs to 25 h and the 23-hour day to 23 h. Naive timestamps give a
    naive midnight; an empty `ds` gives (empty, None).
    """
    if len(ds) == 0:
        return pd.Series(dtype=float), None
    midnight = pd.Timestamp(day)
    if isinstance(ds.dtype, pd.DatetimeTZDtype):
        midnight = midnight.tz_localize(ds.dt.tz)
    return (ds - midnight).dt.total_seconds() / 3600, midnight


def day_length_h(midnight: pd.Timestamp) -> float:
    """Hours from this local midnight to the next: 23, 24 or 25."""
    following = (midnight.tz_localize(None) + pd.Timedelta(days=1))
    if midnight.tzinfo is not None:
        following = following.tz_localize(midnight.tzinfo)
    return (following - midnight).total_seconds() / 3600


def local_time_label(ds: pd.Series, span_h: float) -> str:
    """'local time (zone)' plus a note on daylight-saving days."""
    zone = f" ({ds.dt.tz})" if isinstance(ds.dtype, pd.DatetimeTZDtype) else ""
    note = {23.0: ": clocks go forward, 23-hour day", 25.0: ": clocks go back, 25-hour day"}
    return f"local time{zone}{note.get(span_h, '')}"


def set_day_hour_axis(ax: Axes, midnight: pd.Timestamp, span_h: float, step_h: int = 2) -> None:
    """Ticks at local whole hours (every `step_h`) on an elapsed-hours axis of one day.

    Ticks stay at least `step_h` apart, so the repeated hour of the day clocks go back is
    labelled once; the skipped hour of the day they go forward has no tick.
    """
    instants = pd.date_range(midnight, periods=int(np.ceil(span_h)) + 1, freq="h")
    keep: list[pd.Timestamp] = []
    for t in instants:
        if t.hour % step_h == 0 and (not keep or t - keep[-1] >= pd.Timedelta(hours=step_h)):
            keep.append(t)
    ax.set_xticks([(t - midnight).total_seconds() / 3600 for t in keep],
                  [t.strftime("%H:%M") for t in keep])
    ax.set_xlim(0, span_h)


DATE_ZERO_FORMATS = ["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"]
"""Labels of the ticks that start a larger unit: a new year shows the year, the first of
a month '01 Dec' (matplotlib's own 'Dec' reads like a missing day), a new day '30 Nov'."""


def format_date_axis(ax: Axes) -> None:
    """Concise, auto-spaced date ticks on the x axis."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, zero_formats=DATE_ZERO_FORMATS))


def format_count_axis(ax: Axes, axis: str = "y") -> None:
    """Thousands separators on a count axis."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def color_map(names: Iterable) -> dict:
    """A stable colour per name (sorted), so a category keeps its colour across charts."""
    ordered = sorted({str(n) for n in names})
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(ordered)}


def figure_png(fig: Figure, dpi: int = 100, compress_level: int = 6) -> bytes:
    """The figure as PNG bytes (for downloads or `st.image`); `compress_level` 1 is about
    three times quicker to encode than the default 6, for a larger file."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": compress_level})
    return buffer.getvalue()

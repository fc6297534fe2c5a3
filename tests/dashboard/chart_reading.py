"""What the chart tests share: local days and intervals in Europe/Amsterdam (with both
daylight-saving change-over days), readers of what a figure draws (read back from its
artists), and a small daily forecast."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

TZ = "Europe/Amsterdam"
FALL_BACK = dt.date(2026, 10, 25)  # 25 hours: 50 half-hour intervals
SPRING_FORWARD = dt.date(2026, 3, 29)  # 23 hours: 46 half-hour intervals


def day_intervals(day: dt.date, step_min: int = 30) -> pd.DatetimeIndex:
    """Every interval start of a local day, in real (elapsed) time."""
    start = pd.Timestamp(day).tz_localize(TZ)
    end = (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)
    return pd.date_range(start, end, freq=f"{step_min}min", inclusive="left")


def local_days(first: str, periods: int) -> pd.DatetimeIndex:
    return pd.date_range(first, periods=periods, freq="D", tz=TZ)


def texts(fig: Figure) -> str:
    """Every text of the figure, joined: titles, labels, annotations, legends."""
    parts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(p for p in parts if p)


def bars(ax) -> list[Rectangle]:
    """Bar rectangles (not the axes background or legend patches)."""
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def gid(ax, name: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == name]


def main_axes(fig: Figure):
    return fig.axes[0]


def assert_readable(fig: Figure, title: str, *units: str) -> None:
    assert isinstance(fig, Figure)
    ax = main_axes(fig)
    assert title in ax.get_title()
    labels = ax.get_xlabel() + " | " + ax.get_ylabel()
    for unit in units:
        assert unit in labels, f"{unit!r} not in axis labels {labels!r}"
    assert_inside(fig)


def assert_inside(fig: Figure) -> None:
    """Everything drawn (titles, labels, tick labels, colour bars) fits on the figure."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    drawn = fig.get_tightbbox(canvas.get_renderer())  # inches
    width, height = fig.get_size_inches()
    slack = 0.02
    assert drawn.x0 >= -slack and drawn.y0 >= -slack, f"cut off left or bottom: {drawn}"
    assert drawn.x1 <= width + slack and drawn.y1 <= height + slack, f"cut off: {drawn}"


def daily_forecast() -> pd.DataFrame:
    """Two query types over Mon 19 Oct - Sun 1 Nov 2026 (two full weeks, DST inside) plus
    Mon 2 Nov (a partial week). Contacts per day: 10 for 'payment', 20 for 'returns'."""
    days = local_days("2026-10-19", 15)
    rows = []
    for qt, level in (("payment", 10.0), ("returns", 20.0)):
        for day in days:
            rows.append({"unique_id": f"GB/{qt}/phone", "country": "GB", "query_type": qt,
                         "channel": "phone", "ds": day, "yhat": level,
                         "yhat_lower": level * 0.8, "yhat_upper": level * 1.3,
                         "model": "prophet"})
    return pd.DataFrame(rows)

"""Forecast charts: weekly contacts, the forecast band with events, one day's intervals."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from dashboard.charts_base import (
    color_map,
    day_hours,
    day_length_h,
    format_count_axis,
    format_date_axis,
    interval_minutes,
    is_empty,
    local_time_label,
    local_wall,
    new_figure,
    no_data_figure,
    require_columns,
    set_day_hour_axis,
)
from data.schema import DS, NAME, QUERY_TYPE

__all__ = ["MAX_EVENT_LABELS", "forecast_band", "intraday", "weekly_contacts"]

MAX_EVENT_LABELS = 15
"""At most this many event markers on a band chart; more would be unreadable."""

_LABEL_CHARS = 18


def weekly_contacts(forecast: pd.DataFrame) -> Figure:
    """Stacked bars of forecast contacts per week (starting Monday, local) by query type.

    `forecast` is the daily forecast frame (`ds` a local day, `yhat` contacts per day).
    Weeks the forecast covers only partly are marked with their number of days.
    """
    title = "Forecast contacts per week by query type"
    if is_empty(forecast):
        return no_data_figure(title)
    require_columns(forecast, (DS, QUERY_TYPE, "yhat"), "forecast")
    day = local_wall(forecast[DS]).dt.normalize()
    week = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    frame = pd.DataFrame({"week": week, "day": day, QUERY_TYPE: forecast[QUERY_TYPE].astype(str),
                          "yhat": forecast["yhat"].to_numpy()})
    table = frame.pivot_table(index="week", columns=QUERY_TYPE, values="yhat", aggfunc="sum",
                              fill_value=0.0).sort_index()
    days = frame.groupby("week")["day"].nunique().reindex(table.index)
    colors = color_map(table.columns)
    fig, ax = new_figure()
    x = mdates.date2num(table.index.to_pydatetime())
    bottom = np.zeros(len(table))
    for name in table.columns:
        values = table[name].to_numpy()
        ax.bar(x, values, width=5.5, bottom=bottom, label=name, color=colors[name])
        bottom += values
    for xi, total, n in zip(x, bottom, days, strict=True):
        if n < 7:
            ax.annotate(f"{n} d", (xi, total), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points", color="0.3")
    ax.xaxis_date()
    ax.set_xticks(x, [d.strftime("%d %b") for d in table.index], rotation=0 if len(x) <= 16
                  else 45, fontsize=8)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("week starting Monday (local date); 'n d' = partial week")
    ax.set_ylabel("contacts per week")
    format_count_axis(ax)
    ax.margins(y=0.1)
    ax.legend(title="query type", fontsize="small", loc="upper left",
              bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def forecast_band(forecast: pd.DataFrame, history: pd.DataFrame | None = None,
                  events: pd.DataFrame | None = None, title: str = "") -> Figure:
    """Daily contacts: actual history as a line, the forecast as a line in its shaded band.

    `forecast` has `ds`, `yhat`, `yhat_lower`, `yhat_upper` (contacts per day, one series or
    a total); `history` has `ds`, `y`; `events` has `name`, `ds` (days) and becomes dotted
    vertical markers with short labels, at most `MAX_EVENT_LABELS` (those in the forecast
    period first, then the latest ones before it).
    """
    title = title or "Daily contacts: history and forecast"
    has_history = not is_empty(history)
    if is_empty(forecast) and not has_history:
        return no_data_figure(title)
    fig, ax = new_figure()
    if has_history:
        require_columns(history, (DS, "y"), "history")
        hist = pd.DataFrame({"x": local_wall(history[DS]), "y": history["y"].to_numpy()})
        hist = hist.sort_values("x")
        (line,) = ax.plot(hist["x"].to_numpy(), hist["y"].to_numpy(), color="0.35",
                          linewidth=1.2, label="actual")
        line.set_gid("history")
    start = end = None
    if not is_empty(forecast):
        require_columns(forecast, (DS, "yhat", "yhat_lower", "yhat_upper"), "forecast")
        fc = forecast.assign(x=local_wall(forecast[DS]).to_numpy()).sort_values("x")
        x = fc["x"].to_numpy()
        band = ax.fill_between(x, fc["yhat_lower"].to_numpy(float),
                               fc["yhat_upper"].to_numpy(float), color="tab:blue", alpha=0.2,
                               linewidth=0, label="forecast band")
        band.set_gid("band")
        (line,) = ax.plot(x, fc["yhat"].to_numpy(float), color="tab:blue", linewidth=1.6,
                          label="forecast")
        line.set_gid("forecast")
        start, end = fc["x"].min(), fc["x"].max()
    _draw_events(ax, events, start, end)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("local date")
    ax.set_ylabel("contacts per day")
    format_date_axis(ax)
    format_count_axis(ax)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    return fig


def _draw_events(ax, events: pd.DataFrame | None, start, end) -> None:
    """Dotted vertical lines with rotated short names for the chosen events in view.

    Days are chosen in order of priority (inside the forecast period, then shared by more
    rows, i.e. countries, then earliest) and skipped when too close to a chosen one for
    their labels to stay apart.
    """
    if is_empty(events):
        return
    require_columns(events, (NAME, DS), "events")
    lo, hi = (mdates.num2date(v).replace(tzinfo=None) for v in ax.get_xlim())
    frame = pd.DataFrame({"day": local_wall(events[DS]).dt.normalize(),
                          NAME: events[NAME].astype(str)})
    frame = frame[(frame["day"] >= pd.Timestamp(lo).normalize()) & (frame["day"] <= hi)]
    if frame.empty:
        return
    days = frame.groupby("day")[NAME].agg(
        names=lambda s: " / ".join(dict.fromkeys(s.value_counts().index)), rows="size")
    inside = (days.index >= start.normalize()) & (days.index <= end) if start is not None \
        else np.zeros(len(days), bool)
    days["inside"] = inside
    order = days.sort_values(["inside", "rows"], ascending=False, kind="stable")
    shown = _spaced(order.index, lo, hi)
    transform = ax.get_xaxis_transform()
    for day in shown:
        marker = ax.axvline(day, color="tab:red", linestyle=":", linewidth=1, alpha=0.8)
        marker.set_gid("event")
        name = days.loc[day, "names"]
        short = name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1] + "…"
        ax.text(day, 0.98, f" {short}", rotation=90, va="top", ha="right", fontsize=7,
                color="tab:red", transform=transform, clip_on=True)
    if len(days) > len(shown):
        ax.text(1.0, 1.01, f"{len(days) - len(shown)} more event days not marked",
                ha="right", va="bottom", fontsize=7, color="0.4", transform=ax.transAxes)
    ax.set_xlim(lo, hi)


def _spaced(candidates: pd.Index, lo, hi, min_gap: float = 0.015) -> list[pd.Timestamp]:
    """Up to MAX_EVENT_LABELS days from `candidates` (best first), at least `min_gap` of
    the axis width apart."""
    gap = (pd.Timestamp(hi) - pd.Timestamp(lo)) * min_gap
    chosen: list[pd.Timestamp] = []
    for day in candidates:
        if all(abs(day - other) >= gap for other in chosen):
            chosen.append(day)
        if len(chosen) == MAX_EVENT_LABELS:
            break
    return chosen


def intraday(intervals: pd.DataFrame, day: dt.date, title: str = "") -> Figure:
    """Bars of forecast contacts per interval over one local day.

    `intervals` has `ds` (interval starts, tz-aware) and `yhat` (contacts per interval,
    already summed by the caller). The x axis is elapsed time since local midnight with
    wall-clock labels, so a 25-hour day (50 half-hours) shows every interval.
    """
    title = title or f"Contacts per interval on {day:%a %d %b %Y}"
    if is_empty(intervals):
        return no_data_figure(title)
    require_columns(intervals, (DS, "yhat"), "intervals")
    ds = intervals[DS]
    chosen = intervals[local_wall(ds).dt.date == day]
    if chosen.empty:
        return no_data_figure(title, f"no intervals on {day:%d %b %Y}")
    step = interval_minutes(ds)
    grouped = chosen.groupby(DS, sort=True)["yhat"].sum()
    hours, midnight = day_hours(pd.Series(grouped.index), day)
    span_h = day_length_h(midnight)
    fig, ax = new_figure()
    ax.bar(hours.to_numpy(), grouped.to_numpy(), width=step / 60 * 0.9, align="edge",
           color="tab:blue")
    set_day_hour_axis(ax, midnight, span_h)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel(local_time_label(ds, span_h))
    ax.set_ylabel(f"contacts per {step}-min interval")
    format_count_axis(ax)
    return fig

"""Staffing charts: requirement heatmap, service and occupancy, FTE plan, coverage, shifts."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from dashboard.charts_base import (
    day_hours,
    day_length_h,
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
from data.schema import AGENTS_NET, CONTACTS, DS, OCCUPANCY, QUEUE, SERVICE_LEVEL

__all__ = ["coverage", "fte_vs_headcount", "requirement_heatmap", "service_and_occupancy",
           "shift_counts"]

VALUE_LABELS = {
    "agents_gross": "gross agents (incl. shrinkage)",
    "agents_net": "net agents (answering contacts)",
    "contacts": "contacts per interval",
    "aht_s": "average handle time (s)",
    "asa_s": "average speed of answer (s)",
    "backlog": "backlog (contacts)",
}
RATE_LABELS = {
    "service_level": "service level (%)",
    "occupancy": "occupancy (%)",
    "abandon_rate": "abandon rate (%)",
}
"""Columns holding fractions in [0, 1]: drawn as percentages."""


def _value_label(value: str) -> str:
    return RATE_LABELS.get(value) or VALUE_LABELS.get(value) or value.replace("_", " ")


def requirement_heatmap(requirements: pd.DataFrame, queue: str,
                        value: str = "agents_gross") -> Figure:
    """Heatmap of one requirement column: rows local dates, columns local time of day.

    Cells are keyed by wall-clock time, so the repeated hour of the day clocks go back is
    folded into one cell (the larger value is kept) and the skipped hour of the day they go
    forward stays blank. Fractions (service level, occupancy) are shown in %.
    """
    label = _value_label(value)
    title = f"{queue}: {label.split(' (')[0]} per interval"
    rows = None if is_empty(requirements) else _queue_rows(requirements, queue, value)
    if is_empty(rows):
        return no_data_figure(title, f"no requirements for queue '{queue}'")
    wall = local_wall(rows[DS])
    date = wall.dt.normalize()
    minute = ((wall - date).dt.total_seconds() // 60).astype(int)
    step = interval_minutes(rows[DS])
    scale = 100.0 if value in RATE_LABELS else 1.0
    days = pd.date_range(date.min(), date.max(), freq="D")
    columns = np.union1d(np.arange(0, 1440, step), minute.to_numpy())
    grid = np.full((len(days), len(columns)), np.nan)
    # the larger value wins where two intervals share a wall-clock cell; NaN never does
    np.fmax.at(grid, ((date - date.min()).dt.days.to_numpy(),
                      np.searchsorted(columns, minute.to_numpy())),
               rows[value].astype(float).to_numpy() * scale)
    # fixed margins: the labels' widths are known ("Mon 05 Oct", "24:00"), and this chart
    # is redrawn on every scenario change
    fig, ax = new_figure((10.0, 5.0), margins=(0.105, 0.995, 0.1, 0.93))
    cmap = colormaps["RdYlGn" if value == SERVICE_LEVEL else "viridis"].with_extremes(
        bad="0.9")
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap,
                      interpolation="nearest", extent=(0, 24, len(grid), 0))
    fig.colorbar(image, ax=ax, label=label, pad=0.01)
    ax.set_xticks(range(0, 25, 2), [f"{h:02d}:00" for h in range(0, 25, 2)])
    every = 1 if len(days) <= 16 else 7
    picks = [i for i, d in enumerate(days) if every == 1 or d.day_of_week == 0]
    ax.set_yticks([i + 0.5 for i in picks], [days[i].strftime("%a %d %b") for i in picks],
                  fontsize=8)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel(f"local time of day ({step}-min intervals)")
    ax.set_ylabel("local date" + (" (Mondays labelled)" if every > 1 else ""))
    return fig


def _queue_rows(frame: pd.DataFrame, queue: str, *columns: str) -> pd.DataFrame:
    require_columns(frame, (QUEUE, DS, *columns), "requirements/coverage")
    return frame[frame[QUEUE] == queue]


def service_and_occupancy(requirements: pd.DataFrame, queue: str) -> Figure:
    """Per local day: contact-weighted service level and mean occupancy, both in %.

    Occupancy is averaged over staffed intervals (net agents > 0) so closed hours do not
    pull it down. A `target` column (fraction), when present, is drawn dashed (days whose
    target is NaN, such as backlog-model queues, have none).
    """
    title = f"{queue}: daily service level and occupancy"
    rows = (None if is_empty(requirements)
            else _queue_rows(requirements, queue, CONTACTS, SERVICE_LEVEL, OCCUPANCY))
    if is_empty(rows):
        return no_data_figure(title, f"no requirements for queue '{queue}'")
    frame = pd.DataFrame({"day": local_wall(rows[DS]).dt.normalize().to_numpy(),
                          "c": rows[CONTACTS].to_numpy(float),
                          "sl": rows[SERVICE_LEVEL].to_numpy(float),
                          "occ": rows[OCCUPANCY].to_numpy(float)})
    staffed = rows[AGENTS_NET].to_numpy() > 0 if AGENTS_NET in rows else np.ones(len(rows), bool)
    answered = frame[frame["sl"].notna() & (frame["c"] > 0)]
    weighted = (answered["sl"] * answered["c"]).groupby(answered["day"]).sum()
    service = weighted / answered.groupby("day")["c"].sum() * 100
    occupancy = frame[staffed].groupby("day")["occ"].mean() * 100
    fig, ax = new_figure()
    ax.plot(service.index, service.to_numpy(), color="tab:green", marker=".",
            label="service level (weighted by contacts)")
    ax.plot(occupancy.index, occupancy.to_numpy(), color="tab:purple", marker=".",
            label="occupancy (mean of staffed intervals)")
    target = (rows["target"].astype(float).groupby(frame["day"].to_numpy()).mean().dropna()
              * 100 if "target" in rows else pd.Series(dtype=float))
    if len(target):
        ax.plot(target.index, target.to_numpy(), color="tab:green", linestyle="--",
                linewidth=1, label="service level target")
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("local date")
    ax.set_ylabel("% of contacts / of agent time")
    ax.set_ylim(0, 105)
    format_date_axis(ax)
    ax.legend(fontsize="small", loc="lower left", frameon=False)
    return fig


_CAPACITY_SUMS = ("fte_needed", "fte_without_hires", "fte_with_hires", "hires_starting")
_CAPACITY_RISKS = ("at_risk_without_hires", "at_risk_with_hires")


def fte_vs_headcount(capacity: pd.DataFrame, queue: str | None = None) -> Figure:
    """Weekly FTE needed (bars) against FTE on hand without and with hires (lines).

    `queue=None` sums every queue; a week counts as at risk when any queue is short
    (agents of one language cannot cover another). Shading: red = short even with the
    hires, orange = short only without them. '+n' marks weeks new hires start.
    """
    title = f"{queue or 'All queues'}: FTE needed vs on hand per week"
    if not is_empty(capacity):
        needed = ("week", *_CAPACITY_SUMS, *_CAPACITY_RISKS) + ((QUEUE,) if queue else ())
        require_columns(capacity, needed, "capacity")
        capacity = capacity if queue is None else capacity[capacity[QUEUE] == queue]
    if is_empty(capacity):
        return no_data_figure(title, "no capacity plan" + (f" for '{queue}'" if queue else ""))
    weeks = capacity.assign(week=local_wall(capacity["week"]).to_numpy()).groupby("week")
    table = weeks[list(_CAPACITY_SUMS)].sum().join(weeks[list(_CAPACITY_RISKS)].any())
    x = mdates.date2num(table.index.to_pydatetime())
    fig, ax = new_figure()
    for xi, bad_with, bad_without in zip(x, table["at_risk_with_hires"],
                                         table["at_risk_without_hires"], strict=True):
        if bad_with or bad_without:
            span = ax.axvspan(xi - 3.5, xi + 3.5, color="tab:red" if bad_with else "tab:orange",
                              alpha=0.12, linewidth=0)
            span.set_gid("at_risk")
    ax.bar(x, table["fte_needed"], width=5, color="0.6", label="FTE needed")
    ax.plot(x, table["fte_without_hires"], color="tab:orange", marker="o", markersize=3,
            label="on hand, no new hires")
    ax.plot(x, table["fte_with_hires"], color="tab:blue", marker="o", markersize=3,
            label="on hand, with hires")
    for xi, n, y in zip(x, table["hires_starting"], table["fte_with_hires"], strict=True):
        if n > 0:
            ax.annotate(f"+{n:.0f}", (xi, y), xytext=(0, 5), textcoords="offset points",
                        ha="center", fontsize=8, color="tab:blue")
    ax.set_xlim(x.min() - 4, x.max() + 4)
    ax.set_xticks(x, [d.strftime("%d %b") for d in table.index], fontsize=8,
                  rotation=0 if len(x) <= 16 else 45)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("week starting Monday; +n = new hires starting")
    ax.set_ylabel("FTE (full-time equivalents)")
    handles, labels = ax.get_legend_handles_labels()
    for flag, color, text in (("at_risk_with_hires", "tab:red", "short even with hires"),
                              ("at_risk_without_hires", "tab:orange", "short without hires")):
        if table[flag].any():
            handles.append(Patch(color=color, alpha=0.12))
            labels.append(text)
    ax.legend(handles, labels, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False)
    return fig


def coverage(coverage: pd.DataFrame, queue: str, day: dt.date | None = None,
             daily: str = "hours") -> Figure:
    """Required vs scheduled agents as step lines, shortfalls shaded red.

    Without `day`: one step per local day, in agent-hours (`daily="hours"`) or as the
    day's peak agents (`daily="max"`); days with any short interval are shaded. With
    `day`: every interval of that local day, short intervals shaded.
    """
    where = "" if day is None else f" on {day:%a %d %b %Y}"
    title = f"{queue}: required vs scheduled agents{where}"
    rows = (None if is_empty(coverage)
            else _queue_rows(coverage, queue, "required", "scheduled"))
    if is_empty(rows):
        return no_data_figure(title, f"no coverage for queue '{queue}'")
    step = interval_minutes(rows[DS])
    if day is not None:
        return _coverage_day(rows, day, step, title)
    frame = pd.DataFrame({"day": local_wall(rows[DS]).dt.normalize().to_numpy(),
                          "required": rows["required"].to_numpy(float),
                          "scheduled": rows["scheduled"].to_numpy(float)})
    frame["short"] = frame["scheduled"] < frame["required"] - 1e-9
    per_day = frame.groupby("day")
    if daily == "max":
        table, unit = per_day[["required", "scheduled"]].max(), "peak agents per day"
    else:
        table = per_day[["required", "scheduled"]].sum() * step / 60
        unit = "agent-hours per day"
    short = per_day["short"].any()
    starts = mdates.date2num(table.index.to_pydatetime())
    edges = np.append(starts, starts[-1] + 1.0)
    fig, ax = new_figure()
    _short_spans(ax, edges[:-1][short.to_numpy()], 1.0, "day with a short interval")
    _steps(ax, edges, table)
    ax.xaxis_date()
    format_date_axis(ax)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("local date")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    return fig


def _coverage_day(rows: pd.DataFrame, day: dt.date, step: int, title: str) -> Figure:
    chosen = rows[local_wall(rows[DS]).dt.date == day].sort_values(DS)
    if chosen.empty:
        return no_data_figure(title, f"no intervals on {day:%d %b %Y}")
    hours, midnight = day_hours(chosen[DS].reset_index(drop=True), day)
    width = step / 60
    edges = np.append(hours.to_numpy(), hours.iloc[-1] + width)
    table = chosen[["required", "scheduled"]].astype(float).reset_index(drop=True)
    short = (table["scheduled"] < table["required"] - 1e-9).to_numpy()
    fig, ax = new_figure()
    _short_spans(ax, hours.to_numpy()[short], width, "short interval")
    _steps(ax, edges, table)
    span_h = day_length_h(midnight)
    set_day_hour_axis(ax, midnight, span_h)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel(local_time_label(rows[DS], span_h))
    ax.set_ylabel(f"agents per {step}-min interval")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left", frameon=False)
    return fig


def _steps(ax, edges: np.ndarray, table: pd.DataFrame) -> None:
    """Step lines of required and scheduled over `edges` (one more edge than rows)."""
    for column, color, style in (("required", "black", "-"), ("scheduled", "tab:blue", "-")):
        values = np.append(table[column].to_numpy(float), table[column].iloc[-1])
        (line,) = ax.step(edges, values, where="post", color=color, linestyle=style,
                          linewidth=1.4 if column == "required" else 1.8, label=column)
        line.set_gid(column)


def _short_spans(ax, starts: np.ndarray, width: float, label: str) -> None:
    for i, start in enumerate(starts):
        span = ax.axvspan(start, start + width, color="tab:red", alpha=0.2, linewidth=0,
                          label=label if i == 0 else "_nolegend_")
        span.set_gid("short")


def shift_counts(shifts: pd.DataFrame, queue: str | None = None) -> Figure:
    """Stacked bars per local day of agents on shifts, by shift length (hours).

    `queue=None` counts every queue in the frame.
    """
    title = f"{queue or 'All queues'}: agents on shift per day by shift length"
    if not is_empty(shifts):
        needed = ("day", "length_h", "agents") + ((QUEUE,) if queue else ())
        require_columns(shifts, needed, "shifts")
        shifts = shifts if queue is None else shifts[shifts[QUEUE] == queue]
    if is_empty(shifts):
        return no_data_figure(title, "no shifts" + (f" for '{queue}'" if queue else ""))
    frame = pd.DataFrame({"day": local_wall(shifts["day"]).dt.normalize().to_numpy(),
                          "length": shifts["length_h"].to_numpy(float),
                          "agents": shifts["agents"].to_numpy(float)})
    table = frame.pivot_table(index="day", columns="length", values="agents", aggfunc="sum",
                              fill_value=0.0).sort_index()
    x = mdates.date2num(table.index.to_pydatetime())
    cmap = colormaps["viridis"]
    fig, ax = new_figure()
    bottom = np.zeros(len(table))
    for i, length in enumerate(table.columns):
        values = table[length].to_numpy()
        ax.bar(x, values, width=0.8, bottom=bottom, label=f"{length:g} h",
               color=cmap(0.15 + 0.7 * i / max(len(table.columns) - 1, 1)))
        bottom += values
    if len(x) <= 31:
        for xi, total in zip(x, bottom, strict=True):
            ax.annotate(f"{total:.0f}", (xi, total), xytext=(0, 2), textcoords="offset points",
                        ha="center", fontsize=8)
    ax.xaxis_date()
    if len(x) <= 14:
        ax.set_xticks(x, [d.strftime("%a %d %b") for d in table.index], fontsize=8)
    else:
        format_date_axis(ax)
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("local date")
    ax.set_ylabel("agents (one per shift)")
    ax.margins(y=0.1)
    ax.legend(title="shift length", fontsize="small", loc="upper left",
              bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig

"""Short text summaries of each stage's outcome for the command line."""

from __future__ import annotations

import pandas as pd

from data import local_day
from peakplan.stages import BacktestOutcome, ForecastOutcome, RosterOutcome, StaffOutcome
from staffing import Schedule

__all__ = ["backtest_summary", "forecast_summary", "roster_summary", "schedule_summary",
           "staff_summary"]


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


def staff_summary(outcome: StaffOutcome) -> str:
    """Volume steps, the peak need per queue, service and occupancy, hiring, notes."""
    lines = ["contacts: " + "; ".join(
        f"{row.step} {row.contacts:,.0f}" + (f" ({row.change:+,.0f})" if row.change else "")
        for row in outcome.steps.itertuples())]
    frame = outcome.requirements
    if len(frame):
        weight = frame["contacts"].where(frame["service_level"].notna(), 0.0)
        per_queue = frame.assign(_w=weight, _sl=frame["service_level"].fillna(0) * weight)
        table = per_queue.groupby("queue", sort=True).agg(
            model=("model", "first"), contacts=("contacts", "sum"),
            peak_net=("agents_net", "max"), peak_gross=("agents_gross", "max"),
            w=("_w", "sum"), sl=("_sl", "sum"), occupancy=("occupancy", "mean"))
        lines.append(f"{'queue':<14}{'model':<10}{'contacts':>10}{'peak agents':>13}"
                     f"{'scheduled':>11}{'service':>9}{'occupancy':>11}")
        for name, row in table.iterrows():
            service = row.sl / row.w if row.w else float("nan")
            lines.append(f"{name:<14}{row.model:<10}{row.contacts:>10,.0f}{row.peak_net:>13,.0f}"
                         f"{row.peak_gross:>11,.1f}{service:>9.1%}{row.occupancy:>11.1%}")
    if outcome.hiring is not None:
        for row in outcome.hiring.itertuples():
            lines.append(f"hiring {row.queue}: {row.hires} hires"
                         + (f" from the week of {pd.Timestamp(row.first_start_week).date()}"
                            if row.hires else "")
                         + f"; weeks at risk {row.weeks_at_risk_without} without, "
                         f"{row.weeks_at_risk_with} with them")
    lines += [f"note: {note}" for note in outcome.notes]
    return "\n".join(lines)


def schedule_summary(result: Schedule) -> str:
    """Per queue: weeks, shifts, cost, the gap of its total and of its worst week to the
    proven bounds, the statuses; then the shortfall."""
    lines = [f"{'queue':<14}{'weeks':>6}{'shifts':>8}{'cost':>12}{'gap':>8}{'worst':>8}  status"]
    for queue, solves in result.solves.groupby("queue", sort=True):
        objective, bound = solves["objective"].sum(), solves["bound"].sum()
        gap = (objective - bound) / objective if objective else 0.0
        statuses = ", ".join(f"{n} {k}" for k, n in solves["status"].value_counts().items())
        lines.append(f"{queue:<14}{len(solves):>6}{int(solves['shifts'].sum()):>8}"
                     f"{objective:>12,.0f}{gap:>8.2%}{solves['gap'].max():>8.2%}  {statuses}")
    short = result.shortfall
    if len(short):
        worst = short.sort_values("agents_short", ascending=False).iloc[0]
        lines.append(f"short of the requirement in {len(short)} intervals, worst "
                     f"{worst['agents_short']:g} agents at {worst['ds']} ({worst['queue']})")
    else:
        lines.append("every interval covered")
    return "\n".join(lines)


def roster_summary(outcome: RosterOutcome, *, listed: bool = True) -> str:
    """Shifts and agents rostered, the export files (when `listed`), and the notes."""
    assignments = outcome.result.assignments
    files = sorted(outcome.files)
    calendars = sum(name.startswith("ics/") for name in files)
    shown = [name for name in files if not name.startswith("ics/")]
    shown += [f"{calendars} calendars in ics/"] if calendars else []
    lines = [f"rostered {len(assignments):,} shifts for "
             f"{assignments['agent_id'].nunique():,} agents"
             + (f"; exports: {', '.join(shown)}" if shown and listed else "")]
    lines += [f"note: {note}" for note in outcome.notes]
    return "\n".join(lines)

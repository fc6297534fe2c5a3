"""Forecast: one series or a total, its band, history and events, a day's intervals,
backtest accuracy and the model chosen for each series."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, display, state
from data import PlannerError, holiday_calendar, local_day
from forecast import GUARD_PREFIX

ALL = "All"
KEYS = ("country", "query_type", "channel")
LABELS = {"country": "Country", "query_type": "Query type", "channel": "Channel"}
SHARES = ("wape", "mape", "bias", "peak_error", "coverage", "poisson_wape_floor")

config, run = state.run_page("Forecast")
path = str(run.path)
settings = state.run_config(run, config)


def pick(daily: pd.DataFrame) -> dict[str, str]:
    """Country, query type and channel (or All for the total of them)."""
    columns = st.columns(3)
    return {key: column.selectbox(LABELS[key], [ALL, *sorted(daily[key].unique())],
                                  key=f"forecast_{key}")
            for key, column in zip(KEYS, columns, strict=True)}


def chosen(frame: pd.DataFrame, picked: dict[str, str]) -> pd.DataFrame:
    """The rows of the picked series."""
    keep = pd.Series(True, index=frame.index)
    for key, value in picked.items():
        if value != ALL:
            keep &= frame[key] == value
    return frame[keep]


def total(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The picked rows added up per timestamp."""
    return frame.groupby("ds", sort=True)[columns].sum().reset_index()


def title(picked: dict[str, str]) -> str:
    names = {"country": "all countries", "query_type": "all query types",
             "channel": "all channels"}
    parts = [picked[k] if picked[k] != ALL else names[k] for k in KEYS]
    return " · ".join(parts)


def markers(picked: dict[str, str], countries: list[str], years: list[int]) -> pd.DataFrame:
    """Holidays and events to mark: every kind for one country, retail and the shop's
    own events for several."""
    try:
        events = state.inputs(settings).events
    except PlannerError:
        events = None
    wanted = countries if picked["country"] == ALL else [picked["country"]]
    calendar = holiday_calendar(wanted, years, events=events)
    if picked["country"] == ALL:
        calendar = calendar[calendar["kind"] != "national"]
    return calendar.drop_duplicates(["name", "ds"])[["name", "ds"]]


def band(daily: pd.DataFrame, picked: dict[str, str], heading: str) -> None:
    """History, forecast and band with holidays and events marked."""
    forecast = total(chosen(daily, picked), ["yhat", "yhat_lower", "yhat_upper"])
    with st.expander("Chart options"):
        days = st.select_slider("History shown before the season (days)",
                                [0, 90, 182, 365, 730], value=365, key="forecast_history")
    history = None
    start = local_day(forecast["ds"]).min()
    if days:
        try:
            past = chosen(state.daily_history(settings), picked)
        except PlannerError as exc:
            st.warning(f"The history cannot be shown: {exc}")
        else:
            past = total(past, ["y"])
            history = past[local_day(past["ds"]) >= start - pd.Timedelta(days=days)]
    first = start if history is None or history.empty else local_day(history["ds"]).min()
    years = list(range(first.year, local_day(forecast["ds"]).max().year + 1))
    events = markers(picked, sorted(daily["country"].unique()), years)
    events = events[events["ds"] >= first]
    display.show(charts.forecast_band(forecast, history, events, title=heading),
               download="forecast.png")
    st.caption("The band of a total adds up the bands of its series (wider than the true "
               "band of the total).")


def zoom(daily: pd.DataFrame, picked: dict[str, str], heading: str) -> None:
    """One day's intervals of the picked series."""
    st.subheader("A day's intervals")
    if not state.need(run, "interval_forecast", what="the history was daily"):
        return
    per_day = total(chosen(daily, picked), ["yhat"])
    days = local_day(per_day["ds"])
    peak = days[per_day["yhat"].idxmax()].date()
    day = st.date_input("Day", value=peak, min_value=days.min().date(),
                        max_value=days.max().date(), key="forecast_day",
                        help="The busiest day of the series is shown first.")
    intervals = state.artifact(path, "interval_forecast")
    wanted = intervals[local_day(intervals["ds"]).dt.date == day]
    display.show(charts.intraday(total(chosen(wanted, picked), ["yhat"]), day,
                               title=f"{heading}: contacts per interval on {day:%a %d %b %Y}"))


def accuracy(picked: dict[str, str]) -> None:
    """Backtest WAPE of the models against the baselines, at the level picked."""
    st.subheader("Backtest accuracy")
    if not state.need(run, "metrics", what="the run was forecast without a backtest "
                      "(forecast.model other than auto)"):
        return
    metrics = state.artifact(path, "metrics")
    specific = {k: v for k, v in picked.items() if v != ALL}
    if len(specific) == 3:
        level, key = "series", "/".join(picked[k] for k in KEYS)
    elif len(specific) == 1:
        level, key = next(iter(specific.items()))
    else:
        level, key = "overall", None
        if specific:
            st.caption("Backtests are kept per series, country, query type and channel: "
                       "the overall accuracy is shown.")
    display.show(charts.backtest_accuracy(metrics, level=level, key=key))
    rows = metrics[(metrics["level"] == level) & (metrics["window"] == "all")]
    rows = rows if key is None else rows[rows["key"] == key]
    shares = [c for c in SHARES if c in rows]
    shown = rows.drop(columns=["level", "window"]).sort_values("wape")
    shown[shares] = shown[shares] * 100
    display.table(shown.rename(columns={c: f"{c} (%)" for c in shares}), digits=1)
    oracle = ("; prophet_oracle_traffic knows the real web sessions: it shows what a "
              "perfect traffic plan is worth" if "prophet_oracle_traffic" in set(rows["model"])
              else "")
    st.caption(f"All backtest windows together{oracle}.")


def choices(picked: dict[str, str]) -> None:
    """Which model each series got, and why."""
    st.subheader("Model chosen and why")
    if not state.need(run, "choices"):
        return
    table = state.artifact(path, "choices")
    parts = table["unique_id"].str.split("/", expand=True)
    keep = pd.Series(True, index=table.index)
    for position, key in enumerate(KEYS):
        if picked[key] != ALL and position in parts:
            keep &= parts[position] == picked[key]
    table = table[keep]
    counts = table["model"].value_counts()
    st.write(", ".join(f"**{model}** for {n} series" for model, n in counts.items())
             or "No series match.")
    display.table(table)


MAX_WARNINGS = 10
"""Guard-rail warnings shown one by one; more are counted."""


def guard_warnings() -> None:
    """The forecast's guard-rail warnings (a season total far from last year's same season
    or from every simple baseline), one box per series: from `choices` where it has them,
    else from the run's notes."""
    found: list[str] = []
    if "choices" in run.artifacts():
        table = state.artifact(path, "choices")
        if "check" in table:
            found = list(dict.fromkeys(c for c in table["check"] if isinstance(c, str) and c))
    if not found:
        found = [n for n in run.manifest.get("notes", []) if n.startswith(GUARD_PREFIX)]
    for message in found[:MAX_WARNINGS]:
        st.warning(message[0].upper() + message[1:])
    if len(found) > MAX_WARNINGS:
        st.warning(f"{len(found) - MAX_WARNINGS} more series have an implausible season "
                   "total: see the `check` column of the table of models below.")


with display.errors():
    if state.need(run, "forecast", what="make one with `peakplan run`"):
        guard_warnings()
        daily = state.artifact(path, "forecast")
        picked = pick(daily)
        heading = title(picked)
        st.subheader(f"Daily contacts: {heading}")
        band(daily, picked, heading)
        zoom(daily, picked, heading)
        accuracy(picked)
        choices(picked)

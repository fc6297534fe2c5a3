"""Season review: what really came against what was forecast, by query type, channel,
country and day; what rose and what fell."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import data
from dashboard import charts, display, state, uploads
from data import PlannerError
from forecast import evaluate
from peakplan import config_toml, write_run

KEYS = ["country", "query_type", "channel"]
UPLOAD, BACKTEST, HISTORY = ("Upload actuals", "The run's backtest",
                             "The config's contact history")
BY = {"query_type": "Query type", "channel": "Channel", "country": "Country", "day": "Day"}

config, run = state.run_page("Season review")
path = str(run.path)
settings = state.run_config(run, config)


def days(ds: pd.Series) -> pd.Series:
    """Local days as naive midnights (tz-aware or naive input)."""
    ds = pd.to_datetime(ds)
    return data.local_day(ds) if isinstance(ds.dtype, pd.DatetimeTZDtype) else ds.dt.normalize()


@st.cache_data(show_spinner="Reading the actual contacts...", max_entries=4)
def parsed(content: bytes, name: str, timezone: str) -> pd.DataFrame:
    """An uploaded history as daily actuals (ds, country, query_type, channel, y)."""
    frame = uploads.read_upload(content, name, "actuals", timezone=timezone, allow_gaps=True)
    return data.to_daily(frame).rename(columns={"contacts": "y"})


def from_upload() -> pd.DataFrame | None:
    upload = uploads.upload_widget("actuals", "Actual contacts of the finished season",
                                 help="CSV, Excel or Parquet in the contact history format "
                                 "(ds, contacts and optionally country, query_type, "
                                 "channel); read by the same checks as the history")
    if upload is None:
        st.info("Upload the season's actual contacts to compare them with the forecast.")
        return None
    return parsed(upload[1], upload[0], settings.season.timezone)


def from_backtest() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actuals and predictions of one backtest window and model of the run."""
    table = state.artifact(path, "backtest")
    left, right = st.columns(2)
    window = left.selectbox("Backtest window", sorted(table["window"].unique()),
                            key="review_window")
    model = right.selectbox("Model", sorted(table["model"].unique()), key="review_model")
    rows = table[(table["window"] == window) & (table["model"] == model)].dropna(
        subset=["actual"])
    parts = rows["unique_id"].str.split("/", expand=True)
    keys = pd.DataFrame({k: parts[i] for i, k in enumerate(KEYS)}, index=rows.index)
    ds = rows["day"] if "day" in rows else rows["ds"]
    frame = pd.concat([keys, rows[["yhat", "yhat_lower", "yhat_upper", "actual"]]],
                      axis=1).assign(ds=ds)
    return frame.rename(columns={"actual": "y"}), frame


def comparable(actual: pd.DataFrame, forecast: pd.DataFrame
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames on the days they share, ds as local days."""
    actual = actual.assign(ds=days(actual["ds"]))
    forecast = forecast.assign(ds=days(forecast["ds"]))
    common = set(actual["ds"]) & set(forecast["ds"])
    return actual[actual["ds"].isin(common)], forecast[forecast["ds"].isin(common)]


def table(actual: pd.DataFrame, forecast: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Actual against forecast contacts per group: difference and change in %."""
    out = pd.concat([actual.groupby(by)["y"].sum().rename("actual"),
                     forecast.groupby(by)["yhat"].sum().rename("forecast")], axis=1)
    out = out.fillna(0.0)
    out["difference"] = out["actual"] - out["forecast"]
    out["change_vs_forecast"] = out["actual"] / out["forecast"].where(out["forecast"] > 0) - 1
    return out.reset_index().sort_values("change_vs_forecast", ascending=False)


def review(actual: pd.DataFrame, forecast: pd.DataFrame) -> None:
    shared, forecast_shared = comparable(actual, forecast)
    if shared.empty:
        first = days(forecast["ds"]).min() if len(forecast) else None
        st.warning("The actual contacts and the forecast share no day: the actuals must "
                   "cover days of the forecast"
                   + (f" ({first:%d %b %Y} to {days(forecast['ds']).max():%d %b %Y})."
                      if first is not None else "."))
        return
    actual, forecast = shared, forecast_shared
    merged = forecast.merge(actual[["ds", *KEYS, "y"]], on=["ds", *KEYS], how="outer")
    merged[["y", "yhat"]] = merged[["y", "yhat"]].fillna(0.0)
    scores = evaluate(merged["y"], merged["yhat"])
    columns = st.columns(4)
    columns[0].metric("Actual contacts", f"{merged['y'].sum():,.0f}")
    columns[1].metric("Forecast contacts", f"{merged['yhat'].sum():,.0f}")
    columns[2].metric("WAPE (series by day)", f"{scores['wape']:.1%}")
    columns[3].metric("Bias", f"{scores['bias']:+.1%}", help="+ forecast above the actuals")
    by = st.radio("Error by", list(BY), format_func=BY.get, horizontal=True, key="review_by")
    if by == "day":
        per_day = forecast.groupby("ds")[["yhat", "yhat_lower", "yhat_upper"]].sum()
        display.show(charts.forecast_band(per_day.reset_index(),
                                        actual.groupby("ds")["y"].sum().reset_index(),
                                        title="Actual (line) against the forecast per day"))
        display.table(table(actual, forecast, ["ds"]).sort_values("ds"))
    else:
        display.show(charts.season_review(actual, forecast, by=by))
        display.table(table(actual, forecast, [by]))
    st.subheader("What rose and what fell")
    series = table(actual, forecast, KEYS)
    series = series[series["forecast"] > 0]
    left, right = st.columns(2)
    left.markdown("**Rose** (more than forecast)")
    with left:
        display.table(series.head(5))
    right.markdown("**Fell** (fewer than forecast)")
    with right:
        display.table(series.tail(5).iloc[::-1])
    if st.button("Save this review as a run", key="review_save"):
        saved = write_run(settings.runs.root, f"{settings.season.name}-review",
                          config_text=config_toml(settings),
                          artifacts={"review": merged, "review_series": series},
                          inputs={}, timings_s={}, extra={"source_run": run.name})
        st.success(f"Saved the review as run `{saved.name}`.")


with display.errors():
    if state.need(run, "forecast", what="make a forecast with `peakplan run`"):
        forecast = state.artifact(path, "forecast")
        options = [UPLOAD] + ([BACKTEST] if "backtest" in run.artifacts() else []) + [HISTORY]
        source = st.radio("Actual contacts from", options, horizontal=True,
                          key="review_source")
        actual = None
        if source == UPLOAD:
            actual = from_upload()
        elif source == BACKTEST:
            actual, forecast = from_backtest()
        else:
            try:
                actual = state.daily_history(settings)
            except PlannerError as exc:
                st.error(str(exc))
        if actual is not None:
            review(actual, forecast)

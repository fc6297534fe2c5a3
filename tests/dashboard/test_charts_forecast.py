"""Forecast charts (`weekly_contacts`, `forecast_band`, `intraday`): titles, units, what is
drawn, DST days and empty inputs. Frames are small and built by hand in Europe/Amsterdam
time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from chart_reading import (
    FALL_BACK,
    SPRING_FORWARD,
    TZ,
    assert_readable,
    bars,
    daily_forecast,
    day_intervals,
    gid,
    local_days,
    main_axes,
    texts,
)
from matplotlib.collections import PolyCollection

from dashboard import charts


def band_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    fc_days = local_days("2026-10-20", 10)
    forecast = pd.DataFrame({"ds": fc_days, "yhat": np.arange(10) * 10.0 + 100,
                             "yhat_lower": np.arange(10) * 10.0 + 80,
                             "yhat_upper": np.arange(10) * 10.0 + 130})
    history = pd.DataFrame({"ds": local_days("2026-10-06", 14), "y": np.full(14, 90.0)})
    return forecast, history


# --- weekly_contacts -----------------------------------------------------------------------

def test_weekly_contacts_stacks_query_types_per_monday_week() -> None:
    fig = charts.weekly_contacts(daily_forecast())
    assert_readable(fig, "per week", "contacts per week", "Monday")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 3 * 2  # three weeks (the last partial) x two query types
    heights = sorted(round(r.get_height(), 6) for r in rects)
    assert heights == [10.0, 20.0, 70.0, 70.0, 140.0, 140.0]
    assert "1 d" in texts(fig)  # the partial week says how many days it holds
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["payment", "returns"]


def test_weekly_contacts_stacks_on_top_of_each_other() -> None:
    ax = main_axes(charts.weekly_contacts(daily_forecast()))
    returns = [r for r in bars(ax) if r.get_height() in (140.0, 20.0)]
    assert all(r.get_y() == pytest.approx(r.get_height() / 2) for r in returns)


# --- forecast_band -------------------------------------------------------------------------

def test_forecast_band_draws_inputs_in_local_time() -> None:
    forecast, history = band_frames()
    fig = charts.forecast_band(forecast, history, title="GB phone")
    assert_readable(fig, "GB phone", "contacts per day", "local date")
    ax = main_axes(fig)
    (line,) = gid(ax, "forecast")
    np.testing.assert_allclose(line.get_ydata(), forecast["yhat"])
    first_x = pd.Timestamp(line.get_xdata()[0])
    assert first_x == pd.Timestamp("2026-10-20 00:00")  # local midnight, not 22:00 UTC
    (hist,) = gid(ax, "history")
    np.testing.assert_allclose(hist.get_ydata(), history["y"])
    (band,) = gid(ax, "band")
    assert isinstance(band, PolyCollection)
    ys = band.get_paths()[0].vertices[:, 1]
    assert set(forecast["yhat_lower"]) <= set(ys) and set(forecast["yhat_upper"]) <= set(ys)
    assert ys.min() == forecast["yhat_lower"].min() and ys.max() == forecast["yhat_upper"].max()


def test_forecast_band_marks_events_in_view_whatever_their_date_type() -> None:
    forecast, history = band_frames()
    events = pd.DataFrame({"name": ["Autumn Sale", "Clocks Back Day", "Far Future Fair",
                                    "Singles' Day in a very long name"],
                           "ds": [dt.date(2026, 10, 22), pd.Timestamp("2026-10-25", tz=TZ),
                                  "2027-06-01", pd.Timestamp("2026-10-10")]})
    fig = charts.forecast_band(forecast, history, events)
    ax = main_axes(fig)
    markers = gid(ax, "event")
    assert len(markers) == 3  # the June 2027 event is outside the chart
    xs = sorted(pd.Timestamp(m.get_xdata()[0]).date() for m in markers)
    assert xs == [dt.date(2026, 10, 10), dt.date(2026, 10, 22), dt.date(2026, 10, 25)]
    label_text = texts(fig)
    assert "Autumn Sale" in label_text and "Far Future" not in label_text
    assert "Singles' Day in a…" in label_text  # long names are shortened


def test_forecast_band_caps_event_markers() -> None:
    forecast = pd.DataFrame({"ds": local_days("2026-10-01", 92), "yhat": 100.0,
                             "yhat_lower": 90.0, "yhat_upper": 110.0})
    events = pd.DataFrame({"name": [f"event {i}" for i in range(40)],
                           "ds": pd.date_range("2026-10-02", periods=40, freq="2D")})
    fig = charts.forecast_band(forecast, events=events)
    assert len(gid(main_axes(fig), "event")) == charts.MAX_EVENT_LABELS
    assert "25 more event days not marked" in texts(fig)


def test_forecast_band_without_data_says_so() -> None:
    empty = pd.DataFrame(columns=["ds", "yhat", "yhat_lower", "yhat_upper"])
    fig = charts.forecast_band(empty, None, title="Nothing")
    assert charts.NO_DATA in texts(fig) and main_axes(fig).get_title() == "Nothing"


def test_forecast_band_with_history_only_draws_the_history() -> None:
    _, history = band_frames()
    ax = main_axes(charts.forecast_band(pd.DataFrame(), history))
    assert len(gid(ax, "history")) == 1 and not gid(ax, "forecast")


# --- intraday ------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "count", "note"), [
    (dt.date(2026, 10, 24), 48, ""),
    (FALL_BACK, 50, "25-hour day"),
    (SPRING_FORWARD, 46, "23-hour day"),
])
def test_intraday_shows_every_interval_of_the_local_day(day, count, note) -> None:
    ds = day_intervals(day - dt.timedelta(days=1)).append(day_intervals(day))
    intervals = pd.DataFrame({"ds": ds, "yhat": np.arange(len(ds), dtype=float)})
    fig = charts.intraday(intervals, day)
    assert_readable(fig, f"{day:%d %b %Y}", "contacts per 30-min interval", "local time")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == count
    expected = intervals.loc[intervals["ds"].dt.date == day, "yhat"].to_numpy()
    np.testing.assert_allclose([r.get_height() for r in rects], expected)
    assert note in ax.get_xlabel()
    assert ax.get_xlim()[1] == pytest.approx(count / 2)  # hours in that day
    assert ax.get_xticklabels()[0].get_text() == "00:00"


def test_intraday_sums_rows_of_the_same_interval() -> None:
    ds = day_intervals(FALL_BACK)
    intervals = pd.DataFrame({"ds": ds.append(ds), "yhat": 1.0})
    heights = {r.get_height() for r in bars(main_axes(charts.intraday(intervals, FALL_BACK)))}
    assert heights == {2.0}


def test_intraday_day_without_rows_says_so() -> None:
    intervals = pd.DataFrame({"ds": day_intervals(FALL_BACK), "yhat": 1.0})
    fig = charts.intraday(intervals, dt.date(2026, 12, 1))
    assert charts.NO_DATA in texts(fig) and "01 Dec 2026" in texts(fig)

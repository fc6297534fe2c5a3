"""Chart builders: titles, units, what is drawn (read back from the artists), DST days and
empty inputs. Frames are small and built by hand in Europe/Amsterdam time."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from dashboard import charts

TZ = "Europe/Amsterdam"
FALL_BACK = dt.date(2026, 10, 25)  # 25 hours: 50 half-hour intervals
SPRING_FORWARD = dt.date(2026, 3, 29)  # 23 hours: 46 half-hour intervals
REPO = Path(__file__).resolve().parents[2]


# --- helpers -------------------------------------------------------------------------------

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


# --- frames --------------------------------------------------------------------------------

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


def band_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    fc_days = local_days("2026-10-20", 10)
    forecast = pd.DataFrame({"ds": fc_days, "yhat": np.arange(10) * 10.0 + 100,
                             "yhat_lower": np.arange(10) * 10.0 + 80,
                             "yhat_upper": np.arange(10) * 10.0 + 130})
    history = pd.DataFrame({"ds": local_days("2026-10-06", 14), "y": np.full(14, 90.0)})
    return forecast, history


def requirements_frame(days: list[dt.date]) -> pd.DataFrame:
    """Two queues; agents_gross = interval number in the day + 1, so the repeated hour
    of the fall-back day has larger values the second time round."""
    rows = []
    for queue in ("en_phone", "es_phone"):
        for day in days:
            for i, ds in enumerate(day_intervals(day)):
                staffed = 8 <= ds.hour < 20
                rows.append({"queue": queue, "ds": ds, "contacts": 10.0 if staffed else 0.0,
                             "aht_s": 300.0, "agents_net": 3 if staffed else 0,
                             "agents_gross": float(i + 1),
                             "service_level": 0.8 if staffed else np.nan,
                             "asa_s": 15.0, "occupancy": 0.6 if staffed else 0.0})
    return pd.DataFrame(rows)


def metrics_frame() -> pd.DataFrame:
    rows = []
    for level, keys in (("overall", ["all"]), ("query_type", ["payment", "returns"])):
        for k, key in enumerate(keys):
            for m, model in enumerate(("prophet", "snaive_week")):
                for w, window in enumerate(("all", "season 2025")):
                    rows.append({"level": level, "key": key, "model": model, "window": window,
                                 "wape": 0.05 + 0.1 * m + 0.01 * w + 0.02 * k, "mape": 0.1,
                                 "bias": 0.0, "peak_error": 0.0, "coverage": 0.8,
                                 "poisson_wape_floor": 0.02 + 0.01 * w})
    return pd.DataFrame(rows)


def capacity_frame() -> pd.DataFrame:
    weeks = pd.to_datetime(["2026-10-05", "2026-10-12", "2026-10-19"])
    rows = []
    for queue, need in (("en_phone", [10.0, 12.0, 14.0]), ("es_phone", [5.0, 5.0, 5.0])):
        for week, fte_needed, hires in zip(weeks, need, (0, 2, 0), strict=True):
            without, with_hires = 11.0, 11.0 + (2 if week > weeks[0] else 0)
            rows.append({"queue": queue, "week": week, "fte_needed": fte_needed,
                         "fte_without_hires": without, "hires_starting": hires,
                         "fte_with_hires": with_hires,
                         "gap_without_hires": fte_needed - without,
                         "gap_with_hires": fte_needed - with_hires,
                         "at_risk_without_hires": fte_needed > without,
                         "at_risk_with_hires": fte_needed > with_hires})
    return pd.DataFrame(rows)


def coverage_frame() -> pd.DataFrame:
    """en_phone over 24-26 Oct: 2 required agents all day, 2 scheduled except 3 short
    intervals on the fall-back day: 09:00, 09:30 and the second 02:00 (CET)."""
    ds = day_intervals(dt.date(2026, 10, 24)).append(day_intervals(FALL_BACK)).append(
        day_intervals(dt.date(2026, 10, 26)))
    frame = pd.DataFrame({"queue": "en_phone", "ds": ds, "required": 2.0, "scheduled": 2.0})
    short = (frame["ds"].dt.date == FALL_BACK) & frame["ds"].dt.hour.isin([9]) | (
        frame["ds"] == pd.Timestamp("2026-10-25 01:00", tz="UTC").tz_convert(TZ))
    frame.loc[short, "scheduled"] = 1.0
    frame["gap"] = frame["scheduled"] - frame["required"]
    return frame


def shifts_frame() -> pd.DataFrame:
    rows = []
    for day, lengths in ((dt.date(2026, 10, 24), (4, 8, 8)), (FALL_BACK, (8, 10))):
        for n, length in enumerate(lengths):
            start = pd.Timestamp(day).tz_localize(TZ) + pd.Timedelta(hours=8 + n)
            rows.append({"queue": "en_phone", "shift_id": f"{day}-{n}", "day": day,
                         "start": start, "end": start + pd.Timedelta(hours=length),
                         "length_h": float(length), "paid_h": length - 0.5, "agents": n + 1})
    return pd.DataFrame(rows)


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


# --- backtest_accuracy ---------------------------------------------------------------------

def test_backtest_accuracy_overall_bars_and_poisson_floor() -> None:
    fig = charts.backtest_accuracy(metrics_frame())
    assert_readable(fig, "WAPE", "WAPE (%", "window")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 2 * 2  # two models x two windows
    assert sorted(round(r.get_height(), 6) for r in rects) == [5.0, 6.0, 15.0, 16.0]
    floors = gid(ax, "floor")
    assert len(floors) == 2 and all(f.get_linestyle() == "--" for f in floors)
    assert sorted(round(f.get_ydata()[0], 6) for f in floors) == [2.0, 3.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["all", "season 2025"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"prophet", "snaive_week"} <= set(legend) and any("Poisson" in t for t in legend)


def test_backtest_accuracy_averages_keys_or_picks_one() -> None:
    metrics = metrics_frame()
    mean = bars(main_axes(charts.backtest_accuracy(metrics, "query_type")))
    assert sorted(round(r.get_height(), 6) for r in mean) == [6.0, 7.0, 16.0, 17.0]
    one = bars(main_axes(charts.backtest_accuracy(metrics, "query_type", "returns")))
    assert sorted(round(r.get_height(), 6) for r in one) == [7.0, 8.0, 17.0, 18.0]


def test_backtest_accuracy_unknown_level_says_so() -> None:
    fig = charts.backtest_accuracy(metrics_frame(), "country", "JP")
    assert charts.NO_DATA in texts(fig) and "JP" in texts(fig)


# --- requirement_heatmap -------------------------------------------------------------------

def test_requirement_heatmap_is_days_by_wall_clock_intervals() -> None:
    days = [dt.date(2026, 10, 24), FALL_BACK, dt.date(2026, 10, 26)]
    requirements = requirements_frame(days)
    fig = charts.requirement_heatmap(requirements, "en_phone")
    assert_readable(fig, "en_phone", "local time of day", "local date")
    image = main_axes(fig).images[0]
    grid = image.get_array()
    assert grid.shape == (3, 48)
    assert grid[0, 0] == 1.0 and grid[0, 47] == 48.0
    # 02:00 and 02:30 happen twice on the fall-back day; the larger (second) value is kept
    assert grid[1, 4] == 7.0 and grid[1, 5] == 8.0 and grid[1, 6] == 9.0
    assert grid[1, 47] == 50.0
    colorbar_axes = fig.axes[1]
    assert "gross agents" in colorbar_axes.get_ylabel()


def test_requirement_heatmap_leaves_the_skipped_hour_blank_and_shows_rates_in_percent() -> None:
    requirements = requirements_frame([SPRING_FORWARD])
    fig = charts.requirement_heatmap(requirements, "es_phone", "service_level")
    grid = main_axes(fig).images[0].get_array()
    assert grid.shape == (1, 48)
    assert grid.mask[0, 4] and grid.mask[0, 5]  # 02:00 and 02:30 do not exist that day
    assert np.nanmax(grid.filled(np.nan)) == pytest.approx(80.0)
    assert "%" in fig.axes[1].get_ylabel()


def test_requirement_heatmap_unknown_queue_says_so() -> None:
    fig = charts.requirement_heatmap(requirements_frame([FALL_BACK]), "xx_chat")
    assert charts.NO_DATA in texts(fig) and "xx_chat" in texts(fig)


# --- service_and_occupancy -----------------------------------------------------------------

def test_service_and_occupancy_per_day_in_percent() -> None:
    requirements = requirements_frame([dt.date(2026, 10, 24), FALL_BACK])
    first = requirements["ds"].dt.date == dt.date(2026, 10, 24)
    staffed = requirements["agents_net"] > 0
    # on the first day half the contacts are answered at 100 %, half at 60 %: weighted 80 %
    requirements.loc[first & staffed & (requirements["ds"].dt.hour < 14), "service_level"] = 1.0
    requirements.loc[first & staffed & (requirements["ds"].dt.hour >= 14), "service_level"] = 0.6
    fig = charts.service_and_occupancy(requirements, "en_phone")
    assert_readable(fig, "service level and occupancy", "%", "local date")
    lines = main_axes(fig).get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [80.0, 80.0])
    np.testing.assert_allclose(lines[1].get_ydata(), [60.0, 60.0])  # closed hours left out


def test_service_and_occupancy_draws_a_target_when_given() -> None:
    requirements = requirements_frame([FALL_BACK]).assign(target=0.8)
    lines = main_axes(charts.service_and_occupancy(requirements, "en_phone")).get_lines()
    assert len(lines) == 3 and lines[2].get_linestyle() == "--"
    np.testing.assert_allclose(lines[2].get_ydata(), [80.0])


def test_service_and_occupancy_skips_a_target_that_is_all_nan() -> None:
    requirements = requirements_frame([FALL_BACK]).assign(target=np.nan)
    fig = charts.service_and_occupancy(requirements, "en_phone")
    assert len(main_axes(fig).get_lines()) == 2 and "target" not in texts(fig)


# --- fte_vs_headcount ----------------------------------------------------------------------

def test_fte_vs_headcount_sums_queues_and_shades_weeks_at_risk() -> None:
    fig = charts.fte_vs_headcount(capacity_frame())
    assert_readable(fig, "All queues", "FTE", "week")
    ax = main_axes(fig)
    rects = [r for r in bars(ax) if r.get_gid() != "at_risk"]
    assert [r.get_height() for r in rects] == [15.0, 17.0, 19.0]
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [22.0, 22.0, 22.0])
    np.testing.assert_allclose(lines[1].get_ydata(), [22.0, 26.0, 26.0])
    # en_phone is short in weeks 2 and 3 without hires, and in week 3 even with them
    spans = gid(ax, "at_risk")
    assert len(spans) == 2
    assert mcolors.same_color(spans[1].get_facecolor()[:3], "tab:red")
    assert "+4" in texts(fig)  # hires starting in week 2 (2 per queue)


def test_fte_vs_headcount_one_queue() -> None:
    fig = charts.fte_vs_headcount(capacity_frame(), "es_phone")
    ax = main_axes(fig)
    assert "es_phone" in ax.get_title()
    assert [r.get_height() for r in bars(ax)] == [5.0, 5.0, 5.0]
    assert not gid(ax, "at_risk")


# --- coverage ------------------------------------------------------------------------------

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


def test_coverage_over_the_season_in_agent_hours() -> None:
    fig = charts.coverage(coverage_frame(), "en_phone")
    assert_readable(fig, "required vs scheduled", "agent-hours per day", "local date")
    ax = main_axes(fig)
    (required,) = gid(ax, "required")
    (scheduled,) = gid(ax, "scheduled")
    # 2 agents x 24 h, 2 x 25 h, 2 x 24 h (a step line repeats its last value)
    np.testing.assert_allclose(required.get_ydata(), [48.0, 50.0, 48.0, 48.0])
    np.testing.assert_allclose(scheduled.get_ydata(), [48.0, 48.5, 48.0, 48.0])
    assert len(gid(ax, "short")) == 1  # one day with a short interval


def test_coverage_peak_agents_per_day() -> None:
    ax = main_axes(charts.coverage(coverage_frame(), "en_phone", daily="max"))
    assert "peak agents" in ax.get_ylabel()
    np.testing.assert_allclose(gid(ax, "required")[0].get_ydata(), [2.0, 2.0, 2.0, 2.0])


def test_coverage_of_one_dst_day_per_interval() -> None:
    fig = charts.coverage(coverage_frame(), "en_phone", day=FALL_BACK)
    assert_readable(fig, "25 Oct 2026", "agents per 30-min interval", "25-hour day")
    ax = main_axes(fig)
    (scheduled,) = gid(ax, "scheduled")
    assert len(scheduled.get_xdata()) == 51  # 50 intervals and the closing edge
    assert scheduled.get_xdata()[-1] == pytest.approx(25.0)
    spans = gid(ax, "short")
    assert len(spans) == 3
    starts = sorted(s.get_x() for s in spans)
    assert starts == pytest.approx([3.0, 10.0, 10.5])  # elapsed hours: 02:00 CET is 3 h in


def test_coverage_unknown_queue_or_day_says_so() -> None:
    assert charts.NO_DATA in texts(charts.coverage(coverage_frame(), "xx"))
    fig = charts.coverage(coverage_frame(), "en_phone", day=dt.date(2026, 12, 1))
    assert charts.NO_DATA in texts(fig)


# --- season_review -------------------------------------------------------------------------

def test_season_review_signed_error_per_group_sorted() -> None:
    forecast = daily_forecast()
    actual = forecast.rename(columns={"yhat": "y"}).drop(
        columns=["yhat_lower", "yhat_upper", "model"])
    actual["y"] = np.where(actual["query_type"] == "payment", 12.0, 15.0)
    extra = actual.iloc[:1].assign(ds=pd.Timestamp("2026-12-01", tz=TZ), y=1e6)
    fig = charts.season_review(pd.concat([actual, extra]), forecast)
    assert_readable(fig, "actual vs forecast", "%", "query type")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 2
    widths = [r.get_width() for r in sorted(rects, key=lambda r: r.get_y())]
    np.testing.assert_allclose(widths, [-25.0, 20.0])  # sorted; the extra day is ignored
    assert [t.get_text() for t in ax.get_yticklabels()] == ["returns", "payment"]
    assert "+20.0%" in texts(fig) and "-25.0%" in texts(fig)


def test_season_review_by_country_needs_both_frames() -> None:
    forecast = daily_forecast()
    assert charts.NO_DATA in texts(charts.season_review(forecast.iloc[:0], forecast,
                                                        by="country"))


# --- shift_counts --------------------------------------------------------------------------

def test_shift_counts_stacks_agents_by_shift_length() -> None:
    fig = charts.shift_counts(shifts_frame())
    assert_readable(fig, "by shift length", "agents", "local date")
    ax = main_axes(fig)
    rects = bars(ax)
    assert len(rects) == 2 * 3  # two days x three lengths (4, 8, 10 h)
    by_length = {}
    for container, label in zip(ax.containers, ("4 h", "8 h", "10 h"), strict=True):
        by_length[label] = [r.get_height() for r in container]
    assert by_length == {"4 h": [1.0, 0.0], "8 h": [5.0, 1.0], "10 h": [0.0, 2.0]}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["4 h", "8 h", "10 h"]


def test_shift_counts_filters_a_queue() -> None:
    fig = charts.shift_counts(shifts_frame(), queue="es_chat")
    assert charts.NO_DATA in texts(fig) and "es_chat" in texts(fig)


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

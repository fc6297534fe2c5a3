"""Staffing charts (`requirement_heatmap`, `service_and_occupancy`, `fte_vs_headcount`,
`coverage`, `shift_counts`): titles, units, what is drawn, DST days and unknown queues.
Frames are small and built by hand in Europe/Amsterdam time."""

from __future__ import annotations

import datetime as dt

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest
from chart_reading import (
    FALL_BACK,
    SPRING_FORWARD,
    TZ,
    assert_readable,
    bars,
    day_intervals,
    gid,
    main_axes,
    texts,
)

from dashboard import charts


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

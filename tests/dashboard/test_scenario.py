"""The Staffing page's view of a scenario (pure), and charts drawn once per key."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import display
from dashboard.charts_base import interval_minutes
from dashboard.scenario import headline, per_queue, view, with_targets
from staffing import CHANNEL_MODELS, compute, parse_staffing, prepare

ZONE = "Europe/Amsterdam"


def forecast(days: int = 2) -> pd.DataFrame:
    ds = pd.date_range("2026-10-05", periods=days * 48, freq="30min", tz=ZONE)
    rows = [pd.DataFrame({"unique_id": f"GB/order_status/{channel}", "country": "GB",
                          "query_type": "order_status", "channel": channel, "ds": ds,
                          "yhat": level, "yhat_lower": level, "yhat_upper": level,
                          "model": "test"})
            for channel, level in (("phone", 100.0), ("email", 20.0))]
    return pd.concat(rows, ignore_index=True)


CONFIG = parse_staffing({
    "default_aht_s": 180, "max_occupancy": 1.0, "shrinkage": 0.3, "service_level": 0.8,
    "queues": [{"name": "p", "channel": "phone", "service_level": 0.9},
               {"name": "e", "channel": "email", "respond_within_h": 8}]})


@pytest.fixture(scope="module")
def shown():
    result = compute(prepare(forecast(), CONFIG), CONFIG)
    return view(result, CONFIG, 30)


def test_headline_figures_add_up(shown) -> None:
    frame = shown.frame
    figures = shown.headline
    assert figures.contacts == pytest.approx(2 * 48 * 120.0)
    assert figures.agent_hours == pytest.approx(frame["agents_gross"].sum() / 2)
    on_duty = frame.groupby("ds")["agents_gross"].sum()
    assert figures.peak_agents == pytest.approx(on_duty.max())
    assert figures.peak_at == on_duty.idxmax()
    # phone alone has a service level (e-mail's is the share answered in time)
    level = frame.loc[frame["queue"] == "p", "service_level"]
    assert figures.service_level == pytest.approx(
        (frame["service_level"].fillna(0) * frame["contacts"]).sum()
        / frame.loc[frame["service_level"].notna(), "contacts"].sum())
    assert level.min() >= 0.9 and figures.service_level > 0.8
    assert 0 < figures.occupancy <= 1


def test_per_queue_table(shown) -> None:
    table = per_queue(shown.frame).set_index("queue")
    assert list(table.index) == ["e", "p"]
    assert table.loc["p", "contacts"] == 96 * 100
    assert table.loc["p", "peak_agents_net"] == shown.frame.loc[
        shown.frame["queue"] == "p", "agents_net"].max()
    assert table.loc["p", "service_level_pct"] >= 90
    assert table.loc["e", "model"] == "backlog"
    pd.testing.assert_frame_equal(table.reset_index(), shown.queues)


def test_targets_are_each_queues_own_and_none_for_backlog(shown) -> None:
    targets = with_targets(shown.frame, CONFIG).groupby("queue")["target"].first()
    assert targets["p"] == pytest.approx(0.9)
    assert np.isnan(targets["e"])
    # the registry says which models staff to the service level
    assert not CHANNEL_MODELS["backlog"].sized_to_service_level
    assert all(CHANNEL_MODELS[m].sized_to_service_level for m in ("erlang_c", "erlang_a",
                                                                  "chat"))


def test_an_empty_frame_has_an_empty_headline() -> None:
    empty = compute(prepare(forecast(), CONFIG), CONFIG).frame.iloc[:0]
    figures = headline(empty, 30)
    assert figures.contacts == 0 and figures.peak_at is None
    assert np.isnan(figures.occupancy)


def test_interval_minutes_reads_the_usual_step() -> None:
    ds = pd.Series(pd.date_range("2026-10-24", "2026-10-27", freq="15min", tz=ZONE))
    assert interval_minutes(ds) == 15  # across the 25-hour day too
    assert interval_minutes(ds.dt.tz_localize(None)) == 15
    assert interval_minutes(pd.Series(["2026-10-01", "2026-10-02"])) == 24 * 60
    assert interval_minutes(pd.Series([], dtype="datetime64[ns]"), default=30) == 30


def test_a_keyed_chart_is_drawn_once() -> None:
    from matplotlib.figure import Figure

    display._kept_png.clear()
    built = []

    def build() -> Figure:
        built.append(1)
        fig = Figure(figsize=(2, 1))
        fig.add_subplot().plot([0, 1], [0, len(built)])
        return fig

    first = display.chart_png(build, key=("test", 1))
    again = display.chart_png(build, key=("test", 1))
    other = display.chart_png(build, key=("test", 2))
    assert first == again and len(built) == 2 and other != first
    assert first.startswith(b"\x89PNG") and display.chart_png(build()) != first

"""Dashboard: how quickly a warm interaction on the Staffing page answers, full sample.

The bundled sample's season (90 series, 92 days of 30-minute intervals, 12 queues) is
forecast with the seasonal-naive model (the page's work depends on the forecast's shape,
not its model) and staffed into a run store of its own. The Staffing page is opened once
with `streamlit.testing.v1.AppTest` (cold: inputs read, forecast mapped to queues), then
each kind of interaction is timed three times with values not seen before: every
control, another queue, another heatmap value, the other chart tab, and going back to a
scenario already seen. Two times per interaction: until the headline figures are sent
(the answer: the browser shows them while the chart is still being drawn) and until the
rerun is complete (a full script rerun here; the browser reruns only the scenario
fragment, a little less). Goal, on the 2-core machine the project runs CI on: the
median warm interaction answers within 400 ms and completes within 750 ms (drawing a
fresh matplotlib chart is about 200 ms of that).
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import write_result

ANSWER_MEDIAN_GOAL_S = 0.4
COMPLETE_MEDIAN_GOAL_S = 0.75
ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


def sample_store(folder: Path) -> Path:
    """A config of the sample with absolute data paths, the seasonal-naive model and a
    run store in `folder`, forecast and staffed; returns the config file."""
    from data import sample_paths
    from peakplan.cli import main

    paths = sample_paths()
    text = paths["config"].read_text(encoding="utf-8")
    names = {"volume": "contacts", "traffic": "traffic", "traffic_plan": "traffic_plan",
             "events": "events", "agents": "agents"}
    for key, name in names.items():
        text = re.sub(rf'^{key} = "[^"]*"', f'{key} = "{paths[name].as_posix()}"', text,
                      count=1, flags=re.M)
    text = re.sub(r'^model = "auto"', 'model = "snaive_week"', text, count=1, flags=re.M)
    config = folder / "season.toml"
    config.write_text(text + f'\n[runs]\nroot = "{(folder / "runs").as_posix()}"\n',
                      encoding="utf-8")
    for command in (["forecast", "--quiet"], ["staff"]):
        if main([command[0], "--config", str(config), *command[1:]]) != 0:
            raise RuntimeError(f"peakplan {command[0]} failed on the sample")
    return config


def _slider(at, label: str):
    return next(s for s in at.slider if s.label.startswith(label))


class _FirstMetric:
    """Records when a rerun sends its first `st.metric` (the headline figures)."""

    def __init__(self) -> None:
        from streamlit.elements.metric import MetricMixin

        self.at: float | None = None
        self._mixin, self._metric = MetricMixin, MetricMixin.metric
        recorder = self

        def metric(self, *args, **kwargs):
            if recorder.at is None:
                recorder.at = time.perf_counter()
            return recorder._metric(self, *args, **kwargs)

        MetricMixin.metric = metric

    def close(self) -> None:
        self._mixin.metric = self._metric


FIRST_METRIC: _FirstMetric | None = None


def _timed(at, change) -> tuple[float, float]:
    """(seconds until the headline figures are sent, seconds until the rerun ends)."""
    FIRST_METRIC.at = None
    started = time.perf_counter()
    change(at).run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the page failed: {at.exception[0].value}")
    answer = (FIRST_METRIC.at or time.perf_counter()) - started
    return min(answer, seconds), seconds


def interactions(at) -> dict[str, list[tuple[float, float]]]:
    """(answer, complete) seconds per interaction kind (three new values each)."""
    queues = next(s for s in at.selectbox if s.label == "Queue").options
    values = next(s for s in at.selectbox if s.label == "Heatmap of").options
    deflect = next(s.label for s in at.slider if s.label.endswith("(%)")
                   and s.label.split(" ")[0] == "order_status")
    sliders = {"volume uplift": ("Volume uplift", (5, 10, 15)),
               "handle time": ("Handle time change", (5, 10, 15)),
               "service target": ("Service target", (85, 90, 75)),
               "answer time": ("... within", (15, 25, 30)),
               "shrinkage": ("Shrinkage", (35, 40, 25)),
               "occupancy cap": ("Occupancy cap", (80, 90, 75)),
               "deflection": (deflect, (15, 25, 35))}
    timings: dict[str, list[tuple[float, float]]] = {}
    for kind, (label, moves) in sliders.items():
        timings[kind] = [_timed(at, lambda a, v=v, label=label: _slider(a, label).set_value(v))
                         for v in moves]
    timings["another queue"] = [
        _timed(at, lambda a, q=q: a.selectbox(key="staffing_queue").set_value(q))
        for q in queues[1:4]]
    timings["another heatmap value"] = [
        _timed(at, lambda a, v=v: a.selectbox(key="staffing_value").set_value(v))
        for v in values[1:4]]
    tabs = ["Service level and occupancy", "Heatmap by day and time",
            "Service level and occupancy"]
    timings["the other chart tab"] = [
        _timed(at, lambda a, t=t: _set_state(a, "staffing_chart", t)) for t in tabs]
    timings["back to a scenario seen"] = [  # the deflection slider's last values
        _timed(at, lambda a, v=v: _slider(a, deflect).set_value(v)) for v in (25, 15, 25)]
    return timings


def _set_state(at, key: str, value):
    at.session_state[key] = value
    return at


def run() -> tuple[dict, Path]:
    from streamlit.testing.v1 import AppTest

    global FIRST_METRIC
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        config = sample_store(Path(folder))
        setup_s = time.perf_counter() - started
        before = os.environ.get("PEAKPLAN_CONFIG")
        os.environ["PEAKPLAN_CONFIG"] = str(config)
        FIRST_METRIC = _FirstMetric()
        try:
            at = AppTest.from_file(APP, default_timeout=600)
            at.switch_page("views/staffing.py")
            started = time.perf_counter()
            at.run()
            cold_s = time.perf_counter() - started
            if at.exception or at.error:
                raise RuntimeError(f"the page failed: {[e.value for e in at.exception]}")
            timings = interactions(at)
        finally:
            FIRST_METRIC.close()
            if before is None:
                os.environ.pop("PEAKPLAN_CONFIG", None)
            else:
                os.environ["PEAKPLAN_CONFIG"] = before
    answers = [a for pairs in timings.values() for a, _ in pairs]
    completes = [c for pairs in timings.values() for _, c in pairs]
    median_answer, median_complete = statistics.median(answers), statistics.median(completes)
    result = {
        "page": "Staffing", "sample": "bundled, 90 series x 92 days x 48 intervals, 12 queues",
        "setup_s": round(setup_s, 1), "cold_page_s": round(cold_s, 2),
        "answer_s": {kind: [round(a, 3) for a, _ in pairs] for kind, pairs in timings.items()},
        "complete_s": {kind: [round(c, 3) for _, c in pairs]
                       for kind, pairs in timings.items()},
        "answer_median_s": round(median_answer, 3),
        "answer_worst_s": round(max(answers), 3),
        "complete_median_s": round(median_complete, 3),
        "complete_worst_s": round(max(completes), 3),
        "goal": {"median_answer_under_s": ANSWER_MEDIAN_GOAL_S,
                 "median_complete_under_s": COMPLETE_MEDIAN_GOAL_S},
        "goal_met": bool(median_answer < ANSWER_MEDIAN_GOAL_S
                         and median_complete < COMPLETE_MEDIAN_GOAL_S)}
    return result, write_result("dashboard", result)


if __name__ == "__main__":
    import json

    outcome, written = run()
    print(json.dumps(outcome, indent=2))
    print(written)

"""Required agents for a season of intervals: peakplan's vectorised Erlang C
(`staffing.queueing.erlang.agents_for_target`, one call for every interval at once) against
pyworkforce's `ErlangC(...).required_positions(...)` called once per interval, the way
its README shows it.

Data: 13 weeks of 30-minute intervals for 20 queues (87,360 intervals), loads from 0
(queues closed at night) to a few hundred Erlangs with an intraday, weekly and
peak-season shape, handle times 200-600 s; target 80% answered within 20 s, occupancy
at most 85%.

pyworkforce is installed on first use into its own venv (benchmarks/.venv-pyworkforce,
pinned below) and its loop runs in a subprocess of that venv; only the loop is timed on
both sides, best of three runs each. Where it cannot be installed, the comparator is a
plain per-interval Python loop of the textbook method (Erlang C from the iterative
Erlang B, n raised one at a time from the larger of the stability and occupancy bounds
until the service level and the occupancy cap are met); `comparator` in the result
says which ran.
PEAKPLAN_BENCH_COMPARATOR=textbook forces that loop.

Goal: at least 50 times faster with the same agent count in every interval.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import write_result

GOAL_SPEEDUP = 50.0
PYWORKFORCE = "pyworkforce==0.5.1"  # the last release for Python 3.11 (0.5.2+ need 3.12)
VENV = Path(__file__).resolve().parent / ".venv-pyworkforce"
WEEKS, QUEUES, INTERVAL_MIN = 13, 20, 30
REPEATS = 3  # each side's time is its best of three runs (the machine is shared)
TARGET, WITHIN_S, MAX_OCCUPANCY = 0.8, 20.0, 0.85

LOOP = r"""
import json, math, sys, time

source, target, comparator = sys.argv[1:4]
with open(source) as handle:
    data = json.load(handle)
level, within, cap, interval = (data[k] for k in ("service_level", "within_min",
                                                  "max_occupancy", "interval_min"))
version = None
if comparator == "pyworkforce":
    import pyworkforce
    from pyworkforce.queuing import ErlangC

    version = pyworkforce.__version__

    def required(contacts, aht):
        erlang = ErlangC(transactions=contacts, aht=aht, asa=within, interval=interval)
        return erlang.required_positions(service_level=level, max_occupancy=cap)["raw_positions"]
else:
    def required(contacts, aht):
        load = contacts / interval * aht
        n = max(math.floor(load) + 1, math.ceil(load / cap))  # below either, both fail
        while True:
            b = 1.0
            for k in range(1, n + 1):
                b = load * b / (k + load * b)
            wait = b / (1 - load / n * (1 - b))
            if 1 - wait * math.exp(-(n - load) * within / aht) >= level and load / n <= cap:
                return n
            n += 1

seconds = []
for _ in range(data["repeats"]):
    start = time.perf_counter()
    agents = [required(c, a) if c > 0 else 0
              for c, a in zip(data["contacts"], data["aht_min"])]
    seconds.append(time.perf_counter() - start)
with open(target, "w") as handle:
    json.dump({"agents": agents, "seconds": seconds, "version": version}, handle)
"""


def make_intervals(weeks: int = WEEKS, queues: int = QUEUES, seed: int = 11
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Contacts per 30-minute interval and handle time (minutes), each (queues,
    intervals): a quiet night, morning and afternoon peaks, an evening shoulder, quieter
    weekends, a peak-season surge in week 9 and lognormal noise; half the queues are
    closed from 22:00 to 07:00 (no contacts)."""
    rng = np.random.default_rng(seed)
    days = np.arange(weeks * 7)
    hour = (np.arange(48) + 0.5) / 2
    intraday = (0.03 + np.exp(-0.5 * ((hour - 11) / 2.2) ** 2)
                + 0.8 * np.exp(-0.5 * ((hour - 15.5) / 2.0) ** 2)
                + 0.35 * np.exp(-0.5 * ((hour - 20) / 1.5) ** 2))
    intraday /= intraday.max()
    season = 1 + 1.5 * np.exp(-0.5 * ((days - 60) / 6) ** 2) + 0.004 * days
    weekend = 1 - rng.uniform(0.1, 0.5, (queues, 1)) * (days % 7 >= 5)
    peak_erlangs = rng.uniform(2, 120, (queues, 1, 1))
    load = peak_erlangs * (weekend * season)[:, :, None] * intraday
    load = load * rng.lognormal(0.0, 0.12, load.shape)
    closed = (rng.random(queues) < 0.5)[:, None, None] & ((hour < 7) | (hour >= 22))
    load = np.where(closed, 0.0, load).reshape(queues, -1)
    aht_min = np.repeat(rng.uniform(200, 600, (queues, 1)) / 60, load.shape[1], axis=1)
    return load * INTERVAL_MIN / aht_min, aht_min


def peakplan_agents(contacts: np.ndarray, aht_min: np.ndarray
                    ) -> tuple[np.ndarray, list[float]]:
    """Agents for every interval in one call, and the seconds of each run. The load is
    computed as pyworkforce does (contacts / interval x handle time)."""
    from staffing import agents_for_target

    agents_for_target(10.0, 180.0, TARGET, WITHIN_S, MAX_OCCUPANCY)  # import-time costs
    load = contacts / INTERVAL_MIN * aht_min
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        agents = agents_for_target(load, aht_min * 60, TARGET, WITHIN_S, MAX_OCCUPANCY)
        seconds.append(time.perf_counter() - start)
    return agents, seconds


def pyworkforce_python() -> tuple[Path | None, str]:
    """The venv's python with pyworkforce importable, creating it on first use; None and
    the reason where that fails."""
    python = VENV / "bin" / "python"
    check = [str(python), "-c", "import pyworkforce.queuing"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python, ""
    steps = [[sys.executable, "-m", "venv", str(VENV)],
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              PYWORKFORCE]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            return None, f"{' '.join(step[-2:])} failed: {done.stderr.strip()[-300:]}"
    if subprocess.run(check, capture_output=True).returncode != 0:
        return None, "pyworkforce installed but does not import"
    return python, ""


def comparator_agents(contacts: np.ndarray, aht_min: np.ndarray
                      ) -> tuple[np.ndarray, list[float], str]:
    """The per-interval loop in a fresh interpreter: agents, seconds of each run of the
    loop alone and the comparator's name."""
    python, why_not = None, "forced by PEAKPLAN_BENCH_COMPARATOR=textbook"
    if os.environ.get("PEAKPLAN_BENCH_COMPARATOR", "pyworkforce") == "pyworkforce":
        python, why_not = pyworkforce_python()
    kind = "pyworkforce" if python else "textbook"
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.json", Path(folder) / "out.json"
        source.write_text(json.dumps({
            "contacts": contacts.ravel().tolist(), "aht_min": aht_min.ravel().tolist(),
            "service_level": TARGET, "within_min": WITHIN_S / 60,
            "max_occupancy": MAX_OCCUPANCY, "interval_min": INTERVAL_MIN,
            "repeats": REPEATS}))
        subprocess.run([str(python or sys.executable), "-c", LOOP, str(source), str(target),
                        kind], check=True, cwd=tempfile.gettempdir())
        out = json.loads(target.read_text())
    if python:
        name = f"pyworkforce {out['version']} ErlangC.required_positions, one call per interval"
    else:
        name = f"textbook per-interval Python loop (pyworkforce not used: {why_not})"
    return np.asarray(out["agents"]).reshape(contacts.shape), out["seconds"], name


def explain(contacts, aht_min, ours, theirs) -> list[dict]:
    """Up to ten intervals where the counts differ, with the service level and occupancy
    of both counts, to tell a rounding or boundary case from a real disagreement."""
    from staffing import service_level

    rows = []
    for q, i in list(zip(*np.nonzero(ours != theirs), strict=True))[:10]:
        load = contacts[q, i] / INTERVAL_MIN * aht_min[q, i]
        rows.append({"queue": int(q), "interval": int(i), "load_erlangs": float(load),
                     "aht_s": float(aht_min[q, i] * 60), "peakplan": int(ours[q, i]),
                     "comparator": int(theirs[q, i]),
                     **{f"service_level_at_{n}": float(service_level(load, n, aht_min[q, i]
                                                                      * 60, WITHIN_S))
                        for n in (int(ours[q, i]), int(theirs[q, i]))},
                     "load_over_cap": float(load / MAX_OCCUPANCY)})
    return rows


def run() -> tuple[dict, Path]:
    """Time both ways on the same intervals and compare the agent counts."""
    contacts, aht_min = make_intervals()
    ours, ours_s = peakplan_agents(contacts, aht_min)
    theirs, theirs_s, comparator = comparator_agents(contacts, aht_min)
    differing = int(np.sum(ours != theirs))
    load = contacts / INTERVAL_MIN * aht_min
    from staffing import agents_for_target

    uncapped = agents_for_target(load, aht_min * 60, TARGET, WITHIN_S)
    cap_binds = float(np.mean((ours > uncapped)[load > 0]))
    speedup = min(theirs_s) / min(ours_s)
    result = {"weeks": WEEKS, "queues": QUEUES, "interval_min": INTERVAL_MIN,
              "intervals": int(load.size), "zero_load_intervals": int(np.sum(load == 0)),
              "load_erlangs": {"median": round(float(np.median(load)), 2),
                               "max": round(float(load.max()), 2)},
              "aht_s": [round(float(aht_min.min() * 60)), round(float(aht_min.max() * 60))],
              "target": {"service_level": TARGET, "answer_within_s": WITHIN_S,
                         "max_occupancy": MAX_OCCUPANCY},
              "occupancy_cap_binds_share": round(cap_binds, 3),
              "machine_load_average_1min": round(os.getloadavg()[0], 2),
              "comparator": comparator,
              "comparator_s": [round(s, 3) for s in theirs_s],
              "peakplan_s": [round(s, 4) for s in ours_s],
              "speedup_best_of_each": round(speedup, 1),
              "agents_total": {"peakplan": int(ours.sum()), "comparator": int(theirs.sum())},
              "intervals_differing": differing,
              "differences": explain(contacts, aht_min, ours, theirs),
              "goal": {"speedup_at_least": GOAL_SPEEDUP, "intervals_differing": 0},
              "goal_met": bool(speedup >= GOAL_SPEEDUP and differing == 0)}
    return result, write_result("erlang_speed", result)

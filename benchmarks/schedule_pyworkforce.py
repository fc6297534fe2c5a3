"""pyworkforce's `MinRequiredResources` on `bench_schedule`'s week, costed and checked
the peakplan way (see `benchmarks.bench_schedule` for what it can and cannot model).

pyworkforce 0.5.1 runs in its own venv (shared with bench_erlang_speed), in a
subprocess; its schedules are costed with peakplan's templates and checked against the
requirement after the rules' breaks are placed, greedily (`place_breaks`) and by
peakplan's own break step.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.bench_erlang_speed import pyworkforce_python
from benchmarks.schedule_week import INTERVAL_MIN, block, make_rules, on_duty, score

PYWORKFORCE_LIMIT_S = 60.0

PYWORKFORCE_RUN = r"""
import json, sys, time

source, target = sys.argv[1:3]
with open(source) as handle:
    data = json.load(handle)
import pyworkforce
from pyworkforce.scheduling import MinRequiredResources

out = []
for required in data["required"]:
    started = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=data["num_days"], periods=data["periods"],
        shifts_coverage=data["coverage"], required_resources=required,
        max_period_concurrency=data["max_period_concurrency"],
        max_shift_concurrency=data["max_shift_concurrency"], cost_dict=data["cost"],
        max_search_time=float(data["max_search_time"]), num_search_workers=2)
    solution = scheduler.solve()
    seconds = time.perf_counter() - started
    try:
        bound = scheduler.solver.BestObjectiveBound()
    except Exception:
        bound = None
    out.append({"status": solution["status"], "cost": solution["cost"], "bound": bound,
                "seconds": seconds, "resources_shifts": solution["resources_shifts"]})
with open(target, "w") as handle:
    json.dump({"version": pyworkforce.__version__, "runs": out}, handle)
"""

MODELLING = [
    "15-minute periods (96 a day) work: no need to fall back to hours",
    "no break windows: MinRequiredResources has no breaks; its schedules are "
    "checked after the rules' breaks are placed, greedily (place_breaks) and "
    "by peakplan's own break step (staffing.schedule.solver.place_breaks, the best "
    "placement for the given shifts)",
    "no shifts across midnight: each day's periods are covered on their own, so "
    "the night is covered by shifts ending at 24:00 and starting at 00:00",
    "coverage is a hard >= constraint (no under/over penalties)",
    "cost_dict is one cost per shift for every day: weekday cents of peakplan's "
    "cost (night premium included); the weekend premium scales a whole day, "
    "so the per-day optimum is the same, and every schedule is re-costed here "
    "with peakplan's templates (premiums, unpaid breaks)",
]


def _shift_grid(tpl, lengths: np.ndarray, periods: int) -> tuple[dict, dict, dict]:
    """Every shift of a rule's length on the 15-minute grid that ends by midnight (named
    "<length>h_<HH:MM>"): its coverage of the day's periods, its cost as whole cents of
    peakplan's weekday cost, and its template among peakplan's on each day."""
    where = {(int(s), float(x)): k for k, (s, x) in enumerate(zip(
        tpl.start, lengths[tpl.rule], strict=True))}
    coverage, cost, template = {}, {}, {}
    for length_h in lengths:
        span = round(length_h * 60 / INTERVAL_MIN)
        for first in range(periods - span + 1):
            name = f"{length_h:g}h_{first * INTERVAL_MIN // 60:02d}:{first * INTERVAL_MIN % 60:02d}"
            coverage[name] = [int(first <= p < first + span) for p in range(periods)]
            cost[name] = round(100 * float(tpl.cost[where[(first, float(length_h))]]))
            template[name] = [where[(day * periods + first, float(length_h))]
                              for day in range(7)]
    return coverage, cost, template


def _pyworkforce_input(requirement: pd.DataFrame) -> tuple[dict, list[np.ndarray], dict]:
    """MinRequiredResources' arguments: the shift grid (`_shift_grid`), the requirement
    per day (as it is and with the break allowance); and where each shift of each day is
    among peakplan's templates."""
    rules = make_rules()
    required, tpl, _ = block(requirement, rules)
    periods = 24 * 60 // INTERVAL_MIN
    lengths = np.array([r.length_h for r in rules.shifts])
    coverage, cost, template = _shift_grid(tpl, lengths, periods)
    # the templates' share of time on a break (as staffing.schedule.cover.break_share)
    off = np.bincount(tpl.break_shift, weights=tpl.break_length, minlength=len(tpl.start))
    share = float(off.sum() / max(tpl.length.sum(), 1))
    allowance = np.ceil(required / (1 - share) - 1e-9)
    days = [r.reshape(7, periods).astype(int) for r in (required, allowance)]
    data = {"num_days": 7, "periods": periods, "coverage": coverage, "cost": cost,
            "required": [d.tolist() for d in days],
            "max_period_concurrency": int(allowance.max() * 2),
            "max_shift_concurrency": int(allowance.max()),
            "max_search_time": PYWORKFORCE_LIMIT_S}
    return data, days, {"template": template, "break_share": share}


def place_breaks(tpl, starts: np.ndarray, required: np.ndarray) -> np.ndarray:
    """Every agent's breaks in their windows, one agent at a time in shift-start order,
    each where the cover above the requirement is largest (earliest on a tie): what a
    planner without an optimiser would do. Rows of (break row, interval, agents)."""
    count = len(required)
    surplus = on_duty(tpl, starts, np.zeros((0, 3)), count) - required
    placed: dict[tuple[int, int], int] = {}
    rows = np.flatnonzero(starts[tpl.break_shift] > 0)
    for row in rows[np.argsort(tpl.start[tpl.break_shift[rows]], kind="stable")]:
        length = int(tpl.break_length[row])
        options = np.arange(tpl.break_first[row], tpl.break_last[row] + 1)
        for _ in range(int(starts[tpl.break_shift[row]])):
            room = [surplus[t: t + length].min() for t in options]
            t = int(options[int(np.argmax(room))])
            surplus[t: t + length] -= 1
            placed[(int(row), t)] = placed.get((int(row), t), 0) + 1
    return np.array([(r, t, n) for (r, t), n in placed.items()], dtype=np.int64).reshape(-1, 3)


def _peakplan_breaks(tpl, rules, starts: np.ndarray, required: np.ndarray):
    """The breaks of given shifts placed by peakplan's own second phase (the LP that keeps
    cover closest to the requirement; a helper of staffing.schedule.solver, so None if it
    has changed shape)."""
    try:
        from staffing.schedule.solver import place_breaks as peakplan_place_breaks

        return np.asarray(peakplan_place_breaks(required, tpl, rules, starts), dtype=np.int64)
    except (ImportError, TypeError, ValueError):
        return None


def _run_pyworkforce(python: Path, data: dict) -> tuple[dict | None, float, str]:
    """PYWORKFORCE_RUN on `data` in pyworkforce's venv: its output (None if it failed),
    the wall time with start-up (seconds) and why it failed."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.json", Path(folder) / "out.json"
        source.write_text(json.dumps(data))
        started = time.perf_counter()
        done = subprocess.run([str(python), "-c", PYWORKFORCE_RUN, str(source), str(target)],
                              capture_output=True, text=True, cwd=tempfile.gettempdir())
        wall = time.perf_counter() - started
        if done.returncode != 0 or not target.exists():
            return None, wall, done.stderr.strip()[-800:]
        return json.loads(target.read_text()), wall, ""


def _checked(run: dict, asked: np.ndarray, info: dict, rules, tpl,
             required: np.ndarray) -> dict:
    """One MinRequiredResources run: its status and numbers, and its schedule scored
    without breaks and after the breaks are placed both ways."""
    entry = {"status": run["status"], "seconds": round(run["seconds"], 2),
             "agent_period_demand": int(asked.sum())}
    if run["status"] not in ("OPTIMAL", "FEASIBLE"):
        return {**entry, "why": "no schedule"}
    starts = np.zeros(len(tpl.start), dtype=np.int64)
    for item in run["resources_shifts"]:
        starts[info["template"][item["shift"]][item["day"]]] += item["resources"]
    entry["pyworkforce_objective_cents"] = run["cost"]
    entry["pyworkforce_bound_cents"] = run["bound"]
    no_breaks = on_duty(tpl, starts, np.zeros((0, 3)), len(required))
    entry["without_breaks"] = score(rules, tpl, required, starts, no_breaks)
    for key, breaks in (("after_breaks_greedy", place_breaks(tpl, starts, required)),
                        ("after_breaks_peakplan", _peakplan_breaks(tpl, rules, starts,
                                                                   required))):
        if breaks is not None:
            entry[key] = score(rules, tpl, required, starts,
                               on_duty(tpl, starts, breaks, len(required)))
    return entry


def pyworkforce_side(requirement: pd.DataFrame) -> dict:
    """MinRequiredResources on the week, costed and checked the peakplan way."""
    python, why_not = pyworkforce_python()
    if python is None:
        return {"ran": False, "why": why_not}
    data, days, info = _pyworkforce_input(requirement)
    rules = make_rules()
    required, tpl, _ = block(requirement, rules)
    out, wall, why = _run_pyworkforce(python, data)
    if out is None:
        return {"ran": False, "why": why}
    runs = {label: _checked(run, asked, info, rules, tpl, required)
            for label, run, asked in zip(("as_required", "with_break_allowance"),
                                         out["runs"], days, strict=True)}
    return {"ran": True, "version": out["version"],
            "api": "pyworkforce.scheduling.MinRequiredResources(num_days=7, periods=96, "
                   f"num_search_workers=2, max_search_time={PYWORKFORCE_LIMIT_S:g})",
            "shifts_offered": len(data["coverage"]),
            "modelling": [*MODELLING,
                          f"break allowance: requirement / (1 - {info['break_share']:.4f}), "
                          "rounded up"],
            "wall_s_with_start_up": round(wall, 2), "runs": runs}

"""Shift design for one peak week: peakplan's `staffing.schedule` (design and solver) with
HiGHS and CBC, each in two phases (the default) and exactly, against the full model's LP
relaxation bound; and pyworkforce's `MinRequiredResources` on the same requirement.

Data: the week of Monday 23 November 2026 (Black Friday) at 15-minute intervals for one
24/7 queue: about 300 agents on duty at the weekday mid-day peak, 60 at night, weekends
lower (`benchmarks.schedule_week.make_requirement`). Shifts of 4, 6, 8 and 10 h
(`ScheduleRules` defaults, with their break windows: one paid 15-minute break on 4 and
6 h shifts, a 15-minute paid break and a 30-minute unpaid one on 8 and 10 h shifts) may
start every 15 minutes; time limit 60 s, gap_rel 0.005.

Variants, each in a fresh process (so one cannot warm another, and a run past its cap
can be ended with the solver it started):
  highs two_phase  `schedule(...)` as a planner runs it (the default rules);
  cbc two_phase    `schedule(...)` with solver = "cbc";
  highs exact, cbc exact  `build_model` + `solve_model` on the same model: `schedule`
                   would fall back to two phases when the exact solve finds nothing in
                   time, which would hide the exact method's own result and double the time.
Each reports status, seconds, cost (wages) and objective (wages + 500 per agent-interval
short + 1 per agent-interval over), the bound and gap the solver states, and the gap to
the full model's LP relaxation optimum (computed once here with HiGHS's interior point
method, in a few seconds; HiGHS's default, dual simplex, takes about 20 s on this model:
add "simplex" to LP_METHODS to time it).

pyworkforce 0.5.1 (`benchmarks.schedule_pyworkforce`; its own venv, shared with
bench_erlang_speed) cannot model breaks nor shifts that cross midnight (each day's periods
are covered on their own), so it gets every 4/6/8/10 h shift that starts on the 15-minute
grid and ends by midnight, no breaks, and its coverage constraint is hard. It runs twice:
on the requirement as it is, and on the requirement grossed up by the templates' average
break share (the usual allowance). Its schedules are then costed with peakplan's cost per
paid hour (premiums included) and checked against the same requirement after the agents
take the rules' breaks, placed greedily where cover is most plentiful and by peakplan's
own break-placement step.

Goal: the default HiGHS two-phase schedule within 0.5% of the LP bound in under 60 s.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import write_result
from benchmarks.schedule_pyworkforce import pyworkforce_side
from benchmarks.schedule_week import (
    GAP_REL,
    INTERVAL_MIN,
    TIME_LIMIT_S,
    TZ,
    WEEK_START,
    block,
    make_requirement,
    make_rules,
    on_duty,
    score,
)

ROOT = Path(__file__).resolve().parents[1]
GOAL_GAP, GOAL_S = 0.005, 60.0
CAP_S = TIME_LIMIT_S + 60  # a variant still running then is ended (with its solver)
LP_METHODS = ("ipm",)  # add "simplex" (HiGHS's default for an LP) to time it
VARIANTS = (("highs", "two_phase"), ("highs", "exact"), ("cbc", "two_phase"), ("cbc", "exact"))


def lp_bound(requirement: pd.DataFrame) -> dict:
    """The full model's LP relaxation optimum (a lower bound on any schedule's objective),
    by HiGHS's interior point method (and by its default, simplex, if LP_METHODS says
    so), with the model's size."""
    from staffing.schedule.solver import build_model

    rules = make_rules()
    required, tpl, day_of = block(requirement, rules)
    started = time.perf_counter()
    model = build_model("bench", required, tpl, rules, day_of)
    build_s = time.perf_counter() - started
    out = {"templates": len(tpl.start), "break_rows": len(tpl.break_shift),
           "integer_variables": sum(1 for v in model.problem.variables() if v.cat == "Integer"),
           "variables": len(model.problem.variables()),
           "constraints": len(model.problem.constraints),
           "build_model_s": round(build_s, 2)}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.mps")
        model.problem.writeMPS(path)
        for method in LP_METHODS:
            out.update(_lp_relaxation(path, method, model.problem.objective.constant,
                                      first="lp_bound" not in out))
    return out


def _lp_relaxation(path: str, method: str, constant: float | None, first: bool) -> dict:
    """The LP relaxation of the MPS model at `path` by HiGHS's `method`: its optimum
    (as lp_bound, when `first`) and seconds, or its status when it is not optimal."""
    import highspy

    from staffing.schedule.highs import SilentHighs  # no banner on the terminal

    highs = SilentHighs()
    highs.readModel(path)
    lp = highs.getLp()
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * lp.num_col_
    highs.passModel(lp)
    highs.setOptionValue("solver", method)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return {f"lp_{method}_status": str(status)}
    value = float(highs.getInfo().objective_function_value) + float(constant or 0.0)
    return ({"lp_bound": round(value, 2)} if first else {}) | {
        f"lp_{method}_s": round(seconds, 2)}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def variant(solver: str, method: str) -> dict:
    """One variant in this process: two phases through `schedule`, exact through
    `build_model` + `solve_model`; its numbers and what the solver said."""
    records = _Records()
    logging.getLogger("staffing").addHandler(records)
    logging.getLogger("staffing").setLevel(logging.INFO)
    requirement = make_requirement()
    rules = make_rules(solver, method)
    required, tpl, day_of = block(requirement, rules)
    started = time.perf_counter()
    if method == "two_phase":
        starts, coverage, said = _two_phase(requirement, rules, tpl)
    else:
        starts, coverage, said = _exact(solver, rules, required, tpl, day_of)
    wall = time.perf_counter() - started
    usage = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
             + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    scored = (score(rules, tpl, required, starts, coverage) if said["status"] != "infeasible"
              else {"schedule": "none found" + (" within the time limit (schedule() would "
                                                "fall back to two phases)"
                                                if said.get("timed_out") else "")})
    return {"solver": solver, "method": method, "wall_s": round(wall, 2), **said, **scored,
            "peak_mib": round(usage), "log": records.lines[-6:]}


def _two_phase(requirement: pd.DataFrame, rules, tpl) -> tuple[np.ndarray, np.ndarray, dict]:
    """`schedule(...)` as a planner runs it: agents per template, agents on duty per
    interval and what the solver said."""
    from staffing import schedule

    plan = schedule(requirement, rules)
    solve = plan.solves.iloc[0]
    found = (plan.shifts.assign(start=pd.DatetimeIndex(plan.shifts["start"]))
             [["start", "length_h", "agents"]])
    index = {(int(s), float(r)): k for k, (s, r) in enumerate(zip(
        tpl.start, np.array([x.length_h for x in rules.shifts])[tpl.rule], strict=True))}
    position = pd.Series(np.arange(len(requirement)),
                         index=pd.DatetimeIndex(requirement["ds"]))
    starts = np.zeros(len(tpl.start), dtype=np.int64)
    for row in found.itertuples():
        starts[index[(int(position[row.start]), float(row.length_h))]] += int(row.agents)
    coverage = plan.coverage["scheduled"].to_numpy(dtype=float)
    said = {"status": solve["status"], "solver_seconds": round(float(solve["seconds"]), 2),
            "solver_objective": round(float(solve["objective"]), 2),
            "solver_bound": round(float(solve["bound"]), 2),
            "solver_gap": round(float(solve["gap"]), 5)}
    if abs(float(plan.shifts["cost"].sum()) - float(tpl.cost @ starts)) > 1e-3:
        said["warning"] = "shift costs differ from the templates' cost of the same starts"
    return starts, coverage, said


def _exact(solver: str, rules, required: np.ndarray, tpl, day_of: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, dict]:
    """`build_model` + `solve_model` on the week: agents per template, agents on duty
    per interval and what the solver said."""
    from staffing.schedule.solver import build_model, solve_model

    model = build_model(f"bench_{solver}", required, tpl, rules, day_of)
    result = solve_model(model, rules)
    coverage = on_duty(tpl, result.starts, result.breaks, len(required))
    said = {"status": result.status, "solver_seconds": round(result.seconds, 2),
            "solver_objective": _round(result.objective),
            "solver_bound": _round(result.bound), "solver_gap": _round(result.gap, 5),
            "timed_out": bool(getattr(result, "timed_out", False))}
    return result.starts, coverage, said


def _round(value: float, digits: int = 2) -> float | None:
    return round(float(value), digits) if np.isfinite(value) else None


def run_variant(solver: str, method: str) -> dict:
    """`variant` in a fresh interpreter, ended with its solver (its process group) if it
    runs past CAP_S."""
    with tempfile.TemporaryDirectory() as folder:
        target, errors = Path(folder) / "out.json", Path(folder) / "stderr.txt"
        with open(errors, "w") as sink:
            child = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.bench_schedule", solver, method,
                 str(target)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sink,
                start_new_session=True)
            started = time.perf_counter()
            try:
                child.wait(timeout=CAP_S)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                return {"solver": solver, "method": method, "status": "killed",
                        "wall_s": round(time.perf_counter() - started, 1),
                        "error": f"still running after {CAP_S:.0f} s; ended"}
        if child.returncode != 0 or not target.exists():
            return {"solver": solver, "method": method, "status": "error",
                    "error": errors.read_text()[-800:]}
        return json.loads(target.read_text())


def run() -> tuple[dict, Path]:
    """The LP bound, the four variants one after the other, then pyworkforce."""
    requirement = make_requirement()
    started = time.perf_counter()
    model = lp_bound(requirement)
    variants = [run_variant(solver, method) for solver, method in VARIANTS]
    bound = model.get("lp_bound")
    for entry in variants:
        if bound is not None and entry.get("objective"):
            entry["gap_to_lp_bound"] = round((entry["objective"] - bound) / entry["objective"], 5)
    theirs = pyworkforce_side(requirement)
    default = variants[0]
    met = bool(default.get("gap_to_lp_bound") is not None
               and default["gap_to_lp_bound"] <= GOAL_GAP and default["wall_s"] < GOAL_S)
    gross = requirement["agents_gross"]
    result = {
        "week": WEEK_START, "tz": TZ, "interval_min": INTERVAL_MIN,
        "requirement": {"intervals": len(requirement), "peak": float(gross.max()),
                        "night_min": float(gross.min()),
                        "agent_intervals": int(np.ceil(gross - 1e-9).sum())},
        "rules": {"shift_lengths_h": [4, 6, 8, 10], "start_step_min": INTERVAL_MIN,
                  "breaks": "ScheduleRules defaults", "time_limit_s": TIME_LIMIT_S,
                  "gap_rel": GAP_REL, "under_penalty": 500.0, "over_penalty": 1.0,
                  "hourly_cost": 25.0},
        "model": model,
        "machine_load_average_1min": round(os.getloadavg()[0], 2),
        "variants": variants,
        "pyworkforce": theirs,
        "total_s": round(time.perf_counter() - started, 1),
        "goal": {"variant": "highs two_phase", "gap_to_lp_bound_at_most": GOAL_GAP,
                 "wall_s_under": GOAL_S},
        "goal_met": met}
    return result, write_result("schedule", result)


if __name__ == "__main__":  # one variant in its own process: solver method target.json
    chosen_solver, chosen_method, out_path = sys.argv[1:4]
    Path(out_path).write_text(json.dumps(variant(chosen_solver, chosen_method)))

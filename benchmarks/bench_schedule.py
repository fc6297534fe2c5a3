"""Shift design for one peak week: peakplan's `staffing.schedule` (design and solver) with
HiGHS and CBC, each in two phases (the default) and exactly, against the full model's LP
relaxation bound; and pyworkforce's `MinRequiredResources` on the same requirement.

Data: the week of Monday 23 November 2026 (Black Friday) at 15-minute intervals for one
24/7 queue: about 300 agents on duty at the weekday mid-day peak, 60 at night, weekends
lower (`make_requirement`). Shifts of 4, 6, 8 and 10 h (`ScheduleRules` defaults, with
their break windows: one paid 15-minute break on 4 and 6 h shifts, a 15-minute paid
break and a 30-minute unpaid one on 8 and 10 h shifts) may start every 15 minutes; time
limit 60 s, gap_rel 0.005.

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

pyworkforce 0.5.1 (its own venv, shared with bench_erlang_speed) cannot model breaks nor
shifts that cross midnight (each day's periods are covered on their own), so it gets every
4/6/8/10 h shift that starts on the 15-minute grid and ends by midnight, no breaks, and
its coverage constraint is hard. It runs twice: on the requirement as it is, and on the
requirement grossed up by the templates' average break share (the usual allowance).
Its schedules are then costed with peakplan's cost per paid hour (premiums included) and
checked against the same requirement after the agents take the rules' breaks, placed
greedily where cover is most plentiful and by peakplan's own break-placement step.

Goal: the default HiGHS two-phase schedule within 0.5% of the LP bound in under 60 s.
"""

from __future__ import annotations

import contextlib
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

from benchmarks.bench_erlang_speed import pyworkforce_python
from benchmarks.common import write_result

ROOT = Path(__file__).resolve().parents[1]
WEEK_START, TZ, INTERVAL_MIN = "2026-11-23", "Europe/Amsterdam", 15
PEAK_AGENTS, NIGHT_AGENTS = 300, 60
TIME_LIMIT_S, GAP_REL = 60.0, 0.005
GOAL_GAP, GOAL_S = 0.005, 60.0
CAP_S = TIME_LIMIT_S + 60  # a variant still running then is ended (with its solver)
LP_METHODS = ("ipm",)  # add "simplex" (HiGHS's default for an LP) to time it
PYWORKFORCE_LIMIT_S = 60.0
VARIANTS = (("highs", "two_phase"), ("highs", "exact"), ("cbc", "two_phase"), ("cbc", "exact"))
QUEUE = "black_friday"

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


def make_requirement(seed: int = 5) -> pd.DataFrame:
    """Agents on duty needed per 15-minute interval of the week (queue, ds, agents_gross,
    open): NIGHT_AGENTS at night, a morning peak of PEAK_AGENTS at 11:00 on Monday and
    Friday, an afternoon shoulder and an evening tail, weekday factors (Saturday 0.7 and
    Sunday 0.55 of the day-time load) and 3% noise; fractional, as the Erlang step gives."""
    ds = pd.date_range(WEEK_START, periods=7 * 96, freq=f"{INTERVAL_MIN}min", tz=TZ)
    hour = (ds.hour + (ds.minute + INTERVAL_MIN / 2) / 60).to_numpy()
    shape = (np.exp(-0.5 * ((hour - 11.0) / 2.3) ** 2)
             + 0.85 * np.exp(-0.5 * ((hour - 15.5) / 2.2) ** 2)
             + 0.35 * np.exp(-0.5 * ((hour - 20.0) / 1.6) ** 2))
    shape = shape / shape.max()
    day = np.array([1.0, 0.96, 0.94, 0.97, 1.0, 0.7, 0.55])[ds.day_of_week.to_numpy()]
    rng = np.random.default_rng(seed)
    noise = rng.lognormal(0.0, 0.03, len(ds))
    gross = NIGHT_AGENTS + (PEAK_AGENTS - NIGHT_AGENTS) * shape * day * noise
    return pd.DataFrame({"queue": QUEUE, "ds": ds, "agents_gross": np.round(gross, 2),
                         "open": True})


def make_rules(solver: str = "highs", method: str = "two_phase"):
    """The default shift lengths and breaks, starts every 15 minutes, 60 s, gap 0.5%."""
    from staffing import ScheduleRules

    return ScheduleRules(start_step_min=INTERVAL_MIN, time_limit_s=TIME_LIMIT_S,
                         gap_rel=GAP_REL, solver=solver, method=method)


def _block(requirement: pd.DataFrame, rules):
    """required agents (whole), templates and day numbers, as `schedule` makes them."""
    from staffing import templates

    ds = requirement["ds"]
    required = np.ceil(requirement["agents_gross"].to_numpy(dtype=float) - 1e-9)
    tpl = templates(ds, requirement["open"].to_numpy(dtype=bool), rules, INTERVAL_MIN)
    return required, tpl, pd.factorize(ds.dt.date)[0]


def on_duty(tpl, starts: np.ndarray, breaks: np.ndarray, count: int) -> np.ndarray:
    """Agents on duty and not on a break per interval (breaks: rows of break row,
    interval, agents)."""
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, tpl.start + tpl.length, -starts)
    on = np.cumsum(duty)[:count]
    for row, t, agents in np.asarray(breaks, dtype=np.int64).reshape(-1, 3):
        on[t: t + tpl.break_length[row]] -= agents
    return on


def _score(rules, tpl, required, starts, on) -> dict:
    short = float(np.clip(required - on, 0, None).sum())
    over = float(np.clip(on - required, 0, None).sum())
    wages = float(tpl.cost @ starts)
    return {"shifts": int(starts.sum()), "paid_hours": round(float(tpl.paid_h @ starts), 2),
            "cost": round(wages, 2),
            "objective": round(wages + rules.under_penalty * short + rules.over_penalty * over,
                               2),
            "agent_intervals_short": short, "intervals_short": int(np.sum(required - on > 0)),
            "agent_intervals_over": over}


def lp_bound(requirement: pd.DataFrame) -> dict:
    """The full model's LP relaxation optimum (a lower bound on any schedule's objective),
    by HiGHS's interior point method and by its default (simplex, as `solve_two_phase`
    calls it through PuLP), with the model's size."""
    import highspy

    from staffing.schedule.solver import build_model

    rules = make_rules()
    required, tpl, day_of = _block(requirement, rules)
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
            with _no_stdout():  # HiGHS prints its banner past sys.stdout
                highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
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
                out[f"lp_{method}_status"] = str(status)
                continue
            value = float(highs.getInfo().objective_function_value) + float(
                model.problem.objective.constant or 0.0)
            out.setdefault("lp_bound", round(value, 2))
            out[f"lp_{method}_s"] = round(seconds, 2)
    return out


@contextlib.contextmanager
def _no_stdout():
    """File descriptor 1 on /dev/null for the duration."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


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
    required, tpl, day_of = _block(requirement, rules)
    started = time.perf_counter()
    if method == "two_phase":
        from staffing import schedule

        plan = schedule(requirement, rules)
        wall = time.perf_counter() - started
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
    else:
        from staffing.schedule.solver import build_model, solve_model

        model = build_model(f"bench_{solver}", required, tpl, rules, day_of)
        result = solve_model(model, rules)
        wall = time.perf_counter() - started
        starts = result.starts
        coverage = on_duty(tpl, starts, result.breaks, len(required))
        said = {"status": result.status, "solver_seconds": round(result.seconds, 2),
                "solver_objective": _round(result.objective),
                "solver_bound": _round(result.bound), "solver_gap": _round(result.gap, 5),
                "timed_out": bool(getattr(result, "timed_out", False))}
    usage = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
             + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    score = (_score(rules, tpl, required, starts, coverage) if said["status"] != "infeasible"
             else {"schedule": "none found" + (" within the time limit (schedule() would "
                                               "fall back to two phases)"
                                               if said.get("timed_out") else "")})
    return {"solver": solver, "method": method, "wall_s": round(wall, 2), **said, **score,
            "peak_mib": round(usage), "log": records.lines[-6:]}


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


def _pyworkforce_input(requirement: pd.DataFrame) -> tuple[dict, list[np.ndarray], dict]:
    """MinRequiredResources' arguments: every shift of a rule's length on the 15-minute
    grid that ends by midnight (named "<length>h_<HH:MM>"), its coverage of the day's 96
    periods, its cost as whole cents of peakplan's weekday cost, the requirement per day
    (as it is and with the break allowance); and where each shift of each day is among
    peakplan's templates."""
    rules = make_rules()
    required, tpl, _ = _block(requirement, rules)
    periods = 24 * 60 // INTERVAL_MIN
    lengths = np.array([r.length_h for r in rules.shifts])
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
    # the templates' share of time on a break (as staffing.schedule.solver estimates it)
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
    cover closest to the requirement; a private helper of staffing.schedule.solver, so None if it
    has changed shape)."""
    try:
        from staffing.schedule.solver import _place_breaks

        return np.asarray(_place_breaks(required, tpl, rules, starts), dtype=np.int64)
    except (ImportError, TypeError, ValueError):
        return None


def pyworkforce_side(requirement: pd.DataFrame) -> dict:
    """MinRequiredResources on the week, costed and checked the peakplan way."""
    python, why_not = pyworkforce_python()
    if python is None:
        return {"ran": False, "why": why_not}
    data, days, info = _pyworkforce_input(requirement)
    rules = make_rules()
    required, tpl, _ = _block(requirement, rules)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.json", Path(folder) / "out.json"
        source.write_text(json.dumps(data))
        started = time.perf_counter()
        done = subprocess.run([str(python), "-c", PYWORKFORCE_RUN, str(source), str(target)],
                              capture_output=True, text=True, cwd=tempfile.gettempdir())
        wall = time.perf_counter() - started
        if done.returncode != 0 or not target.exists():
            return {"ran": False, "why": done.stderr.strip()[-800:]}
        out = json.loads(target.read_text())
    runs = {}
    for label, run, asked in zip(("as_required", "with_break_allowance"), out["runs"], days,
                                 strict=True):
        entry = {"status": run["status"], "seconds": round(run["seconds"], 2),
                 "agent_period_demand": int(asked.sum())}
        if run["status"] not in ("OPTIMAL", "FEASIBLE"):
            runs[label] = {**entry, "why": "no schedule"}
            continue
        starts = np.zeros(len(tpl.start), dtype=np.int64)
        for item in run["resources_shifts"]:
            starts[info["template"][item["shift"]][item["day"]]] += item["resources"]
        entry["pyworkforce_objective_cents"] = run["cost"]
        entry["pyworkforce_bound_cents"] = run["bound"]
        no_breaks = on_duty(tpl, starts, np.zeros((0, 3)), len(required))
        entry["without_breaks"] = _score(rules, tpl, required, starts, no_breaks)
        for key, breaks in (("after_breaks_greedy", place_breaks(tpl, starts, required)),
                            ("after_breaks_peakplan", _peakplan_breaks(tpl, rules, starts,
                                                                       required))):
            if breaks is not None:
                entry[key] = _score(rules, tpl, required, starts,
                                    on_duty(tpl, starts, breaks, len(required)))
        runs[label] = entry
    return {"ran": True, "version": out["version"],
            "api": "pyworkforce.scheduling.MinRequiredResources(num_days=7, periods=96, "
                   f"num_search_workers=2, max_search_time={PYWORKFORCE_LIMIT_S:g})",
            "shifts_offered": len(data["coverage"]),
            "modelling": [
                "15-minute periods (96 a day) work: no need to fall back to hours",
                "no break windows: MinRequiredResources has no breaks; its schedules are "
                "checked after the rules' breaks are placed, greedily (place_breaks) and "
                "by peakplan's own break step (staffing.schedule.solver._place_breaks, the best "
                "placement for the given shifts)",
                "no shifts across midnight: each day's periods are covered on their own, so "
                "the night is covered by shifts ending at 24:00 and starting at 00:00",
                "coverage is a hard >= constraint (no under/over penalties)",
                "cost_dict is one cost per shift for every day: weekday cents of peakplan's "
                "cost (night premium included); the weekend premium scales a whole day, "
                "so the per-day optimum is the same, and every schedule is re-costed here "
                "with peakplan's templates (premiums, unpaid breaks)",
                f"break allowance: requirement / (1 - {info['break_share']:.4f}), rounded up"],
            "wall_s_with_start_up": round(wall, 2), "runs": runs}


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

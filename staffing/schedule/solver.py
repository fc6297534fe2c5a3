"""The shift-design model in PuLP: the only module that imports pulp.

How many agents start each shift template so that coverage meets the requirement in every
interval at the least cost. Breaks are implicit (Aykin 1996): for each template and break,
integer variables say how many of its agents take the break at each allowed start, so a
break lands anywhere in its window without a template per placement. Under- and
over-staffing are soft, with penalties, so every solve gives a schedule. HiGHS (via
highspy) is the default solver, CBC the fallback; each result states its status and its
gap to a proven lower bound, never a bare "Optimal" for a time-limited solve.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pulp

from data.errors import ConfigError
from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["ShiftModel", "SolveResult", "build_model", "solve_model", "solve_two_phase"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SolveResult:
    """status: optimal (gap within the rules' gap_rel), feasible (a schedule with the
    stated gap, e.g. stopped by the time limit), "no solution in time" or infeasible;
    objective and bound in cost units; gap = (objective - bound) / objective."""

    status: str
    solver: str
    objective: float
    bound: float
    gap: float
    seconds: float
    starts: np.ndarray
    breaks: np.ndarray
    under: np.ndarray
    over: np.ndarray
    timed_out: bool = False


@dataclass
class ShiftModel:
    """The PuLP problem and its variables (kept to read the solution)."""

    problem: pulp.LpProblem
    shift_vars: list
    break_vars: list  # per break row of the templates: {start interval: variable}
    under: list
    over: list


def build_model(name: str, required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                day_of: np.ndarray, pinned: np.ndarray | None = None) -> ShiftModel:
    """The mixed-integer model for one block of intervals (`required` agents each;
    `day_of` the day number of each interval, for the per-day limits; `pinned` the
    agents already published per template, kept as lower bounds)."""
    count = len(required)
    problem = pulp.LpProblem(_safe(name), pulp.LpMinimize)
    lows = np.zeros(len(tpl.start)) if pinned is None else pinned
    shifts = [problem.add_variable(f"start_{k}", lowBound=int(lows[k]), cat="Integer")
              for k in range(len(tpl.start))]
    under = [problem.add_variable(f"under_{t}", lowBound=0) for t in range(count)]
    over = [problem.add_variable(f"over_{t}", lowBound=0) for t in range(count)]
    on_duty: list[list] = [[] for _ in range(count)]
    for k, (first, span) in enumerate(zip(tpl.start, tpl.length, strict=True)):
        for t in range(first, first + span):
            on_duty[t].append(shifts[k])
    off: list[list] = [[] for _ in range(count)]
    breaks = []
    for row in range(len(tpl.break_shift)):
        places = {}
        for t in range(tpl.break_first[row], tpl.break_last[row] + 1):
            var = problem.add_variable(f"break_{row}_{t}", lowBound=0, cat="Integer")
            places[t] = var
            for u in range(t, min(t + tpl.break_length[row], count)):
                off[u].append(var)
        breaks.append(places)
        problem += (pulp.lpSum(places.values()) == shifts[tpl.break_shift[row]],
                    f"break_{row}_taken_once")
    for t in range(count):
        problem += (pulp.lpSum(on_duty[t]) - pulp.lpSum(off[t]) + under[t] - over[t]
                    == float(required[t]), f"cover_{t}")
    _day_limits(problem, shifts, tpl, rules, day_of)
    problem += (pulp.lpSum(float(c) * v for c, v in zip(tpl.cost, shifts, strict=True))
                + rules.under_penalty * pulp.lpSum(under)
                + rules.over_penalty * pulp.lpSum(over))
    return ShiftModel(problem, shifts, breaks, under, over)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name) or "schedule"


def _day_limits(problem, shifts, tpl: Templates, rules: ScheduleRules,
                day_of: np.ndarray) -> None:
    start_day = day_of[tpl.start]
    for day in np.unique(start_day):
        mine = np.flatnonzero(start_day == day)
        total = pulp.lpSum(shifts[k] for k in mine)
        if rules.max_agents_per_day:
            problem += (total <= rules.max_agents_per_day, f"day_{day}_headcount")
        if rules.part_time_max_share < 1:
            part = pulp.lpSum(shifts[k] for k in mine if tpl.part_time[k])
            problem += (part <= rules.part_time_max_share * total, f"day_{day}_part_time")


def _solver(rules: ScheduleRules, relaxed: bool = False, seconds: float | None = None,
            interior: bool = False):
    """The rules' solver for a MIP (or its LP relaxation), stopping after `seconds`
    (default: the rules' time limit). `interior`: HiGHS solves the relaxation by interior
    point, several times faster than simplex here (for bounds, not for vertices)."""
    limit = max(1.0, rules.time_limit_s if seconds is None else seconds)
    if rules.solver == "highs":
        if not pulp.HiGHS().available():
            raise ConfigError("schedule.solver", "highs", "HiGHS (highspy) is not installed; "
                              "install highspy or choose solver = 'cbc'")
        extra = {"solver": "ipm"} if relaxed and interior else {}
        return pulp.HiGHS(msg=False, timeLimit=limit, gapRel=rules.gap_rel,
                          mip=not relaxed, **extra)
    return _cbc(timeLimit=limit, gapRel=rules.gap_rel, mip=not relaxed)


def _cbc(**options):
    """CBC: the binary PuLP bundles (PuLP 3 marks that route deprecated in favour of a
    separately installed CBC, which COIN_CMD finds when present)."""
    if pulp.COIN_CMD().available():
        return pulp.COIN_CMD(msg=False, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if not pulp.PULP_CBC_CMD().available():
            raise ConfigError("schedule.solver", "cbc", "CBC is not available: install "
                              "pulp[cbc] or choose solver = 'highs'")
        return pulp.PULP_CBC_CMD(msg=False, **options)


def solve_model(model: ShiftModel, rules: ScheduleRules, *,
                write_to: Path | None = None) -> SolveResult:
    """Solve the whole model exactly with the rules' solver (`method = "exact"`); the
    bound is HiGHS's own dual bound, or for CBC the LP relaxation's optimum."""
    if write_to is not None:
        model.problem.writeLP(str(write_to))
    started = time.perf_counter()
    problem = model.problem
    lp_bound = None
    if rules.solver == "cbc":
        lp_bound = _relaxed_bound(model, rules)
    with _quiet():
        problem.solve(_solver(rules))
    seconds = time.perf_counter() - started
    objective = pulp.value(problem.objective)
    if objective is None or problem.sol_status not in (1, 2):
        timed_out = _timed_out(problem, rules) or seconds >= 0.95 * rules.time_limit_s
        return SolveResult("no solution in time" if timed_out else "infeasible",
                           rules.solver, float("nan"), float("nan"), float("nan"), seconds,
                           *_empty(model), timed_out=timed_out)
    objective = float(objective)
    if rules.solver == "highs":
        info = problem.solverModel.getInfo()
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else objective
    else:
        bound = float(lp_bound) if lp_bound is not None else float("nan")
    return _result(rules, objective, bound, seconds, _timed_out(problem, rules),
                   *_values(model))


def _result(rules, objective, bound, seconds, timed_out, *values) -> SolveResult:
    gap = max(0.0, (objective - bound) / abs(objective)) if objective else 0.0
    status = "optimal" if gap <= rules.gap_rel + 1e-9 and not timed_out else "feasible"
    log.info("%s: cost %.1f, bound %.1f, gap %.3f%%, %.1f s", status, objective, bound,
             100 * gap, seconds)
    return SolveResult(status, rules.solver, objective, bound, gap, seconds, *values,
                       timed_out=timed_out)


def _relaxed_bound(model: ShiftModel, rules: ScheduleRules) -> float:
    """The optimum of the model's LP relaxation: a lower bound on any schedule's cost."""
    with _quiet():
        model.problem.solve(_solver(rules, relaxed=True, interior=True))
    return float(pulp.value(model.problem.objective))


@contextlib.contextmanager
def _quiet():
    """Keep the solver's banner off the terminal (HiGHS prints it from C++ on first use,
    past Python's sys.stdout): point file descriptor 1 at /dev/null while solving."""
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (e.g. some test runners): nothing to hide
        yield
        return
    try:
        with open(os.devnull, "w") as sink:
            sys.stdout.flush()
            os.dup2(sink.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def solve_two_phase(model: ShiftModel, required: np.ndarray, tpl: Templates,
                    rules: ScheduleRules, day_of: np.ndarray, lows: np.ndarray, *,
                    write_to: Path | None = None, rounds: int = 4) -> SolveResult:
    """The default method, in rounds: (1) choose the shifts for the requirement plus the
    agents expected on a break in each interval (a model with one integer per template
    and whole coefficients, which solves in a blink), (2) place those shifts' breaks
    where coverage can best spare them (a linear program whose optimum is whole), and
    carry where the breaks fell into the next round; keep the cheapest schedule. (3) The
    full model's LP relaxation bounds it, so the stated gap is to a proven lower bound."""
    if write_to is not None:
        model.problem.writeLP(str(write_to))
    started = time.perf_counter()
    bound = _relaxed_bound(model, rules)
    count = len(required)
    lows = np.zeros(len(tpl.start)) if lows is None else lows
    guided = _lp_guided(model, required, tpl, rules, day_of, lows, started)
    if guided is not None:
        cost, values, timed_out = guided
        if (cost - bound) / max(abs(cost), 1e-9) <= rules.gap_rel:
            return _result(rules, cost, min(bound, cost), time.perf_counter() - started,
                           False, *values)
    # where the LP relaxation takes its breaks is the first guess of who is off duty
    on_break = np.zeros(count)
    for row, places in enumerate(model.break_vars):
        for t, var in places.items():
            on_break[t: t + tpl.break_length[row]] += var.varValue or 0.0
    if not on_break.any():
        share = _break_share(tpl)
        on_break = required * share / max(1 - share, 1e-9)
    on_break = np.ceil(on_break - 1e-6)
    best, timed_out = None, False
    if guided is not None:
        best = (guided[0], *guided[1])
    for done_rounds in range(rounds):
        # the rounds share half of what is left; the polish gets the rest
        left = rules.time_limit_s - (time.perf_counter() - started)
        budget = left / 2 / (rounds - done_rounds)
        if best is not None and budget < 1:
            break
        starts, stopped = _choose_shifts(required + on_break, tpl, rules, day_of, lows,
                                         seconds=max(budget, 1.0))
        if starts is None:
            break
        timed_out |= stopped
        placed = _place_breaks(required, tpl, rules, starts)
        on = _duty(tpl, starts, placed, count)
        short, extra = np.clip(required - on, 0, None), np.clip(on - required, 0, None)
        cost = float(tpl.cost @ starts + rules.under_penalty * short.sum()
                     + rules.over_penalty * extra.sum())
        if best is None or cost < best[0] - 1e-9:
            best = (cost, starts, placed, short, extra)
        breaks_now = _duty(tpl, starts, np.zeros((0, 3), dtype=np.int64), count) - on
        if np.allclose(breaks_now, on_break):
            break
        on_break = breaks_now
    if best is None:
        return SolveResult("infeasible", rules.solver, float("nan"), bound, float("nan"),
                           time.perf_counter() - started, *_empty(model))
    cost, *values = best
    left = rules.time_limit_s - (time.perf_counter() - started)
    if (cost - bound) / max(abs(cost), 1e-9) > rules.gap_rel and left > 1:
        polished = _polish(model, rules, values, left)
        if polished is not None and polished[0] <= cost + 1e-6:
            cost, bound, timed_out, values = polished[0], max(bound, polished[1]), \
                polished[2], polished[3]
    return _result(rules, cost, min(bound, cost), time.perf_counter() - started, timed_out,
                   *values)


def _polish(model: ShiftModel, rules: ScheduleRules, values, seconds: float):
    """Solve the full model from the rounds' schedule as a starting solution, for the
    time left: (cost, bound, timed out, values) of the best schedule found, or None."""
    starts, placed, under, over = values
    for var, value in zip(model.shift_vars, starts, strict=True):
        var.setInitialValue(int(value))
    chosen = {(int(r), int(t)): int(n) for r, t, n in placed}
    for row, places in enumerate(model.break_vars):
        for t, var in places.items():
            var.setInitialValue(chosen.get((row, t), 0))
    for var, value in zip(model.under, under, strict=True):
        var.setInitialValue(float(value))
    for var, value in zip(model.over, over, strict=True):
        var.setInitialValue(float(value))
    if rules.solver == "highs":
        return _polish_highs(model, rules, seconds)
    solver = _cbc(timeLimit=seconds, gapRel=rules.gap_rel, warmStart=True)
    with _quiet():
        model.problem.solve(solver)
    objective = pulp.value(model.problem.objective)
    if objective is None or model.problem.sol_status not in (1, 2):
        return None
    return float(objective), -np.inf, _timed_out(model.problem, rules), _values(model)


def _polish_highs(model: ShiftModel, rules: ScheduleRules, seconds: float):
    """HiGHS on the full model with the starting solution set (PuLP's HiGHS interface
    cannot pass one): the model goes through an MPS file to highspy and back by name."""
    import tempfile

    import highspy

    problem = model.problem
    variables = problem.variables()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.mps")
        problem.writeMPS(path)
        with _quiet():
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
            highs.readModel(path)
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", float(rules.gap_rel))
    names = highs.getLp().col_names_
    start = {v.name: (v.varValue if v.varValue is not None else 0.0) for v in variables}
    solution = highspy.HighsSolution()
    solution.col_value = [float(start.get(name, 0.0)) for name in names]
    solution.value_valid = True
    highs.setSolution(solution)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None
    found = dict(zip(names, highs.getSolution().col_value, strict=True))
    for var in variables:
        var.varValue = found.get(var.name, var.varValue)
    timed_out = highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    objective = float(info.objective_function_value) + float(
        problem.objective.constant or 0.0)
    return objective, float(info.mip_dual_bound), timed_out, _values(model)


def _lp_guided(model: ShiftModel, required: np.ndarray, tpl: Templates,
               rules: ScheduleRules, day_of: np.ndarray, lows: np.ndarray, started: float):
    """The full model over only the shift templates the LP relaxation uses, each at most
    its LP value rounded up plus two (a relaxation-induced neighbourhood): a far smaller
    MIP whose schedules are schedules of the full model. Returns (cost, values, timed
    out) or None when it finds nothing. Reads the relaxation just solved."""
    lp = np.array([v.varValue or 0.0 for v in model.shift_vars])
    keep = np.flatnonzero((lp > 1e-6) | (lows > 0))
    if keep.size == 0:
        return None
    small = _subset(tpl, keep)
    left = rules.time_limit_s - (time.perf_counter() - started)
    if left < 1:
        return None
    sub = build_model("guided", required, small, rules, day_of, lows[keep])
    for var, cap in zip(sub.shift_vars, np.ceil(lp[keep] - 1e-6) + 2, strict=True):
        var.upBound = max(int(cap), int(var.lowBound or 0))
    with _quiet():
        sub.problem.solve(_solver(rules, seconds=left * 0.6))
    if pulp.value(sub.problem.objective) is None or sub.problem.sol_status not in (1, 2):
        return None
    starts_small, placed_small, _, _ = _values(sub)
    starts = np.zeros(len(tpl.start), dtype=np.int64)
    starts[keep] = starts_small
    rows = np.flatnonzero(np.isin(tpl.break_shift, keep))  # small's break rows, in order
    placed = placed_small.copy()
    if len(placed):
        placed[:, 0] = rows[placed_small[:, 0]]
    on = _duty(tpl, starts, placed, len(required))
    short, extra = np.clip(required - on, 0, None), np.clip(on - required, 0, None)
    cost = float(tpl.cost @ starts + rules.under_penalty * short.sum()
                 + rules.over_penalty * extra.sum())
    return cost, (starts, placed, short, extra), _timed_out(sub.problem, rules)


def _subset(tpl: Templates, keep: np.ndarray, breaks: bool = True) -> Templates:
    """The templates `keep` (indices, increasing) with their breaks (or none),
    renumbered."""
    rows = np.flatnonzero(np.isin(tpl.break_shift, keep) & breaks)
    renumber = np.full(len(tpl.start), -1)
    renumber[keep] = np.arange(len(keep))
    return Templates(
        tpl.start[keep], tpl.length[keep], tpl.rule[keep], tpl.paid_h[keep], tpl.cost[keep],
        tpl.part_time[keep], renumber[tpl.break_shift[rows]], tpl.break_no[rows],
        tpl.break_first[rows], tpl.break_last[rows], tpl.break_length[rows],
        tpl.break_paid[rows])


def _break_share(tpl: Templates) -> float:
    """The share of shift time spent on breaks, over all templates."""
    off = np.bincount(tpl.break_shift, weights=tpl.break_length, minlength=len(tpl.start))
    return float(off.sum() / max(tpl.length.sum(), 1))


def _choose_shifts(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                   day_of: np.ndarray, lows: np.ndarray, seconds: float | None = None
                   ) -> tuple[np.ndarray | None, bool]:
    """Whole agents per template covering `required` (breaks already added to it): the
    full model without its break variables."""
    model = build_model("shifts", required, _subset(tpl, np.arange(len(tpl.start)),
                                                    breaks=False), rules, day_of, lows)
    with _quiet():
        model.problem.solve(_solver(rules, seconds=seconds))
    if pulp.value(model.problem.objective) is None or model.problem.sol_status not in (1, 2):
        return None, False
    starts = np.array([round(v.varValue or 0) for v in model.shift_vars], dtype=np.int64)
    return starts, _timed_out(model.problem, rules)


def _place_breaks(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                  starts: np.ndarray) -> np.ndarray:
    """Break placements (break row, start interval, agents) for the chosen shifts that
    keep coverage closest to the requirement."""
    count = len(required)
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, tpl.start + tpl.length, -starts)
    on = np.cumsum(duty)[:count]
    rows = [r for r in range(len(tpl.break_shift)) if starts[tpl.break_shift[r]] > 0]
    if not rows:
        return np.zeros((0, 3), dtype=np.int64)
    problem = pulp.LpProblem("breaks", pulp.LpMinimize)
    off: list[list] = [[] for _ in range(count)]
    places = {}
    for r in rows:
        mine = []
        for t in range(tpl.break_first[r], tpl.break_last[r] + 1):
            var = problem.add_variable(f"b_{r}_{t}", lowBound=0)
            places[(r, t)] = var
            mine.append(var)
            for u in range(t, min(t + tpl.break_length[r], count)):
                off[u].append(var)
        problem += pulp.lpSum(mine) == int(starts[tpl.break_shift[r]])
    under = [problem.add_variable(f"u_{t}", lowBound=0) for t in range(count)]
    over = [problem.add_variable(f"o_{t}", lowBound=0) for t in range(count)]
    for t in range(count):
        problem += float(on[t]) - pulp.lpSum(off[t]) + under[t] - over[t] == float(required[t])
    problem += rules.under_penalty * pulp.lpSum(under) + rules.over_penalty * pulp.lpSum(over)
    with _quiet():
        problem.solve(_solver(rules, relaxed=True))
    placed = []
    for r in rows:
        values = {t: places[(r, t)].varValue or 0.0 for t in range(tpl.break_first[r],
                                                                     tpl.break_last[r] + 1)}
        whole = {t: int(np.floor(v + 1e-6)) for t, v in values.items()}
        missing = int(starts[tpl.break_shift[r]]) - sum(whole.values())
        for t in sorted(values, key=lambda t: values[t] - whole[t], reverse=True)[:missing]:
            whole[t] += 1
        placed.extend((r, t, n) for t, n in whole.items() if n > 0)
    return np.array(placed, dtype=np.int64).reshape(-1, 3)


def _duty(tpl: Templates, starts: np.ndarray, placed: np.ndarray, count: int) -> np.ndarray:
    duty = np.zeros(count + 1)
    np.add.at(duty, tpl.start, starts)
    np.add.at(duty, tpl.start + tpl.length, -starts)
    on = np.cumsum(duty)[:count]
    for row, t, agents in placed:
        on[t: t + tpl.break_length[row]] -= agents
    return on


def _timed_out(problem, rules: ScheduleRules) -> bool:
    """Whether the solver stopped on its time limit rather than on the gap."""
    if rules.solver == "highs":
        import highspy

        return problem.solverModel.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    # CBC: an integer solution without proof, or nothing at all by the time limit
    return problem.sol_status == 2 or (problem.sol_status == 0 and problem.status != -1)


def _values(model: ShiftModel) -> tuple[np.ndarray, ...]:
    def whole(var) -> int:
        return round(var.varValue or 0.0)

    starts = np.array([whole(v) for v in model.shift_vars], dtype=np.int64)
    breaks = np.array([(row, t, whole(v)) for row, places in enumerate(model.break_vars)
                       for t, v in places.items() if whole(v) > 0], dtype=np.int64)
    under = np.array([v.varValue or 0.0 for v in model.under])
    over = np.array([v.varValue or 0.0 for v in model.over])
    return starts, breaks.reshape(-1, 3), under, over


def _empty(model: ShiftModel) -> tuple[np.ndarray, ...]:
    count = len(model.under)
    return (np.zeros(len(model.shift_vars), dtype=np.int64), np.zeros((0, 3), dtype=np.int64),
            np.zeros(count), np.zeros(count))

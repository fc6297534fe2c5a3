"""The shift-design model in PuLP: the only module that imports pulp.

How many agents start each shift template so that coverage meets the requirement in every
interval at the least cost. Breaks are implicit (Aykin 1996): for each template and break,
integer variables say how many of its agents take the break at each allowed start, so a
break lands anywhere in its window without a template per placement. Under- and
over-staffing are soft, with penalties, so every solve gives a schedule. HiGHS (via
highspy) is the default solver, CBC the fallback; each result states its status and its
gap to a proven lower bound, never a bare "Optimal" for a time-limited solve.

Here: the model, the exact method (`solve_model`) and the solves that the two-phase
method (`staffing.schedule.two_phase`) composes. The solvers are silenced through their
own options (HiGHS: `output_flag` off from its first call, see `staffing.schedule.highs`;
CBC: `msg=False`, its output piped to the null device); CBC's files live in a temporary
folder of their own, removed after each solve. A model file is written only on request
(`write_to`).
"""

from __future__ import annotations

import logging
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pulp

from data.errors import ConfigError
from staffing.schedule.cover import break_span, subset, whole_breaks
from staffing.schedule.matrix import MatrixModel, MatrixSolve
from staffing.schedule.reading import agents_on_break, no_values, read_model, shift_values
from staffing.schedule.result import SolveResult, Values, finish
from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["ShiftModel", "SolveResult", "agents_on_break", "build_model", "choose_shifts",
           "place_breaks", "polish", "relaxed_bound", "shift_values", "solve_capped",
           "solve_matrix_cbc", "solve_model", "write_model"]

log = logging.getLogger(__name__)


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
    breaks = [_break_places(problem, tpl, row, shifts, off)
              for row in range(len(tpl.break_shift))]
    for t in range(count):
        problem += (pulp.lpSum(on_duty[t]) - pulp.lpSum(off[t]) + under[t] - over[t]
                    == float(required[t]), f"cover_{t}")
    _day_limits(problem, shifts, tpl, rules, day_of)
    problem += (pulp.lpSum(float(c) * v for c, v in zip(tpl.cost, shifts, strict=True))
                + rules.under_penalty * pulp.lpSum(under)
                + rules.over_penalty * pulp.lpSum(over))
    return ShiftModel(problem, shifts, breaks, under, over)


def _break_places(problem: pulp.LpProblem, tpl: Templates, row: int, shifts: list,
                  off: list[list]) -> dict:
    """The variables of break `row` by start interval (each of its shift's agents takes
    it once), added to `off` for the intervals the break covers."""
    count = len(off)
    places = {}
    offsets, shares = break_span(tpl.break_length[row])
    for t in range(tpl.break_first[row], tpl.break_last[row] + 1):
        var = problem.add_variable(f"break_{row}_{t}", lowBound=0, cat="Integer")
        places[t] = var
        for u, share in zip(t + offsets, shares, strict=True):
            if u < count:
                off[u].append(var if share == 1 else float(share) * var)
    problem += (pulp.lpSum(places.values()) == shifts[tpl.break_shift[row]],
                f"break_{row}_taken_once")
    return places


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
        if len(np.unique(tpl.rule[mine])) < len(rules.shifts):
            continue  # a day some lengths cannot fit (short opening): no shares that day
        paid = pulp.lpSum(tpl.paid_h[k] * shifts[k] for k in mine)
        for n, rule in enumerate(rules.shifts):
            ours = pulp.lpSum(tpl.paid_h[k] * shifts[k] for k in mine if tpl.rule[k] == n)
            if rule.max_share < 1:
                problem += (ours <= rule.max_share * paid, f"day_{day}_length_{n}_max")
            if rule.min_share > 0:
                problem += (ours >= rule.min_share * paid, f"day_{day}_length_{n}_min")


def write_model(model: ShiftModel, path: Path) -> None:
    """Write the model as an LP file at `path` (on request only: `model_folder`)."""
    model.problem.writeLP(str(path))


# --- the solvers, silent through their own options ----------------------------------------

class _QuietHiGHS(pulp.HiGHS):
    """PuLP's HiGHS (highspy) solver with HiGHS's output off from its first call: PuLP
    sets `output_flag` only after `highspy.Highs()` has printed the banner."""

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        """As PuLP does, on a `SilentHighs` (no callbacks: none are used here)."""
        from staffing.schedule.highs import SilentHighs

        highs = SilentHighs()
        for option, value in (("mip_rel_gap", self.gapRel), ("mip_abs_gap", self.gapAbs),
                              ("time_limit", self.timeLimit)):
            if value is not None:
                highs.setOptionValue(option, float(value))
        if self.threads is not None:
            highs.setOptionValue("threads", self.threads)
        for option, value in self.optionsDict.items():
            highs.setOptionValue(option, value)
        lp.solverModel = highs


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
        return _QuietHiGHS(msg=False, timeLimit=limit, gapRel=rules.gap_rel,
                           gapAbs=rules.agent_shift_cost, mip=not relaxed, **extra)
    return _cbc(timeLimit=limit, gapRel=rules.gap_rel, gapAbs=rules.agent_shift_cost,
                mip=not relaxed)


def _cbc(**options):
    """CBC, silent (`msg=False`: its output goes to the null device): the binary PuLP
    bundles (PuLP 3 marks that route deprecated in favour of a separately installed CBC,
    which COIN_CMD finds when present)."""
    if pulp.COIN_CMD().available():
        return pulp.COIN_CMD(msg=False, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if not pulp.PULP_CBC_CMD().available():
            raise ConfigError("schedule.solver", "cbc", "CBC is not available: install "
                              "pulp[cbc] or choose solver = 'highs'")
        return pulp.PULP_CBC_CMD(msg=False, **options)


def _run(problem: pulp.LpProblem, solver) -> None:
    """Solve `problem` with `solver`. A command-line solver (CBC) exchanges the model,
    solution and starting values through files: they go to a temporary folder of their
    own, removed afterwards even when the solve fails."""
    if not isinstance(solver, pulp.LpSolver_CMD):
        problem.solve(solver)
        return
    with tempfile.TemporaryDirectory(prefix="peakplan-cbc-") as folder:
        solver.tmpDir = folder
        problem.solve(solver)


def _solved(problem: pulp.LpProblem) -> bool:
    """Whether the last solve left a schedule (optimal or integer feasible)."""
    return pulp.value(problem.objective) is not None and problem.sol_status in (1, 2)


def _timed_out(problem: pulp.LpProblem, rules: ScheduleRules) -> bool:
    """Whether the solver stopped on its time limit rather than on the gap."""
    if rules.solver == "highs":
        from staffing.schedule.highs import timed_out

        return timed_out(problem.solverModel)
    # CBC: an integer solution without proof, or nothing at all by the time limit
    return problem.sol_status == 2 or (problem.sol_status == 0 and problem.status != -1)


# --- the exact method -----------------------------------------------------------------------

def solve_model(model: ShiftModel, rules: ScheduleRules, *,
                write_to: Path | None = None) -> SolveResult:
    """Solve the whole model exactly with the rules' solver (`method = "exact"`); the
    bound is HiGHS's own dual bound, or for CBC the LP relaxation's optimum."""
    if write_to is not None:
        write_model(model, write_to)
    started = time.perf_counter()
    problem = model.problem
    lp_bound = None
    if rules.solver == "cbc":
        lp_bound = relaxed_bound(model, rules)
    _run(problem, _solver(rules))
    seconds = time.perf_counter() - started
    if not _solved(problem):
        timed_out = _timed_out(problem, rules) or seconds >= 0.95 * rules.time_limit_s
        return SolveResult("no solution in time" if timed_out else "infeasible",
                           rules.solver, float("nan"), float("nan"), float("nan"), seconds,
                           *no_values(model), timed_out=timed_out)
    objective = float(pulp.value(problem.objective))
    if rules.solver == "highs":
        info = problem.solverModel.getInfo()
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else objective
    else:
        bound = float(lp_bound) if lp_bound is not None else float("nan")
    return finish(rules, objective, bound, seconds, _timed_out(problem, rules),
                  read_model(model))


def relaxed_bound(model: ShiftModel, rules: ScheduleRules) -> float:
    """The optimum of the model's LP relaxation: a lower bound on any schedule's cost
    (cost units). Leaves the relaxation's values in the model's variables."""
    _run(model.problem, _solver(rules, relaxed=True, interior=True))
    return float(pulp.value(model.problem.objective))


# --- the solves the two-phase method composes -----------------------------------------------

def solve_capped(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                 day_of: np.ndarray, lows: np.ndarray, caps: np.ndarray,
                 seconds: float) -> tuple[Values, bool] | None:
    """The full model over the templates `tpl` with each template's agents at most
    `caps` (and at least `lows`), solved for at most `seconds`: its schedule and whether
    the solver stopped on its time limit, or None when it finds none."""
    sub = build_model("guided", required, tpl, rules, day_of, lows)
    for var, cap in zip(sub.shift_vars, caps, strict=True):
        var.upBound = max(int(cap), int(var.lowBound or 0))
    _run(sub.problem, _solver(rules, seconds=seconds))
    if not _solved(sub.problem):
        return None
    return read_model(sub), _timed_out(sub.problem, rules)


def choose_shifts(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                  day_of: np.ndarray, lows: np.ndarray, seconds: float | None = None
                  ) -> tuple[np.ndarray | None, bool]:
    """Whole agents per template covering `required` (breaks already added to it): the
    full model without its break variables."""
    model = build_model("shifts", required, subset(tpl, np.arange(len(tpl.start)),
                                                   breaks=False), rules, day_of, lows)
    _run(model.problem, _solver(rules, seconds=seconds))
    if not _solved(model.problem):
        return None, False
    starts = np.array([round(v.varValue or 0) for v in model.shift_vars], dtype=np.int64)
    return starts, _timed_out(model.problem, rules)


def place_breaks(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
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
        offsets, shares = break_span(tpl.break_length[r])
        for t in range(tpl.break_first[r], tpl.break_last[r] + 1):
            var = problem.add_variable(f"b_{r}_{t}", lowBound=0)
            places[(r, t)] = var
            mine.append(var)
            for u, share in zip(t + offsets, shares, strict=True):
                if u < count:
                    off[u].append(var if share == 1 else float(share) * var)
        problem += pulp.lpSum(mine) == int(starts[tpl.break_shift[r]])
    under = [problem.add_variable(f"u_{t}", lowBound=0) for t in range(count)]
    over = [problem.add_variable(f"o_{t}", lowBound=0) for t in range(count)]
    for t in range(count):
        problem += float(on[t]) - pulp.lpSum(off[t]) + under[t] - over[t] == float(required[t])
    problem += rules.under_penalty * pulp.lpSum(under) + rules.over_penalty * pulp.lpSum(over)
    _run(problem, _solver(rules, relaxed=True))
    return whole_breaks(tpl, starts, rows, {key: var.varValue or 0.0
                                           for key, var in places.items()})


def polish(model: ShiftModel, rules: ScheduleRules, values: Values, seconds: float
           ) -> tuple[float, float, bool, Values] | None:
    """Solve the full model from `values` as a starting solution, for `seconds`:
    (cost, bound, timed out, values) of the best schedule found, or None."""
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
    _run(model.problem, _cbc(timeLimit=seconds, gapRel=rules.gap_rel,
                             gapAbs=rules.agent_shift_cost, warmStart=True))
    if not _solved(model.problem):
        return None
    return (float(pulp.value(model.problem.objective)), -np.inf,
            _timed_out(model.problem, rules), read_model(model))


def _polish_highs(model: ShiftModel, rules: ScheduleRules, seconds: float
                  ) -> tuple[float, float, bool, Values] | None:
    """HiGHS on the full model with the starting solution set (PuLP's HiGHS interface
    cannot pass one): the model goes through an MPS file in a temporary folder to
    highspy and back by name."""
    from staffing.schedule.highs import solve_from_start

    problem = model.problem
    variables = problem.variables()
    start = {v.name: (v.varValue if v.varValue is not None else 0.0) for v in variables}
    with tempfile.TemporaryDirectory(prefix="peakplan-highs-") as folder:
        path = Path(folder) / "model.mps"
        problem.writeMPS(str(path))
        found = solve_from_start(path, start, seconds, rules.gap_rel, rules.agent_shift_cost)
    if found is None:
        return None
    for var in variables:
        var.varValue = found.values.get(var.name, var.varValue)
    objective = found.objective + float(problem.objective.constant or 0.0)
    return objective, found.bound, found.timed_out, read_model(model)


def solve_matrix_cbc(model: MatrixModel, *, seconds: float, gap_rel: float = 0.0,
                     gap_abs: float = 0.0, relaxed: bool = False) -> MatrixSolve:
    """`staffing.schedule.highs.solve_matrix` with CBC (`solver = "cbc"`): the arrays
    as a PuLP problem; the bound is the linear relaxation's optimum (solved first)."""
    bound = None if relaxed else solve_matrix_cbc(model, seconds=seconds, relaxed=True).bound
    problem = pulp.LpProblem("window", pulp.LpMinimize)
    columns = [problem.add_variable(f"c{j}", lowBound=float(lo),
                                    upBound=None if np.isinf(up) else float(up),
                                    cat="Integer" if (flag and not relaxed) else "Continuous")
               for j, (lo, up, flag) in enumerate(zip(model.lower, model.upper,
                                                      model.integer, strict=True))]
    rows: list[list] = [[] for _ in model.row_lower]
    for j in range(model.columns):
        for k in range(model.start[j], model.start[j + 1]):
            rows[model.index[k]].append((columns[j], float(model.value[k])))
    for i, (lo, up) in enumerate(zip(model.row_lower, model.row_upper, strict=True)):
        expression = pulp.LpAffineExpression(rows[i])
        if lo == up:
            problem += expression == float(lo)
        elif np.isfinite(up):
            problem += expression <= float(up)
        if lo != up and np.isfinite(lo):
            problem += expression >= float(lo)
    problem += pulp.lpSum(float(c) * v for c, v in zip(model.cost, columns, strict=True))
    _run(problem, _cbc(timeLimit=max(1.0, seconds), gapRel=gap_rel, gapAbs=gap_abs,
                       mip=not relaxed))
    if not _solved(problem):
        return MatrixSolve(None, float("nan"), float("nan"), problem.sol_status == 0, 0)
    values = np.array([v.varValue or 0.0 for v in columns])
    objective = float(pulp.value(problem.objective))
    stopped = problem.sol_status == 2
    return MatrixSolve(values, objective, objective if bound is None else min(bound, objective),
                       stopped, 0)

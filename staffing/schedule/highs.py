"""HiGHS through highspy, silent from its first call and deterministic (loaded only when
HiGHS solves).

`highspy.Highs()` registers its callbacks in its constructor, and HiGHS prints its
banner ("Running HiGHS ...") at that moment unless its `output_flag` option is already
false; PuLP, and any caller, can set the option only once the constructor has returned.
`SilentHighs` sets it first, so nothing reaches the terminal: no file descriptor is
redirected, and other threads keep their output. It also fixes what could make two runs
differ: one thread and the same random seed on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np

from staffing.schedule.matrix import MatrixModel, MatrixSolve

__all__ = ["MatrixSolve", "SilentHighs", "StartedSolve", "solve_from_start", "solve_matrix",
           "timed_out"]

SEED = 0
"""HiGHS's random seed, the same on every run and machine."""


class SilentHighs(highspy.Highs):
    """`highspy.Highs` with HiGHS's output off (`output_flag = false`) before its
    constructor enables the callbacks, which is when the banner would be printed; one
    thread and a fixed seed, so a solve does not depend on the machine."""

    def enableCallbacks(self) -> None:
        """Turn the output off, then enable the callbacks as highspy does."""
        self.silent()
        self.setOptionValue("threads", 1)
        self.setOptionValue("random_seed", SEED)
        super().enableCallbacks()


@dataclass(frozen=True)
class StartedSolve:
    """A HiGHS solve from a starting solution: the value of each column by name, the
    objective without the model's constant and the dual bound (cost units), whether it
    stopped on its time limit."""

    values: dict[str, float]
    objective: float
    bound: float
    timed_out: bool


def solve_from_start(path: Path, start: dict[str, float], seconds: float,
                     gap_rel: float, gap_abs: float = 0.0) -> StartedSolve | None:
    """Solve the MPS model at `path` from `start` (column values by name, 0 where
    missing) for at most `seconds`, to a relative gap of `gap_rel` or an absolute one of
    `gap_abs` (cost units); None when HiGHS finds no feasible solution."""
    highs = SilentHighs()
    highs.readModel(str(path))
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", float(gap_rel))
    highs.setOptionValue("mip_abs_gap", float(gap_abs))
    names = highs.getLp().col_names_
    solution = highspy.HighsSolution()
    solution.col_value = [float(start.get(name, 0.0)) for name in names]
    solution.value_valid = True
    highs.setSolution(solution)
    highs.run()
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None
    found = dict(zip(names, highs.getSolution().col_value, strict=True))
    return StartedSolve(found, float(info.objective_function_value),
                        float(info.mip_dual_bound), timed_out(highs))


def timed_out(highs: highspy.Highs) -> bool:
    """Whether HiGHS stopped on its time limit rather than on the gap."""
    return highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit


def _passed(model: MatrixModel, relaxed: bool) -> SilentHighs:
    highs = SilentHighs()
    integrality = (np.zeros(model.columns, dtype=np.int32) if relaxed
                   else model.integer.astype(np.int32))
    highs.passModel(model.columns, len(model.row_lower), len(model.index),
                    int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
                    model.cost, model.lower, model.upper, model.row_lower, model.row_upper,
                    model.start.astype(np.int32), model.index.astype(np.int32),
                    model.value, integrality)
    return highs


def solve_matrix(model: MatrixModel, *, seconds: float, gap_rel: float = 0.0,
                 gap_abs: float = 0.0, nodes: int | None = None, relaxed: bool = False,
                 start: np.ndarray | None = None) -> MatrixSolve:
    """Solve `model` (or its LP relaxation, by interior point: a bound) for at most
    `seconds`, stopping within `gap_rel` (a fraction) or `gap_abs` (cost units) of the
    proven bound or after `nodes` branch-and-bound nodes; `start`: column values of a
    schedule to start from."""
    highs = _passed(model, relaxed)
    highs.setOptionValue("time_limit", float(max(seconds, 0.1)))
    if relaxed:
        highs.setOptionValue("solver", "ipm")
    else:
        highs.setOptionValue("mip_rel_gap", float(gap_rel))
        highs.setOptionValue("mip_abs_gap", float(gap_abs))
        if nodes is not None:
            highs.setOptionValue("mip_max_nodes", int(nodes))
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(start, dtype=float)
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    info = highs.getInfo()
    optimal_lp = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    if info.primal_solution_status != 2 or (relaxed and not optimal_lp):
        return MatrixSolve(None, float("nan"), float("nan"), timed_out(highs), 0)
    objective = float(info.objective_function_value)
    bound = objective if relaxed else float(info.mip_dual_bound)
    values = np.asarray(highs.getSolution().col_value, dtype=float)
    return MatrixSolve(values, objective, min(bound, objective), timed_out(highs),
                       int(info.mip_node_count) if not relaxed else 0)

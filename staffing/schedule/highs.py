"""HiGHS through highspy, silent from its first call (loaded only when HiGHS solves).

`highspy.Highs()` registers its callbacks in its constructor, and HiGHS prints its
banner ("Running HiGHS ...") at that moment unless its `output_flag` option is already
false; PuLP, and any caller, can set the option only once the constructor has returned.
`SilentHighs` sets it first, so nothing reaches the terminal: no file descriptor is
redirected, and other threads keep their output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import highspy

__all__ = ["SilentHighs", "StartedSolve", "solve_from_start", "timed_out"]


class SilentHighs(highspy.Highs):
    """`highspy.Highs` with HiGHS's output off (`output_flag = false`) before its
    constructor enables the callbacks, which is when the banner would be printed."""

    def enableCallbacks(self) -> None:
        """Turn the output off, then enable the callbacks as highspy does."""
        self.silent()
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
                     gap_rel: float) -> StartedSolve | None:
    """Solve the MPS model at `path` from `start` (column values by name, 0 where
    missing) for at most `seconds`, to a relative gap of `gap_rel`; None when HiGHS
    finds no feasible solution."""
    highs = SilentHighs()
    highs.readModel(str(path))
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", float(gap_rel))
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

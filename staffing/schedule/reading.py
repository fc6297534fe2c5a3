"""Reading a solved PuLP model (`staffing.schedule.solver.ShiftModel`): its schedule,
and for a relaxation the fractional shifts and breaks the two-phase method starts from.
Reads the variables' values only: no solver here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from staffing.schedule.cover import break_span
from staffing.schedule.result import Values, empty_values
from staffing.schedule.rules import Templates

if TYPE_CHECKING:
    from staffing.schedule.solver import ShiftModel

__all__ = ["agents_on_break", "no_values", "read_model", "shift_values"]


def read_model(model: ShiftModel) -> Values:
    """The last solve's schedule: agents per template, break placements (break row,
    start interval, agents) and agents short and over per interval."""
    def whole(var) -> int:
        return round(var.varValue or 0.0)

    starts = np.array([whole(v) for v in model.shift_vars], dtype=np.int64)
    breaks = np.array([(row, t, whole(v)) for row, places in enumerate(model.break_vars)
                       for t, v in places.items() if whole(v) > 0], dtype=np.int64)
    under = np.array([v.varValue or 0.0 for v in model.under])
    over = np.array([v.varValue or 0.0 for v in model.over])
    return starts, breaks.reshape(-1, 3), under, over


def no_values(model: ShiftModel) -> Values:
    """No schedule, in the model's shape."""
    return empty_values(len(model.shift_vars), len(model.under))


def shift_values(model: ShiftModel) -> np.ndarray:
    """Agents per template in the last solve (fractional after a relaxation)."""
    return np.array([v.varValue or 0.0 for v in model.shift_vars])


def agents_on_break(model: ShiftModel, tpl: Templates, count: int) -> np.ndarray:
    """Agents on a break in each of `count` intervals in the last solve (fractional
    after a relaxation)."""
    on_break = np.zeros(count)
    for row, places in enumerate(model.break_vars):
        offsets, shares = break_span(tpl.break_length[row])
        for t, var in places.items():
            inside = t + offsets < count
            on_break[t + offsets[inside]] += (var.varValue or 0.0) * shares[inside]
    return on_break

"""The shift-design model as arrays: the same mixed-integer program as
`staffing.schedule.solver.build_model` (agents per shift template, implicit breaks per
template and start, under- and over-staffing per interval, the per-day limits), written
straight into a column-wise sparse matrix with NumPy, so that the many small models of
the `windows` method reach the solver in milliseconds. Pure: no solver here.

Columns: the templates' starts, then one per break row and allowed start, then under and
over per interval. Rows: coverage per interval (`cover_<t>`), each break taken once per
agent of its shift, then the per-day headcount and part-time limits when set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from staffing.schedule.cover import break_span
from staffing.schedule.rules import ScheduleRules, Templates

__all__ = ["MatrixModel", "MatrixSolve", "matrix_model", "read_values"]


@dataclass(frozen=True)
class MatrixModel:
    """A minimisation over columns (cost, bounds, integer flags) subject to
    row_lower <= A x <= row_upper, A column-wise (start, index, value); the break
    columns' (break row, start interval) and the number of templates and intervals."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    break_places: np.ndarray
    templates: int
    intervals: int

    @property
    def columns(self) -> int:
        """Number of columns."""
        return len(self.cost)


@dataclass(frozen=True)
class MatrixSolve:
    """A solve of a `MatrixModel`: column values (None when no solution), objective and
    proven lower bound (cost units), whether it stopped on its time limit (not on the gap
    or the node limit), and the branch-and-bound nodes it took."""

    values: np.ndarray | None
    objective: float
    bound: float
    timed_out: bool
    nodes: int


def _break_columns(tpl: Templates, count: int) -> tuple[np.ndarray, list, list, list]:
    """(break row, start) per break column and its entries (row, column, value) in the
    coverage rows and in its row of `break_<n>_taken_once`."""
    spots = tpl.break_last - tpl.break_first + 1
    rows = np.repeat(np.arange(len(spots)), spots)
    first = np.repeat(tpl.break_first, spots)
    starts = first + np.arange(len(rows)) - np.repeat(np.cumsum(spots) - spots, spots)
    places = np.column_stack([rows, starts]).astype(np.int64)
    column = len(tpl.start) + np.arange(len(rows))
    r_parts, c_parts, v_parts = [column * 0 + count + rows], [column], [np.ones(len(rows))]
    for length in np.unique(tpl.break_length):
        mine = np.flatnonzero(tpl.break_length[rows] == length)
        for offset, share in zip(*break_span(length), strict=True):
            inside = mine[starts[mine] + offset < count]
            r_parts.append(starts[inside] + offset)
            c_parts.append(column[inside])
            v_parts.append(np.full(len(inside), -share))
    return places, r_parts, c_parts, v_parts


def _day_rows(tpl: Templates, rules: ScheduleRules, day_of: np.ndarray,
              first_row: int) -> tuple[list, list, list, list, list]:
    """Entries, lower and upper bounds of the per-day limits on the shifts' columns."""
    rows, cols, vals, lower, upper = [], [], [], [], []
    start_day = day_of[tpl.start] if len(tpl.start) else np.zeros(0, dtype=np.int64)
    row = first_row
    for day in np.unique(start_day):
        mine = np.flatnonzero(start_day == day)
        if rules.max_agents_per_day:
            rows.append(np.full(len(mine), row)), cols.append(mine)
            vals.append(np.ones(len(mine)))
            lower.append(-np.inf), upper.append(float(rules.max_agents_per_day))
            row += 1
        if rules.part_time_max_share < 1:
            share = rules.part_time_max_share
            rows.append(np.full(len(mine), row)), cols.append(mine)
            vals.append(np.where(tpl.part_time[mine], 1.0 - share, -share))
            lower.append(-np.inf), upper.append(0.0)
            row += 1
        if len(np.unique(tpl.rule[mine])) < len(rules.shifts):
            continue  # a day some lengths cannot fit (short opening): no shares that day
        for k, rule in enumerate(rules.shifts):  # paid hours on length k within its shares
            ours = (tpl.rule[mine] == k).astype(float)
            limits = [(rule.max_share, -np.inf, 0.0)] if rule.max_share < 1 else []
            limits += [(rule.min_share, 0.0, np.inf)] if rule.min_share > 0 else []
            for share_k, low, high in limits:
                rows.append(np.full(len(mine), row)), cols.append(mine)
                vals.append(tpl.paid_h[mine] * (ours - share_k))
                lower.append(low), upper.append(high)
                row += 1
    return rows, cols, vals, lower, upper


def matrix_model(required: np.ndarray, tpl: Templates, rules: ScheduleRules,
                 day_of: np.ndarray, lows: np.ndarray | None = None) -> MatrixModel:
    """The model for `required` agents per interval (whole or not; below zero where
    agents already on duty exceed the need), `tpl` templates, `day_of` the day number
    of each interval and `lows` the agents pinned per template."""
    count, shifts = len(required), len(tpl.start)
    lows = np.zeros(shifts) if lows is None else np.asarray(lows, dtype=float)
    span = tpl.length
    shift_rows = np.repeat(tpl.start, span) + np.arange(span.sum()) - np.repeat(
        np.cumsum(span) - span, span)
    places, r_parts, c_parts, v_parts = _break_columns(tpl, count)
    breaks = len(places)
    r_parts += [shift_rows, count + np.arange(len(tpl.break_shift))]
    c_parts += [np.repeat(np.arange(shifts), span), tpl.break_shift]
    v_parts += [np.ones(len(shift_rows)), -np.ones(len(tpl.break_shift))]
    slack = shifts + breaks
    r_parts += [np.arange(count), np.arange(count)]
    c_parts += [slack + np.arange(count), slack + count + np.arange(count)]
    v_parts += [np.ones(count), -np.ones(count)]
    d_rows, d_cols, d_vals, d_low, d_up = _day_rows(tpl, rules, day_of,
                                                    count + len(tpl.break_shift))
    rows = np.concatenate(r_parts + d_rows).astype(np.int64)
    cols = np.concatenate(c_parts + d_cols).astype(np.int64)
    vals = np.concatenate(v_parts + d_vals)
    order = np.lexsort((rows, cols))
    total = slack + 2 * count
    start = np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=total))])
    rhs = np.concatenate([np.asarray(required, dtype=float), np.zeros(len(tpl.break_shift))])
    return MatrixModel(
        cost=np.concatenate([tpl.cost, np.zeros(breaks), np.full(count, rules.under_penalty),
                             np.full(count, rules.over_penalty)]).astype(float),
        lower=np.concatenate([lows, np.zeros(total - shifts)]),
        upper=np.full(total, np.inf),
        integer=np.arange(total) < slack,
        start=start.astype(np.int64), index=rows[order], value=vals[order],
        row_lower=np.concatenate([rhs, d_low]), row_upper=np.concatenate([rhs, d_up]),
        break_places=places, templates=shifts, intervals=count)


def read_values(model: MatrixModel, values: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(agents per template, break placements as rows of (break row, start, agents),
    agents short and over per interval) from a solution's column values."""
    shifts, count = model.templates, model.intervals
    starts = np.round(values[:shifts]).astype(np.int64)
    took = np.round(values[shifts: shifts + len(model.break_places)]).astype(np.int64)
    used = took > 0
    placed = np.column_stack([model.break_places[used], took[used]]).astype(np.int64)
    slack = shifts + len(model.break_places)
    return (starts, placed.reshape(-1, 3), values[slack: slack + count],
            values[slack + count: slack + 2 * count])

"""Rostering: give the seats of the designed shifts to named agents.

Hard rules (`RosterRules`), never broken: the agent is skilled for the queue, available
that weekday and date, inside their earliest start / latest end, works one shift a day
with `min_rest_h` between shifts, at most `max_consecutive_days` in a row, at least
`min_days_off_per_week` days off each Monday-Sunday week, at most `max_h_week` paid hours
a week, and within the weekend and peak-day caps. A seat no one can take under these
rules is reported in `unfilled`, never forced.

Soft goals: fill every seat, bring each agent to their contract hours (prorated by the
days they are available), spread nights, weekends and peak days in proportion to contract
hours, and honour preferences when there is slack. See `staffing.roster.build` for the
heuristic (a day-by-day assignment plus a repair pass) and `check_roster` for the
independent audit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data.errors import DataError
from staffing.roster.build import build, repair
from staffing.roster.burnout import burnout_report, fairness_table
from staffing.roster.output import assignments_frame, hours_frame, unfilled_frame
from staffing.roster.prep import prepare_problem
from staffing.roster.rules import RosterRules
from staffing.roster.weekly import improve_weeks

__all__ = ["Roster", "roster"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Roster:
    """A roster and its reports.

    assignments: agent_id, name, date, start, end, break_start, break_end, queue (the
    DESIGN roster contract; break_* is the first break) plus shift_id, paid_h (h) and
    breaks ("HH:MM-HH:MM, ..." of all the agent's breaks);
    unfilled: queue, shift_id, day, start, end, agents_missing;
    burnout: `burnout_report` per agent; fairness: `fairness_table` per agent;
    hours: paid hours per agent and week against target and minimum (`below_min`), with
    the overtime proposed in short weeks and the idle hours of quiet weeks (`hours_frame`)."""

    assignments: pd.DataFrame
    unfilled: pd.DataFrame
    burnout: pd.DataFrame
    fairness: pd.DataFrame
    hours: pd.DataFrame

    @property
    def seats_unfilled(self) -> int:
        """Seats nobody could take."""
        return int(self.unfilled["agents_missing"].sum())

    @property
    def agents_below_min(self) -> pd.DataFrame:
        """Weeks in which an agent's paid hours stay below their (prorated) minimum."""
        return self.hours[self.hours["below_min"]].reset_index(drop=True)


def roster(shifts, breaks=None, agents=None, rules: RosterRules | None = None, *,
           requirements: pd.DataFrame | None = None,
           progress: Callable[[int, int], None] | None = None) -> Roster:
    """Assign agents (`data.read_agents` frame) to the seats of `shifts` (queue, shift_id,
    day, start, end, paid_h, agents; tz-aware times) and deal out `breaks` (queue,
    shift_id, break_no, break_start, break_end, agents per slot; None for no breaks).

    Deterministic: the same inputs give the same roster whatever their row order. With
    `requirements`, the burnout report estimates each agent's scheduled occupancy;
    `progress(weeks done, weeks)` follows the weekly improvement (the slow part).
    DESIGN.md's form `roster(schedule, agents, rules)` with a `staffing.Schedule` works
    too."""
    if hasattr(shifts, "shifts") and hasattr(shifts, "breaks"):  # roster(schedule, ...)
        shifts, breaks, agents, rules = shifts.shifts, shifts.breaks, breaks, \
            agents if rules is None else rules
    if agents is None:
        raise DataError("no agents to roster", expected="the agents file's frame")
    rules = rules or RosterRules()
    problem = prepare_problem(shifts, agents, rules)
    state, missing = build(problem)
    before = int(missing.sum())
    repair(problem, state, missing)
    repaired = int(missing.sum())
    weeks = improve_weeks(problem, state, missing, progress)
    log.info("rostered %d seats, %d unfilled (%d filled by repair, %d by the weekly model "
             "in %.1f s)", int(problem.seats[:-1].sum() - missing.sum()), int(missing.sum()),
             before - repaired, repaired - int(missing.sum()), sum(w.seconds for w in weeks))
    assignments = assignments_frame(problem, state, breaks)
    return Roster(
        assignments=assignments,
        unfilled=unfilled_frame(problem, missing),
        burnout=burnout_report(assignments, problem.agents, rules, requirements),
        fairness=fairness_table(assignments, problem.agents, rules),
        hours=hours_frame(problem, state, missing),
    )

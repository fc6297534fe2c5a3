"""Shift schedules: rules, shift templates, the covering design and its solvers.

`rules` (settings and templates), `design` (`schedule`: a rolling horizon of weekly
blocks per queue, the queues side by side), `block` (one block: a pure function of its
task), `driver` (the chains of blocks on an executor, resumable, with progress),
`windows` (the default method: a block a day at a time), `workforce` (the shift-length
shares a team's contracts can fill), `cover`, `matrix` and `rows`
(coverage arithmetic, the model as arrays, frames) and `result` (what a solve returns)
are pure. `solver` is the only module that imports pulp (the model, the exact method
and the solves), `two_phase` the method composed of them, and `highs` HiGHS through
highspy; they are loaded only when a schedule is solved.
"""

from staffing.schedule.block import BlockResult, BlockTask, solve_block
from staffing.schedule.design import Schedule, schedule
from staffing.schedule.driver import ScheduleProgress
from staffing.schedule.rules import (
    METHODS,
    SOLVERS,
    BreakRule,
    ScheduleRules,
    ShiftRule,
    Templates,
    parse_schedule_rules,
    schedule_rules_table,
    templates,
)
from staffing.schedule.workforce import length_shares, rules_for_team

__all__ = [
    "METHODS", "SOLVERS", "BlockResult", "BlockTask", "BreakRule", "Schedule",
    "ScheduleProgress", "ScheduleRules",
    "ShiftRule", "Templates", "length_shares", "parse_schedule_rules", "rules_for_team",
    "schedule", "schedule_rules_table", "solve_block", "templates",
]

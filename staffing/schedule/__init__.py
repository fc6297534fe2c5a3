"""Shift schedules: rules, shift templates, the covering design and its solver.

`rules` (settings and templates), `design` (`schedule`: week by week, per queue),
`cover` (coverage arithmetic) and `result` (what a solve returns) are pure. `solver` is
the only module that imports pulp (the model, the exact method and the solves),
`two_phase` the default method composed of them, and `highs` HiGHS through highspy;
they are loaded only when a schedule is solved.
"""

from staffing.schedule.design import Schedule, schedule
from staffing.schedule.rules import (
    BreakRule,
    ScheduleRules,
    ShiftRule,
    Templates,
    parse_schedule_rules,
    schedule_rules_table,
    templates,
)

__all__ = [
    "BreakRule", "Schedule", "ScheduleRules", "ShiftRule", "Templates", "parse_schedule_rules",
    "schedule", "schedule_rules_table", "templates",
]

"""Shift schedules: rules, shift templates, the covering design and its solver.

`solver` is the only module that imports pulp, and it is loaded only when a schedule is
solved.
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

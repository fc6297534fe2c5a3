"""peakplan `staffing` stage: from interval forecasts to the agents each queue needs.

Queueing maths (Erlang B, C and A, chat concurrency, email backlog), requirements per
queue and interval, the capacity and hiring plan, shift schedules, rosters and their
exports. Pure functions over frames and
frozen dataclasses; the one exception is `staffing.export.write_exports`.
"""

from staffing.backlog import BacklogPlan, BacklogQueue, backlog_agents, backlog_plans
from staffing.capacity import (
    CapacityRules,
    capacity_plan,
    headcount,
    hiring_summary,
    weekly_need,
)
from staffing.channels import chat_agents, chat_handle_time_s
from staffing.config import QueueConfig, StaffingConfig, parse_staffing, with_scenario
from staffing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from staffing.erlang_a import ErlangA, agents_for_target_a, erlang_a
from staffing.memo import SizingMemo
from staffing.requirements import compute, prepare, requirements
from staffing.roster import Roster, RosterRules, check_roster, roster
from staffing.schedule import Schedule, schedule
from staffing.shifts import ScheduleRules

__all__ = [
    "BacklogPlan",
    "BacklogQueue",
    "CapacityRules",
    "ErlangA",
    "QueueConfig",
    "Roster",
    "RosterRules",
    "Schedule",
    "ScheduleRules",
    "SizingMemo",
    "StaffingConfig",
    "agents_for_target",
    "agents_for_target_a",
    "average_speed_of_answer",
    "backlog_agents",
    "backlog_plans",
    "capacity_plan",
    "chat_agents",
    "chat_handle_time_s",
    "check_roster",
    "compute",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "headcount",
    "hiring_summary",
    "occupancy",
    "parse_staffing",
    "prepare",
    "requirements",
    "roster",
    "schedule",
    "service_level",
    "weekly_need",
    "with_scenario",
]

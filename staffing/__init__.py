"""peakplan `staffing`: from interval forecasts to agents, shifts and rosters.

One subpackage per stage, each with a small public surface:

- `queueing`: Erlang B, C and A, chat concurrency, e-mail backlog, simulation (arrays in
  and out, `ValueError` on bad arguments);
- `requirements`: staffing settings, the channel-model registry (`CHANNEL_MODELS`: one
  `ChannelModel` per model), agents per queue and interval;
- `capacity`: weekly need, headcount, hiring plan;
- `schedule`: shift rules and templates, the covering design, its solver (pulp);
- `roster`: labour rules, assignment of named agents, checker, burnout and fairness;
- `export`: CSV, Excel and iCalendar files.

Code outside `staffing` uses the names below and nothing deeper. Pure functions over
frames and frozen dataclasses; the one exception is `write_exports`.
"""

from staffing.capacity import CapacityRules, capacity_plan, headcount, hiring_summary, weekly_need
from staffing.export import (
    KINDS as EXPORT_KINDS,
)
from staffing.export import (
    export_files,
    read_frame_csv,
    read_roster_csv,
    read_roster_xlsx,
    roster_csv,
    roster_ics_zip,
    roster_xlsx,
    write_exports,
)
from staffing.queueing import (
    BacklogPlan,
    BacklogQueue,
    ErlangA,
    agents_for_target,
    agents_for_target_a,
    average_speed_of_answer,
    backlog_agents,
    backlog_plans,
    chat_agents,
    chat_handle_time_s,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from staffing.requirements import (
    CHANNEL_MODELS,
    ChannelModel,
    Prepared,
    QueueConfig,
    RequirementsResult,
    SizingMemo,
    StaffingConfig,
    compute,
    parse_staffing,
    prepare,
    requirements,
    staffing_table,
    with_scenario,
)
from staffing.roster import Roster, RosterRules, check_roster, fairness_spread, roster
from staffing.schedule import (
    METHODS as SCHEDULE_METHODS,
)
from staffing.schedule import (
    SOLVERS as SCHEDULE_SOLVERS,
)
from staffing.schedule import (
    BlockResult,
    Schedule,
    ScheduleProgress,
    ScheduleRules,
    parse_schedule_rules,
    rules_for_team,
    schedule,
    schedule_rules_table,
)

__all__ = [
    "CHANNEL_MODELS",
    "EXPORT_KINDS",
    "SCHEDULE_METHODS",
    "SCHEDULE_SOLVERS",
    "BacklogPlan",
    "BacklogQueue",
    "BlockResult",
    "CapacityRules",
    "ChannelModel",
    "ErlangA",
    "Prepared",
    "QueueConfig",
    "RequirementsResult",
    "Roster",
    "RosterRules",
    "Schedule",
    "ScheduleProgress",
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
    "export_files",
    "fairness_spread",
    "headcount",
    "hiring_summary",
    "occupancy",
    "parse_schedule_rules",
    "parse_staffing",
    "prepare",
    "read_frame_csv",
    "read_roster_csv",
    "read_roster_xlsx",
    "requirements",
    "roster",
    "roster_csv",
    "roster_ics_zip",
    "roster_xlsx",
    "rules_for_team",
    "schedule",
    "schedule_rules_table",
    "service_level",
    "staffing_table",
    "weekly_need",
    "with_scenario",
    "write_exports",
]

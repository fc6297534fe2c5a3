"""The stages of a run, each as run and store functions that the CLI, the dashboard and
`peakplan.run` all call: `forecast` (and its backtest), `staffing` (requirements, capacity
and hiring), `schedule` (shifts) and `roster` (named agents and exports). A `run_*`
function computes and returns an outcome without writing; a `store_*` function keeps an
outcome as a new run in the store (or `write_*_folder` in a plain folder)."""

from peakplan.stages.forecast import (
    BacktestOutcome,
    ForecastOutcome,
    forecast_artifacts,
    run_backtest,
    run_forecast,
    store_backtest,
    store_forecast,
    write_folder,
)
from peakplan.stages.roster import (
    RosterOutcome,
    build_roster,
    check_report,
    roster_agents,
    roster_artifacts,
    roster_notes,
    run_roster,
    served_queues,
    shifts_run,
    store_roster,
    with_exports,
    write_roster_folder,
)
from peakplan.stages.schedule import (
    requirements_run,
    requirements_source,
    run_schedule,
    schedule_artifacts,
    select_requirements,
    solve_report,
    store_schedule,
    with_rule_overrides,
    write_schedule_folder,
)
from peakplan.stages.staffing import (
    StaffOutcome,
    forecast_run,
    run_staffing,
    scenario_config,
    staff,
    staff_artifacts,
    store_staffing,
)

__all__ = [
    "BacktestOutcome",
    "ForecastOutcome",
    "RosterOutcome",
    "StaffOutcome",
    "build_roster",
    "check_report",
    "forecast_artifacts",
    "forecast_run",
    "requirements_run",
    "requirements_source",
    "roster_agents",
    "roster_artifacts",
    "roster_notes",
    "run_backtest",
    "run_forecast",
    "run_roster",
    "run_schedule",
    "run_staffing",
    "scenario_config",
    "schedule_artifacts",
    "select_requirements",
    "served_queues",
    "shifts_run",
    "solve_report",
    "staff",
    "staff_artifacts",
    "store_backtest",
    "store_forecast",
    "store_roster",
    "store_schedule",
    "store_staffing",
    "with_exports",
    "with_rule_overrides",
    "write_folder",
    "write_roster_folder",
    "write_schedule_folder",
]

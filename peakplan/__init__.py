"""peakplan: settings, the stages of a run, the end-to-end pipeline, the run store and the
`peakplan` CLI.

The dashboard and outside scripts use the names below and nothing deeper:
- settings: `Config` (TOML -> self-validating dataclasses), `load_config`, `sample_config`,
  `with_overrides`, `config_toml`;
- inputs: `Inputs`, `load_inputs`;
- stages (`peakplan.stages`): `run_*` computes a stage's outcome, `store_*` keeps it as a
  run; the CLI calls the same functions;
- the pipeline: `run(config, through="staffing" | "schedule" | "roster")`;
- the run store: `Run`, `list_runs`, `load_run`, `write_run`.
"""

from peakplan.config import Config, load_config, sample_config, with_overrides
from peakplan.inputs import Inputs, load_inputs
from peakplan.pipeline import THROUGH, run
from peakplan.runs import Run, list_runs, load_run, write_run
from peakplan.stages import (
    BacktestOutcome,
    ForecastOutcome,
    RosterOutcome,
    StaffOutcome,
    build_roster,
    requirements_source,
    roster_notes,
    run_backtest,
    run_forecast,
    run_roster,
    run_schedule,
    run_staffing,
    store_roster,
    store_schedule,
    store_staffing,
    team_agents,
    with_exports,
)
from peakplan.toml_out import config_toml

__all__ = [
    "THROUGH", "BacktestOutcome", "Config", "ForecastOutcome", "Inputs", "RosterOutcome",
    "Run", "StaffOutcome", "build_roster", "config_toml", "list_runs", "load_config",
    "load_inputs", "load_run", "requirements_source", "roster_notes", "run", "run_backtest",
    "run_forecast", "run_roster", "run_schedule", "run_staffing", "sample_config",
    "store_roster", "store_schedule", "store_staffing", "team_agents", "with_exports",
    "with_overrides",
    "write_run",
]

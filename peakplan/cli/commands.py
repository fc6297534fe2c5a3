"""What each `peakplan` verb does: read its flags, call the stage, print a summary and
where the result went. Every verb calls the same stage functions as the dashboard."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from data import ConfigError
from peakplan.cli.flags import (
    config_from_args,
    date_flag,
    forecast_config,
    staff_config,
    with_run_store,
)
from peakplan.config import Config
from peakplan.inputs import load_inputs
from peakplan.pipeline import run
from peakplan.readers import read_requirements, read_rules
from peakplan.runs import Run
from peakplan.schedule_folder import read_schedule_folder, with_roster_rules
from peakplan.stages import (
    build_roster,
    forecast_artifacts,
    requirements_run,
    roster_agents,
    run_backtest,
    run_forecast,
    run_roster,
    run_schedule,
    shifts_run,
    staff,
    staff_artifacts,
    store_backtest,
    store_forecast,
    store_roster,
    store_schedule,
    store_staffing,
    with_exports,
    with_rule_overrides,
    write_folder,
    write_roster_folder,
    write_schedule_folder,
)
from peakplan.summary import (
    backtest_summary,
    forecast_summary,
    roster_summary,
    schedule_summary,
    staff_summary,
)

__all__ = ["cmd_backtest", "cmd_forecast", "cmd_roster", "cmd_run",
           "cmd_schedule", "cmd_staff", "cmd_validate"]


def _written(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _say(args: argparse.Namespace) -> Callable[[str], None] | None:
    """Progress lines on standard error, unless --quiet."""
    if getattr(args, "quiet", False):
        return None
    return lambda text: print(f"solving {text}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Load every input and print what was found."""
    config = config_from_args(args)
    inputs = load_inputs(config)
    for report in inputs.reports(config):
        print(report.render())
    print("ok: every input is valid")
    return 0


def cmd_forecast(args: argparse.Namespace) -> int:
    """Forecast the season into the run store, or into --out DIR."""
    config = forecast_config(args)
    outcome = run_forecast(config, progress=not args.quiet)
    where = _written(write_folder(args.out, forecast_artifacts(outcome.result))) if args.out \
        else str(store_forecast(config, outcome).path)
    print(forecast_summary(outcome))
    print(f"written: {where}")
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Backtest the models on past seasons into the run store, or into --out DIR."""
    config = forecast_config(args)
    outcome = run_backtest(config, progress=not args.quiet)
    artifacts = {"backtest": outcome.predictions, "metrics": outcome.metrics}
    where = _written(write_folder(args.out, artifacts)) if args.out \
        else str(store_backtest(config, outcome).path)
    print(backtest_summary(outcome))
    print(f"written: {where}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """The pipeline as far as --through into the run store (reusing identical runs)."""
    config = forecast_config(args)
    found = run(config, through=args.through, progress=not args.quiet,
                reuse=not args.fresh, exports=args.export or (), say=_say(args))
    print(f"run: {found.path}")
    if "source_run" in found.manifest:
        print(f"built on: {found.manifest['source_run']}")
    for note in found.manifest.get("notes", []):
        print(f"note: {note}")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    """Requirements and the capacity plan from a run's interval forecast."""
    config = staff_config(args)
    outcome = staff(config, args.run)
    where = _written(write_folder(args.out, staff_artifacts(outcome))) if args.out \
        else str(store_staffing(config, outcome).path)
    print(staff_summary(outcome))
    print(f"written: {where}")
    return 0


def _schedule_source(args: argparse.Namespace,
                     config: Config) -> tuple[pd.DataFrame, Run | None]:
    """(requirements, source run or None) for `peakplan schedule`."""
    if args.requirements:
        if not args.out:
            raise ConfigError("--out", None, "a standalone schedule (--requirements) needs "
                              "--out DIR for its files")
        return read_requirements(args.requirements, config.season.timezone), None
    source = requirements_run(config, args.run)
    return source.artifact("requirements"), source


def cmd_schedule(args: argparse.Namespace) -> int:
    """Shifts that cover the requirements at the least cost (HiGHS or CBC)."""
    config = with_run_store(config_from_args(args), args)
    rules = with_rule_overrides(read_rules(args.rules, config), solver=args.solver,
                                time_limit_s=args.time_limit, gap_rel=args.gap,
                                method=args.method)
    requirements, source = _schedule_source(args, config)
    result = run_schedule(requirements, rules, queues=args.queue or None,
                          week=date_flag("--week", args.week), progress=_say(args),
                          model_folder=args.write_model)
    where = _written(write_schedule_folder(args.out, result)) if args.out \
        else str(store_schedule(config, source, result).path)
    if source is not None:
        print(f"requirements of run {source.name}, times in {config.season.timezone}")
    print(schedule_summary(result))
    print(f"written: {where}")
    return 0


def _roster_of_folder(args: argparse.Namespace, config: Config) -> int:
    """`peakplan roster --schedule DIR ... --out DIR`: a schedule folder, no run store."""
    if not args.out:
        raise ConfigError("--out", None, "a roster of a schedule folder (--schedule) needs "
                          "--out DIR for its files")
    folder = read_schedule_folder(args.schedule, args.timezone)
    outcome = build_roster(config, folder.shifts, folder.breaks, roster_agents(config),
                           coverage=folder.coverage)
    outcome = with_exports(config, outcome, args.export or ())
    where = _written(write_roster_folder(args.out, outcome))
    print(f"shifts of {args.schedule}, times in {folder.timezone}")
    print(roster_summary(outcome, listed=False))
    print(f"written: {where}")
    return 0


def cmd_roster(args: argparse.Namespace) -> int:
    """Named agents on the designed shifts (of a run, or a folder that `peakplan schedule
    --out` wrote), within the labour rules; exports."""
    config = with_roster_rules(config_from_args(args), args.rules)
    if config.data.agents is None:
        raise ConfigError("data.agents", None, "a roster needs the agents file (--agents)")
    if args.schedule:
        return _roster_of_folder(args, config)
    config = with_run_store(config, args)
    source = shifts_run(config, args.run)
    outcome = run_roster(config, source, kinds=args.export or ())
    where = _written(write_roster_folder(args.out, outcome)) if args.out \
        else str(store_roster(config, source, outcome).path)
    print(f"shifts of run {source.name}")
    print(roster_summary(outcome, listed=not args.out))
    print(f"written: {where}")
    return 0

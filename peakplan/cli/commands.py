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
from peakplan.runs import Run, file_sha256, load_run
from peakplan.schedule_folder import read_schedule_folder, with_roster_rules
from peakplan.stages import (
    build_roster,
    forecast_artifacts,
    requirements_run,
    roster_agents,
    roster_bar,
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
from peakplan.stages.schedule import schedule_bar, schedule_zone, team_agents
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
    return lambda text: print(text, file=sys.stderr)


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
    if args.through in ("schedule", "roster"):
        print(_schedule_line(config, found))
    for note in found.manifest.get("notes", []):
        print(f"note: {note}")
    return 0


def _schedule_line(config: Config, found: Run) -> str:
    """Which requirements (run) the schedule in or under `found` used, in which zone."""
    scheduled = found
    if "roster" in found.artifacts() and "source_run" in found.manifest:
        scheduled = load_run(config.runs.root, found.manifest["source_run"])
    zone = scheduled.manifest.get("timezone") or schedule_zone(scheduled.artifact("coverage"))
    return (f"schedule: requirements of run {scheduled.manifest.get('source_run', '?')}, "
            f"times in {zone}")


def cmd_staff(args: argparse.Namespace) -> int:
    """Requirements and the capacity plan from a run's interval forecast."""
    config = staff_config(args)
    outcome = staff(config, args.run)
    where = _written(write_folder(args.out, staff_artifacts(outcome))) if args.out \
        else str(store_staffing(config, outcome).path)
    print(staff_summary(outcome))
    print(f"written: {where}")
    return 0


def _schedule_source(args: argparse.Namespace, config: Config
                     ) -> tuple[pd.DataFrame, Run | None, str]:
    """(requirements, source run or None, a line saying where they came from and which
    time zone their times are in) for `peakplan schedule`."""
    if args.requirements:
        if not args.out:
            raise ConfigError("--out", None, "a standalone schedule (--requirements) needs "
                              "--out DIR for its files")
        frame = read_requirements(args.requirements, config.season.timezone,
                                  given=bool(args.timezone))
        how = "--timezone" if args.timezone else "the config's zone"
        return frame, None, (f"requirements file {args.requirements}, times in "
                             f"{schedule_zone(frame)} ({how})")
    source = requirements_run(config, args.run)
    frame = source.artifact("requirements")
    return frame, source, f"requirements of run {source.name}, times in {schedule_zone(frame)}"


def cmd_schedule(args: argparse.Namespace) -> int:
    """Shifts that cover the requirements at the least cost (HiGHS or CBC), the queues
    side by side, every finished week kept so that an interrupted schedule resumes."""
    config = with_run_store(config_from_args(args), args)
    rules = with_rule_overrides(read_rules(args.rules, config), solver=args.solver,
                                time_limit_s=args.time_limit, gap_rel=args.gap,
                                method=args.method)
    if args.workers is not None and args.workers < 0:
        raise ConfigError("--workers", args.workers, "must be 0 (one per core) or more")
    requirements, source, said = _schedule_source(args, config)
    print(said)
    if config.data.agents is not None and rules.fit_contracts:
        print(f"shift lengths fitted to the contracts in {config.data.agents}")
    key = source.name if source is not None else file_sha256(args.requirements)
    bar = schedule_bar(disable=args.quiet)
    try:
        result = run_schedule(
            requirements, rules, queues=args.queue or None,
            week=date_flag("--week", args.week), progress=bar, model_folder=args.write_model,
            workers=config.forecast.workers if args.workers is None else args.workers,
            scheduler=config.forecast.scheduler,
            checkpoint=args.out or config.runs.root, source=key, agents=team_agents(config))
    finally:
        bar.close()
    zone = {"timezone": schedule_zone(requirements)}
    where = _written(write_schedule_folder(args.out, result, extra=zone)) if args.out \
        else str(store_schedule(config, source, result).path)
    print(schedule_summary(result))
    print(f"written: {where}")
    return 0


def _roster_of_folder(args: argparse.Namespace, config: Config) -> int:
    """`peakplan roster --schedule DIR ... --out DIR`: a schedule folder, no run store."""
    if not args.out:
        raise ConfigError("--out", None, "a roster of a schedule folder (--schedule) needs "
                          "--out DIR for its files")
    folder = read_schedule_folder(args.schedule, args.timezone)
    bar = roster_bar()
    try:
        outcome = build_roster(config, folder.shifts, folder.breaks, roster_agents(config),
                               coverage=folder.coverage, progress=bar)
    finally:
        bar.close()
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
    bar = roster_bar()
    try:
        outcome = run_roster(config, source, kinds=args.export or (), progress=bar)
    finally:
        bar.close()
    where = _written(write_roster_folder(args.out, outcome)) if args.out \
        else str(store_roster(config, source, outcome).path)
    print(f"shifts of run {source.name}")
    print(roster_summary(outcome, listed=not args.out))
    print(f"written: {where}")
    return 0

"""The `peakplan` command line. User errors print one line and exit with status 2."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from data import ConfigError, PlannerError, read_agents
from peakplan.config import Config, RunsConfig, load_config, sample_config, with_overrides
from peakplan.inputs import load_inputs
from peakplan.pipeline import (
    forecast_artifacts,
    run,
    run_backtest,
    run_forecast,
    store_backtest,
    store_forecast,
    write_folder,
)
from peakplan.plan import (
    read_requirements,
    read_rules,
    requirements_run,
    roster_artifacts,
    roster_notes,
    shifts_run,
    store_roster,
    store_schedule,
    with_rule_overrides,
    write_schedule_folder,
)
from peakplan.runs import Run, check_run_store, list_runs
from peakplan.staff import scenario_config, staff, staff_artifacts, store_staffing
from peakplan.summary import (
    backtest_summary,
    forecast_summary,
    schedule_summary,
    staff_summary,
)
from staffing import export_files, roster, schedule, write_exports

__all__ = ["main"]

EXIT_USER_ERROR = 2


def _add_input_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="season TOML (default: the bundled sample)")
    parser.add_argument("--volume", type=Path, help="contact history (CSV, Parquet or Excel)")
    parser.add_argument("--traffic", type=Path, help="daily web sessions by country")
    parser.add_argument("--events", type=Path, help="your own events (name, ds, country...)")
    parser.add_argument("--agents", type=Path, help="agents file")
    parser.add_argument("--country", help="country of a file without a country column")
    parser.add_argument("--channel", help="channel of a file without a channel column")
    parser.add_argument("--query-type", help="query type of a file without that column")
    parser.add_argument("--timezone", help="the contact center's IANA time zone")
    parser.add_argument("--naive-timezone", help="zone of timestamps without an offset "
                        "(default: the center's)")
    parser.add_argument("--date-format", help="strftime format of the dates, e.g. '%%d/%%m/%%Y'")
    parser.add_argument("--allow-gaps", action="store_true", default=None,
                        help="keep days with no rows as missing instead of failing")


def config_from_args(args: argparse.Namespace) -> Config:
    """The config file (or the sample's) with the command-line flags on top."""
    if args.config:
        config = load_config(args.config)
    elif args.volume:
        config = Config()
    else:
        config = sample_config()
    config = with_overrides(
        config, volume=args.volume, traffic=args.traffic, events=args.events,
        agents=args.agents, country=args.country, channel=args.channel,
        query_type=args.query_type, naive_timezone=args.naive_timezone,
        date_format=args.date_format, allow_gaps=args.allow_gaps)
    if args.timezone:
        config = replace(config, season=replace(config.season, timezone=args.timezone))
    return config


def cmd_validate(args: argparse.Namespace) -> int:
    """Load every input and print what was found."""
    config = config_from_args(args)
    inputs = load_inputs(config)
    for report in inputs.reports(config):
        print(report.render())
    print("ok: every input is valid")
    return 0


def _add_forecast_flags(parser: argparse.ArgumentParser) -> None:
    _add_input_flags(parser)
    parser.add_argument("--season", help="first:last local day, e.g. 2026-10-01:2026-12-31")
    parser.add_argument("--model", help="auto, prophet, prophet_plain, snaive_week, snaive_year")
    parser.add_argument("--traffic-plan", type=Path, help="sessions planned for the season")
    parser.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _season_flag(value: str) -> tuple[date, date]:
    try:
        first, last = (date.fromisoformat(part.strip()) for part in value.split(":"))
    except ValueError:
        raise ConfigError("--season", value, "must be FIRST:LAST, e.g. 2026-10-01:2026-12-31") \
            from None
    if last < first:
        raise ConfigError("--season", value, "the last day is before the first")
    return first, last


def with_run_store(config: Config, args: argparse.Namespace) -> Config:
    """`config` with the --runs folder when given; unless the command writes to --out,
    the run store is checked before any work, so a forecast is never computed only to
    find nowhere to write it."""
    if args.runs:
        config = replace(config, runs=RunsConfig(args.runs))
    if not getattr(args, "out", None):
        check_run_store(config.runs.root, "--runs" if args.runs else "runs.root")
    return config


def forecast_config(args: argparse.Namespace) -> Config:
    """`config_from_args` plus the season, model, plan and run-store flags."""
    config = config_from_args(args)
    if args.traffic_plan:
        config = with_overrides(config, traffic_plan=args.traffic_plan)
    if args.season:
        first, last = _season_flag(args.season)
        config = replace(config, season=replace(config.season, start=first, end=last))
    if args.model:
        config = replace(config, forecast=replace(config.forecast, model=args.model))
    config = with_run_store(config, args)
    return config


def _write(folder: Path | None, artifacts: dict, store: Callable[[], Run]) -> str:
    """Write into `folder` when given, else into the run store; say where."""
    if folder:
        return ", ".join(str(p) for p in write_folder(folder, artifacts))
    return str(store().path)


def cmd_forecast(args: argparse.Namespace) -> int:
    """Forecast the season into the run store, or into --out DIR."""
    config = forecast_config(args)
    outcome = run_forecast(config, progress=not args.quiet)
    where = _write(args.out, forecast_artifacts(outcome.result),
                   lambda: store_forecast(config, outcome))
    print(forecast_summary(outcome))
    print(f"written: {where}")
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Backtest the models on past seasons into the run store, or into --out DIR."""
    config = forecast_config(args)
    outcome = run_backtest(config, progress=not args.quiet)
    where = _write(args.out, {"backtest": outcome.predictions, "metrics": outcome.metrics},
                   lambda: store_backtest(config, outcome))
    print(backtest_summary(outcome))
    print(f"written: {where}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """The whole pipeline into the run store (reusing an identical earlier run)."""
    config = forecast_config(args)
    found = run(config, progress=not args.quiet, reuse=not args.fresh)
    print(f"run: {found.path}")
    for note in found.manifest.get("notes", []):
        print(f"note: {note}")
    return 0


def _deflection(items: list[str] | None, config: Config) -> dict[str, float] | None:
    """--deflection QUERY_TYPE=SHARE flags on top of the configured ones."""
    if not items:
        return None
    table = dict(config.staffing.deflection)
    for item in items:
        name, _, share = item.partition("=")
        try:
            table[name.strip()] = float(share)
        except ValueError:
            raise ConfigError("--deflection", item, "must be QUERY_TYPE=SHARE, e.g. "
                              "order_status=0.2") from None
    return table


def staff_config(args: argparse.Namespace) -> Config:
    """The config with the run-store flag and the what-if flags of `peakplan staff`."""
    config = config_from_args(args)
    config = with_run_store(config, args)
    return scenario_config(
        config, volume_uplift=args.uplift, aht_change=args.aht_change,
        service_level=args.service_level, answer_within_s=args.answer_within,
        shrinkage=args.shrinkage, max_occupancy=args.max_occupancy,
        deflection=_deflection(args.deflection, config))


def cmd_staff(args: argparse.Namespace) -> int:
    """Requirements and the capacity plan from a run's interval forecast."""
    config = staff_config(args)
    outcome = staff(config, args.run)
    if args.out:
        where = ", ".join(str(p) for p in write_folder(args.out, staff_artifacts(outcome)))
    else:
        where = str(store_staffing(config, outcome).path)
    print(staff_summary(outcome))
    print(f"written: {where}")
    return 0


def _add_staff_flags(parser: argparse.ArgumentParser) -> None:
    _add_input_flags(parser)
    parser.add_argument("--run", default="latest",
                        help="run whose interval forecast to staff (default: the latest)")
    parser.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    parser.add_argument("--out", type=Path, help="write Parquet files here, not a run")
    what_if = parser.add_argument_group("what-if (override the config's [staffing])")
    what_if.add_argument("--uplift", type=float, help="volume change, e.g. 0.1 for +10%%")
    what_if.add_argument("--aht-change", type=float, help="handle time change, e.g. 0.05")
    what_if.add_argument("--service-level", type=float, help="target share, e.g. 0.8")
    what_if.add_argument("--answer-within", type=float, help="target answer time (s)")
    what_if.add_argument("--shrinkage", type=float, help="share of paid time off the queue")
    what_if.add_argument("--max-occupancy", type=float, help="occupancy cap, e.g. 0.85")
    what_if.add_argument("--deflection", action="append", metavar="QUERY_TYPE=SHARE",
                         help="self-service share for a query type (repeatable)")


def _schedule_inputs(args: argparse.Namespace):
    """(config, requirements, source run or None, rules) for `peakplan schedule`."""
    config = config_from_args(args)
    config = with_run_store(config, args)
    rules = with_rule_overrides(read_rules(args.rules, config), solver=args.solver,
                                time_limit_s=args.time_limit, gap_rel=args.gap,
                                method=args.method)
    if args.requirements:
        if not args.out:
            raise ConfigError("--out", None, "a standalone schedule (--requirements) needs "
                              "--out DIR for its files")
        frame = read_requirements(args.requirements, config.season.timezone)
        return config, frame, None, rules
    source = requirements_run(config, args.run)
    return config, source.artifact("requirements"), source, rules


def _window(frame, args: argparse.Namespace):
    if args.week:
        try:
            first = date.fromisoformat(args.week)
        except ValueError:
            raise ConfigError("--week", args.week, "must be a date such as 2026-11-23") \
                from None
        local = frame["ds"].dt.tz_localize(None)
        start = local.dt.normalize() >= pd.Timestamp(first) - pd.Timedelta(
            days=first.weekday())
        frame = frame[start & (local < pd.Timestamp(first) + pd.Timedelta(
            days=7 - first.weekday()))]
        if frame.empty:
            raise ConfigError("--week", args.week, "no requirement rows in that week")
    return frame


def cmd_schedule(args: argparse.Namespace) -> int:
    """Shifts that cover the requirements at the least cost (HiGHS or CBC)."""
    config, frame, source, rules = _schedule_inputs(args)
    frame = _window(frame, args)
    queues = args.queue or None
    if queues:
        unknown = sorted(set(queues) - set(frame["queue"]))
        if unknown:
            raise ConfigError("--queue", unknown[0], "no such queue in the requirements "
                              f"(it has {', '.join(sorted(frame['queue'].unique()))})")
    say = (lambda text: print(f"solving {text}", file=sys.stderr)) if not args.quiet else None
    result = schedule(frame, rules, queues=queues, progress=say, model_folder=args.write_model)
    if args.out:
        where = ", ".join(str(p) for p in write_schedule_folder(args.out, result))
    else:
        where = str(store_schedule(config, source, result).path)
    print(schedule_summary(result))
    print(f"written: {where}")
    return 0


def _add_schedule_flags(parser: argparse.ArgumentParser) -> None:
    _add_input_flags(parser)
    parser.add_argument("--run", default="latest", help="run whose requirements to schedule")
    parser.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    parser.add_argument("--requirements", type=Path,
                        help="a requirements file (CSV or Parquet) instead of a run")
    parser.add_argument("--rules", type=Path, help="rules TOML ([schedule] table)")
    parser.add_argument("--out", type=Path, help="write the files here, not a run")
    parser.add_argument("--queue", action="append", help="only this queue (repeatable)")
    parser.add_argument("--week", help="only the week (Monday to Sunday) of this date")
    parser.add_argument("--solver", choices=("highs", "cbc"), help="MIP solver")
    parser.add_argument("--method", choices=("two_phase", "exact"), help="solve method")
    parser.add_argument("--time-limit", type=float, help="seconds per queue and week")
    parser.add_argument("--gap", type=float, help="relative gap to stop at, e.g. 0.005")
    parser.add_argument("--write-model", type=Path, metavar="DIR",
                        help="also write each queue-week's model as an LP file (debugging)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def cmd_roster(args: argparse.Namespace) -> int:
    """Named agents on the designed shifts, within the labour rules; exports."""
    config = config_from_args(args)
    config = with_run_store(config, args)
    if config.data.agents is None:
        raise ConfigError("data.agents", None, "a roster needs the agents file (--agents)")
    source = shifts_run(config, args.run)
    agents = read_agents(config.data.agents)
    requirements = source.artifact("requirements") if "requirements" in source.artifacts() \
        else None
    breaks = source.artifact("breaks") if "breaks" in source.artifacts() else None
    result = roster(source.artifact("shifts"), breaks, agents, config.roster,
                    requirements=requirements)
    kinds = tuple(dict.fromkeys(args.export or ()))
    files = export_files(result.assignments, kinds, shifts=source.artifact("shifts"),
                         coverage=source.artifact("coverage")
                         if "coverage" in source.artifacts() else None) if kinds else {}
    notes = roster_notes(result, agents, set(source.artifact("shifts")["queue"]))
    if args.out:
        written = write_folder(args.out, roster_artifacts(result))
        written += write_exports(result.assignments, args.out, kinds) if kinds else []
        where = ", ".join(str(p) for p in written)
    else:
        where = str(store_roster(config, source, result, files, notes).path)
    calendars = sum(name.startswith("ics/") for name in files)
    listed = [name for name in sorted(files) if not name.startswith("ics/")]
    listed += [f"{calendars} calendars in ics/"] if calendars else []
    print(f"rostered {len(result.assignments):,} shifts for "
          f"{result.assignments['agent_id'].nunique():,} agents"
          + (f"; exports: {', '.join(listed)}" if files and not args.out else ""))
    for note in notes:
        print(f"note: {note}")
    print(f"written: {where}")
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    """List the complete runs in the store."""
    root = args.runs or Path("runs")
    if root.is_file():
        raise ConfigError("--runs", str(root), "is a file, not a folder of runs")
    runs = list_runs(root)
    if not runs:
        print(f"no runs in {root}")
    for found in runs:
        artifacts = ", ".join(found.artifacts())
        print(f"{found.name}  {artifacts}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage."""
    parser = argparse.ArgumentParser(prog="peakplan", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check input files and report what they hold")
    _add_input_flags(validate)
    validate.set_defaults(func=cmd_validate)
    for name, func, text in (("forecast", cmd_forecast, "forecast the season"),
                             ("backtest", cmd_backtest, "backtest models on past seasons")):
        command = commands.add_parser(name, help=text)
        _add_forecast_flags(command)
        command.add_argument("--out", type=Path, help="write Parquet files here, not a run")
        command.set_defaults(func=func)
    whole = commands.add_parser("run", help="the whole pipeline into the run store")
    _add_forecast_flags(whole)
    whole.add_argument("--fresh", action="store_true",
                       help="compute again even if an identical run exists")
    whole.set_defaults(func=cmd_run)
    staffing = commands.add_parser("staff", help="agents per queue and interval, capacity "
                                   "and hiring plan, from a run's forecast")
    _add_staff_flags(staffing)
    staffing.set_defaults(func=cmd_staff)
    planner = commands.add_parser("schedule", help="shifts that cover the requirements at "
                                  "the least cost")
    _add_schedule_flags(planner)
    planner.set_defaults(func=cmd_schedule)
    rostering = commands.add_parser("roster", help="named agents on the shifts, within the "
                                    "labour rules, with exports")
    _add_input_flags(rostering)
    rostering.add_argument("--run", default="latest", help="run whose shifts to roster")
    rostering.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    rostering.add_argument("--export", action="append", choices=("csv", "xlsx", "ics"),
                           help="also write the roster as CSV, Excel or iCalendar "
                           "(repeatable)")
    rostering.add_argument("--out", type=Path, help="write the files here, not a run")
    rostering.set_defaults(func=cmd_roster)
    runs = commands.add_parser("runs", help="list the runs in the store")
    runs.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    runs.set_defaults(func=cmd_runs)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except PlannerError as exc:
        print(f"peakplan: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("peakplan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Command-line flags shared by the verbs, and the config they make."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path

from data import ConfigError
from data.limits import set_limits
from data.timeparse import check_timezone
from forecast import MODELS
from peakplan.config import (
    Config,
    RunsConfig,
    SeasonConfig,
    load_config,
    sample_config,
    with_overrides,
)
from peakplan.runs import check_run_store
from peakplan.stages import scenario_config
from staffing import SCHEDULE_METHODS, SCHEDULE_SOLVERS

__all__ = ["add_forecast_flags", "add_input_flags", "add_schedule_flags", "add_staff_flags",
           "config_from_args", "date_flag", "forecast_config", "staff_config",
           "with_run_store"]


def add_input_flags(parser: argparse.ArgumentParser) -> None:
    """--config and the input files, and how to read them."""
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
        check_timezone(args.timezone, "--timezone")
        config = replace(config, season=replace(config.season, timezone=args.timezone))
    set_limits(config.data.limits)
    return config


def add_forecast_flags(parser: argparse.ArgumentParser) -> None:
    """Input flags plus the season, model, traffic plan and run store."""
    add_input_flags(parser)
    parser.add_argument("--season", help="first:last local day, e.g. 2026-10-01:2026-12-31")
    parser.add_argument("--model", help=f"forecast model: {', '.join(MODELS)} (auto: each "
                        "series' best on its backtest, or a mean or median of the best)")
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
    try:
        SeasonConfig(start=first, end=last)
    except ConfigError as exc:
        raise ConfigError("--season", value, exc.problem) from None
    return first, last


def date_flag(flag: str, value: str | None) -> date | None:
    """The ISO date of `flag`'s `value` (None when not given)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(flag, value, "must be a date such as 2026-11-23") from None


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
    return with_run_store(config, args)


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
    config = with_run_store(config_from_args(args), args)
    return scenario_config(
        config, volume_uplift=args.uplift, aht_change=args.aht_change,
        service_level=args.service_level, answer_within_s=args.answer_within,
        shrinkage=args.shrinkage, max_occupancy=args.max_occupancy,
        deflection=_deflection(args.deflection, config))


def add_staff_flags(parser: argparse.ArgumentParser) -> None:
    """Input flags, the source run, and the what-if flags of `peakplan staff`."""
    add_input_flags(parser)
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


def add_schedule_flags(parser: argparse.ArgumentParser) -> None:
    """Input flags, the source (run or file), rules and solver flags of `peakplan schedule`."""
    add_input_flags(parser)
    parser.add_argument("--run", default="latest", help="run whose requirements to schedule")
    parser.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    parser.add_argument("--requirements", type=Path,
                        help="a requirements file (CSV or Parquet) instead of a run")
    parser.add_argument("--rules", type=Path, help="rules TOML ([schedule] table)")
    parser.add_argument("--out", type=Path, help="write the files here, not a run")
    parser.add_argument("--queue", action="append", help="only this queue (repeatable)")
    parser.add_argument("--week", help="only the week (Monday to Sunday) of this date")
    parser.add_argument("--solver", choices=SCHEDULE_SOLVERS, help="MIP solver")
    parser.add_argument("--method", choices=SCHEDULE_METHODS,
                        help="solve method (default windows: day by day, the next in view)")
    parser.add_argument("--time-limit", type=float,
                        help="seconds any one model may run (a safety net; default 60)")
    parser.add_argument("--gap", type=float, help="relative gap to stop at, e.g. 0.005")
    parser.add_argument("--write-model", type=Path, metavar="DIR",
                        help="also write each queue-week's model as an LP file (debugging)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="processes solving queues side by side (0: one per core; "
                        "default: forecast.workers; a forecast.scheduler sends them to Dask)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")

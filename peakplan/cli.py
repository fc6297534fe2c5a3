"""The `peakplan` command line. User errors print one line and exit with status 2."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from data import PlannerError
from peakplan.config import Config, load_config, sample_config, with_overrides
from peakplan.inputs import load_inputs

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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage."""
    parser = argparse.ArgumentParser(prog="peakplan", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check input files and report what they hold")
    _add_input_flags(validate)
    validate.set_defaults(func=cmd_validate)
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

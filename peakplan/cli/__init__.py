"""The `peakplan` command line. User errors print one line and exit with status 2; a
failure of the machine (disk full, out of memory) or of peakplan itself prints one line
and exits with status 1 (`--verbose` shows its traceback); Ctrl-C exits with 130."""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from data import PlannerError
from data.errors import one_line, shorten
from peakplan.cli.commands import (
    cmd_backtest,
    cmd_forecast,
    cmd_roster,
    cmd_run,
    cmd_schedule,
    cmd_staff,
    cmd_validate,
)
from peakplan.cli.compare_cmd import cmd_compare, cmd_runs
from peakplan.cli.flags import (
    add_forecast_flags,
    add_input_flags,
    add_schedule_flags,
    add_staff_flags,
)
from peakplan.pipeline import THROUGH

__all__ = ["build_parser", "main"]

EXIT_USER_ERROR = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130
EXPORT_KINDS = ("csv", "xlsx", "ics")


def _add_export_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export", action="append", choices=EXPORT_KINDS,
                        help="also write the roster as CSV, Excel or iCalendar (repeatable)")


def _add_pipeline_verbs(commands: argparse._SubParsersAction) -> None:
    """validate, forecast, backtest and run."""
    validate = commands.add_parser("validate", help="check input files and report what they hold")
    add_input_flags(validate)
    validate.set_defaults(func=cmd_validate)
    for name, func, text in (("forecast", cmd_forecast, "forecast the season"),
                             ("backtest", cmd_backtest, "backtest models on past seasons")):
        command = commands.add_parser(name, help=text)
        add_forecast_flags(command)
        command.add_argument("--out", type=Path, help="write Parquet files here, not a run")
        command.set_defaults(func=func)
    whole = commands.add_parser("run", help="the pipeline into the run store, as far as "
                                "--through")
    add_forecast_flags(whole)
    whole.add_argument("--through", choices=THROUGH, default="staffing",
                       help="the last stage to run: staffing (default; forecast and "
                       "requirements), schedule (every queue and week into shifts) or "
                       "roster (named agents, needs the agents file)")
    _add_export_flag(whole)
    whole.add_argument("--fresh", action="store_true",
                       help="compute again even if an identical run exists")
    whole.set_defaults(func=cmd_run)


def _add_stage_verbs(commands: argparse._SubParsersAction) -> None:
    """staff, schedule, roster and runs."""
    staffing = commands.add_parser("staff", help="agents per queue and interval, capacity "
                                   "and hiring plan, from a run's forecast")
    add_staff_flags(staffing)
    staffing.set_defaults(func=cmd_staff)
    planner = commands.add_parser("schedule", help="shifts that cover the requirements at "
                                  "the least cost")
    add_schedule_flags(planner)
    planner.set_defaults(func=cmd_schedule)
    rostering = commands.add_parser("roster", help="named agents on the shifts, within the "
                                    "labour rules, with exports")
    add_input_flags(rostering)
    rostering.add_argument("--run", default="latest", help="run whose shifts to roster")
    rostering.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    rostering.add_argument("--schedule", type=Path, metavar="DIR",
                           help="a folder that `peakplan schedule --out` wrote, instead of "
                           "a run (needs --out)")
    rostering.add_argument("--rules", type=Path, help="rules TOML ([schedule.roster] table, "
                           "or the roster's keys at the top)")
    _add_export_flag(rostering)
    rostering.add_argument("--out", type=Path, help="write the files here, not a run")
    rostering.set_defaults(func=cmd_roster)
    runs = commands.add_parser("runs", help="list the runs in the store")
    runs.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    runs.set_defaults(func=cmd_runs)
    compare = commands.add_parser("compare", help="two or more runs side by side: contacts, "
                                  "agent hours, peak agents, service level, hires, cost")
    compare.add_argument("run", nargs="+", help="runs by name or the end of their name "
                         "('latest' for the newest); changes are against the first")
    compare.add_argument("--by", choices=("queue", "week"), default="queue",
                         help="one row per queue (default) or per week")
    compare.add_argument("--runs", type=Path, help="run store folder (default ./runs)")
    compare.add_argument("--out", type=Path, help="also write the table as CSV here")
    compare.set_defaults(func=cmd_compare)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per stage."""
    parser = argparse.ArgumentParser(prog="peakplan", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_pipeline_verbs(commands)
    _add_stage_verbs(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return contextvars.copy_context().run(command, args)  # settings it sets end with it
    except PlannerError as exc:
        return _say_error(f"peakplan: error: {exc}", EXIT_USER_ERROR)
    except KeyboardInterrupt:
        return _say_error("peakplan: interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        _silence_stdout()
        return EXIT_FAILURE
    except (OSError, MemoryError) as exc:
        if args.verbose:
            raise
        return _say_error(f"peakplan: error: {_machine_error(exc)}", EXIT_FAILURE)
    except Exception as exc:
        if args.verbose:
            raise
        return _say_error(f"peakplan: internal error: {type(exc).__name__}: "
                          f"{shorten(exc, 200)} (a bug: rerun with --verbose for the "
                          "traceback and report it)", EXIT_FAILURE)


def _machine_error(exc: BaseException) -> str:
    """'No space left on device: runs/x.parquet' for an OSError; 'out of memory'."""
    if isinstance(exc, MemoryError):
        return "out of memory (a file too large for this machine? see [data.limits])"
    where = next((str(n) for n in (exc.filename, exc.filename2) if n), None)  # type: ignore[union-attr]
    reason = exc.strerror or str(exc)  # type: ignore[union-attr]
    return shorten(f"{reason}: {where}" if where else reason, 400)


def _say_error(line: str, status: int) -> int:
    with contextlib.suppress(OSError):
        print(one_line(line, 498), file=sys.stderr)
    return status


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's flush at exit does not fail."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

"""`peakplan compare A B ...` and `peakplan runs`: runs side by side, and the store listed."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from data import ConfigError
from peakplan.compare import TOTAL, compare_runs
from peakplan.runs import Run, list_runs, load_run

__all__ = ["cmd_compare", "cmd_runs", "format_comparison", "run_line"]

LABELS = {"contacts": "contacts", "agent_hours": "agent hours (h)",
          "peak_agents": "peak agents", "service_level": "service level",
          "hires": "hires", "shift_cost": "shift cost"}


def _value(metric: str, value: float) -> str:
    if pd.isna(value):
        return "-"
    if metric == "service_level":
        return f"{value:.1%}"
    return f"{value:,.1f}" if metric == "peak_agents" else f"{value:,.0f}"


def _change(metric: str, change: float, pct: float) -> str:
    if pd.isna(change):
        return "-"
    if metric == "service_level":
        return f"{change * 100:+.1f} pts"
    text = f"{change:+,.1f}" if metric == "peak_agents" else f"{change:+,.0f}"
    return text + (f" ({pct:+.1%})" if pd.notna(pct) and change else "")


def format_comparison(table: pd.DataFrame, names: list[str], by: str) -> str:
    """The comparison as aligned text: runs as A, B, ... (named above the table)."""
    letters = [chr(ord("A") + i) for i in range(len(names))]
    rows = [[str(row[by]) if row[by] != TOTAL else "all queues", LABELS[row["metric"]],
             *(_value(row["metric"], row[n]) for n in names),
             _change(row["metric"], row["change"], row["change_pct"])]
            for _, row in table.iterrows()]
    header = [by, "figure", *letters, f"{letters[-1]} - A"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = [" ".join(c.ljust(w) if i < 2 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(r, widths, strict=True)))
            for r in [header, *rows]]
    legend = [f"{letter} = {name}" for letter, name in zip(letters, names, strict=True)]
    return "\n".join([*legend, "", *line])


def cmd_compare(args: argparse.Namespace) -> int:
    """Two or more runs side by side, by queue or by week."""
    root = args.runs or Path("runs")
    runs = [load_run(root, ref) for ref in args.run]
    comparison = compare_runs(runs, by=args.by)
    names = [r.name for r in runs]
    print(format_comparison(comparison.table, names, args.by))
    for name, changes in comparison.settings.items():
        letter = chr(ord("A") + names.index(name))
        print(f"settings of {letter} that differ from A: "
              + ("; ".join(changes) if changes else "none"))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        comparison.table.to_csv(args.out, index=False)
        print(f"written: {args.out}")
    return 0


def run_line(run: Run) -> str:
    """One line of `peakplan runs`: name, stages it holds, the run it built on, how many
    notes, and its artifacts."""
    artifacts = set(run.artifacts())
    stages = [stage for stage, marker in (("forecast", "forecast"), ("backtest", "backtest"),
                                          ("staffing", "requirements"),
                                          ("schedule", "shifts"), ("roster", "roster"))
              if marker in artifacts]
    parent = run.manifest.get("source_run") or run.manifest.get("forecast_run")
    notes = len(run.manifest.get("notes", []))
    return (f"{run.name}  {' + '.join(stages) or 'no stage'}"
            + (f"  built on {parent}" if parent else "")
            + (f"  {notes} note{'s' if notes != 1 else ''}" if notes else "")
            + f"  [{', '.join(sorted(artifacts))}]")


def cmd_runs(args: argparse.Namespace) -> int:
    """List the complete runs in the store, oldest first."""
    root = args.runs or Path("runs")
    if root.is_file():
        raise ConfigError("--runs", str(root), "is a file, not a folder of runs")
    runs = list_runs(root)
    if not runs:
        print(f"no runs in {root}")
    for found in runs:
        print(run_line(found))
    return 0

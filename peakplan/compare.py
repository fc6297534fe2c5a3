"""Runs side by side: contacts, agent hours, peak agents, service level, hires and shift
cost per queue (or per week), the change from the first run, and the settings that differ.

Every figure comes from a run's own artifacts: `requirements` (contacts, agents to
schedule, service level), `hiring` and `shifts` where the run has them; a run without an
artifact shows no value for its figures, never a zero it did not compute.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data import ConfigError, local_day
from peakplan.runs import Run

__all__ = ["METRICS", "Comparison", "compare_runs", "run_figures", "settings_changes"]

METRICS = ("contacts", "agent_hours", "peak_agents", "service_level", "hires", "shift_cost")
"""The figures compared, in order: contacts offered, agent hours to schedule (h), most
agents to schedule at once, contact-weighted service level (share), hires proposed,
cost of the designed shifts (in the config's cost unit)."""
TOTAL = "all queues"


@dataclass(frozen=True)
class Comparison:
    """`table`: one row per (queue or week, metric), a column per run (its name) and the
    change of each later run from the first (`change`, `change_pct` for two runs);
    `settings`: per later run, the settings that differ from the first run's."""

    table: pd.DataFrame
    settings: dict[str, list[str]]


def _interval_h(ds: pd.Series) -> float:
    """The requirements' interval length (h): the most common step between times."""
    steps = ds.drop_duplicates().sort_values().diff().dropna()
    return float(steps.mode().iloc[0] / pd.Timedelta(hours=1)) if len(steps) else 0.5


def _by(frame: pd.DataFrame, by: str) -> pd.Series:
    if by == "queue":
        return frame["queue"].astype(str)
    day = local_day(frame["ds"])
    return (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")


def _requirement_figures(requirements: pd.DataFrame, by: str) -> pd.DataFrame:
    frame = requirements.assign(
        _key=_by(requirements, by),
        _hours=requirements["agents_gross"] * _interval_h(requirements["ds"]),
        _w=requirements["contacts"].where(requirements["service_level"].notna(), 0.0))
    frame["_sl"] = frame["service_level"].fillna(0.0) * frame["_w"]
    at_once = frame.groupby(["_key", "ds"])["agents_gross"].sum().groupby(level=0).max()
    out = frame.groupby("_key").agg(contacts=("contacts", "sum"),
                                    agent_hours=("_hours", "sum"), w=("_w", "sum"),
                                    sl=("_sl", "sum"))
    out["peak_agents"] = at_once
    out["service_level"] = (out["sl"] / out["w"]).where(out["w"] > 0)
    total = pd.Series({"contacts": out["contacts"].sum(),
                       "agent_hours": out["agent_hours"].sum(),
                       "peak_agents": frame.groupby("ds")["agents_gross"].sum().max(),
                       "service_level": out["sl"].sum() / out["w"].sum()
                       if out["w"].sum() > 0 else np.nan}, name=TOTAL)
    return pd.concat([out[["contacts", "agent_hours", "peak_agents", "service_level"]],
                      total.to_frame().T])


def run_figures(run: Run, by: str = "queue") -> pd.DataFrame:
    """METRICS of one run per queue (or per local week, Monday's date) and for all
    queues together; NaN where the run lacks the artifact."""
    if by not in ("queue", "week"):
        raise ConfigError("--by", by, "must be queue or week")
    if "requirements" not in run.artifacts():
        raise ConfigError("run", run.name, "has no requirements to compare (a forecast "
                          "alone: run `peakplan staff` on it first)")
    out = _requirement_figures(run.artifact("requirements"), by)
    if by == "queue" and "hiring" in run.artifacts():
        hires = run.artifact("hiring").set_index("queue")["hires"].rename({"total": TOTAL})
        out["hires"] = hires.reindex(out.index)
    if "shifts" in run.artifacts():
        shifts = run.artifact("shifts")
        if by == "week":
            day = pd.to_datetime(shifts["day"])
            shifts = shifts.assign(queue=(day - pd.to_timedelta(day.dt.day_of_week, unit="D"))
                                   .dt.strftime("%Y-%m-%d"))
        cost = shifts.groupby("queue")["cost"].sum()
        out["shift_cost"] = cost.reindex(out.index).to_numpy(dtype=float)
        out.loc[TOTAL, "shift_cost"] = cost.sum()
    return out.reindex(columns=list(METRICS)).astype(float)


def _flat(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{name}."))
        else:
            out[name] = value
    return out


def _settings(run: Run) -> dict[str, Any]:
    try:
        return _flat(tomllib.loads((run.path / "config.toml").read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def settings_changes(first: Run, other: Run) -> list[str]:
    """'key: first's value -> other's value' for every setting that differs (the run store
    and the paths of the input files left out)."""
    left, right = _settings(first), _settings(other)
    keys = sorted(k for k in set(left) | set(right)
                  if left.get(k) != right.get(k) and not k.startswith("runs."))
    return [f"{k}: {left.get(k, '(unset)')} -> {right.get(k, '(unset)')}" for k in keys]


def compare_runs(runs: list[Run], by: str = "queue") -> Comparison:
    """Two or more runs side by side (see `Comparison`), changes against the first."""
    if len(runs) < 2:
        raise ConfigError("runs", [r.name for r in runs], "compare needs two runs or more")
    names = [r.name for r in runs]
    if len(set(names)) < len(names):
        raise ConfigError("runs", names, "names the same run twice")
    wide = pd.concat({r.name: run_figures(r, by).stack(future_stack=True) for r in runs},
                     axis=1)
    wide.index.names = [by, "metric"]
    first, last = wide[names[0]], wide[names[-1]]
    wide["change"] = last - first
    wide["change_pct"] = (wide["change"] / first.abs()).where(first.abs() > 0)
    table = wide.reset_index()
    table = table.assign(_total=table[by] == TOTAL,
                         _metric=table["metric"].map({m: i for i, m in enumerate(METRICS)}))
    table = table.sort_values(["_total", by, "_metric"]).drop(columns=["_total", "_metric"])
    table = table.dropna(subset=names, how="all").reset_index(drop=True)
    return Comparison(table, {r.name: settings_changes(runs[0], r) for r in runs[1:]})

"""The end-to-end pipeline: inputs -> forecast -> staffing -> schedule -> roster, each
stage kept as a run in the store (every run complete on its own, `source_run` naming the
run it built on)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from data import ConfigError
from peakplan.config import Config
from peakplan.fingerprint import fingerprint, staffing_fingerprint, stage_fingerprint
from peakplan.runs import Run, check_run_store, list_runs
from peakplan.stages import (
    forecast_artifacts,
    roster_bar,
    run_forecast,
    run_roster,
    run_schedule,
    run_staffing,
    staff,
    store_forecast,
    store_roster,
    store_schedule,
    store_staffing,
)
from peakplan.stages.schedule import schedule_bar, schedule_zone, team_agents

__all__ = ["THROUGH", "run"]

THROUGH = ("staffing", "schedule", "roster")
"""How far `run` can go: the stages after the forecast, in order."""


def run(config: Config, *, through: str = "staffing", progress: bool = False,
        reuse: bool = False, exports: Iterable[str] = (),
        say: Callable[[str], None] | None = None) -> Run:
    """The pipeline into the run store as far as `through` ('staffing', 'schedule' or
    'roster'); returns the last run written. With `reuse`, a stage whose settings and input
    bytes match an earlier run's is taken from that run instead of computed again (a change
    of staffing settings reuses the forecast). `exports` ('csv', 'xlsx', 'ics') go into the
    roster run; `say` gets a line per schedule block solved."""
    _check_through(config, through)
    staffed = _staffing_stage(config, progress=progress, reuse=reuse)
    if through == "staffing":
        return staffed
    if "requirements" not in staffed.artifacts():
        raise ConfigError("--through", through, f"run {staffed.name} holds a daily forecast "
                          "only: shifts need a contact history by interval")
    scheduled = _schedule_stage(config, staffed, reuse=reuse, progress=progress, say=say)
    if through == "schedule":
        return scheduled
    return _roster_stage(config, scheduled, tuple(dict.fromkeys(exports)), reuse=reuse,
                         progress=progress)


def _check_through(config: Config, through: str) -> None:
    """Settings a stage needs, checked before the forecast starts."""
    if through not in THROUGH:
        raise ConfigError("--through", through, f"must be one of {', '.join(THROUGH)}")
    if through == "roster" and config.data.agents is None:
        raise ConfigError("data.agents", None, "a roster needs the agents file (--agents)")
    check_run_store(config.runs.root)


def _staffing_stage(config: Config, *, progress: bool, reuse: bool) -> Run:
    """Forecast and staffing as one run (a daily forecast stops at the forecast)."""
    mark, staff_mark = fingerprint(config), staffing_fingerprint(config)
    earlier = _reusable(config, "fingerprint", mark) if reuse else None
    if earlier is not None and earlier.manifest.get("staffing_fingerprint") == staff_mark:
        return earlier
    marks = {"fingerprint": mark, "staffing_fingerprint": staff_mark}
    if earlier is not None:
        if "interval_forecast" not in earlier.artifacts():
            return earlier  # a daily forecast: nothing to staff
        season = {"season": earlier.manifest["season"]} if "season" in earlier.manifest else {}
        return store_staffing(config, staff(config, earlier.name), extra={**marks, **season})
    outcome = run_forecast(config, progress=progress)
    result = outcome.result
    if result.intervals is None:
        return store_forecast(config, outcome)
    staffed = run_staffing(config.staffing, result.intervals,
                           history=outcome.inputs.history.frame, agents=outcome.inputs.agents,
                           capacity_rules=config.capacity)
    staffed = replace(staffed, notes=(*result.notes, *staffed.notes),
                      timings_s={**outcome.timings_s, **staffed.timings_s})
    return store_staffing(config, staffed, forecast=forecast_artifacts(result),
                          extra={**marks, "season": [d.isoformat() for d in outcome.season]})


def _schedule_stage(config: Config, staffed: Run, *, reuse: bool, progress: bool,
                    say: Callable[[str], None] | None) -> Run:
    """Every queue and week of `staffed`'s requirements into shifts, as a new run."""
    mark = stage_fingerprint(config, "schedule")
    earlier = _reusable(config, "schedule_fingerprint", mark) if reuse else None
    if earlier is not None and earlier.manifest.get("source_run") == staffed.name:
        return earlier
    requirements, agents = staffed.artifact("requirements"), team_agents(config)
    if say is not None:
        say(f"schedule: requirements of run {staffed.name}, times in "
            f"{schedule_zone(requirements)}"
            + (f"; shift lengths fitted to the contracts in {config.data.agents}"
               if agents is not None else ""))
    bar = schedule_bar(disable=not progress)
    try:
        result = run_schedule(requirements, config.schedule, progress=bar,
                              workers=config.forecast.workers,
                              scheduler=config.forecast.scheduler,
                              checkpoint=config.runs.root, source=staffed.name,
                              agents=agents)
    finally:
        bar.close()
    return store_schedule(config, staffed, result, extra={"schedule_fingerprint": mark})


def _roster_stage(config: Config, scheduled: Run, exports: tuple[str, ...], *,
                  reuse: bool, progress: bool = False) -> Run:
    """Named agents on `scheduled`'s shifts, with the exports, as a new run."""
    mark = stage_fingerprint(config, "roster", *sorted(exports))
    earlier = _reusable(config, "roster_fingerprint", mark) if reuse else None
    if earlier is not None and earlier.manifest.get("source_run") == scheduled.name:
        return earlier
    bar = roster_bar(disable=not progress)
    try:
        outcome = run_roster(config, scheduled, kinds=exports, progress=bar)
    finally:
        bar.close()
    return store_roster(config, scheduled, outcome, extra={"roster_fingerprint": mark})


def _reusable(config: Config, key: str, mark: str) -> Run | None:
    """The latest complete run whose manifest has `key` equal to `mark`."""
    for earlier in reversed(list_runs(config.runs.root)):
        if earlier.manifest.get(key) == mark:
            return earlier
    return None

"""The end-to-end pipeline: inputs -> forecast -> staffing -> the run store."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pandas as pd

from data import DataError
from forecast import ForecastResult, backtest_detail, forecast_season, past_seasons
from peakplan.config import Config
from peakplan.inputs import Inputs, load_inputs
from peakplan.runs import Run, file_sha256, list_runs, write_run
from peakplan.staff import run_staffing, staff, store_staffing
from peakplan.toml_out import config_toml

__all__ = ["BacktestOutcome", "ForecastOutcome", "fingerprint", "run", "run_backtest",
           "run_forecast", "staffing_fingerprint", "write_folder"]


@dataclass(frozen=True)
class ForecastOutcome:
    """A season forecast, its window and the inputs it came from."""

    result: ForecastResult
    season: tuple[date, date]
    inputs: Inputs
    timings_s: dict[str, float]


@dataclass(frozen=True)
class BacktestOutcome:
    """Backtest metrics and predictions, and the windows they cover."""

    metrics: pd.DataFrame
    predictions: pd.DataFrame
    windows: list[tuple[date, date]]
    recent_windows: bool
    timings_s: dict[str, float]


def _season(config: Config, inputs: Inputs) -> tuple[date, date]:
    last = inputs.history.frame["ds"].max().tz_localize(None).date()
    return config.season.window(last)


def run_forecast(config: Config, *, progress: bool = False) -> ForecastOutcome:
    """Load the inputs and forecast the configured season."""
    started = time.perf_counter()
    inputs = load_inputs(config)
    loaded = time.perf_counter()
    season = _season(config, inputs)
    result = forecast_season(inputs.history.frame, season, traffic=inputs.traffic,
                             events=inputs.events, config=config.forecast,
                             traffic_plan=inputs.traffic_plan, progress=progress)
    timings = {"load": loaded - started, "forecast": time.perf_counter() - loaded}
    return ForecastOutcome(result, season, inputs, timings)


def run_backtest(config: Config, *, progress: bool = False) -> BacktestOutcome:
    """Backtest every candidate model on the past seasons of the configured window."""
    started = time.perf_counter()
    inputs = load_inputs(config)
    season = _season(config, inputs)
    windows, recent = past_seasons(inputs.history.frame, season,
                                   config.forecast.backtest_seasons)
    if not windows:
        raise DataError("the history is too short to backtest the season "
                        f"{season[0]}..{season[1]}", file=config.data.volume)
    metrics, predictions = backtest_detail(inputs.history.frame, windows,
                                           traffic=inputs.traffic, events=inputs.events,
                                           config=config.forecast, progress=progress)
    return BacktestOutcome(metrics, predictions, windows, recent,
                           {"backtest": time.perf_counter() - started})


def forecast_artifacts(result: ForecastResult) -> dict[str, pd.DataFrame]:
    """The frames a forecast run keeps."""
    artifacts = {"forecast": result.daily, "choices": result.choices}
    if result.intervals is not None:
        artifacts["interval_forecast"] = result.intervals
    if result.backtest is not None:
        artifacts["metrics"] = result.backtest
    return artifacts


def _inputs(config: Config) -> dict[str, Path | None]:
    data = config.data
    return {"volume": data.volume, "traffic": data.traffic, "traffic_plan": data.traffic_plan,
            "events": data.events}


def fingerprint(config: Config) -> str:
    """A hash of the forecast's settings and the bytes of its input files: two runs with
    the same fingerprint forecast the same (staffing settings are left out: they change
    nothing of the forecast and are quick to apply again)."""
    text = config_toml(config).split("\n", 1)[1].split("\n[staffing]")[0]
    digest = hashlib.sha256(text.encode())
    for role, path in sorted(_inputs(config).items()):
        if path is not None and Path(path).is_file():
            digest.update(f"{role}:{file_sha256(Path(path))}".encode())
    return digest.hexdigest()


def staffing_fingerprint(config: Config) -> str:
    """A hash of the staffing settings and the agents file, on top of the forecast's."""
    text = config_toml(config).split("\n[staffing]", 1)
    digest = hashlib.sha256((fingerprint(config) + (text[1] if len(text) > 1 else "")).encode())
    if config.data.agents is not None and Path(config.data.agents).is_file():
        digest.update(file_sha256(Path(config.data.agents)).encode())
    return digest.hexdigest()


def store_forecast(config: Config, outcome: ForecastOutcome) -> Run:
    """Write a forecast into the run store."""
    return write_run(config.runs.root, f"{config.season.name}-forecast",
                     config_text=config_toml(config),
                     artifacts=forecast_artifacts(outcome.result), inputs=_inputs(config),
                     timings_s=outcome.timings_s, notes=outcome.result.notes,
                     extra={"season": [d.isoformat() for d in outcome.season],
                            "fingerprint": fingerprint(config)})


def store_backtest(config: Config, outcome: BacktestOutcome) -> Run:
    """Write a backtest into the run store."""
    notes = ("no complete past season: the most recent windows of the season's length",) \
        if outcome.recent_windows else ()
    return write_run(config.runs.root, f"{config.season.name}-backtest",
                     config_text=config_toml(config),
                     artifacts={"backtest": outcome.predictions, "metrics": outcome.metrics},
                     inputs=_inputs(config), timings_s=outcome.timings_s, notes=notes,
                     extra={"windows": [[s.isoformat(), e.isoformat()]
                                        for s, e in outcome.windows]})


def write_folder(folder: Path, artifacts: dict[str, pd.DataFrame]) -> list[Path]:
    """Write artifacts as DIR/<name>.parquet, each through a temporary file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in artifacts.items():
        path = folder / f"{name}.parquet"
        tmp = folder / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
        written.append(path)
    return written


def run(config: Config, *, progress: bool = False, reuse: bool = False) -> Run:
    """The whole pipeline into the run store: forecast, then staffing where the forecast
    has intervals. With `reuse`, a run made from the same settings and input bytes is
    returned as it is, and one with the same forecast inputs lends its forecast, so a
    change of staffing settings takes seconds, not a new forecast."""
    mark, staff_mark = fingerprint(config), staffing_fingerprint(config)
    earlier = _reusable(config, mark) if reuse else None
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


def _reusable(config: Config, mark: str) -> Run | None:
    """The latest complete run whose forecast came from the same settings and inputs."""
    for earlier in reversed(list_runs(config.runs.root)):
        if earlier.manifest.get("fingerprint") == mark:
            return earlier
    return None

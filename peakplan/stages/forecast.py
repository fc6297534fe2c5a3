"""The forecast stage: load the inputs, forecast (or backtest) the season, keep it in a run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from data import DataError
from forecast import ForecastResult, backtest_detail, forecast_season, past_seasons
from peakplan.config import Config
from peakplan.fingerprint import fingerprint, forecast_inputs
from peakplan.inputs import Inputs, load_inputs
from peakplan.runs import Run, write_run
from peakplan.toml_out import config_toml

__all__ = ["BacktestOutcome", "ForecastOutcome", "forecast_artifacts", "run_backtest",
           "run_forecast", "store_backtest", "store_forecast", "write_folder"]


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


def season_of(config: Config, inputs: Inputs) -> tuple[date, date]:
    """The configured season's first and last local day, given the history's last day."""
    last = inputs.history.frame["ds"].max().tz_localize(None).date()
    return config.season.window(last)


def run_forecast(config: Config, *, progress: bool = False) -> ForecastOutcome:
    """Load the inputs and forecast the configured season."""
    started = time.perf_counter()
    inputs = load_inputs(config)
    loaded = time.perf_counter()
    season = season_of(config, inputs)
    result = forecast_season(inputs.history.frame, season, traffic=inputs.traffic,
                             events=inputs.events, config=config.forecast,
                             traffic_plan=inputs.traffic_plan, progress=progress)
    timings = {"load": loaded - started, "forecast": time.perf_counter() - loaded}
    return ForecastOutcome(result, season, inputs, timings)


def run_backtest(config: Config, *, progress: bool = False) -> BacktestOutcome:
    """Backtest every candidate model on the past seasons of the configured window."""
    started = time.perf_counter()
    inputs = load_inputs(config)
    season = season_of(config, inputs)
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


def store_forecast(config: Config, outcome: ForecastOutcome) -> Run:
    """Write a forecast into the run store."""
    return write_run(config.runs.root, f"{config.season.name}-forecast",
                     config_text=config_toml(config),
                     artifacts=forecast_artifacts(outcome.result),
                     inputs=forecast_inputs(config), timings_s=outcome.timings_s,
                     notes=outcome.result.notes,
                     extra={"season": [d.isoformat() for d in outcome.season],
                            "fingerprint": fingerprint(config)})


def store_backtest(config: Config, outcome: BacktestOutcome) -> Run:
    """Write a backtest into the run store."""
    notes = ("no complete past season: the most recent windows of the season's length",) \
        if outcome.recent_windows else ()
    return write_run(config.runs.root, f"{config.season.name}-backtest",
                     config_text=config_toml(config),
                     artifacts={"backtest": outcome.predictions, "metrics": outcome.metrics},
                     inputs=forecast_inputs(config), timings_s=outcome.timings_s, notes=notes,
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

"""The run store the page tests open (Hungary's slice of the sample, seasonal-naive
forecast), built once per session, and the folder uploads are kept in."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dashboard import state, uploads
from peakplan.cli import main
from peakplan.runs import list_runs, write_run


def _metrics(forecast: pd.DataFrame) -> pd.DataFrame:
    """A backtest metrics table in the forecast's contract (made up, deterministic)."""
    rng = np.random.default_rng(7)
    keys = [("overall", "all")] + [("series", u) for u in forecast["unique_id"].unique()]
    keys += [(level, v) for level in ("country", "query_type", "channel")
             for v in forecast[level].unique()]
    rows = [{"level": level, "key": key, "model": model, "window": window,
             "wape": rng.uniform(0.05, 0.3), "mape": 0.1, "bias": 0.0, "peak_error": 0.0,
             "coverage": 0.8, "poisson_wape_floor": 0.03}
            for level, key in keys for model in ("snaive_week", "snaive_year", "prophet")
            for window in ("all", "season 2025")]
    return pd.DataFrame(rows)


def _backtest(forecast: pd.DataFrame) -> pd.DataFrame:
    """Backtest predictions with actuals 20% above the forecast."""
    frame = forecast.assign(day=forecast["ds"].dt.tz_localize(None), window="season 2025",
                            unit=forecast["unique_id"], actual=forecast["yhat"] * 1.2)
    return frame[["unique_id", "day", "model", "unit", "window", "yhat", "yhat_lower",
                  "yhat_upper", "actual"]]


@pytest.fixture(scope="session")
def season_store(tmp_path_factory, hungary_season) -> SimpleNamespace:
    """Forecast, staff, schedule (one queue-week) and roster Hungary into a run store of
    its own, and add a run with a backtest. The page tests share it (some add runs)."""
    folder = tmp_path_factory.mktemp("dashboard")
    config = hungary_season(
        folder, start="2026-11-01", end="2026-11-30", chat="answer_within_s = 60",
        staffing="[staffing]\nshrinkage = 0.3\n\n[staffing.deflection]\norder_status = 0.1",
        schedule=True)
    flags = ["--config", str(config)]
    assert main(["forecast", *flags, "--quiet"]) == 0
    assert main(["staff", *flags]) == 0
    assert main(["schedule", *flags, "--queue", "hu_email", "--week", "2026-11-23",
                 "--quiet"]) == 0
    assert main(["roster", *flags]) == 0
    rostered = list_runs(folder / "runs")[-1]
    forecast = rostered.artifact("forecast")
    backtested = write_run(
        folder / "runs", "hu-backtested", config_text=config.read_text(encoding="utf-8"),
        artifacts={**{n: rostered.artifact(n) for n in ("forecast", "interval_forecast",
                                                        "choices")},
                   "metrics": _metrics(forecast), "backtest": _backtest(forecast)},
        inputs={}, timings_s={})
    return SimpleNamespace(config=config, runs=folder / "runs", folder=folder,
                           rostered=rostered, backtested=backtested, forecast=forecast)


@pytest.fixture
def store(season_store, monkeypatch) -> SimpleNamespace:
    """The shared run store, with the app pointed at its config (PEAKPLAN_CONFIG)."""
    monkeypatch.setenv(state.CONFIG_ENV, str(season_store.config))
    return season_store


@pytest.fixture
def uploads_folder(tmp_path, monkeypatch):
    """Uploads kept by the pages go to the test's own folder (page test modules use it
    for every test: `pytestmark = pytest.mark.usefixtures("uploads_folder")`)."""
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", tmp_path / "uploads")

"""Fit and forecast a season for many daily series of three years: peakplan's Prophet
runner (no sampling, parallel processes) against a plain sequential loop of
`Prophet().fit(); predict()` with default settings, on the same data.

Goal: at least 5 times faster on 2 cores with the same point forecasts (largest relative
difference of yhat under 1e-6). Series count: PEAKPLAN_BENCH_SERIES (default 500).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from benchmarks.common import write_result

GOAL_SPEEDUP = 5.0
SEASON_DAYS = 92


def make_series(count: int, seed: int = 7) -> list[pd.Series]:
    """Daily series over three years: weekly and yearly shape, trend, Poisson noise."""
    days = pd.date_range("2023-10-01", "2026-09-30", freq="D")
    rng = np.random.default_rng(seed)
    t = np.arange(len(days))
    series = []
    for _ in range(count):
        level = rng.uniform(20, 2000)
        weekly = 1 + 0.3 * np.cos(2 * np.pi * (days.day_of_week - rng.integers(7)) / 7)
        yearly = 1 + 0.25 * np.sin(2 * np.pi * (days.day_of_year + rng.integers(365)) / 365.25)
        trend = 1 + rng.uniform(-0.1, 0.3) * t / 365
        series.append(pd.Series(rng.poisson(level * weekly * yearly * trend).astype(float),
                                index=days))
    return series


PLAIN_LOOP = """
import logging, pickle, sys, time
from prophet import Prophet
logging.getLogger("cmdstanpy").disabled = True
series = pickle.load(sys.stdin.buffer)
start = time.perf_counter()
out = []
for s in series:
    model = Prophet().fit(__import__("pandas").DataFrame({"ds": s.index, "y": s.to_numpy()}))
    future = model.make_future_dataframe(HORIZON)
    out.append(model.predict(future)["yhat"].to_numpy()[-HORIZON:])
pickle.dump((out, time.perf_counter() - start), sys.stdout.buffer)
""".replace("HORIZON", str(SEASON_DAYS))


def plain_loop(series: list[pd.Series]) -> tuple[list[np.ndarray], float]:
    """The notebook way, in a fresh interpreter that has imported nothing of peakplan:
    default Prophet, fit and predict one series after another."""
    done = subprocess.run([sys.executable, "-c", PLAIN_LOOP], input=pickle.dumps(series),
                          capture_output=True, check=True)
    return pickle.loads(done.stdout)


def peakplan_runner(series: list[pd.Series]) -> tuple[list[np.ndarray], float]:
    """The same model through forecast.models in parallel processes, without sampling.

    Like the plain loop, which imports prophet before its clock starts, the Prophet module
    is imported first (forked workers then share it)."""
    import forecast.prophet_model  # noqa: F401
    from forecast.config import ForecastConfig
    from forecast.models import FitTask, run_task
    from forecast.parallel import run_all

    config = ForecastConfig()
    start = time.perf_counter()
    tasks = []
    for k, s in enumerate(series):
        days = pd.date_range(s.index[-1] + pd.Timedelta(days=1), periods=SEASON_DAYS, freq="D")
        tasks.append(FitTask(str(k), "prophet_plain", s, days, None, config))
    results = run_all(run_task, tasks)
    return [r["yhat"].to_numpy() for r in results], time.perf_counter() - start


def run() -> tuple[dict, object]:
    """Time both ways on the same series and compare their point forecasts."""
    count = int(os.environ.get("PEAKPLAN_BENCH_SERIES", "500"))
    series = make_series(count)
    fast, fast_s = peakplan_runner(series)
    slow, slow_s = plain_loop(series)
    differences = [np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0))
                   for a, b in zip(fast, slow, strict=True)]
    speedup = slow_s / fast_s
    worst = float(max(differences))
    result = {"series": count, "days_each": len(series[0]), "horizon_days": SEASON_DAYS,
              "plain_loop_s": round(slow_s, 2), "peakplan_s": round(fast_s, 2),
              "speedup": round(speedup, 2), "largest_relative_yhat_difference": worst,
              "goal": {"speedup_at_least": GOAL_SPEEDUP, "yhat_difference_below": 1e-6},
              "goal_met": bool(speedup >= GOAL_SPEEDUP and worst < 1e-6)}
    return result, write_result("forecast_speed", result)

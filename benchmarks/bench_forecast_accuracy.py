"""Accuracy on the last two seasons: the 'auto' forecast (models chosen on the seasons
before) against each baseline forecasting the same season from the same history.

Data: the bundled sample (traffic and events, 90 series) and the real US website visitors
in ../shared/realdata (daily, US holidays, no traffic). Goal: WAPE at least 15% lower than
the best baseline on each dataset (series-level WAPE: sum of absolute daily errors of all
series over their contacts). Skips a dataset whose files are absent.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.common import write_result

GOAL = 0.15
BASELINES = ("snaive_week", "snaive_year", "prophet_plain")
REALDATA = Path(os.environ.get("PEAKPLAN_REALDATA",
                               Path(__file__).resolve().parents[2] / "shared" / "realdata"))


def sample_dataset() -> dict:
    from data import read_events, read_traffic, sample_paths

    contacts = pd.read_parquet(sample_paths()["contacts"])
    contacts["ds"] = contacts["ds"].dt.tz_convert("Europe/Amsterdam")
    return {"contacts": contacts, "traffic": read_traffic(sample_paths()["traffic"]),
            "events": read_events(sample_paths()["events"]),
            "seasons": [(date(2024, 10, 1), date(2024, 12, 31)),
                        (date(2025, 10, 1), date(2025, 12, 31))]}


def visitors_dataset() -> dict | None:
    from data import read_traffic

    path = REALDATA / "us_website_visitors_daily.csv"
    if not path.is_file():
        return None
    visits = read_traffic(path, country="US", sessions_column="Unique.Visits")
    contacts = pd.DataFrame({
        "ds": visits["ds"].dt.tz_localize("America/New_York"), "country": "US",
        "query_type": "all", "channel": "web", "contacts": visits["sessions"]})
    return {"contacts": contacts, "traffic": None, "events": None,
            "seasons": [(date(2018, 10, 1), date(2018, 12, 31)),
                        (date(2019, 10, 1), date(2019, 12, 31))]}


def series_scores(forecast: pd.DataFrame, actual: pd.DataFrame) -> dict[str, float]:
    """WAPE (sum over series and days of |forecast - actual| over the sum of actuals) and
    the share of series-days inside the band."""
    from data import local_day, series_id, to_daily

    truth = to_daily(actual).assign(unique_id=lambda f: series_id(f))
    truth = truth.set_index(["unique_id", local_day(truth["ds"])])["contacts"]
    keyed = forecast.set_index(["unique_id", local_day(forecast["ds"])])
    joined = pd.concat({"f": keyed["yhat"], "lo": keyed["yhat_lower"], "hi": keyed["yhat_upper"],
                        "a": truth}, axis=1).dropna(subset=["f"]).fillna(0.0)
    inside = (joined["a"] >= joined["lo"]) & (joined["a"] <= joined["hi"])
    return {"wape": round(float(np.abs(joined["f"] - joined["a"]).sum() / joined["a"].sum()), 4),
            "coverage": round(float(inside.mean()), 3)}


def evaluate(dataset: dict) -> dict:
    """WAPE per season of auto and of every baseline."""
    from forecast import ForecastConfig, forecast_season

    contacts, rows = dataset["contacts"], {}
    tz = contacts["ds"].dt.tz
    for start, end in dataset["seasons"]:
        history = contacts[contacts["ds"] < pd.Timestamp(start).tz_localize(tz)]
        actual = contacts[(contacts["ds"] >= pd.Timestamp(start).tz_localize(tz))
                          & (contacts["ds"] < (pd.Timestamp(end) + pd.Timedelta(days=1))
                             .tz_localize(tz))]
        scores = {}
        for model in ("auto", *BASELINES):
            began = time.perf_counter()
            result = forecast_season(history, (start, end), traffic=dataset["traffic"],
                                     events=dataset["events"],
                                     config=ForecastConfig(model=model))
            scores[model] = {**series_scores(result.daily, actual),
                             "seconds": round(time.perf_counter() - began, 1)}
            if model == "auto":
                scores[model]["chosen"] = result.choices["model"].value_counts().to_dict()
        rows[f"season {start.year}"] = scores
    auto = np.mean([s["auto"]["wape"] for s in rows.values()])
    best = min(np.mean([s[b]["wape"] for s in rows.values()]) for b in BASELINES)
    return {"seasons": rows, "auto_wape": round(float(auto), 4),
            "best_baseline_wape": round(float(best), 4),
            "improvement": round(float(1 - auto / best), 4)}


def run() -> tuple[dict, object]:
    """Both datasets; the goal holds when each improves on its best baseline by 15%."""
    results = {"goal": {"wape_lower_than_best_baseline_by": GOAL}}
    for name, loader in (("sample", sample_dataset), ("us_website_visitors",
                                                      visitors_dataset)):
        dataset = loader()
        results[name] = evaluate(dataset) if dataset else {"skipped": f"{REALDATA} absent"}
    scored = [v for k, v in results.items() if isinstance(v, dict) and "improvement" in v]
    results["goal_met"] = bool(scored) and all(v["improvement"] >= GOAL for v in scored)
    return results, write_result("forecast_accuracy", results)

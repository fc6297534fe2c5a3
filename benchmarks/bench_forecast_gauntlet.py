"""The forecast gauntlet: every real daily series at hand, cut to 13, 15, 18, 24 and 36+
months of history before a Q4, forecast by `auto`, by each simple baseline and by each
statsforecast model alone; season WAPE of each (forecast_gauntlet_data.py has the series).

Goal per case: `auto` at most 0.85 x the best simple baseline (snaive_week, snaive_year,
prophet_plain) and at most 0.95 x the best single statsforecast model (mstl, ets, theta,
arima), and never worse than the best simple baseline. Each case is one series, one Q4 and
one history length, forecast as a user would: `forecast_season` on the history alone (US
holidays; no traffic, no events), default settings but one process per case.

The guard rail is judged on every forecast of every case (auto's and each model's): a
warning on a season total within 1.2 times the truth is a false alarm, no warning on one off
by 1.5 times or more is a miss (`summary.guard`).

    python -m benchmarks forecast_gauntlet      (PEAKPLAN_GAUNTLET_WORKERS: processes, 2)
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from benchmarks.common import write_result
from benchmarks.forecast_gauntlet_data import Case, gauntlet_cases

SIMPLE = ("snaive_week", "snaive_year", "prophet_plain")
SF = ("mstl", "ets", "theta", "arima")
MODELS = ("auto", "prophet", *SIMPLE, *SF)
GOAL_SIMPLE, GOAL_SF = 0.85, 0.95
TZ = "America/New_York"


def contacts_of(history: pd.Series) -> pd.DataFrame:
    """A daily history as a contact history of one series (US/all/web)."""
    observed = history.dropna()
    return pd.DataFrame({"ds": observed.index.tz_localize(TZ), "country": "US",
                         "query_type": "all", "channel": "web",
                         "contacts": observed.to_numpy()})


def season_wape(forecast: pd.DataFrame, actual: pd.Series) -> float:
    """Sum of |forecast - actual| over the sum of actuals, on the days with actuals."""
    predicted = forecast.set_index(forecast["ds"].dt.tz_localize(None))["yhat"]
    truth = actual.dropna()
    errors = (predicted.reindex(truth.index) - truth).abs()
    return round(float(errors.sum() / truth.sum()), 4)


def total_ratio(forecast: pd.DataFrame, actual: pd.Series) -> float:
    """The forecast's season total over the actual one, on the days with actuals."""
    predicted = forecast.set_index(forecast["ds"].dt.tz_localize(None))["yhat"]
    truth = actual.dropna()
    return round(float(predicted.reindex(truth.index).sum() / truth.sum()), 4)


def run_case(case: Case) -> dict:
    """Every model's season WAPE, season total against the truth and guard warning on one
    case; auto's choice and warnings."""
    from forecast import ForecastConfig, forecast_season

    contacts = contacts_of(case.history)
    season = (case.actual.index.min().date(), case.actual.index.max().date())
    row: dict = {"case": case.name, "history_days": int(case.history.notna().sum())}
    for model in MODELS:
        began = time.perf_counter()
        result = forecast_season(contacts, season, config=ForecastConfig(model=model,
                                                                        workers=1))
        row[model] = season_wape(result.daily, case.actual)
        row.setdefault("total_ratio", {})[model] = total_ratio(result.daily, case.actual)
        row.setdefault("guard_warned", {})[model] = bool(result.choices["check"].astype(bool)
                                                         .any())
        if model == "auto":
            row["auto_model"] = str(result.choices["model"].iloc[0])
            row["auto_seconds"] = round(time.perf_counter() - began, 1)
            row["auto_warnings"] = [c for c in result.choices["check"] if c]
    return judged(row)


def judged(row: dict) -> dict:
    """The case's goal: auto against the best simple baseline and the best statsforecast
    model."""
    best_simple = min(row[m] for m in SIMPLE)
    best_sf = min(row[m] for m in SF)
    row["best_simple"], row["best_sf"] = best_simple, best_sf
    row["auto_vs_best_simple"] = round(row["auto"] / best_simple, 3)
    row["auto_vs_best_sf"] = round(row["auto"] / best_sf, 3)
    row["goal_met"] = bool(row["auto"] <= GOAL_SIMPLE * best_simple
                           and row["auto"] <= GOAL_SF * best_sf)
    row["not_worse_than_best_simple"] = bool(row["auto"] <= best_simple)
    return row


GUARD_GOOD, GUARD_MISS, GUARD_TWO_FOLD = 1.2, 1.5, 2.0
"""A season total within 1.2 times the truth is good (a warning there is a false alarm);
off by 1.5 times or more is a miss the guard must name (two-fold: the issue's case)."""


def guard_summary(rows: list[dict]) -> dict:
    """How the guard rail did on every forecast of every case (each model's, auto's too):
    warnings on good forecasts (false alarms) and silence on bad ones (missed)."""
    pairs = [(row["total_ratio"][m], row["guard_warned"][m]) for row in rows
             for m in row["total_ratio"]]
    off = np.array([max(r, 1 / r) if r > 0 else np.inf for r, _ in pairs])
    warned = np.array([w for _, w in pairs], dtype=bool)
    good, bad, two = off <= GUARD_GOOD, off >= GUARD_MISS, off >= GUARD_TWO_FOLD
    gray = ~good & ~bad
    return {"forecasts": len(pairs), "warnings": int(warned.sum()),
            "good_within_1_2x": int(good.sum()), "false_alarms": int((good & warned).sum()),
            "off_1_5x_or_more": int(bad.sum()), "missed": int((bad & ~warned).sum()),
            "off_2x_or_more": int(two.sum()), "missed_2x": int((two & ~warned).sum()),
            "between_1_2x_and_1_5x": int(gray.sum()), "warned_between": int((gray & warned)
                                                                            .sum()),
            "auto_worst_total_ratio": max((row["total_ratio"]["auto"] for row in rows),
                                          key=lambda r: max(r, 1 / r)),
            "auto_warnings": int(sum(row["guard_warned"]["auto"] for row in rows))}


def summary(rows: list[dict]) -> dict:
    """Counts of cases that meet each part of the goal, and geometric means of WAPE."""
    frame = pd.DataFrame(rows)

    def geo(column: str) -> float:
        return round(float(np.exp(np.log(frame[column]).mean())), 4)

    by_length = frame.assign(months=frame["case"].str.split("/").str[-1])
    return {
        "cases": len(frame),
        "goal_met": int(frame["goal_met"].sum()),
        "auto_at_most_0_85_best_simple": int((frame["auto_vs_best_simple"] <= GOAL_SIMPLE)
                                             .sum()),
        "auto_at_most_0_95_best_sf": int((frame["auto_vs_best_sf"] <= GOAL_SF).sum()),
        "not_worse_than_best_simple": int(frame["not_worse_than_best_simple"].sum()),
        "geometric_mean_wape": {m: geo(m) for m in (*MODELS, "best_simple", "best_sf")},
        "median_auto_vs_best_simple": round(float(frame["auto_vs_best_simple"].median()), 3),
        "median_auto_vs_best_sf": round(float(frame["auto_vs_best_sf"].median()), 3),
        "auto_wape_by_history_months": by_length.groupby("months")["auto"].median()
        .round(4).to_dict(),
        "auto_models": frame["auto_model"].value_counts().to_dict(),
        "auto_seconds": {"median": float(frame["auto_seconds"].median()),
                         "max": float(frame["auto_seconds"].max())},
        "guard": guard_summary(rows),
    }


def run() -> tuple[dict, object]:
    """Every case in parallel processes; the goal holds when every case meets it."""
    cases, skipped = gauntlet_cases()
    workers = int(os.environ.get("PEAKPLAN_GAUNTLET_WORKERS", "2"))
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(run_case, cases))
    result = {
        "goal": {"auto_at_most_x_best_simple": GOAL_SIMPLE,
                 "auto_at_most_x_best_statsforecast": GOAL_SF,
                 "never_worse_than_best_simple": True, "on": "every case"},
        "skipped": skipped, "seconds": round(time.perf_counter() - began, 1),
        "summary": summary(rows) if rows else {}, "cases": rows,
        "goal_met": bool(rows) and all(r["goal_met"] and r["not_worse_than_best_simple"]
                                       for r in rows),
    }
    return result, write_result("forecast_gauntlet", result)

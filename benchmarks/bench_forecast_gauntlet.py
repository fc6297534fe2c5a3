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

The ceiling (`ceiling`): per case, the best in hindsight (an oracle) of what `auto` can
choose, its candidates alone and every mean (of two or three) and median (of three) of them,
and the same over all eight models; how many cases that oracle would meet each part of the
goal on says whether any selection rule could, with this pool.

    python -m benchmarks forecast_gauntlet      (PEAKPLAN_GAUNTLET_WORKERS: processes, 2)
"""

from __future__ import annotations

import itertools
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
ALL_MODELS = (*MODELS[1:],)
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
    daily = {}
    for model in MODELS:
        began = time.perf_counter()
        result = forecast_season(contacts, season, config=ForecastConfig(model=model,
                                                                        workers=1))
        daily[model] = result.daily
        row[model] = season_wape(result.daily, case.actual)
        row.setdefault("total_ratio", {})[model] = total_ratio(result.daily, case.actual)
        row.setdefault("guard_warned", {})[model] = bool(result.choices["check"].astype(bool)
                                                         .any())
        if model == "auto":
            row["auto_model"] = str(result.choices["model"].iloc[0])
            row["auto_seconds"] = round(time.perf_counter() - began, 1)
            row["auto_warnings"] = [c for c in result.choices["check"] if c]
    pool = ForecastConfig().candidates
    row["oracle"] = {"pool": oracle(daily, pool, case.actual),
                     "all_models": oracle(daily, ALL_MODELS, case.actual)}
    return judged(row)


def combinations(models: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Every model alone, the mean of every two and three, the median of every three, as
    (name as `auto` writes it, members)."""
    found = [(m, (m,)) for m in models]
    for size in (2, 3):
        for group in itertools.combinations(models, size):
            found.append((f"mean({','.join(group)})", group))
            if size == 3:
                found.append((f"median({','.join(group)})", group))
    return found


def oracle(daily: dict[str, pd.DataFrame], models: tuple[str, ...], actual: pd.Series
           ) -> dict:
    """The best in hindsight of `models` and their combinations: name and season WAPE."""
    best = ("", np.inf)
    for name, group in combinations(models):
        stacked = np.stack([daily[m]["yhat"].to_numpy(dtype=float) for m in group])
        values = np.median(stacked, axis=0) if name.startswith("median") else \
            stacked.mean(axis=0)
        score = season_wape(daily[group[0]].assign(yhat=values), actual)
        if score < best[1]:
            best = (name, score)
    return {"model": best[0], "wape": best[1]}


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
    for found in row.get("oracle", {}).values():
        found.update(parts_met(found["wape"], best_simple, best_sf))
    return row


def parts_met(score: float, best_simple: float, best_sf: float) -> dict[str, bool]:
    """Which parts of the goal a season WAPE of `score` meets on a case."""
    return {"at_most_0_85_best_simple": bool(score <= GOAL_SIMPLE * best_simple),
            "at_most_0_95_best_sf": bool(score <= GOAL_SF * best_sf),
            "not_worse_than_best_simple": bool(score <= best_simple),
            "goal_met": bool(score <= GOAL_SIMPLE * best_simple and score <= GOAL_SF * best_sf)}


def ceiling(rows: list[dict]) -> dict:
    """What an oracle choice of each pool would meet: counts per part of the goal, the
    geometric-mean WAPE, and the cases out of its reach with the figures that put them
    there."""
    found = {}
    for pool in rows[0]["oracle"]:
        picks = [row["oracle"][pool] for row in rows]
        parts = ("goal_met", "at_most_0_85_best_simple", "at_most_0_95_best_sf",
                 "not_worse_than_best_simple")
        found[pool] = {part: sum(p[part] for p in picks) for part in parts}
        found[pool]["geometric_mean_wape"] = round(float(np.exp(np.mean(np.log(
            [p["wape"] for p in picks])))), 4)
        found[pool]["out_of_reach"] = {
            row["case"]: f"best {row['oracle'][pool]['model']} {row['oracle'][pool]['wape']:.4f}"
            f", best simple {row['best_simple']:.4f}, best statsforecast {row['best_sf']:.4f}"
            for row in rows if not row["oracle"][pool]["goal_met"]}
    found["about"] = ("pool: auto's candidates (forecast.config.POOL) alone, the mean of every two "
                     "and three, the median of every three; all_models: the same over all "
                     "eight models")
    return found


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
        "auto_by_series": by_series(frame),
        "auto_models": frame["auto_model"].str.replace(r"^weighted\(.*", "weighted(...)",
                                                       regex=True).value_counts().to_dict(),
        "auto_seconds": {"median": float(frame["auto_seconds"].median()),
                         "max": float(frame["auto_seconds"].max())},
        "guard": guard_summary(rows),
        "ceiling": ceiling(rows),
    }


def by_series(frame: pd.DataFrame) -> dict[str, dict]:
    """Per series: cases, goal met, no worse than the best simple baseline, geometric-mean
    season WAPE of auto."""
    series = frame["case"].str.split("/").str[0]
    return {name: {"cases": len(group), "goal_met": int(group["goal_met"].sum()),
                   "not_worse_than_best_simple": int(group["not_worse_than_best_simple"]
                                                     .sum()),
                   "geometric_mean_wape": round(float(np.exp(np.log(group["auto"]).mean())),
                                                4)}
            for name, group in frame.groupby(series, sort=True)}


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

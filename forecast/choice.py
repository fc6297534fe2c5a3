"""The model of every unit under 'auto': scored on rolling-origin windows, weighted toward the
season's calendar, among single models and combinations of the best of them.

A combination is named after how it combines and what, e.g. `median(prophet,mstl,ets)`: the
daily forecast (and band) is the mean or median of its members' forecasts. A mean or median
of two or three good models is often better than any one of them, and rarely much worse.
`weighted(prophet:0.3,mstl:0.25,...)` is the mean weighted by the shares written in it.

The default, kept unless another model or combination beats it by the selection margin on
the windows: Prophet where it has something the others lack (web traffic or events for the
coming season); otherwise the mean of Prophet, MSTL and snaive_year, three ways of reading
the same history (holidays and a trend, a decomposition, last year's days). On the real
series of benchmarks/bench_forecast_gauntlet.py that mean was better than the model each
history's own backtest picked: a few windows before the cutoff say little about a Q4.

Where every window lies before the cutoff (no past season with a year of history before
it) and there are no regressors, no single model or combination is picked: every candidate
is kept, weighted by the inverse of its weighted backtest error (`inverse_weighted`). Such
windows are weak evidence for one model but still tell a poor model from a good one; on the
gauntlet's 53 cases of that kind this met the goal on 5 more cases (37 of 86) and cut the
geometric-mean season WAPE from 7.45% to 7.37%.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from forecast.backtest import ORACLE, BacktestRun, run_backtest
from forecast.config import MODELS, ForecastConfig
from forecast.hierarchy import Unit
from forecast.metrics import METRICS
from forecast.models import BAND
from forecast.windows import Window, cv_windows

__all__ = ["COMBINE_TOP", "DEFAULT", "FAMILIES", "Choice", "choose", "choose_models",
           "combination_predictions", "combine", "combined_name", "default_model",
           "describe_windows", "inverse_weighted", "members", "pick", "rank_models",
           "weights_of"]

DEFAULT = "prophet"
"""The default where there are regressors: it alone carries the coming season's events and
web traffic."""
FAMILIES = ("prophet", "mstl", "snaive_year")
"""The default without regressors is the mean of those of these that are candidates."""
COMBINE_TOP = (2, 3)
"""Combinations tried: the mean and the median of the best two and of the best three."""
_COMBO = re.compile(r"^(mean|median)\(([a-z_,]+)\)$")
_WEIGHTED = re.compile(r"^weighted\(([a-z_]+:[0-9.]+(?:,[a-z_]+:[0-9.]+)*)\)$")


def members(model: str) -> tuple[str, ...]:
    """The models a name stands for: itself, or a combination's members.

    >>> members("median(prophet,mstl,ets)"), members("prophet")
    (('prophet', 'mstl', 'ets'), ('prophet',))
    >>> members("weighted(prophet:0.6,snaive_year:0.4)")
    ('prophet', 'snaive_year')
    """
    weighted = weights_of(model)
    if weighted:
        return tuple(weighted)
    found = _COMBO.match(model)
    return tuple(found.group(2).split(",")) if found else (model,)


def weights_of(model: str) -> dict[str, float]:
    """The members of a weighted combination and their shares (summing to 1); empty for
    any other name.

    >>> weights_of("weighted(prophet:0.3,mstl:0.3)"), weights_of("mean(prophet,mstl)")
    ({'prophet': 0.5, 'mstl': 0.5}, {})
    """
    found = _WEIGHTED.match(model)
    if not found:
        return {}
    pairs = [part.split(":") for part in found.group(1).split(",")]
    total = sum(float(share) for _, share in pairs)
    return {name: float(share) / total for name, share in pairs}


def inverse_weighted(ranked: pd.Series) -> str:
    """The combination of the single models of `ranked` (weighted backtest errors) weighted
    by the inverse of their errors, members in the order of MODELS; a model with no error
    at all, or the only one, alone.

    >>> inverse_weighted(pd.Series({"mstl": 0.1, "prophet": 0.1, "snaive_week": 0.2,
    ...                             "mean(prophet,mstl)": 0.05}))
    'weighted(prophet:0.4,mstl:0.4,snaive_week:0.2)'
    """
    singles = ranked[[len(members(m)) == 1 for m in ranked.index]].dropna()
    if not len(singles):
        raise ValueError("no single model has a backtest error to weight it by")
    if len(singles) == 1 or (singles <= 0).any():
        return str(singles.idxmin())
    inverse = 1 / singles
    shares = inverse / inverse.sum()
    order = {name: rank for rank, name in enumerate(MODELS)}
    names = sorted(shares.index, key=lambda m: (order.get(m, len(order)), m))
    return "weighted(" + ",".join(f"{m}:{shares[m]:.3g}" for m in names) + ")"


def combined_name(how: str, models: Sequence[str]) -> str:
    """The name of the `how` ('mean' or 'median') of `models`, members in the order of
    MODELS whatever order they are given in (one combination, one name).

    >>> combined_name("mean", ["snaive_year", "mstl", "prophet"])
    'mean(prophet,mstl,snaive_year)'
    """
    order = {name: rank for rank, name in enumerate(MODELS)}
    ordered = sorted(models, key=lambda m: (order.get(m, len(order)), m))
    return f"{how}({','.join(ordered)})"


def combine(model: str, forecasts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The combination `model` of its members' forecasts (yhat, yhat_lower, yhat_upper by
    day): the mean, the median or the weighted mean of each column, day by day."""
    found, weights = _COMBO.match(model), weights_of(model)
    if not found and not weights:
        raise ValueError(f"{model!r} is not a combination such as 'mean(prophet,mstl)'")
    stacked = np.stack([f[BAND].to_numpy(dtype=float) for f in forecasts])
    if weights:
        values = np.tensordot(np.array(list(weights.values())), stacked, axes=1)
    else:
        values = stacked.mean(axis=0) if found.group(1) == "mean" else \
            np.median(stacked, axis=0)
    return pd.DataFrame(values, index=forecasts[0].index, columns=BAND)


def default_model(candidates: Sequence[str], regressors: bool) -> str:
    """The model or combination others must beat by the selection margin: Prophet when
    there are regressors (web traffic, events) for it, else the mean of the FAMILIES among
    `candidates` (the one there is, or the first candidate, if fewer than two).

    >>> default_model(("prophet", "mstl", "snaive_week", "snaive_year"), regressors=False)
    'mean(prophet,mstl,snaive_year)'
    >>> default_model(("prophet", "mstl"), regressors=True), default_model(("ets",), False)
    ('prophet', 'ets')
    """
    if regressors and DEFAULT in candidates:
        return DEFAULT
    found = [m for m in FAMILIES if m in candidates]
    if len(found) > 1:
        return combined_name("mean", found)
    return found[0] if found else candidates[0]


def _window_scores(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """`metric` per model and window of the rows' daily totals: columns model, window, score."""
    daily = rows.groupby(["model", "window", "day"], sort=True)[["yhat", "actual"]].sum()
    scored = [{"model": model, "window": window,
               "score": METRICS[metric](group["actual"].to_numpy(), group["yhat"].to_numpy())}
              for (model, window), group in daily.groupby(level=["model", "window"])]
    return pd.DataFrame(scored, columns=["model", "window", "score"])


def rank_models(rows: pd.DataFrame, weights: Mapping[str, float], metric: str = "wape",
                also: Sequence[str] = ()) -> pd.Series:
    """The weighted mean over windows of `metric` per model (and per combination of the best
    single models, and the combinations `also`), ascending; rows are backtest predictions
    (model, window, day, yhat, actual) whose series are summed per day. A model missing a
    window is left out."""
    rows = rows[rows["model"] != ORACLE].dropna(subset=["actual"])
    best = _combinations(_weighted(_window_scores(rows, metric), weights))
    names = dict.fromkeys([*best, *(n for n in also if len(members(n)) > 1)])
    rows = pd.concat([rows, *(_combined_rows(rows, name) for name in names)])
    return _weighted(_window_scores(rows, metric), weights)


def _weighted(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    scores = scores.dropna(subset=["score"])
    windows = scores["window"].nunique()
    complete = scores.groupby("model")["window"].transform("nunique") == windows
    scores = scores[complete].assign(weight=lambda f: f["window"].map(weights).fillna(1.0))
    weighted = (scores["score"] * scores["weight"]).groupby(scores["model"]).sum() \
        / scores.groupby("model")["weight"].sum()
    order = pd.DataFrame({"score": weighted, "name": weighted.index})
    order = order.sort_values(["score", "name"], kind="stable")
    return order["score"].rename("score")


def _combinations(ranked: pd.Series) -> list[str]:
    """Mean and median of the best two and three single models (before any combination)."""
    singles = [m for m in ranked.index if len(members(m)) == 1]
    names = []
    for top in COMBINE_TOP:
        if len(singles) >= top:
            names += [combined_name("mean", singles[:top]), combined_name("median", singles[:top])]
    return list(dict.fromkeys(n for n in names if not n.startswith("median") or
                              len(members(n)) > 2))


def _combined_rows(rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """Backtest rows of the combination `name` made from its members' rows."""
    parts = rows[rows["model"].isin(members(name))]
    keys = [c for c in ("unique_id", "unit", "window", "day") if c in parts]
    band = [c for c in BAND if c in parts]
    weights = weights_of(name)
    if weights:
        parts = parts.assign(**{c: parts[c] * parts["model"].map(weights) for c in band})
    how = "sum" if weights else "mean" if name.startswith("mean") else "median"
    grouped = parts.groupby(keys, sort=True)
    combined = grouped[band].agg(how)
    counted = grouped["model"].nunique() == len(members(name))
    combined = combined[counted].join(grouped["actual"].first())
    return combined.reset_index().assign(model=name)


def combination_predictions(predictions: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`predictions` (backtest rows) with the rows of each combination in `names` added."""
    wanted = [n for n in dict.fromkeys(names) if len(members(n)) > 1]
    return pd.concat([predictions, *(_combined_rows(predictions, n) for n in wanted)],
                     ignore_index=True)


def pick(ranked: pd.Series, margin: float, where: str, metric: str = "wape",
         default: str = DEFAULT) -> tuple[str, str]:
    """The model with the lowest weighted score, and why. Scores within `margin` (relative)
    of the lowest are too close to tell apart: among them `default` is kept if it is there,
    else the combination of the most models (combining is the safer bet)."""
    if not len(ranked):
        return "snaive_week", "no backtest days: seasonal naive by week"
    scores = ", ".join(f"{m} {w:.1%}" for m, w in ranked.iloc[:6].items())
    close = [str(m) for m in ranked.index[ranked <= ranked.iloc[0] * (1 + margin)]]
    if default in close:
        if close[0] == default:
            return default, f"lowest weighted {metric} on {where}: {scores}"
        return default, (f"{default} within {margin:.0%} of the lowest weighted {metric} on "
                         f"{where}: {scores}")
    widest = max(len(members(m)) for m in close)
    best = next(m for m in close if len(members(m)) == widest)
    if best != close[0]:
        return best, (f"the combination of the most models within {margin:.0%} of the lowest "
                      f"weighted {metric} on {where}: {scores}")
    return best, f"lowest weighted {metric} on {where}: {scores}"


def _blended(ranked: pd.Series, where: str, metric: str) -> tuple[str, str]:
    """Every single model of `ranked`, weighted by the inverse of its weighted `metric`,
    and why."""
    scores = ", ".join(f"{m} {w:.1%}" for m, w in ranked.iloc[:6].items())
    reason = (f"every candidate weighted by the inverse of its weighted {metric} (windows "
              f"before the cutoff, off the season's calendar, are weak evidence for any one "
              f"model) on {where}: {scores}")
    return inverse_weighted(ranked), reason


def _scored_rows(run: BacktestRun) -> pd.DataFrame:
    """The backtest rows that can be scored (actuals known, no oracle)."""
    rows = run.predictions
    return rows[rows["model"] != ORACLE].dropna(subset=["actual"])


def describe_windows(windows: Sequence[Window]) -> str:
    """Which windows chose the model and why, for `choices`."""
    return "; ".join(f"{w.label} (weight {w.weight:g}: {w.why})" if w.why
                     else f"{w.label} (weight {w.weight:g})" for w in windows)


def choose(run: BacktestRun, units: Mapping[str, Unit], recent: bool, margin: float = 0.0,
           metric: str = "wape", default: str = DEFAULT, blend: bool = False
           ) -> tuple[dict[str, str], dict[str, str]]:
    """Per unit, the model or combination with the lowest weighted `metric` over the windows
    (the unit's series summed per day, whatever level the backtest forecast them at), and
    why. Another model must beat `default` by more than `margin` to be chosen over it.

    Without a past season the windows lie outside the season and say too little about one
    series: the model is then chosen once, on the daily total of all series; with `blend`,
    it is every candidate weighted by the inverse of its weighted `metric`
    (`inverse_weighted`) instead of the one best."""
    rows = _scored_rows(run)
    weights = {w.label: w.weight for w in run.windows}
    where = ", ".join(f"{w.label} (weight {w.weight:g})" for w in run.windows)
    if recent:
        where += ": windows ending at the cutoff, on the total of all series (no complete " \
                 "past season with a year of history before it)"
        ranked = rank_models(rows, weights, metric, [default])
        model, reason = _blended(ranked, where, metric) if blend and len(ranked) else \
            pick(ranked, margin, where, metric, default)
        return dict.fromkeys(units, model), dict.fromkeys(units, reason)
    picks = {key: pick(rank_models(rows[rows["unique_id"].isin(unit.members)], weights,
                                   metric, [default]), margin, where, metric, default)
             for key, unit in units.items()}
    return {k: p[0] for k, p in picks.items()}, {k: p[1] for k, p in picks.items()}


@dataclass(frozen=True)
class Choice:
    """The model of every unit, why, the backtest behind it (with the rows of the chosen
    combinations), the windows it used and notes."""

    models: dict[str, str]
    reasons: dict[str, str]
    run: BacktestRun | None
    notes: tuple[str, ...]
    windows: str = ""


def choose_models(
    wide: pd.DataFrame, units: dict[str, Unit], season: tuple[date, date],
    calendar: pd.DataFrame, traffic: pd.DataFrame | None, config: ForecastConfig,
    progress: bool, regressors: bool = False,
) -> Choice:
    """The model of every unit: the configured one, or under 'auto' the best on the
    rolling-origin windows of `cv_windows`; `default_model` (of `regressors`: traffic or
    events given) unless another beats it by the selection margin. Without regressors and
    without a past season among the windows, every candidate weighted by the inverse of its
    backtest error."""
    if config.model != "auto":
        reason = f"set in the config (forecast.model = {config.model})"
        return Choice(dict.fromkeys(units, config.model), dict.fromkeys(units, reason), None,
                      ())
    windows = cv_windows(wide.index.min().date(), wide.index.max().date(), season,
                         config.backtest_seasons, config.yearly_min_days)
    if not windows:
        reason = "history too short to backtest: seasonal naive by week"
        return Choice(dict.fromkeys(units, "snaive_week"), dict.fromkeys(units, reason),
                      None, (reason,))
    default = default_model(config.candidates, regressors)
    untested = _untested_yearly(wide, windows, config, default)
    if untested is not None:
        model, reason = untested
        return Choice(dict.fromkeys(units, model), dict.fromkeys(units, reason), None,
                      (reason,))
    recent = not any(w.label.startswith("season") for w in windows)
    notes = ("no complete past season with a year of history before it: models were chosen "
             f"on {len(windows)} window{'s' * (len(windows) > 1)} ending at the cutoff",
             ) if recent else ()
    run = run_backtest(wide, windows, calendar=calendar, traffic=traffic, config=config,
                       models=config.candidates, oracle=False, progress=progress)
    models, reasons = choose(run, units, recent, config.selection_margin,
                             config.selection_metric, default, blend=recent and not regressors)
    run = BacktestRun(combination_predictions(run.predictions, list(models.values())),
                      run.windows)
    return Choice(models, reasons, run, notes, describe_windows(windows))


def _untested_yearly(wide: pd.DataFrame, windows: Sequence[Window], config: ForecastConfig,
                     default: str) -> tuple[str, str] | None:
    """The model and why for a history long enough for a yearly season (`yearly_min_days`)
    but too short for any window to have that much before it: no backtest can test the
    season the forecast will fit, so the default (whose models fit it) is kept. None
    otherwise."""
    first = wide.index.min().date()
    span = (wide.index.max().date() - first).days + 1
    if span < config.yearly_min_days or any(
            (w.start - first).days >= config.yearly_min_days for w in windows):
        return None
    reason = (f"the history ({span} days) holds a yearly season but leaves no room to "
              f"backtest one (each window would need {config.yearly_min_days} days before "
              f"it): the default {default} is kept without a backtest")
    return default, reason

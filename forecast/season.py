"""Forecast a season: choose a model per unit, fit, split to series, spread over intervals."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data import holiday_calendar, to_daily, with_unique_id
from data.errors import DataError
from data.schema import CHANNEL, COUNTRY, QUERY_TYPE, UNIQUE_ID
from forecast.backtest import (
    ORACLE,
    BacktestRun,
    Window,
    backtest_windows,
    metrics_table,
    run_backtest,
)
from forecast.bands import calibrate
from forecast.config import ForecastConfig
from forecast.engine import Context, fit_units, series_forecasts
from forecast.hierarchy import Unit, daily_matrix, plan_units
from forecast.models import CANDIDATES
from forecast.traffic import extend_traffic

__all__ = [
    "ForecastResult",
    "backtest",
    "backtest_detail",
    "forecast_season",
    "grain_of",
    "past_seasons",
]

log = logging.getLogger(__name__)
FORECAST_COLUMNS = [UNIQUE_ID, COUNTRY, QUERY_TYPE, CHANNEL, "ds", "yhat", "yhat_lower",
                    "yhat_upper", "model"]


@dataclass(frozen=True)
class ForecastResult:
    """Daily and interval forecasts (DESIGN.md contract), the model of every series and why,
    the backtest behind an 'auto' choice, and notes on what was assumed."""

    daily: pd.DataFrame
    intervals: pd.DataFrame | None
    choices: pd.DataFrame
    backtest: pd.DataFrame | None
    notes: tuple[str, ...]


def grain_of(contacts: pd.DataFrame) -> int:
    """Interval length in minutes of a contact history (1440 for daily)."""
    local = contacts["ds"].dt.tz_localize(None)
    if (local == local.dt.normalize()).all():
        return 1440
    utc = contacts["ds"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    steps = np.diff(np.unique(utc.astype("datetime64[s]").astype(np.int64))) / 60
    return int(pd.Series(steps[steps > 0]).mode().iloc[0])


def _relevant(traffic: pd.DataFrame | None, contacts: pd.DataFrame) -> pd.DataFrame | None:
    """Traffic of the history's countries only: no fit is spent on other countries."""
    if traffic is None:
        return None
    return traffic[traffic[COUNTRY].isin(contacts[COUNTRY].unique())]


def _setup(contacts: pd.DataFrame, events: pd.DataFrame | None, last_year: int
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    if contacts.empty:
        raise DataError("the contact history has no rows")
    daily = with_unique_id(to_daily(contacts))
    wide = daily_matrix(daily)
    years = range(wide.index.min().year - 1, last_year + 1)
    calendar = holiday_calendar(sorted(daily[COUNTRY].unique()), years, events=events)
    return wide, calendar


def _ranked(rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Mean over windows of WAPE per model, ascending; errors are summed over `keys` per
    day first (['unit'] scores a unit's total, ['unique_id'] every series on its own)."""
    daily = rows.groupby(["model", "window", "day", *keys])[["yhat", "actual"]].sum()
    errors = (daily["yhat"] - daily["actual"]).abs().groupby(["model", "window"]).sum()
    totals = daily["actual"].groupby(["model", "window"]).sum()
    return (errors / totals.replace(0, np.nan)).groupby("model").mean().dropna().sort_values()


def _pick(ranked: pd.Series, margin: float, where: str) -> tuple[str, str]:
    """The lowest-WAPE model unless Prophet is within `margin` of it, and why."""
    if not len(ranked):
        return "snaive_week", "no backtest days: seasonal naive by week"
    scores = ", ".join(f"{m} {w:.1%}" for m, w in ranked.items())
    best = str(ranked.index[0])
    if best != "prophet" and ranked.get("prophet", np.inf) <= ranked.iloc[0] * (1 + margin):
        return "prophet", f"prophet within {margin:.0%} of the lowest backtest WAPE on {where}: " \
            + scores
    return best, f"lowest backtest WAPE on {where}: {scores}"


def _choose(run: BacktestRun, units: dict[str, Unit], recent: bool, margin: float = 0.0
            ) -> tuple[dict[str, str], dict[str, str]]:
    """Per unit, the model with the lowest mean WAPE over the windows (the unit's series
    summed per day, whatever level the backtest forecast them at), and why. A baseline must
    beat Prophet by more than `margin` (relative) to be chosen over it.

    Without a complete past season the windows lie outside the season and say too little
    about one series: the model is then chosen once, on the daily total of all series."""
    frame = run.predictions[run.predictions["model"] != ORACLE].dropna(subset=["actual"])
    if recent:
        where = ("the most recent windows of the season's length, on the total of all "
                 "series (no complete past season)")
        model, reason = _pick(_ranked(frame, []), margin, where)
        return dict.fromkeys(units, model), dict.fromkeys(units, reason)
    where = ", ".join(w.label for w in run.windows)
    picks = {key: _pick(_ranked(frame[frame["unique_id"].isin(unit.members)], []), margin,
                        where) for key, unit in units.items()}
    return ({k: p[0] for k, p in picks.items()}, {k: p[1] for k, p in picks.items()})


def forecast_season(
    contacts: pd.DataFrame, season: tuple[date, date], *, traffic: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None, config: ForecastConfig | None = None,
    traffic_plan: pd.DataFrame | None = None, progress: bool = False,
) -> ForecastResult:
    """Forecast every series of `contacts` (DESIGN.md contact history) for the local days
    `season` = (first, last), per day and, for interval history, per interval."""
    config = config or ForecastConfig()
    start, end = season
    wide, calendar = _setup(contacts, events, end.year)
    traffic = _relevant(traffic, contacts)
    notes: list[str] = []
    cutoff = pd.Timestamp(start) - pd.Timedelta(days=1)
    if wide.index.max() > cutoff:
        notes.append(f"history after {cutoff.date()} is not used: the season starts then")
        wide = wide[wide.index <= cutoff]
    cutoff = wide.index.max()
    days = pd.date_range(cutoff + pd.Timedelta(days=1), end, freq="D")
    path = None
    if traffic is not None:
        path = extend_traffic(traffic, cutoff, pd.Timestamp(end), calendar=calendar,
                              config=config, plan=traffic_plan)
        notes += [f"traffic {c}: {source}" for c, source in sorted(path.sources.items())]
    units, assignment = plan_units(wide, config.min_daily_contacts, config.share_weeks)
    choice = _choose_models(wide, units, season, calendar, traffic, config, progress)
    notes += choice.notes
    ctx = Context(wide, days, calendar, path, config, progress)
    results = fit_units(ctx, units, {key: [choice.models[key]] for key in units})
    ran = {key: results[(key, model)].attrs.get("fallback", model)
           for key, model in choice.models.items() if key in units}
    instead = sorted(key for key in ran if ran[key] != choice.models[key])
    if instead:
        notes.append(f"{len(instead)} of {len(units)} units ran snaive_week instead of their "
                     f"model (too short a history, or a fit Stan could not finish): "
                     f"{', '.join(instead[:5])}{' ...' if len(instead) > 5 else ''}")
    series = series_forecasts(ctx, units, assignment, results, choice.models)
    series = series[series["day"] >= pd.Timestamp(start)]
    if choice.run is not None:
        model_of = {uid: choice.models[key] for uid, key in assignment.items()}
        series, calibrated = calibrate(series, choice.run.predictions, model_of,
                                       config.interval_width)
        notes.append(f"prediction bands of {calibrated} series calibrated on their "
                     "backtest errors")
    tz = contacts["ds"].dt.tz
    daily = _contract(series, tz)
    choices = pd.DataFrame([{UNIQUE_ID: uid, "unit": key, "model": ran[key],
                             "reason": choice.reasons[key] if ran[key] == choice.models[key]
                             else f"{choice.reasons[key]}; {choice.models[key]} could not "
                             f"run on it, so {ran[key]}"} for uid, key in assignment.items()])
    before_season = contacts[contacts["ds"] < pd.Timestamp(start).tz_localize(tz)]
    intervals = _intervals(before_season, daily, end.year)
    if intervals is None:
        notes.append("the history is daily: interval forecasts need an intraday history")
    table = metrics_table(choice.run.predictions) if choice.run is not None else None
    return ForecastResult(daily, intervals, choices, table, tuple(notes))


@dataclass(frozen=True)
class _Choice:
    models: dict[str, str]
    reasons: dict[str, str]
    run: BacktestRun | None
    notes: tuple[str, ...]


def _choose_models(
    wide: pd.DataFrame, units: dict[str, Unit], season: tuple[date, date],
    calendar: pd.DataFrame, traffic: pd.DataFrame | None, config: ForecastConfig,
    progress: bool,
) -> _Choice:
    """The model of every unit: the configured one, or under 'auto' the backtest's best."""
    if config.model != "auto":
        reason = f"set in the config (forecast.model = {config.model})"
        return _Choice(dict.fromkeys(units, config.model), dict.fromkeys(units, reason), None,
                       ())
    windows, recent = backtest_windows(wide.index.min().date(), wide.index.max().date(),
                                       *season, config.backtest_seasons)
    notes = ("no complete past season in the history: models were chosen on the most "
             "recent windows of the season's length",) if recent and windows else ()
    if not windows:
        reason = "history too short to backtest: seasonal naive by week"
        return _Choice(dict.fromkeys(units, "snaive_week"), dict.fromkeys(units, reason),
                       None, (reason,))
    run = run_backtest(wide, windows, calendar=calendar, traffic=traffic, config=config,
                       progress=progress)
    models, reasons = _choose(run, units, recent, config.selection_margin)
    return _Choice(models, reasons, run, notes)


def _intervals(contacts: pd.DataFrame, daily: pd.DataFrame, last_year: int
               ) -> pd.DataFrame | None:
    """The daily forecast spread over intervals with profiles from `contacts` (None for a
    daily history)."""
    grain = grain_of(contacts)
    if grain >= 1440:
        return None
    from forecast.intraday import distribute, learn_profiles, special_day_calendar

    first_year = int(contacts["ds"].dt.year.min())
    special = special_day_calendar(range(first_year, last_year + 1))
    profiles = learn_profiles(contacts, grain_min=grain, special_days=special)
    return distribute(daily, profiles, timezone=str(contacts["ds"].dt.tz),
                      special_days=special)


def _contract(series: pd.DataFrame, tz: object) -> pd.DataFrame:
    parts = series["unique_id"].str.split("/", expand=True)
    frame = series.assign(**{COUNTRY: parts[0], QUERY_TYPE: parts[1], CHANNEL: parts[2]})
    frame["ds"] = frame["day"].dt.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return frame[FORECAST_COLUMNS].sort_values([UNIQUE_ID, "ds"], ignore_index=True)


def backtest(
    contacts: pd.DataFrame, seasons: list[tuple[date, date]], *,
    traffic: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
    config: ForecastConfig | None = None, progress: bool = False,
) -> pd.DataFrame:
    """Metrics of every candidate model (and Prophet with the real traffic) on each past
    season (first, last local day), per series, query type, channel, country and overall."""
    return backtest_detail(contacts, seasons, traffic=traffic, events=events, config=config,
                           progress=progress)[0]


def backtest_detail(
    contacts: pd.DataFrame, seasons: list[tuple[date, date]], *,
    traffic: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
    config: ForecastConfig | None = None, progress: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`backtest` metrics and the daily predictions behind them (unique_id, day, model,
    window, yhat, yhat_lower, yhat_upper, actual)."""
    config = config or ForecastConfig()
    if not seasons:
        raise DataError("no season to backtest: the history holds no complete past season")
    wide, calendar = _setup(contacts, events, max(end.year for _, end in seasons))
    traffic = _relevant(traffic, contacts)
    windows = [Window(s, e, f"season {s.year}") for s, e in seasons]
    run = run_backtest(wide, windows, calendar=calendar, traffic=traffic, config=config,
                       models=CANDIDATES, progress=progress)
    return metrics_table(run.predictions), run.predictions


def past_seasons(contacts: pd.DataFrame, season: tuple[date, date], count: int
                 ) -> tuple[list[tuple[date, date]], bool]:
    """The windows a backtest of `season` uses: past seasons in the history, else the most
    recent windows of its length (flag True)."""
    days = contacts["ds"].dt.tz_localize(None).dt.normalize()
    windows, recent = backtest_windows(days.min().date(), days.max().date(), *season, count)
    return [(w.start, w.end) for w in windows], recent


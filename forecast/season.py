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
from forecast.backtest import Window, backtest_windows, metrics_table, run_backtest
from forecast.bands import calibrate
from forecast.choice import Choice, choose_models, combine, members
from forecast.config import ForecastConfig
from forecast.engine import Context, fit_units, series_forecasts
from forecast.guard import Plausibility, plausibility
from forecast.hierarchy import Unit, daily_matrix, plan_units, unit_series
from forecast.models import SIMPLE
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
    regressors = any(f is not None and not f.empty for f in (traffic, events))
    choice = choose_models(wide, units, season, calendar, traffic, config, progress,
                           regressors)
    notes += choice.notes
    ctx = Context(wide, days, calendar, path, config, progress)
    results, ran = _fit_chosen(ctx, units, choice.models)
    notes += _fallback_notes(ran, choice.models, len(units))
    series = series_forecasts(ctx, units, assignment, results, choice.models)
    series = series[series["day"] >= pd.Timestamp(start)]
    if choice.run is not None:
        model_of = {uid: choice.models[key] for uid, key in assignment.items()}
        away = any(w.weight < 1 for w in choice.run.windows)  # off the season's calendar
        series, calibrated = calibrate(series, choice.run.predictions, model_of,
                                       config.interval_width, widest=away)
        notes.append(f"prediction bands of {calibrated} series calibrated on their "
                     "backtest errors")
    checks = _plausibility(ctx, units, results, choice.models, pd.Timestamp(start))
    notes += _guard_notes(checks)
    daily = _contract(series, contacts["ds"].dt.tz)
    before_season = contacts[contacts["ds"] < pd.Timestamp(start).tz_localize(
        contacts["ds"].dt.tz)]
    intervals = _intervals(before_season, daily, end.year)
    if intervals is None:
        notes.append("the history is daily: interval forecasts need an intraday history")
    table = metrics_table(choice.run.predictions) if choice.run is not None else None
    choices = _choices_frame(assignment, ran, choice, checks)
    return ForecastResult(daily, intervals, choices, table, tuple(notes))


def _fit_chosen(ctx: Context, units: dict[str, Unit], models: dict[str, str]
                ) -> tuple[dict[tuple[str, str], pd.DataFrame], dict[str, str]]:
    """Every unit's forecast by (unit, model), combinations made from their members, and
    the model that really ran per unit (snaive_week where a single model could not)."""
    results = fit_units(ctx, units, {key: list(members(models[key])) for key in units})
    ran = {}
    for key in units:
        model = models[key]
        parts = members(model)
        if len(parts) > 1:
            results[(key, model)] = combine(model, [results[(key, m)] for m in parts])
            ran[key] = model
        else:
            ran[key] = results[(key, model)].attrs.get("fallback", model)
    return results, ran


def _fallback_notes(ran: dict[str, str], models: dict[str, str], count: int) -> list[str]:
    instead = sorted(key for key in ran if ran[key] != models[key])
    if not instead:
        return []
    return [f"{len(instead)} of {count} units ran snaive_week instead of their model (too "
            f"short a history, or a fit that could not finish): {', '.join(instead[:5])}"
            f"{' ...' if len(instead) > 5 else ''}"]


def _plausibility(ctx: Context, units: dict[str, Unit],
                  results: dict[tuple[str, str], pd.DataFrame], models: dict[str, str],
                  start: pd.Timestamp) -> dict[str, Plausibility]:
    """The guard rail on every unit's season total (the days from `start`)."""
    checks = {}
    for key, unit in units.items():
        forecast = results[(key, models[key])]["yhat"]
        checks[key] = plausibility(key, unit_series(ctx.wide, unit),
                                   forecast[forecast.index >= start],
                                   ctx.config.plausibility_factor)
    return checks


GUARD_NOTES = 10
"""Guard-rail warnings named one by one in the notes; more are counted."""


def _guard_notes(checks: dict[str, Plausibility]) -> list[str]:
    flagged = [c.message for c in checks.values() if c.message]
    if len(flagged) <= GUARD_NOTES:
        return flagged
    return [*flagged[:GUARD_NOTES], f"{len(flagged) - GUARD_NOTES} more series have an "
            "implausible season total: see the `check` column of choices"]


def _choices_frame(assignment: dict[str, str], ran: dict[str, str], choice: Choice,
                   checks: dict[str, Plausibility]) -> pd.DataFrame:
    """The model of every series, why, the windows that chose it and any guard warning."""
    rows = []
    for uid, key in assignment.items():
        reason = choice.reasons[key]
        if ran[key] != choice.models[key]:
            reason += f"; {choice.models[key]} could not run on it, so {ran[key]}"
        rows.append({UNIQUE_ID: uid, "unit": key, "model": ran[key], "reason": reason,
                     "windows": choice.windows, "check": checks[key].message})
    return pd.DataFrame(rows)


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
    """Metrics of every candidate model and simple baseline (and Prophet with the real
    traffic) on each past season (first, last local day), per series, query type, channel,
    country and overall."""
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
    models = tuple(dict.fromkeys([*config.candidates, *SIMPLE]))
    run = run_backtest(wide, windows, calendar=calendar, traffic=traffic, config=config,
                       models=models, progress=progress)
    return metrics_table(run.predictions), run.predictions


def past_seasons(contacts: pd.DataFrame, season: tuple[date, date], count: int
                 ) -> tuple[list[tuple[date, date]], bool]:
    """The windows a backtest of `season` uses: past seasons in the history, else the most
    recent windows of its length (flag True)."""
    days = contacts["ds"].dt.tz_localize(None).dt.normalize()
    windows, recent = backtest_windows(days.min().date(), days.max().date(), *season, count)
    return [(w.start, w.end) for w in windows], recent


"""Web sessions for the days ahead: the user's plan where it covers them, else a forecast
of each country's sessions from their own history (holidays and retail events included)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.schema import COUNTRY, DS, SESSIONS
from forecast.config import ForecastConfig
from forecast.features import holiday_features
from forecast.models import FitTask, run_task
from forecast.parallel import run_all

__all__ = ["TrafficPath", "extend_traffic", "oracle_traffic"]

PLAN, OWN, ACTUAL = "plan", "forecast from its own history", "actual (oracle)"


@dataclass(frozen=True)
class TrafficPath:
    """Daily sessions per country through the last day needed, and where each country's
    future came from."""

    sessions: pd.DataFrame
    sources: dict[str, str]


def extend_traffic(
    traffic: pd.DataFrame, cutoff: pd.Timestamp, until: pd.Timestamp, *,
    calendar: pd.DataFrame, config: ForecastConfig, plan: pd.DataFrame | None = None,
) -> TrafficPath:
    """Sessions known up to `cutoff` (a local day) and planned or forecast to `until`."""
    known = traffic[traffic[DS] <= cutoff]
    ahead = pd.date_range(cutoff + pd.Timedelta(days=1), until, freq="D")
    sources: dict[str, str] = {}
    frames = [known[[DS, COUNTRY, SESSIONS]]]
    tasks = []
    for country, rows in known.groupby(COUNTRY):
        planned = _planned(plan, country, ahead)
        if planned is not None:
            frames.append(planned)
            sources[country] = PLAN
            continue
        history = rows.groupby(DS)[SESSIONS].sum().asfreq("D")
        days = history.index.union(ahead)
        features = holiday_features(days, calendar, {country: 1.0}, config.national_window)
        tasks.append(FitTask(country, "prophet", history, ahead, features, config))
        sources[country] = OWN
    # a handful of country series: fitted here unless a cluster is named (starting local
    # workers, each importing Prophet, took longer than the fits, once per backtest window)
    workers = config.workers if config.scheduler else 1
    for task, result in zip(tasks, run_all(run_task, tasks, workers=workers,
                                           scheduler=config.scheduler), strict=True):
        frames.append(pd.DataFrame({DS: ahead, COUNTRY: task.key,
                                    SESSIONS: result["yhat"].to_numpy()}))
    return TrafficPath(pd.concat(frames, ignore_index=True), sources)


def oracle_traffic(traffic: pd.DataFrame) -> TrafficPath:
    """The sessions that really happened: for measuring what a perfect plan is worth."""
    return TrafficPath(traffic[[DS, COUNTRY, SESSIONS]],
                       dict.fromkeys(traffic[COUNTRY].unique(), ACTUAL))


def _planned(plan: pd.DataFrame | None, country: str, days: pd.DatetimeIndex
             ) -> pd.DataFrame | None:
    if plan is None or len(days) == 0:
        return None
    rows = plan[(plan[COUNTRY] == country) & plan[DS].isin(days)]
    if rows[DS].nunique() < len(days):
        return None
    return rows.groupby(DS, as_index=False)[SESSIONS].sum().assign(**{COUNTRY: country})

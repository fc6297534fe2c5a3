"""Which series get a model of their own, and how sparse ones are split from a parent.

A series is `country/query_type/channel`. One with fewer than `min_daily` contacts a day
(mean of the last weeks) is forecast at the first level of its chain with enough volume,
`C/Q/*`, `*/Q/H`, `*/Q/*`, `*/*/*`, and gets its recent share of that level, per weekday.
Totals are sums of the series, so countries add up to each query type and channel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Unit",
    "chain",
    "country_shares",
    "daily_matrix",
    "plan_units",
    "split",
    "unit_series",
    "weekday_shares",
]

ANY = "*"


@dataclass(frozen=True)
class Unit:
    """A modelled series: its key and the bottom series summed into it."""

    key: str
    members: tuple[str, ...]


def daily_matrix(daily: pd.DataFrame) -> pd.DataFrame:
    """Contacts by local day (rows, every day of the span) and unique_id (columns).

    A day on which no series has a row is NaN (a gap); otherwise a missing series is 0.
    """
    days = daily["ds"].dt.tz_localize(None).dt.normalize()
    wide = daily.assign(day=days).pivot_table(index="day", columns="unique_id",
                                              values="contacts", aggfunc="sum", fill_value=0)
    span = pd.date_range(wide.index.min(), wide.index.max(), freq="D")
    return wide.reindex(span).astype(float)


def chain(unique_id: str) -> list[str]:
    """The levels a series can be forecast at, most detailed first."""
    country, query_type, channel = unique_id.split("/")
    return [unique_id, f"{country}/{query_type}/{ANY}", f"{ANY}/{query_type}/{channel}",
            f"{ANY}/{query_type}/{ANY}", f"{ANY}/{ANY}/{ANY}"]


def _matches(key: str, unique_id: str) -> bool:
    return all(k in (ANY, part) for k, part in zip(key.split("/"), unique_id.split("/"),
                                                    strict=True))


def plan_units(wide: pd.DataFrame, min_daily: float, weeks: int
               ) -> tuple[dict[str, Unit], dict[str, str]]:
    """The units to model and, for every series, the unit it is forecast from."""
    recent = wide.iloc[-7 * weeks:] if weeks else wide
    units: dict[str, Unit] = {}
    assignment: dict[str, str] = {}
    for unique_id in wide.columns:
        for key in chain(unique_id):
            members = tuple(c for c in wide.columns if _matches(key, c))
            if recent[list(members)].sum(axis=1).mean() >= min_daily or key == ANY + "/*/*":
                units.setdefault(key, Unit(key, members))
                assignment[unique_id] = key
                break
    return units, assignment


def unit_series(wide: pd.DataFrame, unit: Unit) -> pd.Series:
    """The unit's daily contacts (NaN on gap days)."""
    values = wide[list(unit.members)]
    return values.sum(axis=1, min_count=1).rename(unit.key)


def weekday_shares(wide: pd.DataFrame, unique_id: str, unit: Unit, weeks: int) -> np.ndarray:
    """The series' share of its unit on each weekday (Monday 0) over the last weeks."""
    recent = wide.iloc[-7 * weeks:] if weeks else wide
    own = recent[unique_id].groupby(recent.index.day_of_week).sum()
    total = recent[list(unit.members)].sum(axis=1).groupby(recent.index.day_of_week).sum()
    overall = recent[unique_id].sum() / max(recent[list(unit.members)].sum().sum(), 1e-9)
    shares = (own / total.replace(0, np.nan)).reindex(range(7))
    return shares.fillna(overall).to_numpy()


def split(forecast: pd.DataFrame, shares: np.ndarray) -> pd.DataFrame:
    """A unit's forecast (indexed by day) times the series' weekday shares."""
    factor = shares[forecast.index.day_of_week]
    return forecast.mul(factor, axis=0)


def country_shares(wide: pd.DataFrame, unit: Unit, days: int = 365) -> dict[str, float]:
    """Each country's share of the unit's contacts over the last `days` days."""
    totals = wide[list(unit.members)].iloc[-days:].sum()
    by_country = totals.groupby([m.split("/")[0] for m in totals.index]).sum()
    grand = by_country.sum()
    if grand <= 0:
        return {c: 1 / len(by_country) for c in by_country.index}
    return {c: float(v / grand) for c, v in by_country.items() if v > 0}

"""Guard rails on a season forecast: a season total far from what the history makes plausible
is named in the notes, never passed on silently.

Two references a planner can check by hand: last year's same season scaled by the recent
level (the last weeks against the same weeks a year earlier), and the simple baselines
(`snaive_week`, `snaive_year`). A forecast whose total is more than `factor` times above or
below the first, or above or below every baseline, gets a warning naming the series, the
totals and what to check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.baselines import BASELINES

__all__ = ["GUARD_PREFIX", "Plausibility", "last_year_scaled", "plausibility"]

GUARD_PREFIX = "check the forecast of"
"""How every guard-rail note begins (the dashboard finds them by it)."""
YEAR = 364
LEVEL_WEEKS = 8
MIN_LEVEL_DAYS = 14
MIN_COVERED = 0.8
"""Share of last year's season days the history must hold to scale it."""


@dataclass(frozen=True)
class Plausibility:
    """A season total against its references (contacts over the season's days): `message`
    is the warning, or '' when the total is plausible."""

    key: str
    total: float
    last_year: float | None
    baselines: dict[str, float]
    message: str


def last_year_scaled(history: pd.Series, days: pd.DatetimeIndex) -> float | None:
    """Contacts on the same weekdays 52 weeks before `days`, times the level of the last
    (up to) eight weeks against the same weeks a year earlier; None when the history holds
    under 80% of those days or under two weeks to set the level."""
    observed = history.dropna()
    source = observed.reindex(days - pd.Timedelta(days=YEAR))
    if source.notna().mean() < MIN_COVERED:
        return None
    end = observed.index.max()
    span = min(7 * LEVEL_WEEKS, (end - observed.index.min()).days + 1 - YEAR)
    if span < MIN_LEVEL_DAYS:
        return None
    recent = observed[observed.index > end - pd.Timedelta(days=span)]
    before = observed.reindex(recent.index - pd.Timedelta(days=YEAR))
    if before.sum() <= 0:
        return None
    level = recent[before.notna().to_numpy()].sum() / before.sum()
    return float(source.mean() * len(days) * level)


def _far(total: float, reference: float, factor: float) -> bool:
    if reference <= 0:
        return total > 0
    return not 1 / factor <= total / reference <= factor


def plausibility(key: str, history: pd.Series, forecast: pd.Series, factor: float
                 ) -> Plausibility:
    """Check the season total of `forecast` (contacts by day) against the references the
    history `history` (contacts by day, NaN on gaps) gives for the same days."""
    days = pd.DatetimeIndex(forecast.index)
    total = float(np.nansum(forecast.to_numpy(dtype=float)))
    scaled = last_year_scaled(history, days)
    baselines = {name: float(rule(history, days)["yhat"].sum())
                 for name, rule in BASELINES.items()}
    reasons = []
    if scaled is not None and _far(total, scaled, factor):
        reasons.append(f"{_times(total, scaled)} last year's same season scaled by the "
                       f"recent level ({scaled:,.0f})")
    if all(_far(total, b, factor) for b in baselines.values()):
        figures = ", ".join(f"{name} {value:,.0f}" for name, value in baselines.items())
        reasons.append(f"beyond {factor:g} times every simple baseline ({figures})")
    message = "" if not reasons else (
        f"{GUARD_PREFIX} {key}: its season total of {total:,.0f} contacts is "
        + " and ".join(reasons)
        + ". Check the history for a level shift, missing or partial days or a change in "
        "what is counted; compare the models in `choices` and the backtest metrics; "
        "consider forecast.model = \"snaive_year\" (or the model that backtests best)")
    return Plausibility(key, total, scaled, baselines, message)


def _times(total: float, reference: float) -> str:
    if reference <= 0:
        return "above zero, where"
    ratio = total / reference
    return (f"{ratio:.1f} times" if ratio >= 1 else f"{1 / ratio:.1f} times below")

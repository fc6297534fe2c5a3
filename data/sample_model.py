"""The effects built into the bundled sample season, as small pure functions.

Documented in data/sample/README.md; `data.make_sample` draws the files from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data.retail_events import black_friday, cyber_monday, last_shipping_day

__all__ = [
    "CHANNELS",
    "COUNTRIES",
    "QUERY_TYPES",
    "Country",
    "QueryType",
    "contact_effects",
    "intraday_weights",
    "traffic_effects",
]

CHANNELS = ("phone", "chat", "email")
WEEKDAY_CONTACTS = {  # Monday..Sunday, by channel
    "phone": (1.25, 1.10, 1.05, 1.00, 0.95, 0.60, 0.45),
    "chat": (1.10, 1.05, 1.00, 1.00, 0.95, 0.85, 0.90),
    "email": (1.40, 1.10, 1.00, 0.95, 0.90, 0.50, 0.45),
}
WEEKDAY_TRAFFIC = (1.05, 1.00, 1.00, 0.98, 0.95, 0.90, 1.12)


@dataclass(frozen=True)
class Country:
    """A market of the sample shop."""

    code: str
    timezone: str
    language: str
    contacts_per_day: float
    sessions_per_day: float
    growth_per_year: float
    channel_mix: tuple[float, float, float]


@dataclass(frozen=True)
class QueryType:
    """A contact reason: share of contacts, handle time per channel (s), and how many days
    after a web session its contacts arrive (weights for lags 0, 1, 2...)."""

    name: str
    share: float
    aht_s: tuple[float, float, float]
    traffic_lags: tuple[float, ...]


COUNTRIES = (
    Country("GB", "Europe/London", "en", 1300, 60_000, 0.10, (0.40, 0.40, 0.20)),
    Country("US", "America/New_York", "en", 1600, 80_000, 0.12, (0.45, 0.35, 0.20)),
    Country("HU", "Europe/Budapest", "hu", 450, 18_000, 0.15, (0.50, 0.25, 0.25)),
    Country("AR", "America/Argentina/Buenos_Aires", "es", 650, 30_000, 0.30, (0.30, 0.50, 0.20)),
    Country("JP", "Asia/Tokyo", "ja", 550, 25_000, 0.08, (0.20, 0.40, 0.40)),
    Country("AU", "Australia/Sydney", "en", 450, 20_000, 0.10, (0.35, 0.45, 0.20)),
)

_RETURN_LAGS = tuple([0.0] * 7 + [1 / 15] * 15)
QUERY_TYPES = (
    QueryType("order_status", 0.30, (240, 420, 300), (0.0, 0.15, 0.30, 0.25, 0.15, 0.10, 0.05)),
    QueryType("delivery_problem", 0.18, (420, 660, 480), (0.0, 0.0, 0.10, 0.20, 0.30, 0.20, 0.20)),
    QueryType("returns_refunds", 0.17, (360, 600, 420), _RETURN_LAGS),
    QueryType("payment", 0.13, (300, 480, 360), (0.70, 0.30)),
    QueryType("product_question", 0.22, (330, 540, 390), (1.0,)),
)


def _bump(days: pd.DatetimeIndex, start: date, peak: date, end: date) -> np.ndarray:
    """A triangle from 0 at `start` to 1 at `peak` back to 0 at `end`."""
    x = days.values.astype("datetime64[D]").astype(np.int64)
    s, p, e = (np.datetime64(d, "D").astype(np.int64) for d in (start, peak, end))
    up = np.clip((x - s) / max(p - s, 1), 0, 1)
    down = np.clip((e - x) / max(e - p, 1), 0, 1)
    return np.where(x <= p, up, down) * ((x >= s) & (x <= e))


def _years(days: pd.DatetimeIndex) -> range:
    """Every year whose peak season can reach into `days` (the one before runs into January)."""
    return range(int(days.year.min()) - 1, int(days.year.max()) + 1)


def _on(days: pd.DatetimeIndex, targets: set[date]) -> np.ndarray:
    return np.isin(days.values.astype("datetime64[D]"),
                   np.array(sorted(targets), dtype="datetime64[D]"))


def traffic_effects(
    days: pd.DatetimeIndex, holidays: set[date], events: pd.DataFrame
) -> np.ndarray:
    """Multiplier on a country's web sessions: weekday, a yearly swing (lowest mid-January,
    highest mid-July, +-8%), retail peak, holidays and the shop's own events (`events`: ds,
    lower_window, upper_window, lift)."""
    weekday = np.asarray(WEEKDAY_TRAFFIC)[days.day_of_week]
    yearly = 1 - 0.08 * np.cos(2 * np.pi * (days.day_of_year - 15) / 365.25)
    effect = weekday * yearly
    for year in _years(days):
        bf, cm = black_friday(year), cyber_monday(year)
        effect *= 1 + 1.5 * _bump(days, bf - pd.Timedelta(days=4), bf, bf + pd.Timedelta(days=2))
        effect *= 1 + 1.2 * _on(days, {cm}) + 0.2 * _on(days, {date(year, 11, 11)})
        effect *= 1 + 0.35 * _bump(days, date(year, 11, 20), date(year, 12, 10),
                                   last_shipping_day(year, holidays) + pd.Timedelta(days=2))
        effect *= 1 - 0.45 * _on(days, {date(year, 12, 24), date(year, 12, 25)})
        effect *= 1 + 0.5 * _on(days, {date(year, 12, 26)})
        effect *= 1 + 0.25 * _bump(days, date(year, 12, 26), date(year, 12, 28),
                                   date(year + 1, 1, 8))
    effect *= 1 - 0.2 * _on(days, holidays)
    for event in events.itertuples():
        window = pd.date_range(event.ds + pd.Timedelta(days=event.lower_window),
                               event.ds + pd.Timedelta(days=event.upper_window))
        effect *= 1 + event.lift * _on(days, {d.date() for d in window})
    return effect


def contact_effects(
    query_type: str, days: pd.DatetimeIndex, holidays: set[date]
) -> np.ndarray:
    """Multiplier on a query type's contacts beyond what traffic brings."""
    effect = np.ones(len(days))
    effect *= 1 - 0.4 * _on(days, holidays)
    before = {h - pd.Timedelta(days=k) for h in holidays for k in (1, 2, 3)} - holidays
    for year in _years(days):
        dec = (date(year, 12, 1), date(year, 12, 24))
        in_dec = (days >= pd.Timestamp(dec[0])) & (days <= pd.Timestamp(dec[1]))
        if query_type == "product_question":
            effect *= np.where(in_dec, 0.75, 1.0)
        elif query_type == "delivery_problem":
            effect *= 1 + 0.9 * _bump(days, date(year, 12, 8), date(year, 12, 20),
                                      date(year, 12, 31))
        elif query_type == "returns_refunds":
            effect *= 1 + 1.6 * _bump(days, date(year, 12, 26), date(year + 1, 1, 2),
                                      date(year + 1, 1, 20))
        elif query_type == "payment":
            effect *= 1 + 0.6 * _on(days, {black_friday(year), cyber_monday(year)})
            effect *= 1 + 0.3 * _on(days, {date(year, 11, 11)})
        elif query_type == "order_status":
            effect *= 1 + 0.2 * _bump(days, date(year, 12, 12), date(year, 12, 20),
                                      date(year, 12, 24))
    if query_type == "product_question":
        effect *= 1 + 0.4 * _on(days, before)
    return effect


def _gauss(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def intraday_weights(channel: str, hours: np.ndarray, weekend: np.ndarray,
                     sale_day: np.ndarray) -> np.ndarray:
    """Unnormalised arrival weight at the customer's local hour (0-24), by channel.

    Weekends start an hour later; on Black Friday and Cyber Monday chat has a burst in the
    first hours after midnight, as the sales open."""
    h = hours - weekend.astype(float)
    if channel == "phone":
        w = _gauss(h, 10.5, 1.6) + 0.9 * _gauss(h, 14.5, 2.0) + 0.3 * _gauss(h, 19, 1.5)
        w = w * ((hours >= 7) & (hours < 22)) + 0.01
    elif channel == "chat":
        w = 0.8 * _gauss(h, 12, 2.5) + _gauss(h, 20.5, 2.0) + 0.04
    else:
        w = 0.8 * _gauss(h, 11, 3.0) + 0.6 * _gauss(h, 21, 2.5) + 0.08
    if channel == "chat":
        w = w + sale_day * 0.8 * _gauss(hours, 0.75, 0.8)
    return w

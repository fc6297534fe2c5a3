"""Intraday profiles: the share of a local day's contacts in each wall-clock slot, learned
from history, and the spread of a daily forecast over each day's real intervals.

A profile is keyed by (country, channel, day type); the day type is the weekday (Monday 0)
or the name of a special day such as Black Friday. Slots are minutes of the local day in
the center's zone at which an interval starts (0, 30, ..., 1410 at a 30-minute grain), so
both autumn 02:00 half hours share slot 120 and the skipped spring hour is simply absent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from data.aggregate import floor_local
from data.errors import ConfigError, DataError
from data.grain import DAY_MIN, local_day
from data.retail_events import black_friday, cyber_monday
from data.schema import CHANNEL, CONTACTS, COUNTRY, DS

__all__ = [
    "DAY_TYPE",
    "FALLBACKS_ATTR",
    "FALLBACK_ALL_COUNTRIES",
    "FALLBACK_ALL_WEEKDAYS",
    "FALLBACK_UNIFORM",
    "SHARE",
    "SLOT_MIN",
    "IntradayProfiles",
    "ProfileKey",
    "distribute",
    "learn_profiles",
    "special_day_calendar",
]

logger = logging.getLogger(__name__)

DAY_TYPE = "day_type"
SLOT_MIN = "slot_min"
SHARE = "share"
FORECAST_VALUES = ("yhat", "yhat_lower", "yhat_upper")

FALLBACK_ALL_COUNTRIES = "all countries"
FALLBACK_ALL_WEEKDAYS = "all weekdays"
FALLBACK_UNIFORM = "uniform"
LEVELS = ("own", FALLBACK_ALL_COUNTRIES, FALLBACK_ALL_WEEKDAYS, FALLBACK_UNIFORM)

FALLBACKS_ATTR = "intraday_fallbacks"
"""Key of `distribute(...).attrs`: {'country/channel/day_type': profile used instead}."""

WEEKDAYS = 7
_CODE, _KEY, _ROW, _SLOT, _ORDER = "_day_code", "_key", "_row", "_slot", "_order"

ProfileKey = tuple[str, str, int | str]
"""(country, channel, day type): day type is the weekday 0-6 or a special day's name."""


@dataclass(frozen=True, eq=False)
class IntradayProfiles:
    """Shares of a local day's contacts per slot, summing to 1 for each key.

    `frame` has `country`, `channel`, `day_type`, `slot_min` (minute of the local day at
    which the slot starts) and `share`; `fallbacks` names the keys whose own history was
    too thin and the pooled profile used instead ('all countries', 'all weekdays',
    'uniform').
    """

    frame: pd.DataFrame
    grain_min: int
    fallbacks: dict[ProfileKey, str] = field(default_factory=dict)

    def shares(self, country: str, channel: str, day_type: int | str) -> pd.Series:
        """The shares of one key indexed by `slot_min` (empty if the key is unknown)."""
        frame = self.frame
        rows = frame[(frame[COUNTRY] == country) & (frame[CHANNEL] == channel)
                     & (frame[DAY_TYPE] == day_type)]
        return rows.set_index(SLOT_MIN)[SHARE]


def special_day_calendar(years: Iterable[int]) -> dict[str, list[date]]:
    """Black Friday and Cyber Monday of each year (`data.retail_events`).

    >>> special_day_calendar([2026])
    {'Black Friday': [datetime.date(2026, 11, 27)], 'Cyber Monday': [datetime.date(2026, 11, 30)]}
    """
    ordered = sorted(set(years))
    return {"Black Friday": [black_friday(year) for year in ordered],
            "Cyber Monday": [cyber_monday(year) for year in ordered]}


def learn_profiles(
    history: pd.DataFrame,
    *,
    grain_min: int,
    weeks: int = 8,
    special_days: Mapping[str, Sequence[date]] | None = None,
    min_contacts: float = 200.0,
) -> IntradayProfiles:
    """Intraday profiles per (country, channel, day type), query types summed.

    Weekday profiles use the last `weeks` weeks of `history` (ending at its last local day)
    without the special days; a special day's profile uses every occurrence in `history`.
    A key with fewer than `min_contacts` contacts takes, in turn, its channel and day type
    over all countries, its country and channel over all weekdays, or a uniform profile.
    `history` should be at `grain_min` minutes or finer (resample coarser history first
    with `data.resample_intervals`).
    """
    _check_grain(grain_min)
    if weeks < 1:
        raise ConfigError("weeks", weeks, "must be at least 1")
    _check_history(history)
    special = dict(special_days or {})
    labels: list[int | str] = [*range(WEEKDAYS), *special]
    slots = DAY_MIN // grain_min
    pairs, cube = _count_cube(history, grain_min, weeks, special)
    channels = pd.factorize(pairs[CHANNEL])[0]
    level = _fallback_levels(cube, channels, min_contacts)
    shares = _shares(cube, channels, level)
    p, t = np.meshgrid(np.arange(len(pairs)), np.arange(len(labels)), indexing="ij")
    frame = pd.DataFrame({
        COUNTRY: np.repeat(pairs[COUNTRY].to_numpy(), len(labels) * slots),
        CHANNEL: np.repeat(pairs[CHANNEL].to_numpy(), len(labels) * slots),
        DAY_TYPE: pd.array(np.tile(np.repeat(np.array(labels, dtype=object), slots),
                                   len(pairs)), dtype=object),
        SLOT_MIN: np.tile(np.arange(slots) * grain_min, len(pairs) * len(labels)),
        SHARE: shares.ravel(),
    })
    fallbacks: dict[ProfileKey, str] = {
        (pairs[COUNTRY].iat[i], pairs[CHANNEL].iat[i], labels[j]): LEVELS[level[i, j]]
        for i, j in zip(p[level > 0], t[level > 0], strict=True)}
    if fallbacks:
        logger.info("%d of %d intraday profiles fell back to a pooled profile",
                    len(fallbacks), level.size)
    return IntradayProfiles(frame=frame, grain_min=grain_min, fallbacks=fallbacks)


def _check_grain(grain_min: int) -> None:
    if not isinstance(grain_min, int) or grain_min <= 0 or DAY_MIN % grain_min:
        raise ConfigError("grain_min", grain_min, "must be a whole number of minutes that "
                          "divides a day, such as 15, 30 or 60")


def _check_history(history: pd.DataFrame) -> None:
    for column in (DS, COUNTRY, CHANNEL, CONTACTS):
        if column not in history:
            raise DataError("the contact history has no such column", column=column,
                            expected="ds, country, query_type, channel, contacts")
    if not isinstance(history[DS].dtype, pd.DatetimeTZDtype):
        raise DataError("timestamps have no time zone", column=DS,
                        expected="tz-aware interval starts in the center's zone")


def _count_cube(
    history: pd.DataFrame, grain_min: int, weeks: int, special: Mapping[str, Sequence[date]]
) -> tuple[pd.DataFrame, np.ndarray]:
    """(country, channel) pairs and contacts per pair x day type x slot in the windows."""
    pairs = (history[[COUNTRY, CHANNEL]].drop_duplicates()
             .sort_values([COUNTRY, CHANNEL], ignore_index=True))
    types, slots = WEEKDAYS + len(special), DAY_MIN // grain_min
    if history.empty:
        return pairs, np.zeros((0, types, slots))
    wall = history[DS].dt.tz_localize(None)
    day = wall.dt.normalize()
    code = day.dt.day_of_week.to_numpy().astype(np.int64, copy=True)
    keep = (day > day.max() - pd.Timedelta(weeks=weeks)).to_numpy().copy()
    for number, days in enumerate(special.values(), start=WEEKDAYS):
        listed = pd.DatetimeIndex([pd.Timestamp(d) for d in days])
        hit = day.isin(listed).to_numpy() & (code < WEEKDAYS)  # two names: the first wins
        code[hit] = number
        keep |= hit
    slot = ((wall - day) // pd.Timedelta(minutes=grain_min)).to_numpy()[keep].astype(np.int64)
    _warn_if_coarse(slot, history[CONTACTS].to_numpy()[keep], grain_min)
    pair = pd.MultiIndex.from_frame(pairs).get_indexer(
        pd.MultiIndex.from_frame(history.loc[keep, [COUNTRY, CHANNEL]]))
    flat = (pair * types + code[keep]) * slots + np.clip(slot, 0, slots - 1)
    weights = history[CONTACTS].to_numpy(dtype=float)[keep]
    cube = np.bincount(flat, weights=weights, minlength=len(pairs) * types * slots)
    return pairs, cube.reshape(len(pairs), types, slots)


def _warn_if_coarse(slot: np.ndarray, contacts: np.ndarray, grain_min: int) -> None:
    """Warn when contacts only ever fall on a coarser grid than `grain_min`."""
    used = np.unique(slot[contacts > 0]) * grain_min
    step = int(np.gcd.reduce(np.append(used, DAY_MIN))) if len(used) > 1 else grain_min
    if step > grain_min:
        logger.warning("history has contacts only every %d minutes; profiles at %d minutes "
                       "leave slots empty (resample it with data.resample_intervals)",
                       step, grain_min)


def _fallback_levels(cube: np.ndarray, channels: np.ndarray, min_contacts: float) -> np.ndarray:
    """Per pair and day type: 0 own, 1 all countries, 2 all weekdays, 3 uniform."""
    level = np.full(cube.shape[:2], len(LEVELS) - 1)
    for number in reversed(range(len(LEVELS) - 1)):
        total = _candidate(cube, channels, number).sum(axis=2)
        level = np.where((total >= min_contacts) & (total > 0), number, level)
    return level


def _candidate(cube: np.ndarray, channels: np.ndarray, level: int) -> np.ndarray:
    """Contacts per slot of the profile at one fallback level, shaped like `cube`."""
    if level == 0:
        return cube
    if level == 1:
        pooled = np.zeros((channels.max(initial=-1) + 1, *cube.shape[1:]))
        np.add.at(pooled, channels, cube)
        return pooled[channels]
    return np.broadcast_to(cube[:, :WEEKDAYS].sum(axis=1, keepdims=True), cube.shape)


def _shares(cube: np.ndarray, channels: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Each key's counts at its level, divided by their total (uniform at the last level)."""
    chosen = np.ones_like(cube)
    for number in range(len(LEVELS) - 1):
        chosen = np.where((level == number)[..., None], _candidate(cube, channels, number),
                          chosen)
    return chosen / chosen.sum(axis=2, keepdims=True)


def distribute(
    daily: pd.DataFrame,
    profiles: IntradayProfiles,
    *,
    timezone: str,
    special_days: Mapping[str, Sequence[date]] | None = None,
) -> pd.DataFrame:
    """Spread a daily forecast over each local day's intervals of `profiles.grain_min`.

    Intervals run from local midnight to the next in `timezone` (46 half hours on the
    spring change-over day, 50 in autumn); each takes its slot's share of the
    (country, channel, day type) profile, renormalised over the day's real intervals, so
    `yhat`, `yhat_lower` and `yhat_upper` keep their daily totals. A special day missing
    from `profiles` uses its weekday; a country and channel with no profile, a uniform
    profile. Both are logged and listed in `result.attrs[FALLBACKS_ATTR]`.
    """
    if daily.empty:
        return daily.copy()
    codes, days = pd.factorize(_forecast_days(daily[DS], timezone), sort=True)
    keys = (daily[[COUNTRY, CHANNEL]].assign(**{_CODE: codes})
            .drop_duplicates(ignore_index=True))
    index, table = _profile_table(profiles)
    rows, notes = _key_rows(keys, pd.DatetimeIndex(days), index, special_days or {})
    grid = _day_grid(pd.DatetimeIndex(days), timezone, profiles.grain_min)
    shares = _day_shares(keys.assign(**{_KEY: np.arange(len(keys)), _ROW: rows}), grid, table)
    out = daily.drop(columns=DS).assign(**{_CODE: codes, _ORDER: np.arange(len(daily))})
    out = out.merge(shares, on=[COUNTRY, CHANNEL, _CODE], how="left")
    for column in FORECAST_VALUES:
        if column in out:
            out[column] = out[column] * out[SHARE]
    out = out.sort_values([_ORDER, DS], kind="stable")[list(daily.columns)]
    out = out.reset_index(drop=True)
    if notes:
        logger.warning("intraday profiles missing, used instead: %s",
                       "; ".join(f"{key}: {used}" for key, used in notes.items()))
    out.attrs[FALLBACKS_ATTR] = notes
    return out


def _forecast_days(ds: pd.Series, timezone: str) -> pd.Series:
    """Local days (naive midnight) of a daily forecast's `ds`, checked to be day starts."""
    if not isinstance(ds.dtype, pd.DatetimeTZDtype):
        raise DataError("forecast timestamps have no time zone", column=DS,
                        expected=f"tz-aware local midnights in {timezone}")
    local = ds.dt.tz_convert(timezone)
    starts = floor_local(local, DAY_MIN)
    if (local != starts).any():
        first = local[local != starts].iloc[0]
        raise DataError(f"{first.isoformat()} is not the start of a local day", column=DS,
                        expected=f"a daily forecast at local midnight in {timezone}")
    return local_day(local)


def _profile_table(profiles: IntradayProfiles) -> tuple[dict[ProfileKey, int], np.ndarray]:
    """Row of each profile key, and shares per row and slot (a last, uniform row)."""
    frame, slots = profiles.frame, DAY_MIN // profiles.grain_min
    index: dict[ProfileKey, int] = {}
    keys = zip(frame[COUNTRY], frame[CHANNEL], frame[DAY_TYPE].map(_day_type), strict=True)
    rows = np.array([index.setdefault(key, len(index)) for key in keys], dtype=np.int64)
    table = np.zeros((len(index) + 1, slots))
    table[-1] = 1.0
    slot = frame[SLOT_MIN].to_numpy(dtype=np.int64) // profiles.grain_min
    np.add.at(table, (rows, np.clip(slot, 0, slots - 1)), frame[SHARE].to_numpy(dtype=float))
    return index, table


def _day_type(value: object) -> int | str:
    """Weekdays as plain ints (profiles may hold NumPy integers), names as they are."""
    return int(value) if isinstance(value, int | np.integer) else str(value)


def _key_rows(
    keys: pd.DataFrame, days: pd.DatetimeIndex, index: Mapping[ProfileKey, int],
    special: Mapping[str, Sequence[date]],
) -> tuple[np.ndarray, dict[str, str]]:
    """The profile table row of each (country, channel, day), and the substitutes used."""
    names: dict[date, str] = {}
    for name, dates in special.items():
        for day in dates:
            names.setdefault(pd.Timestamp(day).date(), name)
    uniform = len(index)
    rows = np.full(len(keys), uniform, dtype=np.int64)
    notes: dict[str, str] = {}
    for i, (country, channel, code) in enumerate(keys.itertuples(index=False, name=None)):
        weekday, name = int(days[code].day_of_week), names.get(days[code].date())
        wanted = (country, channel, name if name is not None else weekday)
        if wanted in index:
            rows[i] = index[wanted]
        elif (country, channel, weekday) in index:
            rows[i] = index[(country, channel, weekday)]
            notes[f"{country}/{channel}/{name}"] = f"weekday {weekday} profile"
        else:
            notes[f"{country}/{channel}/{wanted[2]}"] = FALLBACK_UNIFORM
    return rows, notes


def _day_grid(days: pd.DatetimeIndex, timezone: str, grain_min: int) -> pd.DataFrame:
    """Interval starts of each local day (code = position in `days`) and their slots."""
    parts = []
    for code, day in enumerate(days):
        start, end = (_local_start(day + pd.Timedelta(days=k), timezone) for k in (0, 1))
        starts = pd.date_range(start, end, freq=f"{grain_min}min", inclusive="left")
        wall = starts.tz_localize(None)
        parts.append(pd.DataFrame({_CODE: code, DS: starts,
                                   _SLOT: (wall - day) // pd.Timedelta(minutes=grain_min)}))
    return pd.concat(parts, ignore_index=True)


def _local_start(day: pd.Timestamp, timezone: str) -> pd.Timestamp:
    """The first instant of a local day (midnight, or the first wall time after it)."""
    return day.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")


def _day_shares(keys: pd.DataFrame, grid: pd.DataFrame, table: np.ndarray) -> pd.DataFrame:
    """Share of each key's day per interval, renormalised over the day's real intervals
    (uniform over them when its profile has no weight there)."""
    expanded = keys.merge(grid, on=_CODE)
    key = expanded[_KEY].to_numpy()
    slot = np.clip(expanded[_SLOT].to_numpy(dtype=np.int64), 0, table.shape[1] - 1)
    share = table[expanded[_ROW].to_numpy(), slot]
    total = np.bincount(key, weights=share, minlength=len(keys))[key]
    count = np.bincount(key, minlength=len(keys))[key]
    with np.errstate(invalid="ignore", divide="ignore"):
        expanded[SHARE] = np.where(total > 0, share / total, 1.0 / count)
    return expanded[[COUNTRY, CHANNEL, _CODE, DS, SHARE]]

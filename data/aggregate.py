"""Series keys, interval-to-day totals and resampling between interval lengths."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.errors import ConfigError
from data.grain import DAY_MIN
from data.schema import AHT_S, CONTACTS, DS, SERIES_KEYS, UNIQUE_ID

__all__ = ["floor_local", "resample_intervals", "series_id", "to_daily", "with_unique_id"]

SEPARATOR = "/"


def series_id(frame: pd.DataFrame) -> pd.Series:
    """'AR/order_status/phone': country, query type and channel joined by '/'."""
    country, query_type, channel = (frame[key].astype("str") for key in SERIES_KEYS)
    return (country + SEPARATOR + query_type + SEPARATOR + channel).rename(UNIQUE_ID)


def with_unique_id(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a `unique_id` column first."""
    return frame.assign(**{UNIQUE_ID: series_id(frame)})[[UNIQUE_ID, *frame.columns]]


def floor_local(ds: pd.Series, minutes: int) -> pd.Series:
    """Floor tz-aware timestamps to `minutes` on the local clock, keeping each instant's
    own UTC offset (so both autumn 02:00 hours stay apart)."""
    utc = ds.dt.tz_convert("UTC").dt.tz_localize(None)
    offset = ds.dt.tz_localize(None) - utc
    if minutes == DAY_MIN:
        local_midnight = ds.dt.tz_localize(None).dt.normalize()
        return local_midnight.dt.tz_localize(ds.dt.tz, ambiguous=True,
                                             nonexistent="shift_forward")
    floored = (utc + offset).dt.floor(f"{minutes}min") - offset
    return floored.dt.tz_localize("UTC").dt.tz_convert(ds.dt.tz)


def _sum_by(frame: pd.DataFrame, ds: pd.Series) -> pd.DataFrame:
    work = frame.assign(**{DS: ds})
    keys = [DS, *SERIES_KEYS]
    if AHT_S in work:
        work = work.assign(_handled_s=work[AHT_S].fillna(0.0) * work[CONTACTS],
                           _with_aht=np.where(work[AHT_S].notna(), work[CONTACTS], 0))
    sums = work.groupby(keys, sort=False, as_index=False).sum(numeric_only=True)
    if AHT_S in work:
        with np.errstate(invalid="ignore", divide="ignore"):
            sums[AHT_S] = (sums.pop("_handled_s") / sums.pop("_with_aht")).where(
                lambda s: np.isfinite(s))
    columns = [DS, *SERIES_KEYS, CONTACTS] + ([AHT_S] if AHT_S in frame else [])
    return sums[columns].sort_values([*SERIES_KEYS, DS], ignore_index=True)


def to_daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Contacts per series and local day (ds at local midnight); handle time weighted by
    contacts."""
    return _sum_by(frame, floor_local(frame[DS], DAY_MIN))


def resample_intervals(frame: pd.DataFrame, from_min: int, to_min: int) -> pd.DataFrame:
    """Resample an interval history from `from_min` to `to_min` minutes.

    Coarser grains sum contacts (exact). Finer grains split each interval's contacts
    evenly over its parts (counts become fractional), keeping handle time.
    """
    if from_min == to_min:
        return frame.copy()
    if to_min > from_min:
        if to_min % from_min or DAY_MIN % to_min:
            raise ConfigError("interval_min", to_min,
                              f"is not a multiple of {from_min} that divides a day")
        return _sum_by(frame, floor_local(frame[DS], to_min))
    if from_min % to_min:
        raise ConfigError("interval_min", to_min, f"does not divide {from_min}")
    parts = from_min // to_min
    out = frame.loc[frame.index.repeat(parts)].copy()
    step = np.tile(np.arange(parts), len(frame)) * to_min
    out[DS] = out[DS] + pd.to_timedelta(step, unit="min")
    out[CONTACTS] = out[CONTACTS] / parts
    return out.reset_index(drop=True)

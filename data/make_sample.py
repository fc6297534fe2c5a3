"""Generate the bundled sample season under data/sample/ (seeded, deterministic).

    python -m data.make_sample [--out DIR]

A cross-border online shop served from one contact center in Amsterdam. What is real
and what is synthetic is in data/sample/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import logging
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from data.calendars import national_holidays
from data.retail_events import black_friday, cyber_monday
from data.sample import SAMPLE_DIR, SAMPLE_FILES
from data.sample_agents import make_agents
from data.sample_model import (
    CHANNELS,
    COUNTRIES,
    QUERY_TYPES,
    WEEKDAY_CONTACTS,
    Country,
    contact_effects,
    intraday_weights,
    traffic_effects,
)

__all__ = ["CENTER_TZ", "HISTORY_START", "SEASON_END", "SEASON_START", "SEED", "generate"]

log = logging.getLogger(__name__)

SEED = 20261001
CENTER_TZ = "Europe/Amsterdam"
HISTORY_START = date(2023, 10, 1)
SEASON_START = date(2026, 10, 1)
SEASON_END = date(2026, 12, 31)
INTERVAL_MIN = 30
LEAD_DAYS = 30
"""Days of traffic drawn before the history starts, for the lags of late query types."""
DAY_SHAPE, INTERVAL_SHAPE = 60.0, 30.0
"""Gamma shapes of the day and interval rate noise (over-dispersion beyond Poisson)."""


def user_events() -> pd.DataFrame:
    """The shop's own promotions (the sample events file) with their lift on traffic."""
    rows = []
    for year in range(HISTORY_START.year, SEASON_END.year + 1):
        rows += [
            ("Summer Sale", _nth_weekday(year, 7, 0, 1), "*", 0, 6, 0.35),
            ("Hot Sale", _nth_weekday(year, 5, 0, 2), "AR", 0, 2, 0.8),
            ("Click Frenzy", _nth_weekday(year, 11, 1, 2), "AU", 0, 1, 0.6),
            ("Anniversary Sale", pd.Timestamp(year, 9, 10), "*", -1, 3, 0.4),
        ]
    return pd.DataFrame(rows, columns=["name", "ds", "country", "lower_window", "upper_window",
                                       "lift"])


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> pd.Timestamp:
    """The `n`-th `weekday` (Monday 0) of a month."""
    first = pd.Timestamp(year, month, 1)
    return first + pd.Timedelta(days=(weekday - first.day_of_week) % 7 + 7 * (n - 1))


def _holidays(country: str) -> set[date]:
    years = range(HISTORY_START.year - 1, SEASON_END.year + 2)
    return {day for year in years for day, _ in national_holidays(country, year)}


def _traffic(country: Country, rng: np.random.Generator, events: pd.DataFrame) -> pd.Series:
    days = pd.date_range(pd.Timestamp(HISTORY_START) - pd.Timedelta(days=LEAD_DAYS),
                         SEASON_END, freq="D")
    years = (days - pd.Timestamp(HISTORY_START)).days / 365.25
    mine = events[events["country"].isin(["*", country.code])]
    level = country.sessions_per_day * (1 + country.growth_per_year) ** years
    noise = rng.lognormal(0.0, 0.04, len(days))
    sessions = level * traffic_effects(days, _holidays(country.code), mine) * noise
    return pd.Series(np.round(sessions), index=days, name="sessions")


def _day_means(country: Country, sessions: pd.Series, rng: np.random.Generator) -> dict:
    """Expected contacts per (query type, channel) and local day, with day-level noise."""
    days = sessions.index
    rate = country.contacts_per_day / country.sessions_per_day
    holidays = _holidays(country.code)
    means = {}
    for q in QUERY_TYPES:
        weights = np.asarray(q.traffic_lags) / np.sum(q.traffic_lags)
        driven = np.convolve(sessions.to_numpy(), weights)[: len(days)]
        base = rate * q.share * driven * contact_effects(q.name, days, holidays)
        for k, channel in enumerate(CHANNELS):
            weekday = np.asarray(WEEKDAY_CONTACTS[channel])
            weekday = (weekday / weekday.mean())[days.day_of_week]
            noise = rng.gamma(DAY_SHAPE, 1 / DAY_SHAPE, len(days))
            means[(q.name, channel)] = pd.Series(base * country.channel_mix[k] * weekday * noise,
                                                 index=days)
    return means


def _intervals(country: Country, means: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Spread day means over the customer's local half hours, draw counts, move to the
    center's clock."""
    first = pd.Timestamp(HISTORY_START) - pd.Timedelta(days=1)
    last = pd.Timestamp(SEASON_START) + pd.Timedelta(days=1)
    slots = pd.date_range(first.tz_localize(country.timezone), last.tz_localize(country.timezone),
                          freq=f"{INTERVAL_MIN}min", inclusive="left")
    wall = slots.tz_localize(None)
    local_day = wall.normalize()
    hours = (wall.hour + wall.minute / 60).to_numpy()
    weekend = np.asarray(wall.day_of_week >= 5)
    sale = np.isin(local_day.date, [d for y in range(first.year, last.year + 1)
                                    for d in _sale_days(y)])
    in_window = (slots >= pd.Timestamp(HISTORY_START).tz_localize(CENTER_TZ)) & (
        slots < pd.Timestamp(SEASON_START).tz_localize(CENTER_TZ))
    day_codes, day_index = pd.factorize(local_day)
    peak = np.asarray((day_index.month * 100 + day_index.day >= 1120)
                      | (day_index.month * 100 + day_index.day <= 105))[day_codes]
    frames = []
    for (query_type, channel), day_mean in means.items():
        weights = intraday_weights(channel, hours, weekend, sale)
        share = weights / np.bincount(day_codes, weights)[day_codes]
        mean = day_mean.reindex(day_index).to_numpy()[day_codes] * share
        noisy = mean * rng.gamma(INTERVAL_SHAPE, 1 / INTERVAL_SHAPE, len(mean))
        counts = rng.poisson(noisy)
        aht = _handle_times(query_type, channel, len(day_index), rng)[day_codes]
        keep = in_window & (counts > 0)
        frames.append(pd.DataFrame({
            "ds": slots[keep].tz_convert(CENTER_TZ), "country": country.code,
            "query_type": query_type, "channel": channel, "contacts": counts[keep],
            "aht_s": np.round(aht * np.where(peak, 1.06, 1.0))[keep]}))
    return pd.concat(frames, ignore_index=True)


def _sale_days(year: int) -> list[date]:
    return [black_friday(year), cyber_monday(year)]


def _handle_times(query_type: str, channel: str, days: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Mean handle time (s) per local day: the type's base for the channel with noise that
    holds for the whole day (rows in the peak, 20 Nov to 5 Jan, are 6% longer)."""
    q = next(q for q in QUERY_TYPES if q.name == query_type)
    return q.aht_s[CHANNELS.index(channel)] * rng.gamma(400.0, 1 / 400.0, days)


def generate() -> dict[str, pd.DataFrame]:
    """Every sample frame, drawn from one seeded generator in a fixed order."""
    rng = np.random.default_rng(SEED)
    events = user_events()
    traffic, contacts = [], []
    for country in COUNTRIES:
        sessions = _traffic(country, rng, events)
        traffic.append(pd.DataFrame({"ds": sessions.index, "country": country.code,
                                     "sessions": sessions.to_numpy().astype(np.int64)}))
        contacts.append(_intervals(country, _day_means(country, sessions, rng), rng))
    history = pd.concat(contacts, ignore_index=True).sort_values(
        ["country", "query_type", "channel", "ds"], ignore_index=True)
    traffic_all = pd.concat(traffic, ignore_index=True)
    in_history = (traffic_all["ds"] >= pd.Timestamp(HISTORY_START)) & (
        traffic_all["ds"] < pd.Timestamp(SEASON_START))
    plan = traffic_all[traffic_all["ds"] >= pd.Timestamp(SEASON_START)].copy()
    plan["sessions"] = np.round(plan["sessions"] * 1.05 * rng.lognormal(0, 0.08, len(plan)))
    return {"contacts": history, "traffic": traffic_all[in_history].reset_index(drop=True),
            "traffic_plan": plan.astype({"sessions": np.int64}).reset_index(drop=True),
            "events": events.drop(columns="lift"), "agents": make_agents(rng)}


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d %H:%M%z").str.replace(
                r"(\d{2})(\d{2})$", r"\1:\2", regex=True)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet with delta-encoded timestamps and counts: 2.4 M rows in about 2.5 MB."""
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, buffer, compression="zstd", compression_level=19,
                   use_dictionary=["country", "query_type", "channel", "aht_s"],
                   column_encoding={"ds": "DELTA_BINARY_PACKED",
                                    "contacts": "DELTA_BINARY_PACKED"})
    return buffer.getvalue()


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()


def write(frames: dict[str, pd.DataFrame], out: Path) -> dict[str, Path]:
    """Write each frame to its sample file (temporary name, then renamed into place)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for role, frame in frames.items():
        path = out / SAMPLE_FILES[role]
        if path.suffix == ".parquet":
            data = _parquet_bytes(frame)
        else:
            data = _csv_bytes(frame)
            data = _gzip(data) if path.suffix == ".gz" else data
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        paths[role] = path
        log.info("wrote %s (%d rows, %.1f kB)", path, len(frame), len(data) / 1024)
    return paths


def generator_versions() -> dict[str, str]:
    """Versions of the libraries whose output the sample depends on."""
    import holidays

    return {"numpy": np.__version__, "pandas": pd.__version__, "holidays": holidays.__version__,
            "pyarrow": pa.__version__}


def write_manifest(paths: dict[str, Path], frames: dict[str, pd.DataFrame], out: Path) -> Path:
    """manifest.json: seed, library versions, and rows and SHA-256 of each file."""
    manifest = {
        "seed": SEED,
        "versions": generator_versions(),
        "files": {role: {"file": path.name, "rows": len(frames[role]),
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
                  for role, path in paths.items()},
    }
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: write the sample files (default: the bundled sample folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    frames = generate()
    write_manifest(write(frames, args.out), frames, args.out)


if __name__ == "__main__":
    main()

"""Property: every reader, on any file, returns a frame that meets its contract or raises
a `PlannerError` whose message is one printable line of at most 480 bytes; nothing else.

The normal suite runs a few hundred examples, each through the five readers, with a
fixed seed (a CI run never finds a new input by chance); the `slow` versions explore
thousands of new ones. PEAKPLAN_FUZZ_EXAMPLES scales the slow versions (20,000 for the
long benchmark run).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fuzz_inputs import arbitrary_file, near_valid_csv, small_parquet, small_workbook, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import PlannerError, read_agents, read_contacts, read_events, read_traffic
from data.errors import MAX_MESSAGE_BYTES
from data.limits import ReadLimits, use_limits
from data.schema import AGENT_COLUMNS, EVENT_COLUMNS, SERIES_KEYS
from data.tables import read_table

TIMEZONE = "Europe/Amsterdam"
SLOW_EXAMPLES = int(os.environ.get("PEAKPLAN_FUZZ_EXAMPLES", "2000"))
SMALL_LIMITS = ReadLimits(max_mb=1, max_cells=20_000, max_excel_cells=5_000, max_columns=50)
"""Limits far below the defaults, so that the limit checks are in the fuzz too."""
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def fast(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def slow(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def check_contacts(frame: pd.DataFrame) -> None:
    assert list(frame.columns[:5]) == ["ds", *SERIES_KEYS, "contacts"]
    assert str(frame["ds"].dt.tz) == TIMEZONE and frame["ds"].notna().all()
    assert frame["contacts"].dtype == np.int64 and (frame["contacts"] >= 0).all()
    assert frame["country"].str.fullmatch(r"[A-Z]{2}").all()
    for key in ("query_type", "channel"):
        assert (frame[key].str.len() > 0).all()
    if "aht_s" in frame:
        assert not (frame["aht_s"] < 0).any()
    assert not frame.duplicated(["ds", *SERIES_KEYS]).any()


def check_traffic(frame: pd.DataFrame) -> None:
    assert {"ds", "country", "sessions"} <= set(frame.columns) <= {"ds", "country", "sessions",
                                                                 "query_type"}
    assert frame["ds"].dt.tz is None and (frame["ds"] == frame["ds"].dt.normalize()).all()
    assert np.isfinite(frame["sessions"]).all() and (frame["sessions"] >= 0).all()


def check_events(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert (frame["name"].str.len() > 0).all()
    assert frame["lower_window"].between(-366, 0).all()
    assert frame["upper_window"].between(0, 366).all()


def check_agents(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(AGENT_COLUMNS)
    assert frame["agent_id"].is_unique and (frame["agent_id"].str.len() > 0).all()
    assert all(q and all(q) for q in frame["queues"])
    assert frame["contract_h_week"].between(0, 60, inclusive="right").all()


READERS: dict[str, tuple[Callable[[Path], object], Callable[[object], None]]] = {
    "table": (read_table, lambda table: None),
    "contacts": (lambda p: read_contacts(p, timezone=TIMEZONE, allow_gaps=True), check_contacts),
    "traffic": (read_traffic, check_traffic),
    "events": (read_events, check_events),
    "agents": (read_agents, check_agents),
}


def check_every_reader(path: Path) -> None:
    """The property, for each reader, on one file."""
    for name, (reader, meets_contract) in READERS.items():
        try:
            result = reader(path)
        except PlannerError as exc:
            message = str(exc)
            assert len(message.encode()) <= MAX_MESSAGE_BYTES, (name, message)
            assert not UNPRINTABLE.search(message), (name, message)
            continue
        meets_contract(result)


def run_on(suffix: str, data: bytes, limits: ReadLimits | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder, use_limits(limits or ReadLimits()):
        check_every_reader(write(Path(folder), suffix, data))


# --- the normal suite: a few hundred examples, fixed seed --------------------------------


@fast(120)
@given(arbitrary_file())
def test_arbitrary_bytes(file: tuple[str, bytes]) -> None:
    run_on(*file)


@fast(150)
@given(near_valid_csv(), st.sampled_from((".csv", ".csv.gz")), st.booleans())
def test_near_valid_csv(data: bytes, suffix: str, small: bool) -> None:
    run_on(suffix, _gzip(data) if suffix.endswith(".gz") else data,
           SMALL_LIMITS if small else None)


@fast(30)
@given(small_workbook())
def test_small_workbooks(data: bytes) -> None:
    run_on(".xlsx", data)


@fast(60)
@given(small_parquet())
def test_small_parquet(data: bytes) -> None:
    run_on(".parquet", data)


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# --- the long version ----------------------------------------------------------------------


@pytest.mark.slow
@slow(SLOW_EXAMPLES)
@given(st.one_of(arbitrary_file(), near_valid_csv().map(lambda d: (".csv", d))))
def test_long_fuzz_of_text_and_bytes(file: tuple[str, bytes]) -> None:
    run_on(*file)


@pytest.mark.slow
@slow(max(SLOW_EXAMPLES // 10, 50))
@given(st.one_of(small_workbook().map(lambda d: (".xlsx", d)),
                 small_parquet().map(lambda d: (".parquet", d))))
def test_long_fuzz_of_workbooks_and_parquet(file: tuple[str, bytes]) -> None:
    run_on(*file)

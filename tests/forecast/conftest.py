"""Small daily series and a subset of the sample, shared by the forecast tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import read_events, read_traffic, sample_paths

TZ = "Europe/Amsterdam"


@pytest.fixture(scope="session")
def sample_history() -> pd.DataFrame:
    """The bundled sample's contact history in the center's zone (read without checks)."""
    frame = pd.read_parquet(sample_paths()["contacts"])
    return frame.assign(ds=frame["ds"].dt.tz_convert(TZ))


@pytest.fixture(scope="session")
def sample_traffic() -> pd.DataFrame:
    return read_traffic(sample_paths()["traffic"])


@pytest.fixture(scope="session")
def sample_events() -> pd.DataFrame:
    return read_events(sample_paths()["events"])


@pytest.fixture
def weekly():
    """The `weekly_series` builder."""
    return weekly_series


def weekly_series(days: int = 400, level: float = 100.0, seed: int = 1,
                  start: str = "2025-01-01") -> pd.Series:
    """A daily series with a weekly pattern and Poisson noise, indexed by local day."""
    index = pd.date_range(start, periods=days, freq="D")
    pattern = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.6, 0.5])[index.day_of_week]
    rng = np.random.default_rng(seed)
    return pd.Series(rng.poisson(level * pattern).astype(float), index=index)

"""Fixtures the export tests share: the roster, shifts and coverage of `export_cases`."""

from __future__ import annotations

import pandas as pd
import pytest
from export_cases import coverage_frame, roster_frame, shifts_frame


@pytest.fixture
def roster() -> pd.DataFrame:
    """The seven assignments of `export_cases.roster_frame`."""
    return roster_frame()


@pytest.fixture
def shifts(roster: pd.DataFrame) -> pd.DataFrame:
    return shifts_frame(roster)


@pytest.fixture
def coverage() -> pd.DataFrame:
    return coverage_frame()

"""Shared fixtures: the real public data folder and small frame builders."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from data import sample_paths

REPO = Path(__file__).resolve().parents[1]


def realdata_dir() -> Path:
    """../shared/realdata beside the repository, or $PEAKPLAN_REALDATA."""
    return Path(os.environ.get("PEAKPLAN_REALDATA", REPO.parent / "shared" / "realdata"))


@pytest.fixture
def realdata() -> Path:
    """The real data folder; the test is skipped with the reason when it is absent."""
    folder = realdata_dir()
    if not folder.is_dir():
        pytest.skip(f"real data folder {folder} is absent (set PEAKPLAN_REALDATA)")
    return folder


@pytest.fixture
def write(tmp_path: Path):
    """Write text to a file in tmp_path and return its path."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return path

    return _write


HUNGARY = """
[season]
name = "hu"
start = {start}
end = {end}

[data]
volume = "{volume}"
agents = "{agents}"

[forecast]
model = "snaive_week"

[runs]
root = "{runs}"
{staffing}
[[staffing.queues]]
name = "hu_phone"
channel = "phone"
countries = ["HU"]
hours = {{ daily = "07:00-23:00" }}

[[staffing.queues]]
name = "hu_chat"
channel = "chat"
countries = ["HU"]
{chat}
[[staffing.queues]]
name = "hu_email"
channel = "email"
countries = ["HU"]
hours = {{ weekdays = "08:00-18:00", weekend = "closed" }}
{schedule}"""

HUNGARY_SCHEDULE = """
[schedule]
time_limit_s = 5
gap_rel = 0.02
"""


@pytest.fixture(scope="session")
def hungary_season():
    """A function writing Hungary's slice of the sample contacts (hu.parquet) and a season
    config over it (season.toml: seasonal-naive forecast, the sample's agents, a run store
    in the folder, queues hu_phone, hu_chat and hu_email) into a folder; returns the
    config's path. `staffing`: TOML lines of the [staffing] table and its sub-tables;
    `chat`: lines of the hu_chat queue; `schedule`: fast solver settings (5 s, 2% gap)."""

    def make(folder: Path, *, start: str, end: str, staffing: str = "", chat: str = "",
             schedule: bool = False) -> Path:
        contacts = pd.read_parquet(sample_paths()["contacts"])
        volume = folder / "hu.parquet"
        contacts[contacts["country"] == "HU"].to_parquet(volume)
        config = folder / "season.toml"
        config.write_text(HUNGARY.format(
            start=start, end=end, volume=volume, agents=sample_paths()["agents"],
            runs=folder / "runs", staffing=f"\n{staffing.strip()}\n" if staffing else "",
            chat=f"{chat.strip()}\n" if chat else "",
            schedule=HUNGARY_SCHEDULE if schedule else ""), encoding="utf-8")
        return config

    return make

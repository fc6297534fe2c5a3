"""Shared fixtures: the real public data folder and small frame builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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

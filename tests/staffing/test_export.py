"""Roster exports, in general: text neutralised for spreadsheets and restored exactly,
and atomic writes of every file (no temporary left, no half file when a rename fails).
CSV, Excel and iCalendar have test files of their own."""

from __future__ import annotations

import pandas as pd
import pytest
from export_cases import DANGEROUS, NASTY, STAMP, coverage_frame, roster_frame, shifts_frame

from data.errors import ConfigError
from staffing.export import files, neutralise, read_roster_csv, restore, roster_ics, write_exports


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


# --- neutralisation -------------------------------------------------------------------

@pytest.mark.parametrize("text", [*NASTY, "'already quoted", "\tTab", "", "plain"])
def test_neutralise_then_restore_is_exact_and_safe(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith((*DANGEROUS, "\t"))


# --- writing --------------------------------------------------------------------------

def test_write_exports_writes_every_file_and_no_temporary(roster, shifts, coverage,
                                                          tmp_path) -> None:
    folder = tmp_path / "out"
    written = write_exports(roster, folder, shifts=shifts, coverage=coverage, stamp=STAMP)
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    expected = ["coverage.csv", *(f"ics/A{i}.ics" for i in range(1, 7)), "roster.csv",
                "roster.xlsx", "shifts.csv"]
    assert names == expected
    assert sorted(p.relative_to(folder).as_posix() for p in written) == expected
    pd.testing.assert_frame_equal(read_roster_csv((folder / "roster.csv").read_bytes()),
                                  roster)
    assert (folder / "ics" / "A2.ics").read_bytes() == roster_ics(roster, "A2", stamp=STAMP)


def test_write_exports_leaves_no_half_file_when_a_rename_fails(roster, tmp_path,
                                                               monkeypatch) -> None:
    (tmp_path / "roster.csv").write_bytes(b"old")

    def broken(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_exports(roster, tmp_path, kinds=("csv",))
    assert [p.name for p in tmp_path.iterdir()] == ["roster.csv"]
    assert (tmp_path / "roster.csv").read_bytes() == b"old"


def test_write_exports_rejects_an_unknown_kind_before_writing(roster, tmp_path) -> None:
    with pytest.raises(ConfigError, match="pdf"):
        write_exports(roster, tmp_path, kinds=("csv", "pdf"))
    assert list(tmp_path.iterdir()) == []

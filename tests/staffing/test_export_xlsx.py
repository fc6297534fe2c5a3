"""Roster exports, Excel: a summary and one sheet per week, text that looks like a
formula stays text, layout, local wall times with their offset, round trips, and the
shifts and coverage sheets."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from export_cases import NASTY, TZ, coverage_frame, roster_frame, shifts_frame

from staffing.export import read_roster_xlsx, roster_xlsx, xlsx


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


# --- Excel ----------------------------------------------------------------------------

def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_a_summary_and_one_sheet_per_week(roster: pd.DataFrame) -> None:
    wb = workbook(roster_xlsx(roster))
    assert wb.sheetnames == ["Summary", "Week 2026-10-19", "Week 2026-10-26"]
    week = wb["Week 2026-10-19"]
    header = [c.value for c in week[1]]
    assert header[:4] == ["date", "weekday", "agent_id", "name"]
    assert f"start ({TZ})" in header and f"end ({TZ})" in header
    assert [c.value for c in week["B"][1:]] == ["Mon", "Sat", "Sun"]
    assert week.max_row == 1 + 3 and wb["Week 2026-10-26"].max_row == 1 + 4


def test_xlsx_text_that_looks_like_a_formula_stays_text(roster: pd.DataFrame) -> None:
    data = roster_xlsx(roster)
    wb = workbook(data)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for text in NASTY[:4]:
        found = [c for c in cells if c.value == text]
        assert found, text
        assert all(c.data_type == "s" and c.quotePrefix for c in found), text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name


def test_xlsx_layout_bold_frozen_header_and_fitted_widths(roster: pd.DataFrame) -> None:
    wb = workbook(roster_xlsx(roster))
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b
    week = wb["Week 2026-10-26"]
    widths = {c.value: week.column_dimensions[c.column_letter].width for c in week[1]}
    assert widths["name"] > 8.43  # Excel's default column width
    assert widths["name"] >= len('=HYPERLINK("x")')
    assert widths[f"start ({TZ})"] >= len("2026-10-26 09:00 +01:00")
    assert max(widths.values()) <= xlsx.MAX_WIDTH


def test_xlsx_times_are_local_wall_time_with_their_offset(roster: pd.DataFrame) -> None:
    week = workbook(roster_xlsx(roster))["Week 2026-10-19"]
    header = [c.value for c in week[1]]
    start = week.cell(row=4, column=header.index(f"start ({TZ})") + 1)  # agent A3
    assert start.value == datetime(2026, 10, 25, 2, 30)
    assert '"+01:00"' in start.number_format
    night = week.cell(row=3, column=header.index(f"end ({TZ})") + 1)  # A2, across the change
    assert night.value == datetime(2026, 10, 25, 6, 0)
    assert '"+01:00"' in night.number_format
    assert '"+02:00"' in week.cell(row=3, column=header.index(f"start ({TZ})") + 1).number_format
    assert week.cell(row=2, column=1).value == datetime(2026, 10, 19)
    assert week.cell(row=2, column=1).number_format == "yyyy-mm-dd"


def test_xlsx_week_sheets_round_trip_to_the_assignments(roster: pd.DataFrame) -> None:
    back = read_roster_xlsx(roster_xlsx(roster))
    expected = (roster.sort_values(["date", "start", "agent_id"])
                [["date", *(c for c in roster.columns if c != "date")]]
                .reset_index(drop=True))
    pd.testing.assert_frame_equal(back, expected)


def test_xlsx_summary_counts_shifts_hours_weekends_and_nights(roster: pd.DataFrame) -> None:
    ws = workbook(roster_xlsx(roster))["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows[0]
    agents = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:7]}
    assert agents["A1"]["shifts"] == 2 and agents["A1"]["paid h total"] == 16.25
    assert agents["A1"]["paid h week 2026-10-19"] == 8
    assert agents["A1"]["paid h week 2026-10-26"] == 8.25
    assert {a: r["weekend shifts"] for a, r in agents.items()} == \
        {"A1": 0, "A2": 1, "A3": 1, "A4": 0, "A5": 0, "A6": 0}
    assert {a: r["night shifts"] for a, r in agents.items()} == \
        {"A1": 0, "A2": 1, "A3": 1, "A4": 0, "A5": 1, "A6": 1}
    weeks = {r[0]: r[1:6] for r in rows[9:12]}
    assert weeks["Week 2026-10-19"] == [3, 3, 2, 2, 25]
    assert weeks["Week 2026-10-26"] == [4, 4, 0, 2, 29.75]
    assert weeks["total"] == [7, 6, 2, 4, 54.75]
    assert TZ in rows[-1][0]


def test_xlsx_with_shifts_and_coverage_sheets(roster: pd.DataFrame, shifts: pd.DataFrame,
                                              coverage: pd.DataFrame) -> None:
    wb = workbook(roster_xlsx(roster, shifts, coverage))
    assert wb.sheetnames[-2:] == ["Shifts", "Coverage"]
    evil = wb["Coverage"]["A3"]
    assert evil.value == "=evil" and evil.data_type == "s" and evil.quotePrefix
    assert wb["Coverage"]["E2"].value == -0.5

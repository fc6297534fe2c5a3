"""Roster exports, CSV: round trips of the roster, shifts and coverage frames, every
dangerous text cell neutralised, times in ISO form with their offset and the zone
named."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from export_cases import DANGEROUS, TZ, coverage_frame, roster_frame, shifts_frame

from data.errors import DataError
from staffing.export import frame_csv, read_frame_csv, read_roster_csv, roster_csv


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


def raw_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- CSV ------------------------------------------------------------------------------

def test_roster_csv_round_trip_equals_the_frame(roster: pd.DataFrame) -> None:
    back = read_roster_csv(roster_csv(roster))
    pd.testing.assert_frame_equal(back, roster)
    assert str(back["start"].dtype) == f"datetime64[us, {TZ}]"
    assert back.loc[2, "start"] == pd.Timestamp("2026-10-25T01:30Z")  # the second 02:30
    assert back.loc[0, "name"] == '=HYPERLINK("x")'


def test_roster_csv_neutralises_every_dangerous_text_cell(roster: pd.DataFrame) -> None:
    data = roster_csv(roster)
    cells = raw_cells(data)
    header, body = cells[0], cells[1:]
    for row in body:
        for cell in row:
            if cell.startswith(DANGEROUS):
                assert is_number(cell), f"unneutralised cell {cell!r}"
    for line in data[3:].decode("utf-8").splitlines():
        assert not line.startswith(DANGEROUS), line
    names = [row[header.index("name")] for row in body]
    assert names[:5] == ["'=HYPERLINK(\"x\")", "'+31 6 123", "'-Ann", "'@home", "Zoë 😀"]
    assert "Zoë 😀".encode() in data


def test_roster_csv_times_are_iso_with_offset_and_zone_named(roster: pd.DataFrame) -> None:
    cells = raw_cells(roster_csv(roster))
    header, body = cells[0], cells[1:]
    start, end = header.index("start"), header.index("end")
    assert body[1][start] == "2026-10-24T22:00:00+02:00"
    assert body[1][end] == "2026-10-25T06:00:00+01:00"
    assert body[2][start] == "2026-10-25T02:30:00+01:00"
    assert body[2][header.index("break_start")] == ""
    assert header[-1] == "timezone" and {row[-1] for row in body} == {TZ}
    assert body[0][header.index("date")] == "2026-10-19"
    assert body[0][header.index("paid_h")] == "8.0"


def test_shifts_and_coverage_csv_round_trip(shifts: pd.DataFrame,
                                            coverage: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(read_frame_csv(frame_csv(shifts)), shifts)
    data = frame_csv(coverage)
    pd.testing.assert_frame_equal(read_frame_csv(data), coverage)
    body = raw_cells(data)[1:]
    assert [row[0] for row in body] == ["nl-voice", "'=evil", "de-chat"]
    assert body[0][4] == "-0.5"  # numbers stay numbers, negative ones too


def test_read_frame_csv_infers_unknown_columns_and_names_a_bad_one() -> None:
    frame = pd.DataFrame({"n": [1, 2], "x": [0.5, -1.0], "label": ["-1", "a"]})
    back = read_frame_csv(frame_csv(frame))
    pd.testing.assert_frame_equal(back, frame.astype({"label": "str"}))
    bad = "\ufeffagent_id,paid_h\r\nA1,eight\r\n".encode()
    with pytest.raises(DataError, match="paid_h"):
        read_frame_csv(bad)


def test_frame_csv_rejects_two_zones(roster: pd.DataFrame) -> None:
    mixed = roster.assign(end=roster["end"].dt.tz_convert("Europe/London"))
    with pytest.raises(DataError, match="more than one zone"):
        frame_csv(mixed)

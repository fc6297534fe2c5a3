"""Roster exports: CSV, Excel and iCalendar round trips, spreadsheet safety, the autumn
DST night, shifts across midnight, stable UIDs and atomic writes."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import icalendar
import openpyxl
import pandas as pd
import pytest

from data.errors import ConfigError, DataError
from staffing.export import (
    files,
    frame_csv,
    ics_filename,
    neutralise,
    read_frame_csv,
    read_roster_csv,
    read_roster_xlsx,
    restore,
    roster_csv,
    roster_ics,
    roster_ics_all,
    roster_ics_zip,
    roster_xlsx,
    write_exports,
    xlsx,
)

TZ = "Europe/Amsterdam"
DANGEROUS = ("=", "+", "-", "@")
NASTY = ('=HYPERLINK("x")', "+31 6 123", "-Ann", "@home", "Zoë 😀", "O'Brien, Jr.")
STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def times(texts: list[str | None]) -> pd.Series:
    """ISO texts with offsets as tz-aware local times (None is NaT)."""
    return pd.Series(pd.to_datetime(texts, utc=True)).dt.tz_convert(TZ).dt.as_unit("us")


@pytest.fixture
def roster() -> pd.DataFrame:
    """Seven assignments over two weeks: the autumn DST night (a shift across it and one
    that starts in the repeated hour), a shift across midnight, nasty names."""
    rows = [  # agent, name, date, start, end, break start, break end, queue, shift, paid, breaks
        ("A1", NASTY[0], date(2026, 10, 19), "2026-10-19T08:00+02:00",
         "2026-10-19T16:30+02:00", "2026-10-19T12:00+02:00", "2026-10-19T12:30+02:00",
         "nl-voice", "S1", 8.0, "12:00-12:30"),
        ("A2", NASTY[1], date(2026, 10, 24), "2026-10-24T22:00+02:00",
         "2026-10-25T06:00+01:00", "2026-10-25T01:00+02:00", "2026-10-25T01:15+02:00",
         "nl-voice", "S2", 9.0, "01:00-01:15"),
        ("A3", NASTY[2], date(2026, 10, 25), "2026-10-25T02:30+01:00",
         "2026-10-25T10:30+01:00", None, None, "de-chat", "S3", 8.0, ""),
        ("A4", NASTY[3], date(2026, 10, 26), "2026-10-26T09:00+01:00",
         "2026-10-26T17:00+01:00", "2026-10-26T13:00+01:00", "2026-10-26T13:30+01:00",
         "de-chat", "S4", 7.5, "13:00-13:30"),
        ("A5", NASTY[4], date(2026, 10, 28), "2026-10-28T23:00+01:00",
         "2026-10-29T07:00+01:00", "2026-10-29T03:00+01:00", "2026-10-29T03:30+01:00",
         "nl-voice", "S5", 7.5, "03:00-03:30"),
        ("A6", NASTY[5], date(2026, 10, 30), "2026-10-30T16:00+01:00",
         "2026-10-30T22:30+01:00", "2026-10-30T19:00+01:00", "2026-10-30T19:15+01:00",
         "nl-voice", "S6", 6.5, "19:00-19:15"),
        ("A1", NASTY[0], date(2026, 10, 27), "2026-10-27T08:00+01:00",
         "2026-10-27T16:45+01:00", "2026-10-27T12:00+01:00", "2026-10-27T12:30+01:00",
         "nl-voice", "S7", 8.25, "12:00-12:30, 15:00-15:15"),
    ]
    columns = list(zip(*rows, strict=True))
    return pd.DataFrame({
        "agent_id": pd.Series(columns[0], dtype="str"),
        "name": pd.Series(columns[1], dtype="str"),
        "date": pd.Series(columns[2], dtype=object),
        "start": times(list(columns[3])), "end": times(list(columns[4])),
        "break_start": times(list(columns[5])), "break_end": times(list(columns[6])),
        "queue": pd.Series(columns[7], dtype="str"),
        "shift_id": pd.Series(columns[8], dtype="str"),
        "paid_h": pd.Series(columns[9], dtype="float64"),
        "breaks": pd.Series(columns[10], dtype="str"),
    })


@pytest.fixture
def shifts(roster: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "queue": roster["queue"], "shift_id": roster["shift_id"], "day": roster["date"],
        "start": roster["start"], "end": roster["end"],
        "length_h": (roster["end"] - roster["start"]) / pd.Timedelta(hours=1),
        "paid_h": roster["paid_h"], "breaks": roster["breaks"],
        "agents": pd.Series(range(1, len(roster) + 1), dtype="int64"),
    })


@pytest.fixture
def coverage() -> pd.DataFrame:
    return pd.DataFrame({
        "queue": pd.Series(["nl-voice", "=evil", "de-chat"], dtype="str"),
        "ds": times(["2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00",
                     "2026-10-25T02:15+01:00"]),
        "required": [3.5, 2.0, 1.25], "scheduled": [3.0, 2.0, 2.0], "gap": [-0.5, 0.0, 0.75],
    })


def raw_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- neutralisation -------------------------------------------------------------------

@pytest.mark.parametrize("text", [*NASTY, "'already quoted", "\tTab", "", "plain"])
def test_neutralise_then_restore_is_exact_and_safe(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith((*DANGEROUS, "\t"))


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


# --- iCalendar ------------------------------------------------------------------------

def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def utc(value: datetime) -> pd.Timestamp:
    return pd.Timestamp(value).tz_convert("UTC")


@pytest.mark.parametrize("agent", ["A1", "A2", "A3", "A4", "A5", "A6"])
def test_ics_has_one_event_per_shift_at_the_right_instants(roster: pd.DataFrame,
                                                           agent: str) -> None:
    mine = roster[roster["agent_id"] == agent].sort_values("start")
    found = events(roster_ics(roster, agent, stamp=STAMP))
    assert len(found) == len(mine)
    for event, (_, row) in zip(found, mine.iterrows(), strict=True):
        assert utc(event.decoded("dtstart")) == row["start"].tz_convert("UTC")
        assert utc(event.decoded("dtend")) == row["end"].tz_convert("UTC")
        assert str(event["summary"]) == f"Shift: {row['queue']}"
        assert f"Breaks: {row['breaks'] or 'none'}" in str(event["description"])
        assert row["name"] in str(event["description"])


def test_ics_dst_night_and_midnight_shifts(roster: pd.DataFrame) -> None:
    night = roster_ics(roster, "A2", stamp=STAMP).decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20261024T220000" in night
    assert "DTEND;TZID=Europe/Amsterdam:20261025T060000" in night
    assert "BEGIN:VTIMEZONE" in night and "TZID:Europe/Amsterdam" in night
    (event,) = events(night.encode())
    assert utc(event.decoded("dtend")) - utc(event.decoded("dtstart")) == pd.Timedelta(hours=9)
    repeated = roster_ics(roster, "A3", stamp=STAMP).decode()
    assert "DTSTART:20261025T013000Z" in repeated  # the second 02:30 cannot take a TZID
    midnight = events(roster_ics(roster, "A5", stamp=STAMP))[0]
    assert midnight.decoded("dtstart").date() == date(2026, 10, 28)
    assert midnight.decoded("dtend").date() == date(2026, 10, 29)


def test_ics_uids_are_unique_and_stable(roster: pd.DataFrame) -> None:
    first = roster_ics_all(roster, stamp=STAMP)
    second = roster_ics_all(roster, stamp=datetime(2026, 11, 1, tzinfo=UTC))
    uids = [str(e["uid"]) for data in first.values() for e in events(data)]
    assert len(uids) == len(roster) == len(set(uids))
    assert "20261019-S1-A1@peakplan" in uids
    assert uids == [str(e["uid"]) for data in second.values() for e in events(data)]
    assert first == roster_ics_all(roster, stamp=STAMP)  # same stamp, same bytes


def test_ics_escapes_special_characters(roster: pd.DataFrame) -> None:
    data = roster_ics(roster, "A6", stamp=STAMP)
    assert b"O'Brien\\, Jr." in data
    (event,) = events(data)
    assert "Agent: O'Brien, Jr. (A6)" in str(event["description"])
    emoji = events(roster_ics(roster, "A5", stamp=STAMP))[0]
    assert "Zoë 😀" in str(emoji["description"])
    newline = roster.assign(name="two\r\nlines; x")
    assert b"two\\nlines\\; x" in roster_ics(newline, "A1", stamp=STAMP)


def test_ics_for_an_unknown_agent_or_a_repeated_uid_is_an_error(roster: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="A9"):
        roster_ics(roster, "A9")
    twice = pd.concat([roster, roster.iloc[[0]].assign(start=roster.loc[0, "end"])])
    with pytest.raises(DataError, match="same date and shift_id"):
        roster_ics(twice, "A1")


def test_ics_zip_holds_one_file_per_agent(roster: pd.DataFrame) -> None:
    with zipfile.ZipFile(io.BytesIO(roster_ics_zip(roster, stamp=STAMP))) as archive:
        assert sorted(archive.namelist()) == [f"A{i}.ics" for i in range(1, 7)]
        assert archive.read("A3.ics") == roster_ics(roster, "A3", stamp=STAMP)


@pytest.mark.parametrize("agent", ["a/../b", "..", "CON", "x y", "x%20y", "ä"])
def test_ics_filenames_are_plain_and_distinct(agent: str) -> None:
    name = ics_filename(agent)
    assert "/" not in name and "\\" not in name and " " not in name
    assert not name.startswith(".") and name.isascii() and name.endswith(".ics")
    others = {ics_filename(a) for a in ["a/../b", "..", "CON", "x y", "x%20y", "ä"] if a != agent}
    assert name not in others


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

"""Hostile files (issue 16): containers, bombs, special files, dates out of range and
messages that could fool a terminal. Each is refused by every reader with one short
`PlannerError` line; limits are checked while reading and can be raised.

The text cases that need no code to build live in the bad-input corpus (bad/); these
are the ones built here: binary containers, large or special files, and limits.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data import DataError, PlannerError, read_agents, read_contacts, read_events, read_traffic
from data.errors import MAX_MESSAGE_BYTES
from data.limits import ReadLimits, use_limits
from data.tables import read_table

TZ = "Europe/Amsterdam"
READERS = {"table": read_table, "contacts": lambda p: read_contacts(p, timezone=TZ),
           "traffic": read_traffic, "events": read_events, "agents": read_agents}
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10))
          + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            '</sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
       '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
       '</sheetData></worksheet>')


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test takes more than 20 s."""
    def expire(*_: object) -> None:
        raise TimeoutError("the reader did not answer within 20 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused_by_all(path: Path, *fragments: str) -> str:
    """The message every reader gives `path` (the same for all), checked to be one short
    printable line holding `fragments`."""
    messages = set()
    for reader in READERS.values():
        with pytest.raises(DataError) as error:
            reader(path)
        messages.add(str(error.value))
    assert len(messages) == 1, messages
    message = messages.pop()
    assert len(message.encode()) <= MAX_MESSAGE_BYTES and "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(xml: str) -> bytes:
    """A workbook whose first sheet's XML is `xml`."""
    source = zipfile.ZipFile(io.BytesIO(workbook([["ds", "contacts"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = xml.encode() if part.filename == "xl/worksheets/sheet1.xml" \
                else source.read(part.filename)
            target.writestr(part.filename, data)
    return out.getvalue()


# --- dates pandas cannot hold ------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1600-06-01", "2300-01-01", "9999-12-31"])
def test_dates_outside_the_era_are_refused_in_text(write, day) -> None:
    path = write("h.csv", f"ds,contacts\n2026-10-01,1\n{day},2\n")
    with pytest.raises(DataError, match=rf"row 3, column 'ds': '{day}' is outside the years"):
        read_contacts(path, timezone=TZ)


def test_dates_outside_the_era_are_refused_in_parquet_and_excel(tmp_path) -> None:
    old = dt.datetime(1, 1, 1)
    parquet = tmp_path / "old.parquet"
    pq.write_table(pa.table({"ds": pa.array([old, old], pa.timestamp("us")), "contacts": [1, 2],
                             "name": ["a", "b"]}), parquet)
    excel = tmp_path / "old.xlsx"
    excel.write_bytes(workbook([["ds", "contacts", "name"], [old, 1, "a"]]))
    for path in (parquet, excel):
        for reader in (lambda p: read_contacts(p, timezone=TZ), read_events):
            with pytest.raises(DataError, match="is outside the years 1900 to 2199"):
                reader(path)


# --- containers ----------------------------------------------------------------------------


def test_a_plain_zip_named_xlsx(tmp_path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    path = tmp_path / "history.xlsx"
    path.write_bytes(out.getvalue())
    refused_by_all(path, "is a zip file, not an Excel workbook")


@pytest.mark.parametrize("xml", [LAUGHS, XXE], ids=["billion_laughs", "external_entity"])
def test_xml_entity_attacks_in_a_workbook(tmp_path, xml) -> None:
    path = tmp_path / "entities.xlsx"
    path.write_bytes(with_sheet_xml(xml))
    refused_by_all(path, "declares a DTD")


def test_a_gzip_bomb_stops_at_the_byte_limit(tmp_path, deadline) -> None:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as out:
        out.write(b"ds,contacts\n" + b"2026-10-01,1\n" * 400_000)  # 5 MB of text
    assert path.stat().st_size < 100_000
    with use_limits(ReadLimits(max_mb=1)):
        refused_by_all(path, "is gzip that expands to more than 1 MB", "data.limits.max_mb")


def test_a_workbook_whose_parts_expand_past_the_limit(tmp_path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(workbook([["ds", "contacts"], *([["2026-10-01", "x" * 1000]] * 2000)]))
    with use_limits(ReadLimits(max_mb=1)):
        refused_by_all(path, "is a workbook that expands to more than 1 MB")


def test_a_workbook_is_stopped_while_streaming_at_the_cell_limit(tmp_path) -> None:
    path = tmp_path / "cells.xlsx"
    path.write_bytes(workbook([["ds", "contacts"], *([["2026-10-01", 1]] * 3000)]))
    with use_limits(ReadLimits(max_excel_cells=1000)):
        message = refused_by_all(path, "more than 1,000 cells", "max_excel_cells")
    assert "by row 501" in message  # stopped there, not after reading all 3,001 rows


def test_a_sheet_declaring_a_far_cell_is_bounded(tmp_path) -> None:
    far = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>ds</t></is></c></row>'
           '<row r="9"><c r="XFD9"><v>1</v></c></row></sheetData></worksheet>')
    path = tmp_path / "far.xlsx"
    path.write_bytes(with_sheet_xml(far))
    refused_by_all(path, "more than 1,000 columns")


def test_a_sheet_of_blank_cells_in_the_last_column_is_bounded(tmp_path, deadline) -> None:
    """Each row's one blank cell in column XFD is 16,384 cells to read: counted, so the
    sheet is refused by row 124 instead of read for an hour (it trims to nothing)."""
    rows = "".join(f'<row r="{r}"><c r="XFD{r}"/></row>' for r in range(2, 2002))
    path = tmp_path / "blank.xlsx"
    path.write_bytes(with_sheet_xml(
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ds'
        f'</t></is></c></row>{rows}</sheetData></worksheet>'))
    refused_by_all(path, "more than 2,000,000 cells (rows times columns) by row 124")


def test_a_sheet_without_dimension_is_read_no_further_than_the_cell_limit(tmp_path) -> None:
    """openpyxl would parse all of a sheet lacking <dimension> to size it (40 million empty
    rows in 400 KB: 45 s and 4 GB); it must not: broken XML after the limit is not seen."""
    path = tmp_path / "undimensioned.xlsx"
    path.write_bytes(with_sheet_xml(
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ds'
        '</t></is></c></row>' + "<row/>" * 3000 + "<broken"))
    with use_limits(ReadLimits(max_excel_cells=1000)):
        refused_by_all(path, "more than 1,000 cells (rows times columns) by row 1,001")


@pytest.mark.parametrize("text", [
    "ds,contacts," + ",".join(f"c{i}" for i in range(3, 101)) + "\n" + "1\n" * 200,
    "ds,contacts\n" + "2026-10-01,1\n" * 200 + "," * 99 + "\n"],
    ids=["wide_header", "one_wide_row"])
def test_short_rows_under_a_wide_row_count_as_the_table_they_make(write, text) -> None:
    """Few cells in the text, but the frame is as wide as the widest row: 201 or 202 lines
    of 100 cells are more than 10,000 cells, refused before pandas pads them."""
    path = write("wide.csv", text)
    with use_limits(ReadLimits(max_cells=10_000)):
        refused_by_all(path, "a row of 100 cells", "more than 10,000 cells (rows times columns)")


def test_csv_and_parquet_cell_and_column_limits(write, tmp_path) -> None:
    text = write("wide.csv", "ds,contacts\n" + "2026-10-01,1\n" * 600)
    parquet = tmp_path / "long.parquet"
    pq.write_table(pa.table({"ds": ["2026-10-01"] * 600, "contacts": [1] * 600}), parquet)
    with use_limits(ReadLimits(max_cells=1000, max_columns=1)):
        refused_by_all(text, "holds about 1,2", "more than 1,000")
        refused_by_all(parquet, "has 2 columns, more than 1")
    with use_limits(ReadLimits(max_cells=1000)):
        refused_by_all(parquet, "600 records of 2 columns, more than 1,000 cells")


def test_limits_are_raised_by_a_setting_or_an_argument(write) -> None:
    path = write("h.csv", "ds,contacts\n" + "".join(f"2026-10-{d:02},1\n" for d in range(1, 31)))
    small, large = ReadLimits(max_cells=20), ReadLimits(max_cells=100)
    with use_limits(small), pytest.raises(DataError, match="max_cells"):
        read_contacts(path, timezone=TZ)
    with use_limits(small):
        assert len(read_contacts(path, timezone=TZ, limits=large)) == 30
    with use_limits(large):
        assert len(read_contacts(path, timezone=TZ)) == 30


# --- files that are not files --------------------------------------------------------------


def test_a_fifo_and_a_device_are_refused_without_reading(tmp_path, deadline) -> None:
    fifo = tmp_path / "history.csv"
    os.mkfifo(fifo)
    refused_by_all(fifo, "is a named pipe (FIFO), not a regular file")
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    refused_by_all(zero, "is a character device, not a regular file")
    refused_by_all(tmp_path, "is a folder, not a file")


# --- messages ------------------------------------------------------------------------------


def test_a_10_mb_cell_gives_a_short_message(write) -> None:
    path = write("big.csv", "ds,contacts\n2026-10-01," + "9x" * 5_000_000 + "\n")
    with pytest.raises(DataError) as error:
        read_contacts(path, timezone=TZ)
    message = str(error.value)
    assert len(message.encode()) <= MAX_MESSAGE_BYTES and "…' is not a number" in message


def test_control_and_bidirectional_characters_are_escaped(write) -> None:
    path = write("odd.csv", "ds,contacts\n2026-10-01,\u202e1\x07\u2028ok\n")
    with pytest.raises(DataError) as error:
        read_contacts(path, timezone=TZ)
    assert "'\\u202e1\\x07\\u2028ok' is not a number" in str(error.value)


def test_any_planner_error_is_one_line_however_it_is_built() -> None:
    error = PlannerError("first\nok: every input is valid\r\x1b[2J" + "x" * 5000)
    text = str(error)
    assert "\n" not in text and "\x1b" not in text and "\\x0aok: every" in text
    assert len(text.encode()) <= MAX_MESSAGE_BYTES and text.endswith("…")

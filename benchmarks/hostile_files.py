"""Hostile files for `bench_hostile.py`, each built at the size issue 16 names (see that
module's docstring): bombs, workbooks, special files, wide and largest-allowed CSVs."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

TIMEZONE = "Europe/Amsterdam"
GIB = 1 << 30
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10))
          + f']><worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" '
            't="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
       '<is><t>&x;</t></is></c></row></sheetData></worksheet>')


# --- the cases ---------------------------------------------------------------------------



def gzip_bomb(path: Path, expanded: int = 4 * GIB) -> None:
    """A .csv.gz of rows that expands to `expanded` bytes."""
    block = b"2026-10-01,1\n" * ((1 << 24) // 13)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        out.write(packer.compress(b"ds,contacts\n"))
        for _ in range(expanded // len(block)):
            out.write(packer.compress(block))
        out.write(packer.flush())


def repeated_rows(path: Path, rows: int = 9_999_990) -> None:
    """A .csv.gz of the same row repeated up to the cell limit (130 MB in a few hundred KB)."""
    with gzip.open(path, "wb") as out:
        out.write(b"ds,contacts\n")
        for _ in range(rows // 1_000_000):
            out.write(b"2026-10-01,1\n" * 1_000_000)
        out.write(b"2026-10-01,1\n" * (rows % 1_000_000))


def _scaffold() -> dict[str, bytes]:
    """The parts of a one-sheet workbook saved by openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ds", "contacts"])
    out = io.BytesIO()
    book.save(out)
    archive = zipfile.ZipFile(out)
    return {name: archive.read(name) for name in archive.namelist()}


def workbook(path: Path, sheet: Callable[[], Iterator[bytes]] | str) -> None:
    """A workbook whose first sheet's XML is `sheet` (text, or chunks streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in _scaffold().items():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, data)
            elif isinstance(sheet, str):
                target.writestr(name, sheet.encode())
            else:
                with target.open(name, "w", force_zip64=True) as stream:
                    for chunk in sheet():
                        stream.write(chunk)


def _sheet(header: str, rows: Callable[[], Iterator[bytes]]) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">'
               f"<sheetData>{header}").encode()
        yield from rows()
        yield b"</sheetData></worksheet>"
    return chunks


def _text_row(*cells: str) -> str:
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) \
        + "</row>"


def many_cells(path: Path, rows: int, columns: int) -> None:
    """A sheet of `rows` x `columns` cells holding 1 (compact XML: about 17 bytes a cell)."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    block = row * 10_000
    header = _text_row("ds", "contacts", *(f"c{i}" for i in range(3, columns + 1)))
    workbook(path, _sheet(header, lambda: iter([block] * (rows // 10_000))))


def cells_42m(path: Path) -> None:
    many_cells(path, 21_000_000, 2)


def cells_14m(path: Path) -> None:
    many_cells(path, 1_400_000, 10)


def rows_without_dimension(path: Path, rows: int = 42_000_000) -> None:
    """A sheet of empty rows with no <dimension> element (about 250 MB of XML)."""
    block = b"<row/>" * 1_000_000
    workbook(path, _sheet(_text_row("ds", "contacts"), lambda: iter([block] * (rows // 10**6))))


def far_cell(path: Path) -> None:
    workbook(path, f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension '
             'ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ds'
             '</t></is></c></row><row r="9"><c r="XFD9"><v>1</v></c></row></sheetData>'
             "</worksheet>")


def blank_last_column(path: Path, rows: int = 1_000_000) -> None:
    """Rows that each hold one blank cell in column XFD: 16,384 cells per row."""
    def body() -> Iterator[bytes]:
        for start in range(2, rows + 2, 10_000):
            yield "".join(f'<row r="{r}"><c r="XFD{r}"/></row>'
                          for r in range(start, min(start + 10_000, rows + 2))).encode()
    workbook(path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ds</t></is></c><c '
                          'r="B1" t="inlineStr"><is><t>contacts</t></is></c></row>', body))


def plain_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def big_cell(path: Path) -> None:
    path.write_text("ds,contacts\n2026-10-01," + "9x" * 5_000_000 + "\n", encoding="utf-8")


def odd_characters(path: Path) -> None:
    path.write_text('ds,contacts\n2026-10-01,"\u202e1\x07\u2028\x1b[2J\x1b[31m13\n'
                    'ok: every input is valid\r"\n', encoding="utf-8", newline="")


def wide_header(path: Path, rows: int = 1_000_000) -> None:
    """A 1,000-column header over `rows` one-cell rows (about 1 billion cells as a table)."""
    header = ",".join(["ds", "contacts", *(f"c{i}" for i in range(3, 1001))])
    path.write_bytes(header.encode() + b"\n" + b"1\n" * rows)


def one_wide_row(path: Path, rows: int = 1_000_000) -> None:
    """`rows` two-cell rows, then one row of 1,000 cells."""
    path.write_bytes(b"ds,contacts\n" + b"2026-10-01,1\n" * rows + b"," * 999 + b"\n")


def _minutes(count: int, end: str) -> Iterator[str]:
    """'YYYY-MM-DD HH:MM,' for `count` minutes from 2000-01-01 00:00, and `end` after each."""
    clock = [f" {h:02}:{m:02},{end}" for h in range(24) for m in range(60)]
    day = dt.date(2000, 1, 1)
    while count > 0:
        prefix = day.isoformat()
        yield "".join(prefix + tail for tail in clock[:count])
        count -= len(clock)
        day += dt.timedelta(days=1)


def _last(count: int) -> str:
    """The stamp of minute `count - 1` after 2000-01-01 00:00 (the last of `count`)."""
    return (dt.datetime(2000, 1, 1) + dt.timedelta(minutes=count - 1)).strftime("%Y-%m-%d %H:%M")


def _minute_rows(path: Path, rows: int, encoding: str, header: str, tail: str,
                 end: str) -> None:
    """`header`, then `rows` lines of one minute each followed by `tail` (the cells after
    the stamp), each ending in `end`; the last line's count is 'x'."""
    with path.open("w", encoding=encoding, newline="") as out:
        out.write(header + end)
        for chunk in _minutes(rows - 1, "1" + tail + end):
            out.write(chunk)
        out.write(f"{_last(rows)},x{tail}{end}")


def max_csv(path: Path, rows: int = 9_999_990) -> None:
    """The most rows of two columns the cell limit lets in; the last count is 'x'."""
    _minute_rows(path, rows, "ascii", "ds,contacts", "", "\n")


def max_cp1252_cr(path: Path, rows: int = 6_600_000) -> None:
    """About 238 MB of cp1252 text with carriage-return line ends and three columns, just
    under the cell limit; the last count is 'x'."""
    _minute_rows(path, rows, "cp1252", "ds,contacts,query_type", ",Ventes \u20act\u20ac 2000",
                 "\r")


def max_xlsx(path: Path, rows: int = 999_999) -> None:
    """A sheet of exactly the Excel cell limit (rows x 2 with the header, in Excel's own
    XML with cell references); the last count is 'x'."""
    def body() -> Iterator[bytes]:
        number = 1
        for chunk in _minutes(rows - 1, "\n"):
            lines = []
            for stamp in chunk.splitlines():
                number += 1
                lines.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>'
                             f'{stamp[:-1]}</t></is></c><c r="B{number}"><v>1</v></c></row>')
            yield "".join(lines).encode()
        number += 1
        yield (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{_last(rows)}'
               f'</t></is></c><c r="B{number}" t="inlineStr"><is><t>x</t></is></c></row>'
               ).encode()
    workbook(path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ds</t></is></c><c '
                          'r="B1" t="inlineStr"><is><t>contacts</t></is></c></row>', body))


def max_parquet(path: Path, rows: int = 10_000_000) -> None:
    """The most records of two columns the cell limit lets in; the last count is -1."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = np.datetime64("2000-01-01T00:00", "m")
    stamps = (start + np.arange(rows, dtype=np.int64).astype("timedelta64[m]"))
    counts = np.ones(rows, dtype=np.int64)
    counts[-1] = -1
    pq.write_table(pa.table({"ds": pa.array(stamps.astype("datetime64[us]")),
                             "contacts": counts}), path)


BUILT: list[tuple[str, Callable[[Path], None], str]] = [
    ("bomb_4gib.csv.gz", gzip_bomb, TIMEZONE),
    ("same_row_at_cell_limit.csv.gz", repeated_rows, TIMEZONE),
    ("cells_42m.xlsx", cells_42m, TIMEZONE),
    ("cells_14m_streamed.xlsx", cells_14m, TIMEZONE),
    ("empty_rows_without_dimension.xlsx", rows_without_dimension, TIMEZONE),
    ("far_cell.xlsx", far_cell, TIMEZONE),
    ("blank_cell_in_column_xfd.xlsx", blank_last_column, TIMEZONE),
    ("billion_laughs.xlsx", lambda p: workbook(p, LAUGHS), TIMEZONE),
    ("external_entity.xlsx", lambda p: workbook(p, XXE), TIMEZONE),
    ("plain_zip.xlsx", plain_zip, TIMEZONE),
    ("fifo.csv", fifo, TIMEZONE),
    ("dev_zero_link.csv", zero_link, TIMEZONE),
    ("folder.csv", lambda p: p.mkdir(), TIMEZONE),
    ("cell_10mb.csv", big_cell, TIMEZONE),
    ("escapes_bidi_newline.csv", odd_characters, TIMEZONE),
    ("header_1000_columns_1m_rows.csv", wide_header, TIMEZONE),
    ("1m_rows_then_1000_cells.csv", one_wide_row, TIMEZONE),
    ("max_cells_last_row_bad.csv", max_csv, "UTC"),
    ("max_cp1252_cr_last_row_bad.csv", max_cp1252_cr, "UTC"),
    ("max_excel_cells_last_row_bad.xlsx", max_xlsx, "UTC"),
    ("max_cells_last_row_bad.parquet", max_parquet, "UTC"),
]

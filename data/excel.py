"""Read one sheet of an .xlsx workbook as raw cells, checked before and while it is parsed.

Before any XML is parsed, the file must be a zip holding a workbook, the parts' sizes
after decompression must fit `max_mb`, and no part may declare a DTD (entity attacks
such as "billion laughs", or external entities, need one; Excel never writes one). The
sheet is then streamed row by row and refused as soon as its rows times its columns pass
`max_excel_cells` (the blank cells it holds count too), so a small file that declares
millions of cells is not read to the end.
"""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from data.errors import DataError, PlannerError, shorten
from data.limits import ReadLimits
from data.source import open_regular, too_large

__all__ = ["read_sheet"]

CONTENT_TYPES = "[Content_Types].xml"
PROLOG_SCAN_BYTES = 1 << 20
"""How far into a part its first element must start (a prolog is a few hundred bytes)."""
XML_PARTS = (".xml", ".rels", ".vml")
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")
_ROOT = re.compile(rb"<[A-Za-z_]")


def read_sheet(path: Path, sheet: str | int | None, limits: ReadLimits) -> pd.DataFrame:
    """The cells of `sheet` (the first when None) as an object frame without header; the
    index is the sheet row minus one, so row 1 (the header) is index 0."""
    with open_regular(path) as handle:
        _check_archive(handle, path, limits)
        handle.seek(0)
        try:
            rows = _stream_rows(handle, path, sheet, limits)
        except PlannerError:
            raise
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise DataError(f"is not a readable Excel workbook ({_reason(exc)})",
                            file=path) from None
    width = max((len(row) for row in rows), default=0)
    return pd.DataFrame([row + (None,) * (width - len(row)) for row in rows], dtype=object)


def _reason(exc: Exception) -> str:
    return shorten(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, 120)


def _check_archive(handle: BinaryIO, path: Path, limits: ReadLimits) -> None:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DataError(f"is not a readable Excel workbook ({_reason(exc)})", file=path,
                        expected="an .xlsx file saved by a spreadsheet") from None
    with archive:
        parts = archive.infolist()
        if CONTENT_TYPES not in archive.NameToInfo:
            raise DataError("is a zip file, not an Excel workbook (it has no "
                            f"{CONTENT_TYPES})", file=path, expected="an .xlsx workbook")
        if sum(part.file_size for part in parts) > limits.max_bytes:
            raise too_large(path, "is a workbook that expands to", limits)
        for part in parts:
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise DataError(f"part '{shorten(part.filename)}' uses a compression Excel "
                                "does not write", file=path, expected="an .xlsx workbook")
            if part.filename.endswith(XML_PARTS) and _declares_dtd(archive, part, path):
                raise DataError(f"part '{shorten(part.filename)}' declares a DTD (XML "
                                "entities), which workbooks never hold", file=path,
                                expected="an .xlsx file saved by a spreadsheet")


def _declares_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo, path: Path) -> bool:
    """True when the part's XML prolog (before its first element) holds a DOCTYPE or an
    ENTITY. UTF-16 parts are scanned with their zero bytes left out."""
    seen, scanned = b"", 0
    try:
        with archive.open(part) as stream:
            while scanned < PROLOG_SCAN_BYTES and (block := stream.read(1 << 14)):
                scanned += len(block)
                seen = seen[-16:] + block.replace(b"\x00", b"")
                root = _ROOT.search(seen)
                if _DTD.search(seen, 0, root.start() if root else len(seen)):
                    return True
                if root:
                    return False
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DataError(f"is a damaged Excel workbook ({_reason(exc)})", file=path) from None
    return False


def _stream_rows(handle: BinaryIO, path: Path, sheet: str | int | None,
                 limits: ReadLimits) -> list[tuple[Any, ...]]:
    book = _load_unsized(handle)
    try:
        worksheet = _worksheet(book, sheet, path)
        worksheet.reset_dimensions()  # the declared size may lie: count what is there
        rows: list[tuple[Any, ...]] = []
        width = held = 0
        for values in worksheet.iter_rows(values_only=True):
            # blank cells count too: one blank cell in column XFD makes a row of 16,384
            held += max(len(values), 1)
            if held > limits.max_excel_cells:
                raise _too_many_cells(path, len(rows) + 1, limits)
            row = _trimmed(values)
            width = max(width, len(row))
            rows.append(row)
            if width > limits.max_columns:
                raise DataError(f"sheet row {len(rows)} has more than {limits.max_columns:,} "
                                "columns", file=path,
                                expected="fewer columns, or a higher data.limits.max_columns")
            if len(rows) * max(width, 1) > limits.max_excel_cells:
                raise _too_many_cells(path, len(rows), limits)
    finally:
        book.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


_UNSIZED_LOAD = threading.Lock()


def _load_unsized(handle: BinaryIO) -> Any:
    """The workbook read-only, its sheets not sized on load. openpyxl sizes a sheet that
    has no <dimension> element by parsing all of it, unbounded by the cell limit and
    keeping every element parsed (400 KB of 40 million empty rows: 45 s and 4 GB); the
    size is reset and counted while streaming anyway."""
    from openpyxl import load_workbook
    from openpyxl.reader import excel as reader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Unsized(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            """Left unsized: the dimensions stay unknown, as after reset_dimensions()."""

    with _UNSIZED_LOAD:  # the swap is process-wide: one load at a time (dashboard threads)
        reader.ReadOnlyWorksheet = Unsized
        try:
            return load_workbook(handle, read_only=True, data_only=True, keep_links=False)
        finally:
            reader.ReadOnlyWorksheet = ReadOnlyWorksheet


def _too_many_cells(path: Path, row: int, limits: ReadLimits) -> DataError:
    return DataError(f"the sheet has more than {limits.max_excel_cells:,} cells (rows times "
                     f"columns) by row {row:,}", file=path, expected="the data saved as CSV or "
                     "Parquet, or a higher data.limits.max_excel_cells")


def _worksheet(book: Any, sheet: str | int | None, path: Path) -> Any:
    sheets = book.worksheets
    names = ", ".join(f"'{shorten(s.title, 30)}'" for s in sheets[:10]) or "none"
    by_name = {s.title: s for s in sheets}
    if isinstance(sheet, str) and sheet in by_name:
        return by_name[sheet]
    if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(sheets):
        return sheets[sheet]
    if sheet is None and sheets:
        return sheets[0]
    wanted = "a first sheet" if sheet is None else f"sheet {shorten(repr(sheet), 40)}"
    raise DataError(f"has no {wanted} (its sheets: {names})", file=path,
                    expected="an existing sheet name")


def _trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row's values as the readers take them (errors and blanks None, 3.0 as 3),
    without trailing blanks."""
    row = tuple(_value(v) for v in values)
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, str) and (value == "" or value in EXCEL_ERRORS)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value

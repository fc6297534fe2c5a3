"""Read any tabular file (CSV in any dialect, Parquet, Excel) into raw string-ish columns.

Row numbers in messages are the ones a person sees: in CSV and Excel the header is row 1,
so the first data row is row 2; in Parquet the first record is row 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.csvtext import delimiter_name, parse_csv
from data.errors import DataError, shorten
from data.excel import read_sheet
from data.limits import ReadLimits, current_limits
from data.parquet import read_parquet
from data.slug import slug
from data.source import open_regular, read_bytes, utf8_lines

__all__ = ["RawTable", "normalise_header", "read_table"]

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


@dataclass(frozen=True)
class RawTable:
    """A file's cells with normalised headers and what is needed to point at a row."""

    frame: pd.DataFrame
    path: Path
    first_row: int
    headers: dict[str, str]
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str = "."

    def row_number(self, position: int) -> int:
        """The row a person sees for the frame's `position`-th row (0-based)."""
        return int(self.frame.index[position]) + self.first_row

    def original(self, column: str) -> str:
        """The header as written in the file for the normalised `column`."""
        return self.headers.get(column, column)


def normalise_header(name: object) -> str:
    """'Query Type ' -> 'query_type'; 'Page.Loads' -> 'page_loads'."""
    return slug(str(name).replace("\ufeff", ""))


def read_table(
    path: str | Path, *, sheet: str | int | None = None, limits: ReadLimits | None = None
) -> RawTable:
    """Read a CSV (optionally .gz), Parquet or Excel file; raise `DataError` if unreadable
    or over `limits` (by default the current ones, see `data.limits`)."""
    path = Path(path)
    limits = current_limits(limits)
    suffixes = [s.lower() for s in path.suffixes]
    suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else path.suffix.lower()
    if suffix == ".xls":
        raise DataError("old binary .xls workbooks are not read", file=path,
                        expected="the file saved as .xlsx or .csv")
    if suffix not in (*PARQUET_SUFFIXES, *EXCEL_SUFFIXES, *CSV_SUFFIXES, ".gz"):
        open_regular(path).close()  # a missing file is named as such first
        raise DataError(f"unknown file type '{shorten(path.suffix, 20)}'", file=path,
                        expected=".csv, .csv.gz, .tsv, .txt, .parquet or .xlsx")
    if suffix in PARQUET_SUFFIXES:
        raw = read_parquet(path, limits)
        return _finish(list(raw.columns), raw, path, 1, None, None)
    if suffix in EXCEL_SUFFIXES:
        header, raw = _split_header(read_sheet(path, sheet, limits), path)
        return _finish(header, raw, path, 1, None, None)
    utf8, encoding = utf8_lines(read_bytes(path, limits), path)
    if not utf8 or utf8.isspace():
        raise DataError("holds only blank lines" if utf8 else "file is empty", file=path)
    cells, delimiter = parse_csv(utf8, path, limits)
    del utf8  # the cells hold what is needed
    header, raw = _split_header(cells, path)
    header, raw = _drop_empty_overflow(header, raw, path, delimiter)
    return _finish(header, raw, path, 1, delimiter, encoding)


def _split_header(cells: pd.DataFrame, path: Path) -> tuple[list[object], pd.DataFrame]:
    """The first row that is not an empty line as the header, the rows after it as data
    (index = position in the file); a header row without any name is an error."""
    if cells.empty:
        raise DataError("file is empty", file=path)
    empty_lines = cells.isna().all(axis=1).to_numpy()
    if empty_lines.all():
        raise DataError("holds only blank lines" if len(cells) > 1 else "file is empty",
                        file=path)
    first = int(np.argmin(empty_lines))
    header = ["" if pd.isna(v) else v for v in cells.iloc[first].tolist()]
    if not any(str(v).strip() for v in header):
        raise DataError("the header row has no names", file=path, row=int(cells.index[first]) + 1,
                        expected="column names such as ds,contacts in the first row")
    return header, cells.iloc[first + 1:]


def _finish(
    header: list[object], raw: pd.DataFrame, path: Path, first_row: int,
    delimiter: str | None, encoding: str | None,
) -> RawTable:
    headers: dict[str, str] = {}
    keep: list[int] = []
    for position, column in enumerate(header):
        key = normalise_header(column)
        values = raw.iloc[:, position]
        if not key:
            if _blank(values).all():
                continue
            raise DataError(f"column {position + 1} has no header", file=path, row=1,
                            expected="a name in every header cell")
        if key in headers:
            raise DataError(
                f"columns '{headers[key]}' and '{column}' have the same name", file=path, row=1,
                expected="unique column names")
        headers[key] = shorten(str(column).strip(), 80)  # printed in reports too
        keep.append(position)
    frame = raw.iloc[:, keep].copy()
    frame.columns = list(headers)
    frame = frame[~_blank_rows(frame)]
    if frame.empty:
        raise DataError("has a header but no data rows" if headers else "file is empty", file=path)
    decimal = "," if delimiter not in (None, ",") and _has_decimal_comma(frame) else "."
    return RawTable(frame, path, first_row, headers, delimiter, encoding, decimal)


DECIMAL_COMMA = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$"
"""'12,5' or '1.234,5': a number written with a decimal comma."""


def _has_decimal_comma(frame: pd.DataFrame) -> bool:
    """True when any cell of the file is a number with a decimal comma: then '.' separates
    thousands everywhere in it."""
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            with_comma = text[text.str.contains(",", regex=False).fillna(False)]
            if with_comma.str.strip().str.match(DECIMAL_COMMA).any():
                return True
    return False


def _blank(values: pd.Series) -> np.ndarray:
    """Cells that are missing or only white space."""
    empty = values.isna().to_numpy()
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        empty = empty | values.astype("string").str.strip().eq("").fillna(True).to_numpy()
    return empty


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        blank &= _blank(frame[column])
        if not blank.any():
            break
    return blank


def _drop_empty_overflow(
    header: list[object], raw: pd.DataFrame, path: Path, delimiter: str
) -> tuple[list[object], pd.DataFrame]:
    """Cells past the header's last name: dropped when empty (a comma at the end of each
    line), else an error naming the first row that fills one."""
    named = max((i + 1 for i, v in enumerate(header) if str(v).strip()), default=0)
    if named == len(header):
        return header, raw
    extra = raw.iloc[:, named:]
    filled = ~_blank_rows(extra)
    if filled.any():
        position = int(np.flatnonzero(filled)[0])
        cells = raw.iloc[position]
        width = max(i + 1 for i, v in enumerate(cells.tolist())
                    if not pd.isna(v) and str(v).strip())
        raise DataError(f"has {width} cells where the header has {named}", file=path,
                        row=int(raw.index[position]) + 1,
                        expected=f"{named} cells separated by {delimiter_name(delimiter)}")
    return header[:named], raw.iloc[:, :named]

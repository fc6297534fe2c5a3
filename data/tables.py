"""Read any tabular file (CSV in any dialect, Parquet, Excel) into raw string-ish columns.

Row numbers in messages are the ones a person sees: in CSV and Excel the header is row 1,
so the first data row is row 2; in Parquet the first record is row 1.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.errors import DataError

__all__ = ["RawTable", "normalise_header", "read_table"]

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
DELIMITERS = ",;\t|"
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


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
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def read_table(path: str | Path, *, sheet: str | int | None = None) -> RawTable:
    """Read a CSV (optionally .gz), Parquet or Excel file; raise `DataError` if unreadable."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", file=path)
    if path.is_dir():
        raise DataError("is a folder, not a file", file=path)
    suffixes = [s.lower() for s in path.suffixes]
    suffix = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        raw = _read_parquet(path)
        header, first_row, delimiter, encoding = list(raw.columns), 1, None, None
    elif suffix in EXCEL_SUFFIXES:
        header, raw = _split_header(_read_excel(path, sheet), path)
        first_row, delimiter, encoding = 1, None, None
    elif suffix == ".xls":
        raise DataError("old binary .xls workbooks are not read", file=path,
                        expected="the file saved as .xlsx or .csv")
    elif suffix in CSV_SUFFIXES or suffix == ".gz":
        cells, delimiter, encoding = _read_csv(path)
        header, raw = _split_header(cells, path)
        first_row = 1
    else:
        raise DataError(f"unknown file type '{path.suffix}'", file=path,
                        expected=".csv, .csv.gz, .tsv, .txt, .parquet or .xlsx")
    return _finish(header, raw, path, first_row, delimiter, encoding)


def _split_header(cells: pd.DataFrame, path: Path) -> tuple[list[object], pd.DataFrame]:
    """The first row as the header, the rest as data (index = position in the file)."""
    if cells.empty:
        raise DataError("file is empty", file=path)
    header = ["" if pd.isna(v) else v for v in cells.iloc[0].tolist()]
    return header, cells.iloc[1:]


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
        headers[key] = str(column).strip()
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


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise DataError(f"is not a readable Parquet file ({exc})", file=path) from None


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object,
                             engine="openpyxl", header=None)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"is not a readable Excel workbook ({exc})", file=path) from None
    except ValueError as exc:
        raise DataError(str(exc), file=path, expected="an existing sheet name") from None
    except pd.errors.EmptyDataError:
        raise DataError("file is empty", file=path) from None


def _decode(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataError(f"is a damaged gzip file ({exc})", file=path) from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError("is a binary file, not text", file=path, expected="a CSV text file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(line for line in text.splitlines()[:50] if line.strip())
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, str, str]:
    """Every cell as text, the header as row 0. Trailing empty cells past the header (a
    comma at the end of each line) are dropped; any other extra cell is an error."""
    text, encoding = _decode(path)
    if not text.strip():
        raise DataError("holds only blank lines" if text else "file is empty", file=path)
    delimiter = _sniff_delimiter(text)
    options = {"sep": delimiter, "header": None, "dtype": str, "keep_default_na": False,
               "skip_blank_lines": False, "skipinitialspace": True}
    try:
        cells = pd.read_csv(io.StringIO(text), **options)
    except pd.errors.ParserError as exc:
        if "Expected" not in str(exc):
            raise _parser_error(exc, path) from None
        width = max(len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))
        cells = pd.read_csv(io.StringIO(text), names=range(width), **options)
        cells = _drop_empty_overflow(cells, path, delimiter)
    return cells, delimiter, encoding


def _drop_empty_overflow(cells: pd.DataFrame, path: Path, delimiter: str) -> pd.DataFrame:
    header = cells.iloc[0]
    named = int(np.flatnonzero(~_blank(header))[-1]) + 1
    extra = cells.iloc[1:, named:]
    filled = ~np.all([_blank(extra[c]) for c in extra.columns], axis=0)
    if filled.any():
        position = int(np.flatnonzero(filled)[0])
        row = int(extra.index[position]) + 1
        cells_in_row = named + int(np.flatnonzero(~np.array(
            [_blank(extra[c])[position] for c in extra.columns]))[-1]) + 1
        raise DataError(f"has {cells_in_row} cells where the header has {named}", file=path,
                        row=row, expected=f"{named} cells separated by "
                        f"{_delimiter_name(delimiter)}")
    return cells.iloc[:, :named]


def _parser_error(exc: Exception, path: Path) -> DataError:
    quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
    if quote:
        return DataError("a quote opened here is never closed", file=path,
                         row=int(quote.group(1)) + 1, expected='a closing " in the same cell')
    return DataError(f"cannot be parsed as CSV ({exc})", file=path)


def _delimiter_name(delimiter: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}[delimiter]

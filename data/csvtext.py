"""Parse CSV text (any of `, ; tab |`) into a frame of text cells, within the limits.

The cells are counted from the text before it is parsed (delimiters plus lines), so a
file of millions of tiny cells is refused before pandas builds them. Rows may be ragged:
the frame is as wide as the widest row (the table reader decides what extra cells mean).
Leading blank lines are skipped; the frame's index stays the line's position in the file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from data.errors import DataError, shorten
from data.limits import ReadLimits

__all__ = ["DELIMITERS", "delimiter_name", "parse_csv"]

DELIMITERS = ",;\t|"
SNIFF_LINES = 50
SNIFF_CHARS = 16_384
"""The sniffer sees at most this much text: its regular expressions are quadratic."""
_LEADING_BLANK_LINES = re.compile(rb"(?:[ \t\f\v]*\n)+")


def delimiter_name(delimiter: str) -> str:
    """'commas' for ',' and so on."""
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}[delimiter]


def parse_csv(utf8: bytes, path: Path, limits: ReadLimits) -> tuple[pd.DataFrame, str]:
    """(cells, delimiter) of UTF-8 CSV bytes with '\\n' line ends: every cell as text or
    NaN, the header among the rows. Parsed from the bytes themselves: a text copy of a
    large file would take four times its size."""
    lead = _LEADING_BLANK_LINES.match(utf8)
    skipped = lead.group().count(b"\n") if lead else 0
    start = lead.end() if lead else 0
    delimiter = sniff_delimiter(utf8[start:start + 4 * SNIFF_CHARS].decode("utf-8", "ignore"))
    cells = utf8.count(delimiter.encode()) + utf8.count(b"\n") + 1
    if cells > limits.max_cells:
        raise DataError(f"holds about {cells:,} cells, more than {limits.max_cells:,}",
                        file=path, expected="a smaller file, or a higher data.limits.max_cells")
    rows = utf8.count(b"\n", start) + (not utf8.endswith(b"\n"))
    end = utf8.find(b"\n", start)
    first_width = utf8.count(delimiter.encode(), start, end if end >= 0 else len(utf8)) + 1
    _check_table(path, rows, first_width, limits)
    options = {"sep": delimiter, "header": None, "dtype": str, "keep_default_na": False,
               "skip_blank_lines": False, "skipinitialspace": True, "encoding": "utf-8"}
    stream = io.BytesIO(utf8)
    stream.seek(start)
    try:
        frame = pd.read_csv(stream, **options)
    except pd.errors.ParserError as exc:
        if "Expected" not in str(exc):
            raise _parser_error(exc, path, skipped) from None
        stream.seek(start)
        width = _widest_row(io.TextIOWrapper(stream, encoding="utf-8", newline=""), delimiter,
                            path, limits)
        _check_table(path, rows, width, limits)
        stream = io.BytesIO(utf8)
        stream.seek(start)
        frame = _read(stream, path, skipped, names=range(width), **options)
    except (pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise _parser_error(exc, path, skipped) from None
    if frame.shape[1] > limits.max_columns:
        raise _too_wide(path, frame.shape[1], limits)
    frame.index = frame.index + skipped
    return frame, delimiter


def _check_table(path: Path, rows: int, width: int, limits: ReadLimits) -> None:
    """Refuse lines that, padded to the widest row, pass the cell limit: the frame is as
    wide as that row, so a 1,000-cell header over a million one-cell lines is a billion
    cells although the text holds a million."""
    if rows * width > limits.max_cells:
        raise DataError(f"has {rows:,} lines and a row of {width:,} cells: as a table that "
                        f"is more than {limits.max_cells:,} cells (rows times columns)",
                        file=path, expected="rows as wide as the header, or a higher "
                        "data.limits.max_cells")


def _read(stream: io.BytesIO, path: Path, skipped: int, **options: object) -> pd.DataFrame:
    try:
        return pd.read_csv(stream, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise _parser_error(exc, path, skipped) from None


def _too_wide(path: Path, width: int, limits: ReadLimits) -> DataError:
    return DataError(f"has rows of {width:,} cells, more than {limits.max_columns:,} columns",
                     file=path, expected="fewer columns, or a higher data.limits.max_columns")


def _widest_row(lines: io.TextIOBase, delimiter: str, path: Path, limits: ReadLimits) -> int:
    """Cells in the longest row (as the csv module splits it), up to the column limit."""
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes))
    width = 0
    try:
        for row in csv.reader(lines, delimiter=delimiter, skipinitialspace=True):
            width = max(width, len(row))
            if width > limits.max_columns:
                raise _too_wide(path, width, limits)
    except csv.Error as exc:
        raise DataError(f"cannot be parsed as CSV ({shorten(exc, 100)})", file=path) from None
    return width


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines: the csv sniffer's guess, else the one the header
    holds most of, else ','."""
    lines = [line for line in text[:SNIFF_CHARS].split("\n")[:SNIFF_LINES] if line.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except (csv.Error, ValueError, IndexError, TypeError):
        header = lines[0] if lines else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _parser_error(exc: Exception, path: Path, skipped: int) -> DataError:
    quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
    if quote:
        return DataError("a quote opened here is never closed", file=path,
                         row=int(quote.group(1)) + 1 + skipped,
                         expected='a closing " in the same cell')
    if isinstance(exc, pd.errors.EmptyDataError):
        return DataError("holds no cells", file=path, expected="a header and rows")
    return DataError(f"cannot be parsed as CSV ({shorten(exc, 100)})", file=path)

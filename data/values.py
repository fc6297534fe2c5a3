"""Parse number cells (decimal comma, thousands separators) and point at the bad rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.errors import DataError, shorten
from data.tables import RawTable

__all__ = ["fail_rows", "parse_counts", "parse_numbers"]

_THOUSANDS_COMMA = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_THOUSANDS_DOT = r"[+-]?\d{1,3}(?:\.\d{3})+"
_DECIMAL_COMMA_NUMBER = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"
"""The only numbers with a dot in a decimal-comma file: '1.250' and '1.250,5'."""


def fail_rows(
    table: RawTable, bad: np.ndarray | pd.Series, column: str, problem: str, expected: str
) -> None:
    """Raise `DataError` at the first row where `bad` is true, counting the others.

    `problem` may hold '{value}', replaced by the first bad cell (shortened, escaped).
    """
    positions = np.flatnonzero(np.asarray(bad, dtype=bool))
    if positions.size == 0:
        return
    first = int(positions[0])
    value = shorten(table.frame[column].iloc[first])
    raise DataError(problem.replace("{value}", value), file=table.path,
                    row=table.row_number(first),
                    column=table.original(column), expected=expected, more=positions.size - 1)


def parse_numbers(
    table: RawTable, column: str, *, allow_missing: bool = False, thousands_dot: bool = False
) -> pd.Series:
    """The column as float64; empty cells are NaN when `allow_missing`, else an error.
    With `thousands_dot`, '1.250' and '12.500.000' read as whole numbers."""
    raw = table.frame[column]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
        empty = values.isna()
    else:
        text = raw.astype("string").fillna("").str.strip()
        empty = text.eq("")
        if table.decimal == ",":
            fail_rows(table, text.str.contains(".", regex=False).fillna(False)
                      & ~text.str.fullmatch(_DECIMAL_COMMA_NUMBER).fillna(False), column,
                      "'{value}' has a decimal point in a file whose numbers have decimal "
                      "commas", "one decimal mark in the whole file, such as 12,5")
        if thousands_dot:
            grouped = text.str.fullmatch(_THOUSANDS_DOT).fillna(False)
            text = text.where(~grouped, text.str.replace(".", "", regex=False))
        values = pd.to_numeric(_plain_decimal(text, table.decimal), errors="coerce")
        values = values.astype("float64")
        fail_rows(table, values.isna() & ~empty, column, "'{value}' is not a number",
                  "a number such as 12 or 12.5")
    if not allow_missing:
        fail_rows(table, empty, column, "the cell is empty", "a number")
    fail_rows(table, np.isinf(values.fillna(0.0)), column, "'{value}' is not finite",
              "a finite number")
    return values


MAX_COUNT = 10**9
"""No interval or day sees a billion contacts: larger counts are typos or overflow."""


def parse_counts(table: RawTable, column: str) -> pd.Series:
    """The column as non-negative whole numbers (int64). In a file separated by ';', tab or
    '|', '1.250' is one thousand two hundred and fifty (a dot groups thousands)."""
    values = parse_numbers(table, column, thousands_dot=table.delimiter not in (None, ","))
    fail_rows(table, values < 0, column, "count {value} is negative", "a count of 0 or more")
    fail_rows(table, values >= MAX_COUNT, column, "count {value} is too large",
              f"fewer than {MAX_COUNT:,} contacts per row")
    fail_rows(table, (values - values.round()).abs() > 1e-9, column,
              "count {value} is not a whole number", "a whole number of contacts")
    return values.round().astype("int64")


def _plain_decimal(text: pd.Series, decimal: str) -> pd.Series:
    """Rewrite '1.234,5' (decimal comma file) or '1,234.5' (thousands comma) as '1234.5'."""
    text = text.str.replace(r"[\u00a0\u202f' ](?=\d{3}\b)", "", regex=True)
    if decimal == ",":
        return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    thousands = text.str.match(_THOUSANDS_COMMA)
    return text.where(~thousands, text.str.replace(",", "", regex=False))

"""Read a Parquet file as a frame, within the limits, with text columns decoded.

The footer tells the rows, columns and uncompressed bytes before any page is read. Text
columns are read dictionary-encoded and their decoded size bounded before they are
expanded, so a file repeating one long value a million times is refused, not expanded.
Binary columns must hold UTF-8 text; nested columns (lists, structs, maps) are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from data.errors import DataError, PlannerError, shorten
from data.limits import ReadLimits
from data.source import open_regular, too_large

__all__ = ["read_parquet"]


def read_parquet(path: Path, limits: ReadLimits) -> pd.DataFrame:
    """The file's records as a frame (the first record is row 1 in messages)."""
    import pyarrow.parquet as pq

    with open_regular(path) as handle:
        try:
            source = pq.ParquetFile(handle)
            _check_footer(source.metadata, path, limits)
            text = [f.name for f in source.schema_arrow if _is_text(f.type)]
            table = pq.ParquetFile(handle, read_dictionary=text).read() if text \
                else source.read()
            table = _plain_columns(table, path, limits)
            return table.to_pandas()
        except PlannerError:
            raise
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise DataError(f"is not a readable Parquet file ({_reason(exc)})",
                            file=path) from None


def _reason(exc: Exception) -> str:
    return shorten(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, 120)


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_binary(kind) or pa.types.is_large_binary(kind))


def _check_footer(metadata: Any, path: Path, limits: ReadLimits) -> None:
    columns, rows = metadata.num_columns, metadata.num_rows
    if columns > limits.max_columns:
        raise DataError(f"has {columns:,} columns, more than {limits.max_columns:,}", file=path,
                        expected="fewer columns, or a higher data.limits.max_columns")
    if rows * columns > limits.max_cells:
        raise DataError(f"has {rows:,} records of {columns} columns, more than "
                        f"{limits.max_cells:,} cells", file=path,
                        expected="a smaller file, or a higher data.limits.max_cells")
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if size > limits.max_bytes:
        raise too_large(path, "is Parquet that expands to", limits)


def _plain_columns(table: Any, path: Path, limits: ReadLimits) -> Any:
    """The table with dictionary text expanded (if its size allows), binary decoded as
    UTF-8 and nested columns refused."""
    import pyarrow as pa
    import pyarrow.compute as pc

    budget = limits.max_bytes
    for position, field in enumerate(table.schema):
        column, kind = table.column(position), field.type
        if pa.types.is_nested(kind):
            raise DataError(f"column '{shorten(field.name, 40)}' holds {kind} values",
                            file=path, expected="one plain value (text, number, date) per cell")
        if pa.types.is_dictionary(kind):
            longest = max((pc.max(pc.binary_length(c.dictionary)).as_py() or 0
                           for c in column.chunks), default=0)
            budget -= longest * len(column)
            if budget < 0:
                raise too_large(path, "has text columns that expand to", limits)
            column = column.cast(kind.value_type)
            kind = kind.value_type
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            column = _utf8(column, field.name, path)
        table = table.set_column(position, field.name, column)
    return table


def _utf8(column: Any, name: str, path: Path) -> Any:
    import pyarrow as pa

    try:
        return column.cast(pa.string())
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise DataError(f"column '{shorten(name, 40)}' holds bytes that are not UTF-8 text",
                        file=path, expected="text columns in UTF-8") from None

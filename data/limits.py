"""What a reader will take from one file, checked while the file is read.

A file over a limit is refused with a `DataError` that names the limit and the setting
that raises it (`[data.limits]` in the config). The limits hold for every format: the
bytes after decompression (gzip, the parts of a workbook, Parquet pages), the cells
(rows times columns) and the columns. Excel is read about twenty times slower than CSV,
so it has its own, lower, cell limit.

The defaults keep any file within about a minute and 2.5 GB of memory on a laptop.
`use_limits` sets the limits of the readers in the current context (the command line
sets the config's); a reader's `limits=` argument overrides them for one call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from data.settings import Settings, number, setting, whole

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "current_limits", "set_limits", "use_limits"]

MB = 1 << 20


@dataclass(frozen=True)
class ReadLimits(Settings):
    """Limits on one input file. max_mb: megabytes (2**20 bytes) of content after
    decompression; max_cells: rows times columns of a CSV or Parquet file; max_excel_cells:
    the same for a workbook's sheet; max_columns: columns of any file."""

    SECTION = "data.limits"

    max_mb: float = setting(256.0, check=number(0, open_low=True, unit="MB"))
    max_cells: int = setting(20_000_000, check=whole(1))
    max_excel_cells: int = setting(2_000_000, check=whole(1))
    max_columns: int = setting(1_000, check=whole(1))

    @property
    def max_bytes(self) -> int:
        """`max_mb` in bytes."""
        return int(self.max_mb * MB)


DEFAULT_LIMITS = ReadLimits()
_LIMITS: ContextVar[ReadLimits | None] = ContextVar("read_limits", default=None)


def current_limits(limits: ReadLimits | None = None) -> ReadLimits:
    """`limits` if given, else those of the current context (the defaults unless set)."""
    return limits if limits is not None else _LIMITS.get() or DEFAULT_LIMITS


@contextmanager
def use_limits(limits: ReadLimits) -> Iterator[ReadLimits]:
    """Readers called inside the block use `limits`."""
    token = _LIMITS.set(limits)
    try:
        yield limits
    finally:
        _LIMITS.reset(token)


def set_limits(limits: ReadLimits) -> None:
    """Readers in this context use `limits` from now on (for a command line run)."""
    _LIMITS.set(limits)

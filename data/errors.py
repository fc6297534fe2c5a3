"""The error families every reader and stage raises: one readable line each."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["MAX_MESSAGE_BYTES", "ConfigError", "DataError", "InfeasiblePlanError",
           "PlannerError", "check_known_keys", "one_line", "shorten"]

MAX_MESSAGE_BYTES = 480
"""The longest message (UTF-8 bytes): with "peakplan: error: " a line stays under 500."""

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")
"""Control, format (bidirectional overrides, zero width), line-separator and surrogate
characters: a terminal would act on them or a reader would not see them."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def shorten(value: object, limit: int = 60) -> str:
    """The text of `value` for a message: unprintable characters escaped (a newline reads
    \\x0a), cut to `limit` characters with '…' where it was cut.

    >>> shorten("ok\\nfake"), shorten("x" * 100, 10)
    ('ok\\\\x0afake', 'xxxxxxxxx…')
    """
    raw = str(value)
    text = _UNPRINTABLE.sub(_escaped, raw[: 4 * limit])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = MAX_MESSAGE_BYTES) -> str:
    """`text` escaped to a single printable line of at most `limit` UTF-8 bytes."""
    text = _UNPRINTABLE.sub(_escaped, text[: 4 * limit])
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


class PlannerError(Exception):
    """Base of every error a user can cause and fix; the CLI prints it as one line: its
    text is escaped and shortened (`one_line`) however it was built."""

    def __str__(self) -> str:
        return one_line(super().__str__())


class DataError(PlannerError):
    """An input file breaks its contract.

    Names the file, the row as a person sees it (the header is row 1, so the first data
    row is row 2), the column, what was expected and what was found.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        more: int = 0,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.expected = expected
        self.more = more
        super().__init__(self._message())

    def _message(self) -> str:
        file = _short_path(self.file) if self.file else None
        where = [part for part in (file, self._row_text(), self._column_text()) if part]
        problem = self.problem if len(self.problem) <= 300 else shorten(self.problem, 300)
        text = ", ".join(where) + ": " + problem if where else problem
        if self.expected:
            text += f" (expected {shorten(self.expected, 160)})"
        if self.more:
            text += f"; {self.more} more row{'s' if self.more != 1 else ''} like it"
        return text

    def _row_text(self) -> str | None:
        return f"row {self.row}" if self.row is not None else None

    def _column_text(self) -> str | None:
        return f"column '{shorten(self.column, 40)}'" if self.column is not None else None


def _short_path(path: str, limit: int = 120) -> str:
    """A path cut at its start where it is long: the file name is the part that tells."""
    text = shorten(path, 10 * limit)
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


class ConfigError(PlannerError):
    """A setting is missing or has a value that cannot work; names the key and value."""

    def __init__(self, key: str, value: object, problem: str) -> None:
        self.key = key
        self.value = value
        self.problem = problem
        super().__init__(f"setting '{shorten(key, 80)}' = {shorten(repr(value), 80)}: "
                         f"{shorten(problem, 300)}")


class InfeasiblePlanError(PlannerError):
    """A hard constraint cannot be met; names the constraint, the day and the interval."""

    def __init__(
        self, constraint: str, problem: str, *, day: str | None = None, interval: str | None = None
    ) -> None:
        self.constraint = constraint
        self.day = day
        self.interval = interval
        self.problem = problem
        where = " ".join(part for part in (day, interval) if part)
        super().__init__(f"constraint '{constraint}'{' on ' + where if where else ''}: {problem}")


def check_known_keys(table: Mapping[str, object], known: Iterable[str], prefix: str) -> None:
    """Refuse a setting of `table` not in `known`, naming it (with `prefix`, e.g.
    "staffing.") and the nearest known one.

    >>> check_known_keys({"shrinkage_pct": 0.3}, ["shrinkage"], "staffing.")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    data.errors.ConfigError: ...unknown setting; did you mean 'staffing.shrinkage'?
    """
    names = list(known)
    for key in table:
        if key not in names:
            guess = difflib.get_close_matches(key, names, n=1)
            raise ConfigError(prefix + key, table[key], "unknown setting"
                              + (f"; did you mean '{prefix}{guess[0]}'?" if guess else ""))


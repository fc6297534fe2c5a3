"""The error families every reader and stage raises: one readable line each."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["ConfigError", "DataError", "InfeasiblePlanError", "PlannerError", "check_known_keys"]


class PlannerError(Exception):
    """Base of every error a user can cause and fix; the CLI prints it as one line."""


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
        where = [part for part in (self.file, self._row_text(), self._column_text()) if part]
        text = ", ".join(where) + ": " + self.problem if where else self.problem
        if self.expected:
            text += f" (expected {self.expected})"
        if self.more:
            text += f"; {self.more} more row{'s' if self.more != 1 else ''} like it"
        return text

    def _row_text(self) -> str | None:
        return f"row {self.row}" if self.row is not None else None

    def _column_text(self) -> str | None:
        return f"column '{self.column}'" if self.column is not None else None


class ConfigError(PlannerError):
    """A setting is missing or has a value that cannot work; names the key and value."""

    def __init__(self, key: str, value: object, problem: str) -> None:
        self.key = key
        self.value = value
        self.problem = problem
        super().__init__(f"setting '{key}' = {value!r}: {problem}")


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


"""Settings as frozen dataclasses that check themselves when they are built.

A settings class derives from `Settings` and declares each field with `setting(default,
check)`. Building it (from TOML, from code, or with `dataclasses.replace`) runs every
field's check, which may also normalise the value (3 -> 3.0, a list -> a tuple), then the
class's `check_together` for rules that span fields. A failed check raises `ConfigError`
naming the TOML key: `<path>.<field>`, where the path is the table `from_table` is reading
or, for a dataclass built in code, the class's `SECTION`.

`from_table(cls, table, key)` maps a TOML table onto a settings class generically (unknown
keys refused with the nearest known one; nested tables through the field's `parse`);
`to_table(settings)` is its inverse, for writing a run's effective settings back.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Queue(Settings):
...     SECTION = "staffing"
...     shrinkage: float = setting(0.3, check=share(one=False))
>>> Queue(0.25).shrinkage, from_table(Queue, {"shrinkage": 0}, "staffing").shrinkage
(0.25, 0.0)
>>> Queue(1.5)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
data.errors.ConfigError: setting 'staffing.shrinkage' = 1.5: must be in [0, 1)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import MISSING, field, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from data.errors import ConfigError, check_known_keys

__all__ = ["Check", "Settings", "clock", "date_value", "dates", "each", "flag", "from_table",
           "key_path", "number", "one_of", "optional", "path", "per_name", "setting", "share",
           "table_of", "tables_of", "text", "to_table", "whole"]

Check = Callable[[str, Any], Any]
"""A check: (TOML key, value) -> the value, normalised; raises ConfigError naming the key."""

_PATH: ContextVar[str | None] = ContextVar("settings_path", default=None)


def setting(default: Any = MISSING, *, check: Check | None = None,
            factory: Callable[[], Any] | None = None, parse: Check | None = None,
            dump: Callable[[Any], Any] | None = None, required: str = "is required") -> Any:
    """A settings field: `check` runs whenever the dataclass is built; `parse` turns the
    TOML value into the field's value first (nested tables, "HH:MM" times); `dump` is its
    inverse for `to_table`; `required` is the message for a missing field without default."""
    metadata = {name: fn for name, fn in (("check", check), ("parse", parse), ("dump", dump))
                if fn is not None}
    metadata["required"] = required
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


class Settings:
    """Base of the settings dataclasses: checks every field when the dataclass is built."""

    SECTION: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for item in fields(self):  # type: ignore[arg-type]
            check = item.metadata.get("check")
            if check is not None:
                value = check(self.key_of(item.name), getattr(self, item.name))
                object.__setattr__(self, item.name, value)
        self.check_together()

    def key_of(self, name: str) -> str:
        """The TOML key of field `name` (with its table's path)."""
        path = _PATH.get() or self.SECTION
        return f"{path}.{name}" if path else name

    def check_together(self) -> None:
        """Rules that span fields (none by default); raise ConfigError naming a key."""


@contextmanager
def key_path(path: str) -> Iterator[None]:
    """Settings built inside the block name their keys under `path` (e.g. the table
    "schedule.shifts[0]" being read)."""
    token = _PATH.set(path)
    try:
        yield
    finally:
        _PATH.reset(token)


def from_table(cls: type, table: Any, key: str) -> Any:
    """An instance of settings class `cls` from the TOML table at `key` (None: defaults)."""
    if table is None:
        table = {}
    if not isinstance(table, dict):
        raise ConfigError(key, table, f"must be a table ([{key}])")
    known = {item.name: item for item in fields(cls) if item.init}
    check_known_keys(table, known, f"{key}.")
    for item in known.values():
        if item.default is MISSING and item.default_factory is MISSING and item.name not in table:
            raise ConfigError(f"{key}.{item.name}", None, item.metadata.get("required",
                                                                            "is required"))
    values = {}
    for name, value in table.items():
        parse = known[name].metadata.get("parse")
        values[name] = parse(f"{key}.{name}", value) if parse else _lists_to_tuples(value)
    with key_path(key):
        return cls(**values)


def to_table(settings: Any) -> dict[str, Any]:
    """The TOML table of a settings dataclass (unset values left out); `from_table` of it
    gives the same settings back."""
    out: dict[str, Any] = {}
    for item in fields(settings):
        value = getattr(settings, item.name)
        dump = item.metadata.get("dump")
        value = dump(value) if dump else _plain(value)
        if value is not None:
            out[item.name] = value
    return out


def _lists_to_tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_lists_to_tuples(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_table(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def table_of(cls: type) -> Check:
    """Parse a nested TOML table into settings class `cls`."""
    return lambda key, value: from_table(cls, value, key)


def tables_of(cls: type, *, at_least: int = 0,
              path_of: Callable[[int, Any], str] | None = None) -> Check:
    """Parse an array of TOML tables ([[key]]) into a tuple of `cls`; item i is read as
    table `key[i]`, or `path_of(i, table)` where items are named by a field."""
    def parse(key: str, value: Any) -> tuple:
        if not isinstance(value, list) or len(value) < at_least:
            need = f"at least {at_least} " if at_least else ""
            raise ConfigError(key, value, f"must be a list of {need}tables ([[{key}]])")
        return tuple(from_table(cls, item, path_of(i, item) if path_of else f"{key}[{i}]")
                     for i, item in enumerate(value))
    return parse


# --- checks ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def number(low: float = -math.inf, high: float = math.inf, *, open_low: bool = False,
           open_high: bool = False, unit: str = "") -> Check:
    """A finite number in [low, high] (open ends where asked), as a float."""
    def check(key: str, value: Any) -> float:
        if not _is_number(value):
            raise ConfigError(key, value, f"must be a number{unit and ' of ' + unit}")
        below = value <= low if open_low else value < low
        above = value >= high if open_high else value > high
        if below or above:
            raise ConfigError(key, value, f"must be {_interval(low, high, open_low, open_high)}"
                              + (f" {unit}" if unit else ""))
        return float(value)
    return check


def _interval(low: float, high: float, open_low: bool, open_high: bool) -> str:
    if math.isinf(high):
        return f"above {low:g}" if open_low else f"{low:g} or more"
    if math.isinf(low):
        return f"below {high:g}" if open_high else f"{high:g} or less"
    left, right = ("(" if open_low else "["), (")" if open_high else "]")
    return f"in {left}{low:g}, {high:g}{right}"


def share(*, zero: bool = True, one: bool = True) -> Check:
    """A share in [0, 1]; `zero` / `one` say whether the ends are allowed."""
    return number(0.0, 1.0, open_low=not zero, open_high=not one)


def whole(low: int = 0, high: int | None = None, *, unit: str = "") -> Check:
    """A whole number from `low` to `high` (3.0 is read as 3), as an int."""
    def check(key: str, value: Any) -> int:
        ok = _is_number(value) and float(value).is_integer()
        if not ok or value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise ConfigError(key, value, f"must be a whole number{' of ' + unit if unit else ''}"
                              f" {span}")
        return int(value)
    return check


def flag(key: str, value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ConfigError(key, value, "must be true or false")
    return value


def text(*, empty: bool = True) -> Check:
    """Text in quotes (empty text allowed unless `empty` is False)."""
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or (not empty and not value):
            raise ConfigError(key, value, "must be text in quotes"
                              + ("" if empty else ", not empty"))
        return value
    return check


def one_of(*choices: str, explain: str = "") -> Check:
    """One of `choices`."""
    def check(key: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(key, value, explain or "must be one of " + ", ".join(choices))
        return value
    return check


def optional(check: Check) -> Check:
    """None (unset) or a value that passes `check`."""
    return lambda key, value: None if value is None else check(key, value)


def each(check: Check, *, length: int | None = None, what: str = "a list") -> Check:
    """A list of values that each pass `check` (with `[i]` in the key), as a tuple."""
    def check_all(key: str, value: Any) -> tuple:
        if not isinstance(value, list | tuple) or (length is not None and len(value) != length):
            raise ConfigError(key, value, f"must be {what}")
        return tuple(check(f"{key}[{i}]", v) for i, v in enumerate(value))
    return check_all


def per_name(check: Check, *, what: str = "name") -> Check:
    """A table of name = value (or its tuple of pairs), as a tuple of pairs sorted by name."""
    def check_all(key: str, value: Any) -> tuple[tuple[str, Any], ...]:
        if isinstance(value, tuple | list):
            try:
                value = dict(value)
            except (TypeError, ValueError):
                raise ConfigError(key, value, f"must be a table of {what} = value") from None
        if not isinstance(value, dict):
            raise ConfigError(key, value, f"must be a table of {what} = value")
        return tuple(sorted((str(name), check(f"{key}.{name}", v)) for name, v in value.items()))
    return check_all


def _is_date(value: Any) -> bool:
    """A calendar date; a TOML date-time (a `datetime`, which is also a `date`) is not."""
    return isinstance(value, date) and not isinstance(value, datetime)


def date_value(key: str, value: Any) -> date:
    """A calendar date (TOML date, no quotes, no time of day)."""
    if isinstance(value, datetime):
        raise ConfigError(key, value.isoformat(), "must be a date without a time of day, "
                          f"such as {value.date().isoformat()} (no quotes)")
    if not _is_date(value):
        raise ConfigError(key, value, "must be a date such as 2026-10-01 (no quotes)")
    return value


def dates(key: str, value: Any) -> tuple[date, ...]:
    """A list of calendar dates (no times of day), as a tuple."""
    if not isinstance(value, list | tuple) or not all(_is_date(d) for d in value):
        raise ConfigError(key, value, "must be a list of dates such as [2026-12-25, 2026-12-26]"
                          " (no quotes, no time of day)")
    return tuple(value)


def path(key: str, value: Any) -> Path:
    """A file or folder path (relative paths are resolved by the config loader)."""
    if isinstance(value, Path):
        return value
    if not isinstance(value, str) or not value:
        raise ConfigError(key, value, "must be a file path")
    return Path(value)


def clock(key: str, value: Any) -> int:
    """A time of day "HH:MM" (up to "24:00"), as minutes after midnight."""
    try:
        hour, minute = str(value).split(":")
        if not (hour.isdigit() and minute.isdigit() and len(minute) == 2):
            raise ValueError(value)
        minutes = int(hour) * 60 + int(minute)
    except ValueError:
        raise ConfigError(key, value, 'must be a time such as "22:00"') from None
    if not 0 <= minutes <= 1440 or int(minute) >= 60:
        raise ConfigError(key, value, "must be a time within one day, 00:00 to 24:00")
    return minutes

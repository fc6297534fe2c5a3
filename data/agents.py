"""Read the agents file: who can work which queues, for how long, and when not."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from data.columns import resolve_columns
from data.errors import DataError, shorten
from data.labels import label, queue_name
from data.limits import ReadLimits
from data.schema import AGENT_COLUMNS, AGENT_ID, CONTRACT_H_WEEK, NAME, QUEUES
from data.tables import RawTable, read_table
from data.values import fail_rows, parse_numbers

__all__ = ["MAX_H_WEEK", "PREFERENCES", "WEEKDAYS", "read_agents"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PREFERENCES = frozenset({"early", "late", "nights", "no_nights", "weekends", "no_weekends"})
MAX_H_WEEK = 60.0
"""No contract may exceed this many hours a week."""
OPTIONAL = ("team", "min_h_week", "max_h_week", "available_days", "earliest_start",
            "latest_end", "unavailable", "preferences")
_LIST_SPLIT = re.compile(r"[;|,/]")


def read_agents(path: str | Path, *, sheet: str | int | None = None,
                limits: ReadLimits | None = None) -> pd.DataFrame:
    """Agents (DESIGN.md contract). Lists in cells are separated by ';', '|', '/' or ','.

    available_days: weekday numbers (Monday 0) from 'Mon-Fri' or 'Mon;Wed', default all;
    earliest_start_min / latest_end_min: minutes after midnight from 'HH:MM';
    unavailable: dates from '2026-12-24; 2026-12-28..2026-12-31';
    min_h_week / max_h_week default to the contract hours.
    """
    table = read_table(path, sheet=sheet, limits=limits)
    found, _ = resolve_columns(table, required=(AGENT_ID, NAME, QUEUES, CONTRACT_H_WEEK),
                               optional=OPTIONAL)
    text = {c: table.frame[found[c]].astype("string").fillna("").str.strip()
            for c in found if c not in ("min_h_week", "max_h_week", CONTRACT_H_WEEK)}
    for column in (AGENT_ID, NAME, QUEUES):
        fail_rows(table, text[column].eq(""), found[column], "the cell is empty",
                  f"a value for {column}")
    fail_rows(table, text[AGENT_ID].duplicated().to_numpy(), found[AGENT_ID],
              "agent id '{value}' is used by an earlier row", "a unique id per agent")
    hours = _hours(table, found)
    frame = pd.DataFrame({
        AGENT_ID: text[AGENT_ID].astype("str"),
        NAME: text[NAME].astype("str"),
        "team": text["team"].astype("str") if "team" in text else "",
        QUEUES: _per_cell(table, found, text, QUEUES, _queues, ()),
        **hours,
    })
    frame["available_days"] = _per_cell(table, found, text, "available_days", _weekdays,
                                        tuple(range(7)))
    frame["earliest_start_min"] = _per_cell(table, found, text, "earliest_start", _clock, 0)
    frame["latest_end_min"] = _per_cell(table, found, text, "latest_end", _clock, 1440)
    frame["unavailable"] = _per_cell(table, found, text, "unavailable", _dates, ())
    frame["preferences"] = _per_cell(table, found, text, "preferences", _preferences, ())
    late = frame["earliest_start_min"] >= frame["latest_end_min"]
    fail_rows(table, late.to_numpy(), found.get("latest_end", found[AGENT_ID]),
              "latest end is not after earliest start", "a window such as 08:00 to 20:00")
    return frame[list(AGENT_COLUMNS)].reset_index(drop=True)


def _hours(table: RawTable, found: dict[str, str]) -> dict[str, pd.Series]:
    contract = parse_numbers(table, found[CONTRACT_H_WEEK])
    fail_rows(table, (contract <= 0) | (contract > MAX_H_WEEK), found[CONTRACT_H_WEEK],
              "{value} hours a week is outside (0, 60]", "contract hours above 0, at most 60")
    low = _optional_hours(table, found, "min_h_week", contract)
    high = _optional_hours(table, found, "max_h_week", contract)
    rule = "min_h_week <= contract_h_week <= max_h_week <= 60"
    fail_rows(table, low > contract, found.get("min_h_week", found[CONTRACT_H_WEEK]),
              "minimum weekly hours {value} are above the contract hours", rule)
    fail_rows(table, (high < contract) | (high > MAX_H_WEEK),
              found.get("max_h_week", found[CONTRACT_H_WEEK]),
              "maximum weekly hours {value} are below the contract or above 60", rule)
    return {CONTRACT_H_WEEK: contract, "min_h_week": low, "max_h_week": high}


def _optional_hours(
    table: RawTable, found: dict[str, str], column: str, default: pd.Series
) -> pd.Series:
    if column not in found:
        return default.copy()
    values = parse_numbers(table, found[column], allow_missing=True)
    fail_rows(table, values < 0, found[column], "{value} hours is negative", "0 or more hours")
    return values.fillna(default)


def _per_cell(table, found, text, column, parse, default) -> list:
    if column not in text:
        return [default] * len(table.frame)
    values = []
    for position, cell in enumerate(text[column]):
        try:
            values.append(parse(cell) if cell else default)
        except ValueError as exc:
            raise DataError(str(exc), file=table.path, row=table.row_number(position),
                            column=table.original(found[column])) from None
    return values


def _items(cell: str) -> list[str]:
    return [item.strip() for item in _LIST_SPLIT.split(cell) if item.strip()]


def _queues(cell: str) -> tuple[str, ...]:
    queues = tuple(queue_name(item) for item in _items(cell))
    empty = [item for item, queue in zip(_items(cell), queues, strict=True) if not queue]
    if empty or not queues:
        raise ValueError(f"queue '{shorten(empty[0] if empty else cell)}' has no letter or "
                         "digit to name it by (expected queue names such as voice_en;chat_en)")
    return queues


def _weekdays(cell: str) -> tuple[int, ...]:
    days: set[int] = set()
    for item in _items(cell):
        ends = [part.strip().lower()[:3] for part in item.split("-")]
        if any(end not in WEEKDAYS for end in ends) or len(ends) > 2:
            raise ValueError(f"'{item}' is not a weekday or a range such as Mon-Fri")
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
    return tuple(sorted(days))


def _clock(cell: str) -> int:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", cell)
    if not match or int(match[1]) > 24 or int(match[2]) > 59 or (int(match[1]) == 24
                                                                  and int(match[2])):
        raise ValueError(f"'{cell}' is not a time of day HH:MM")
    return int(match[1]) * 60 + int(match[2])


def _dates(cell: str) -> tuple[date, ...]:
    days: list[date] = []
    for item in re.split(r"[;|,]", cell):
        item = item.strip()
        if not item:
            continue
        try:
            ends = [date.fromisoformat(p.strip()) for p in item.split("..")]
        except ValueError:
            raise ValueError(f"'{item}' is not a date or a range such as "
                             "2026-12-28..2026-12-31") from None
        if len(ends) > 2 or ends[-1] < ends[0]:
            raise ValueError(f"'{item}' is not a range from an earlier to a later date")
        days += [d.date() for d in pd.date_range(ends[0], ends[-1], freq="D")]
    return tuple(sorted(set(days)))


def _preferences(cell: str) -> tuple[str, ...]:
    tokens = tuple(label(t) for t in _items(cell))
    unknown = [t for t in tokens if t not in PREFERENCES]
    if unknown:
        raise ValueError(f"unknown preference '{unknown[0]}' (known: "
                         f"{', '.join(sorted(PREFERENCES))})")
    return tokens

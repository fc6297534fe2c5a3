"""Match a file's headers to contract columns: aliases, and the nearest name for typos."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from data.errors import DataError
from data.tables import RawTable

__all__ = ["ALIASES", "resolve_columns"]

ALIASES: Mapping[str, tuple[str, ...]] = {
    "ds": ("date", "datetime", "date_time", "timestamp", "time", "interval", "interval_start",
           "start", "period", "day", "date_reconstructed"),
    "contacts": ("calls", "contacts_offered", "offered", "volume", "count", "y", "n_contacts"),
    "country": ("country_code", "market", "iso_country", "customer_country"),
    "query_type": ("type", "contact_reason", "reason", "category", "topic", "query",
                   "page_category"),
    "channel": ("medium", "contact_channel", "media"),
    "aht_s": ("aht", "aht_sec", "aht_seconds", "handle_time_s", "avg_handle_time_s"),
    "sessions": ("visits", "unique_visits", "visitors", "pageviews", "page_views", "page_loads"),
    "name": ("event", "event_name", "agent_name", "holiday", "full_name"),
    "lower_window": ("lead_days", "days_before", "lower"),
    "upper_window": ("lag_days", "days_after", "upper"),
    "agent_id": ("id", "agent", "employee_id"),
    "queues": ("skills", "queue", "skill"),
    "contract_h_week": ("contract_hours", "hours_per_week", "weekly_hours", "contract_h"),
}


def resolve_columns(
    table: RawTable,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    preferred_aliases: Mapping[str, Sequence[str]] | None = None,
    choose_hint: str = "",
) -> tuple[dict[str, str], list[str]]:
    """Map each contract column to the file's column; return it and the unmatched columns.

    Raises `DataError` for a missing required column (suggesting the nearest header), for
    two headers that mean the same column (`choose_hint` says how to pick one), and for a
    header that looks like a misspelt contract column.
    """
    wanted = [*required, *optional]
    known = {name: (name, *ALIASES.get(name, ())) for name in wanted}
    if preferred_aliases:
        known = {n: (*known[n], *preferred_aliases.get(n, ())) for n in wanted}
    found: dict[str, str] = {}
    extra: list[str] = []
    for column in table.frame.columns:
        target = _exact_target(column, known)
        if target is None:
            extra.append(column)
        elif target in found:
            raise DataError(
                f"columns '{table.original(found[target])}' and '{table.original(column)}' "
                f"both read as '{target}'", file=table.path, row=1, column=table.original(column),
                expected="one of them, the other renamed or dropped" + choose_hint)
        else:
            found[target] = column
    _check_typos(table, extra, known, found)
    missing = [name for name in required if name not in found]
    if missing:
        raise _missing_error(table, missing[0], extra, known)
    return found, extra


def _exact_target(column: str, known: Mapping[str, tuple[str, ...]]) -> str | None:
    for name in known:
        if column == name:
            return name
    for name, aliases in known.items():
        if column in aliases:
            return name
    return None


def _check_typos(
    table: RawTable, extra: list[str], known: Mapping[str, tuple[str, ...]], found: dict[str, str]
) -> None:
    for column in extra:
        for name in known:
            if name in found:
                continue
            if difflib.get_close_matches(column, [name], n=1, cutoff=0.8):
                raise DataError(
                    f"header '{table.original(column)}' looks like a misspelling of '{name}'",
                    file=table.path, row=1, column=table.original(column),
                    expected=f"the column renamed to '{name}'")


def _missing_error(
    table: RawTable, name: str, extra: list[str], known: Mapping[str, tuple[str, ...]]
) -> DataError:
    guess = difflib.get_close_matches(name, extra, n=1, cutoff=0.5) or [
        c for c in extra if difflib.get_close_matches(c, known[name], n=1, cutoff=0.6)][:1]
    headers = ", ".join(f"'{table.original(c)}'" for c in table.frame.columns)
    hint = f"; did you mean '{table.original(guess[0])}'?" if guess else ""
    aliases = ", ".join(f"'{a}'" for a in known[name][1:4])
    return DataError(
        f"required column '{name}' is missing (the header has {headers}){hint}",
        file=table.path, row=1, column=name,
        expected=f"a column named '{name}'" + (f" or {aliases}" if aliases else ""))

"""Roster exports as iCalendar: one calendar per agent, all of them, or all in one zip.

Events carry TZID and a VTIMEZONE; a wall time that the zone repeats is written the
second time in UTC, since iCalendar reads a TZID time as the first occurrence.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import pandas as pd

from data.errors import DataError
from staffing.export.common import clean, is_missing, zone_name

__all__ = ["ics_filename", "roster_ics", "roster_ics_all", "roster_ics_zip"]

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10))}


def _ics_time(ts: pd.Timestamp) -> datetime:
    """`ts` with a TZID-able zone, or in UTC where the zone repeats its wall time."""
    instant = ts.tz_convert("UTC").to_pydatetime()
    try:
        local = instant.astimezone(ZoneInfo(zone_name(ts.tzinfo)))
    except (ZoneInfoNotFoundError, ValueError):
        return instant
    repeated = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    return instant if repeated and local.fold else local


def _ics_text(value: object) -> str:
    text = "" if is_missing(value) else str(value)
    return clean(text.replace("\r\n", "\n").replace("\r", "\n"))


def _breaks_text(row: Mapping[str, object]) -> str:
    if "breaks" in row:
        return _ics_text(row["breaks"])
    start, end = row.get("break_start"), row.get("break_end")
    return "" if is_missing(start) else f"{start:%H:%M}-{end:%H:%M}"


def _event(row: Mapping[str, object], stamp: datetime) -> icalendar.Event:
    key = row.get("shift_id", f"{row['start']:%H%M}")
    uid = "-".join(quote(str(p), safe="") for p in (f"{row['date']:%Y%m%d}", key,
                                                      row["agent_id"]))
    lines = [f"Agent: {_ics_text(row['name'])} ({_ics_text(row['agent_id'])})",
             f"Queue: {_ics_text(row['queue'])}", f"Breaks: {_breaks_text(row) or 'none'}"]
    if "paid_h" in row and not is_missing(row["paid_h"]):
        lines.append(f"Paid hours: {float(row['paid_h']):g}")
    event = icalendar.Event()
    event.add("uid", f"{uid}@peakplan")
    event.add("dtstamp", stamp)
    event.add("dtstart", _ics_time(row["start"]))
    event.add("dtend", _ics_time(row["end"]))
    event.add("summary", f"Shift: {_ics_text(row['queue'])}")
    event.add("description", "\n".join(lines))
    return event


def _stamp(stamp: datetime | None) -> datetime:
    return (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def roster_ics(assignments: pd.DataFrame, agent_id: str, *,
               stamp: datetime | None = None) -> bytes:
    """One agent's shifts as an iCalendar file: a VEVENT per assignment, times with TZID
    and VTIMEZONE, UID `<yyyymmdd>-<shift_id>-<agent_id>@peakplan` (stable across
    exports), SUMMARY "Shift: <queue>", DESCRIPTION with the breaks. `stamp` is DTSTAMP
    (now when None). Raises `DataError` when the agent has no assignment or two with one
    UID."""
    rows = assignments[assignments["agent_id"] == agent_id].sort_values("start", kind="stable")
    if rows.empty:
        raise DataError(f"agent {agent_id!r} has no assignment in the roster",
                        column="agent_id")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//peakplan//roster//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _ics_text(rows["name"].iloc[0])
    calendar.add("x-wr-calname", icalendar.vText(f"Shifts: {name}"))
    when = _stamp(stamp)
    events = [_event(row, when) for row in rows.to_dict("records")]
    uids = [str(event["uid"]) for event in events]
    if len(set(uids)) < len(uids):
        raise DataError(f"agent {agent_id!r} has two assignments with the same date and "
                        "shift_id", column="shift_id", expected="one per agent and day")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def roster_ics_all(assignments: pd.DataFrame, *,
                   stamp: datetime | None = None) -> dict[str, bytes]:
    """`roster_ics` for every agent of the roster, by agent_id."""
    when = _stamp(stamp)
    return {agent: roster_ics(assignments, agent, stamp=when)
            for agent in assignments["agent_id"].unique()}


def ics_filename(agent_id: str) -> str:
    """A file name for an agent's calendar, safe on every system and one per agent_id
    (characters other than letters, digits, `-`, `_`, `.` are %-encoded).

    >>> ics_filename("A 1/2"), ics_filename("con")
    ('A%201%2F2.ics', '%63on.ics')
    """
    stem = quote(str(agent_id), safe="-_.") or "%00"
    if stem.upper() in _WINDOWS_RESERVED or stem.startswith("."):
        stem = f"%{ord(stem[0]):02X}{stem[1:]}"
    return f"{stem}.ics"


def roster_ics_zip(assignments: pd.DataFrame, *, stamp: datetime | None = None) -> bytes:
    """Every agent's calendar in one zip, named by `ics_filename`."""
    when = _stamp(stamp)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for agent, data in roster_ics_all(assignments, stamp=when).items():
            info = zipfile.ZipInfo(ics_filename(agent), date_time=when.timetuple()[:6])
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


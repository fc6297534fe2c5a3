"""Roster exports: CSV, Excel and iCalendar bytes built from the roster frames.

Pure: frames in, bytes out (`export_files` gathers them by file name). `write_exports`
is the one function here that touches the disk: it writes each file to a temporary name
beside its target and renames it into place, so no half-written export survives.

Spreadsheet safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return could run as a formula. In CSV such text, and text that already begins with `'`,
gets one `'` in front; `read_frame_csv` removes exactly one leading `'` from text cells,
so names round-trip exactly. Numbers stay numbers (a negative number is written `-1.5`).
In Excel such text is a string cell (never a formula) with Excel's quote-prefix style,
which is what typing `'` does: the value keeps its exact text.

Times: CSV holds ISO 8601 local times with their UTC offset (`2026-10-25T02:30:00+01:00`)
and a last column `timezone` naming the zone. Excel holds real datetimes in local wall
time (naive); the time columns' headers name the zone (`start (Europe/Amsterdam)`) and
each cell's number format shows its UTC offset, which tells the two 02:30s of the autumn
change apart. iCalendar events carry TZID and a VTIMEZONE; a wall time that the zone
repeats is written the second time in UTC, since iCalendar reads a TZID time as the
first occurrence.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Font

from data.errors import ConfigError, DataError

__all__ = [
    "COLUMN_TYPES",
    "KINDS",
    "TIMEZONE_COLUMN",
    "export_files",
    "frame_csv",
    "ics_filename",
    "neutralise",
    "read_frame_csv",
    "read_roster_csv",
    "read_roster_xlsx",
    "restore",
    "roster_csv",
    "roster_ics",
    "roster_ics_all",
    "roster_ics_zip",
    "roster_xlsx",
    "write_exports",
]

TEXT, FLOAT, INT, DATE, TIME = "text", "float", "int", "date", "datetime"
COLUMN_TYPES: dict[str, str] = {
    "agent_id": TEXT, "name": TEXT, "queue": TEXT, "shift_id": TEXT, "breaks": TEXT,
    "date": DATE, "day": DATE, "start": TIME, "end": TIME, "break_start": TIME,
    "break_end": TIME, "ds": TIME, "paid_h": FLOAT, "length_h": FLOAT, "required": FLOAT,
    "scheduled": FLOAT, "gap": FLOAT, "agents": INT,
}
"""Types of the roster, shifts and coverage columns; readers infer any other column."""
TIMEZONE_COLUMN = "timezone"
"""Last CSV column: the zone of the frame's tz-aware columns (read back, then dropped)."""
KINDS = ("csv", "xlsx", "ics")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NIGHT_START_H, NIGHT_END_H = 22, 6
"""A shift with any time between 22:00 and 06:00 local counts as a night shift."""
MAX_WIDTH, MIN_WIDTH = 50, 6
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OFFSET_FORMAT = re.compile(r'"([+-]\d\d:\d\d)"')
_ZONE_HEADER = re.compile(r"(.+) \(([^()]+)\)")
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_INTEGER = re.compile(r"[+-]?\d+")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                     *(f"LPT{i}" for i in range(10))}


def neutralise(text: str) -> str:
    """Text a spreadsheet cannot run: one `'` before text that starts like a formula
    (or with `'` itself, so that `restore` is exact).

    >>> neutralise("=HYPERLINK(1)"), neutralise("-Ann"), neutralise("'a"), neutralise("Zoë")
    ("'=HYPERLINK(1)", "'-Ann", "''a", 'Zoë')
    """
    return QUOTE + text if text.startswith((*DANGEROUS, QUOTE)) else text


def restore(text: str) -> str:
    """Undo `neutralise`: drop one leading `'`.

    >>> restore("'=1+1"), restore("''a"), restore("Ann")
    ('=1+1', "'a", 'Ann')
    """
    return text[1:] if text.startswith(QUOTE) else text


def _zone_name(tz: object) -> str:
    return getattr(tz, "key", None) or getattr(tz, "zone", None) or str(tz)


def _frame_zone(frame: pd.DataFrame) -> str | None:
    zones = {_zone_name(frame[c].dt.tz) for c in frame.columns
             if isinstance(frame[c].dtype, pd.DatetimeTZDtype)}
    if len(zones) > 1:
        raise DataError(f"tz-aware columns in more than one zone: {sorted(zones)}",
                        expected="one time zone, the contact centre's")
    return zones.pop() if zones else None


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _csv_cell(value: object) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return neutralise(str(value))


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any frame (roster, shifts, coverage) as UTF-8 CSV with a BOM, text neutralised,
    times ISO 8601 with offset, plus a `timezone` column when the frame has times."""
    zone = _frame_zone(frame)
    if zone is not None and TIMEZONE_COLUMN in frame.columns:
        raise DataError(f"the frame already has a column '{TIMEZONE_COLUMN}'",
                        column=TIMEZONE_COLUMN)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns]
                    + ([TIMEZONE_COLUMN] if zone else []))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow([_csv_cell(v) for v in row] + ([zone] if zone else []))
    return out.getvalue().encode("utf-8-sig")


def roster_csv(assignments: pd.DataFrame) -> bytes:
    """The roster as CSV (see `frame_csv`); `read_roster_csv` reads it back."""
    return frame_csv(assignments)


def _infer(values: list[str]) -> str:
    filled = [v for v in values if v != ""]
    if not filled or any(v.startswith(QUOTE) for v in filled):
        return TEXT
    for kind, pattern in ((TIME, _ISO_TIME), (DATE, _ISO_DATE)):
        if all(pattern.fullmatch(v) for v in filled):
            return kind
    if all(_INTEGER.fullmatch(v) for v in values):
        return INT
    return FLOAT if not pd.isna(pd.to_numeric(pd.Series(filled), errors="coerce")).any() \
        else TEXT


def _times(values: pd.Series, zone: str | None) -> pd.Series:
    filled = values[values != ""]
    aware = filled.str.contains(r"(?:[+-]\d\d:\d\d|Z)$", regex=True)
    if aware.all():
        parsed = pd.to_datetime(values.mask(values == ""), utc=True, format="ISO8601")
        return parsed.dt.tz_convert(zone or "UTC").dt.as_unit("us")
    if aware.any():
        raise ValueError("some times have a UTC offset and some do not")
    return pd.to_datetime(values.mask(values == ""), format="ISO8601").dt.as_unit("us")


def _typed(values: pd.Series, kind: str, zone: str | None) -> pd.Series:
    if kind == TIME:
        return _times(values, zone)
    if kind == DATE:
        return values.map(lambda v: date.fromisoformat(v) if v else None).astype(object)
    if kind in (INT, FLOAT):
        numbers = pd.to_numeric(values.mask(values == ""), errors="raise")
        return numbers.astype("int64" if kind == INT else "float64")
    return values.map(restore).astype("str")


def read_frame_csv(data: bytes, *, types: Mapping[str, str] | None = None,
                   timezone: str | None = None) -> pd.DataFrame:
    """Read a `frame_csv` export back: text restored, times in the zone `timezone` names
    (else the file's `timezone` column, else UTC) at microsecond resolution, dates as
    `datetime.date`, empty text as "".

    Columns take their type from `types`, then `COLUMN_TYPES`, else one is inferred
    ("text", "int", "float", "date", "datetime"). Raises `DataError` naming the column
    whose values do not fit its type.
    """
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if not rows:
        raise DataError("the CSV is empty", expected="a header row")
    header, body = [restore(h) for h in rows[0]], rows[1:]
    table = pd.DataFrame(body, columns=header, dtype=object).fillna("")
    if TIMEZONE_COLUMN in table.columns:
        zones = set(table.pop(TIMEZONE_COLUMN)) - {""}
        timezone = timezone or (zones.pop() if len(zones) == 1 else None)
    known = {**COLUMN_TYPES, **(types or {})}
    out = {}
    for position, column in enumerate(table.columns):
        values = table.iloc[:, position].astype(str)
        kind = known.get(column) or _infer(list(values))
        try:
            out[column] = _typed(values, kind, timezone)
        except (ValueError, TypeError) as error:
            raise DataError(f"cannot read the values as {kind}: {error}", column=column,
                            expected=kind) from None
    return pd.DataFrame(out, index=pd.RangeIndex(len(table)))


def read_roster_csv(data: bytes, *, timezone: str | None = None) -> pd.DataFrame:
    """Read `roster_csv` back into the roster frame it was written from."""
    return read_frame_csv(data, timezone=timezone)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _put(ws, row: int, column: int, value: object) -> int:
    """Write one cell the safe way; return the width of its text as shown."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        offset = value.strftime("%z")
        cell.value = value.tz_localize(None).to_pydatetime()
        cell.number_format = f'yyyy-mm-dd hh:mm "{offset[:3]}:{offset[3:]}"'
        return 23
    if isinstance(value, (datetime, date)) or _is_missing(value):
        shown = None if _is_missing(value) else value
        cell.value = shown.to_pydatetime() if isinstance(shown, pd.Timestamp) else shown
        timed = isinstance(shown, datetime)
        cell.number_format = "yyyy-mm-dd hh:mm" if timed else "yyyy-mm-dd"
        return 16 if timed else (10 if shown is not None else 0)
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        cell.value = value.item() if isinstance(value, np.generic) else value
        return len(f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value))
    cell.value = _clean(str(value))
    cell.data_type = "s"
    if cell.value.startswith(DANGEROUS):
        cell.quotePrefix = True
    return len(cell.value)


def _table(ws, header: list[str], rows: Iterable[Iterable[object]], top: int = 1) -> None:
    widths = [len(h) for h in header]
    for column, name in enumerate(header, start=1):
        _put(ws, top, column, name)
        ws.cell(row=top, column=column).font = Font(bold=True)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            widths[c - 1] = max(widths[c - 1], _put(ws, r, c, value))
    for c, width in enumerate(widths, start=1):
        letter = openpyxl.utils.get_column_letter(c)
        current = ws.column_dimensions[letter].width or 0
        wanted = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        ws.column_dimensions[letter].width = max(current, wanted)


def _sheet(wb, title: str, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    ws = wb.create_sheet(title)
    _table(ws, header, rows)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _headers(frame: pd.DataFrame) -> list[str]:
    return [f"{c} ({_zone_name(frame[c].dt.tz)})"
            if isinstance(frame[c].dtype, pd.DatetimeTZDtype) else str(c)
            for c in frame.columns]


def _paid_h(frame: pd.DataFrame) -> pd.Series:
    if "paid_h" in frame.columns:
        return frame["paid_h"].astype(float)
    worked = frame["end"] - frame["start"]
    if {"break_start", "break_end"} <= set(frame.columns):
        worked = worked - (frame["break_end"] - frame["break_start"]).fillna(pd.Timedelta(0))
    return worked / pd.Timedelta(hours=1)


def _is_night(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    start, end = start.tz_localize(None), end.tz_localize(None)
    day = start.normalize() - pd.Timedelta(days=1)
    while day < end:
        low = day + pd.Timedelta(hours=NIGHT_START_H)
        high = day + pd.Timedelta(hours=24 + NIGHT_END_H)
        if start < high and end > low:
            return True
        day += pd.Timedelta(days=1)
    return False


def _weeks(assignments: pd.DataFrame) -> pd.Series:
    return assignments["date"].map(lambda d: d - timedelta(days=d.weekday()))


def _facts(assignments: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "agent_id": assignments["agent_id"], "name": assignments["name"],
        "week": _weeks(assignments), "paid_h": _paid_h(assignments),
        "weekend": assignments["date"].map(lambda d: d.weekday() >= 5),
        "night": [_is_night(s, e) for s, e in zip(assignments["start"], assignments["end"],
                                                   strict=True)],
    })


def _summary(wb, assignments: pd.DataFrame) -> None:
    ws = wb.active
    ws.title = "Summary"
    facts = _facts(assignments)
    weeks = sorted(facts["week"].unique())
    per_week = facts.pivot_table(index="agent_id", columns="week", values="paid_h",
                                 aggfunc="sum", fill_value=0.0)
    agents = facts.groupby("agent_id", sort=True).agg(
        name=("name", "first"), shifts=("paid_h", "size"), weekend=("weekend", "sum"),
        night=("night", "sum"), paid_h=("paid_h", "sum"))
    header = ["agent_id", "name", "shifts", "weekend shifts", "night shifts",
              *(f"paid h week {w}" for w in weeks), "paid h total"]
    _table(ws, header, ([a, r["name"], r.shifts, r.weekend, r.night,
                         *(float(per_week.loc[a, w]) for w in weeks), float(r.paid_h)]
                        for a, r in agents.iterrows()))
    totals = facts.groupby("week", sort=True).agg(
        shifts=("paid_h", "size"), agents=("agent_id", "nunique"), weekend=("weekend", "sum"),
        night=("night", "sum"), paid_h=("paid_h", "sum"))
    rows = [[f"Week {w}", r.shifts, r.agents, r.weekend, r.night, float(r.paid_h)]
            for w, r in totals.iterrows()]
    rows.append(["total", len(facts), facts["agent_id"].nunique(), int(facts["weekend"].sum()),
                 int(facts["night"].sum()), float(facts["paid_h"].sum())])
    top = len(agents) + 3
    _table(ws, ["week", "shifts", "agents", "weekend shifts", "night shifts", "paid h"],
           rows, top=top)
    zone = _frame_zone(assignments) or "UTC"
    _put(ws, top + len(rows) + 2, 1, f"Times are local wall time in {zone}; each shows its "
         "UTC offset. Weekend: Saturday or Sunday. Night: any time from 22:00 to 06:00.")
    ws.freeze_panes = "A2"


def roster_xlsx(assignments: pd.DataFrame, shifts: pd.DataFrame | None = None,
                coverage: pd.DataFrame | None = None) -> bytes:
    """The roster as an Excel workbook: "Summary" (per agent and per week), one sheet per
    Monday-to-Sunday week ("Week 2026-10-05", a row per assignment), then "Shifts" and
    "Coverage" when given. `read_roster_xlsx` reads the week sheets back."""
    wb = openpyxl.Workbook()
    _summary(wb, assignments)
    ordered = assignments.sort_values(["date", "start", "agent_id"], kind="stable")
    columns = ["date", *(c for c in assignments.columns if c != "date")]
    for week, rows in ordered.groupby(_weeks(ordered), sort=True):
        table = rows[columns]
        header = _headers(table)
        header.insert(1, "weekday")
        _sheet(wb, f"Week {week}", header,
               ([r[0], WEEKDAYS[r[0].weekday()], *r[1:]]
                for r in table.itertuples(index=False, name=None)))
    for title, frame in (("Shifts", shifts), ("Coverage", coverage)):
        if frame is not None:
            _sheet(wb, title, _headers(frame), frame.itertuples(index=False, name=None))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _read_cell(cell, zone: str | None) -> object:
    offset = _OFFSET_FORMAT.search(cell.number_format or "")
    if cell.value is None or not isinstance(cell.value, datetime):
        return cell.value
    if offset:
        hours, minutes = (int(part) for part in offset.group(1).split(":"))
        sign = -1 if offset.group(1).startswith("-") else 1
        tz = timezone(sign * timedelta(hours=abs(hours), minutes=minutes))
        return pd.Timestamp(cell.value.replace(tzinfo=tz)).tz_convert(zone or "UTC")
    return cell.value if "h" in cell.number_format else cell.value.date()


def _column(name: str, values: list[object], zone: str | None) -> pd.Series:
    kind = COLUMN_TYPES.get(name)
    filled = [v for v in values if v is not None]
    if zone is not None:
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True).dt.tz_convert(
            zone).dt.as_unit("us")
    if kind in (INT, FLOAT) or (filled and all(isinstance(v, (int, float)) for v in filled)):
        numbers = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        whole = kind == INT or (kind is None and all(isinstance(v, int) for v in values))
        return numbers.astype("int64") if whole else numbers
    if any(isinstance(v, datetime) for v in filled):
        return pd.Series(pd.to_datetime(values)).dt.as_unit("us")
    if any(isinstance(v, date) for v in filled) or kind == DATE:
        return pd.Series(values, dtype=object)
    return pd.Series(["" if v is None else str(v) for v in values], dtype="str")


def _read_week(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows())
    out = {}
    for position, head in enumerate(rows[0]):
        name, zone = str(head.value), None
        match = _ZONE_HEADER.fullmatch(name)
        cells = [r[position] for r in rows[1:]]
        timed = any(_OFFSET_FORMAT.search(c.number_format or "") for c in cells)
        if match and (timed or COLUMN_TYPES.get(match.group(1)) == TIME):
            name, zone = match.groups()
        if name != "weekday":
            out[name] = _column(name, [_read_cell(c, zone) for c in cells], zone)
    return pd.DataFrame(out)


def read_roster_xlsx(data: bytes) -> pd.DataFrame:
    """The assignments of the week sheets of a `roster_xlsx` workbook, sorted by date,
    start and agent, columns as written (date first, no weekday); times in the zone the
    headers name, at microsecond resolution; empty text as ""."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    weeks = [_read_week(wb[name]) for name in wb.sheetnames if name.startswith("Week ")]
    if not weeks:
        raise DataError("the workbook has no week sheet", expected="sheets named 'Week …'")
    return pd.concat(weeks, ignore_index=True)


def _ics_time(ts: pd.Timestamp) -> datetime:
    """`ts` with a TZID-able zone, or in UTC where the zone repeats its wall time."""
    instant = ts.tz_convert("UTC").to_pydatetime()
    try:
        local = instant.astimezone(ZoneInfo(_zone_name(ts.tzinfo)))
    except (ZoneInfoNotFoundError, ValueError):
        return instant
    repeated = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    return instant if repeated and local.fold else local


def _ics_text(value: object) -> str:
    text = "" if _is_missing(value) else str(value)
    return _clean(text.replace("\r\n", "\n").replace("\r", "\n"))


def _breaks_text(row: Mapping[str, object]) -> str:
    if "breaks" in row:
        return _ics_text(row["breaks"])
    start, end = row.get("break_start"), row.get("break_end")
    return "" if _is_missing(start) else f"{start:%H:%M}-{end:%H:%M}"


def _event(row: Mapping[str, object], stamp: datetime) -> icalendar.Event:
    key = row.get("shift_id", f"{row['start']:%H%M}")
    uid = "-".join(quote(str(p), safe="") for p in (f"{row['date']:%Y%m%d}", key,
                                                      row["agent_id"]))
    lines = [f"Agent: {_ics_text(row['name'])} ({_ics_text(row['agent_id'])})",
             f"Queue: {_ics_text(row['queue'])}", f"Breaks: {_breaks_text(row) or 'none'}"]
    if "paid_h" in row and not _is_missing(row["paid_h"]):
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


def export_files(assignments: pd.DataFrame, kinds: Iterable[str] = KINDS, *,
                 shifts: pd.DataFrame | None = None, coverage: pd.DataFrame | None = None,
                 stamp: datetime | None = None) -> dict[str, bytes]:
    """The export files by relative path: roster.csv (with shifts.csv and coverage.csv
    when given), roster.xlsx, ics/<agent>.ics. Raises `ConfigError` for an unknown kind."""
    kinds = tuple(kinds)
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ConfigError("kinds", kinds, f"unknown export kind(s) {unknown}; use {KINDS}")
    files: dict[str, bytes] = {}
    if "csv" in kinds:
        files["roster.csv"] = roster_csv(assignments)
        for name, frame in (("shifts.csv", shifts), ("coverage.csv", coverage)):
            if frame is not None:
                files[name] = frame_csv(frame)
    if "xlsx" in kinds:
        files["roster.xlsx"] = roster_xlsx(assignments, shifts, coverage)
    if "ics" in kinds:
        for agent, data in roster_ics_all(assignments, stamp=stamp).items():
            files[f"ics/{ics_filename(agent)}"] = data
    return files


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_exports(assignments: pd.DataFrame, folder: str | Path,
                  kinds: Iterable[str] = KINDS, shifts: pd.DataFrame | None = None,
                  coverage: pd.DataFrame | None = None, *,
                  stamp: datetime | None = None) -> list[Path]:
    """Write `export_files` into `folder` (the one I/O function of this module): every
    file is built first, then each goes to a temporary name and is renamed into place.
    Returns the paths written."""
    files = export_files(assignments, kinds, shifts=shifts, coverage=coverage, stamp=stamp)
    written = []
    for relative, data in files.items():
        path = Path(folder) / relative
        _write_atomic(path, data)
        written.append(path)
    return written

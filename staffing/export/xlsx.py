"""Roster exports as an Excel workbook, and reading its week sheets back.

Spreadsheet safety: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
is a string cell (never a formula) with Excel's quote-prefix style, which is what typing
`'` does: the value keeps its exact text.

Times are real datetimes in local wall time (naive); the time columns' headers name the
zone (`start (Europe/Amsterdam)`) and each cell's number format shows its UTC offset,
which tells the two 02:30s of the autumn change apart.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Font

from data.errors import DataError
from staffing.export.common import (
    COLUMN_TYPES,
    DANGEROUS,
    DATE,
    FLOAT,
    INT,
    TIME,
    clean,
    frame_zone,
    is_missing,
    zone_name,
)
from staffing.night import NIGHT_HOURS, is_night

__all__ = ["MAX_WIDTH", "MIN_WIDTH", "WEEKDAYS",
           "read_roster_xlsx", "roster_xlsx"]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""A shift with any time between 22:00 and 06:00 local counts as a night shift."""
MAX_WIDTH, MIN_WIDTH = 50, 6
_OFFSET_FORMAT = re.compile(r'"([+-]\d\d:\d\d)"')
_ZONE_HEADER = re.compile(r"(.+) \(([^()]+)\)")


def _put(ws, row: int, column: int, value: object) -> int:
    """Write one cell the safe way; return the width of its text as shown."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        offset = value.strftime("%z")
        cell.value = value.tz_localize(None).to_pydatetime()
        cell.number_format = f'yyyy-mm-dd hh:mm "{offset[:3]}:{offset[3:]}"'
        return 23
    if isinstance(value, (datetime, date)) or is_missing(value):
        shown = None if is_missing(value) else value
        cell.value = shown.to_pydatetime() if isinstance(shown, pd.Timestamp) else shown
        timed = isinstance(shown, datetime)
        cell.number_format = "yyyy-mm-dd hh:mm" if timed else "yyyy-mm-dd"
        return 16 if timed else (10 if shown is not None else 0)
    if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating)):
        cell.value = value.item() if isinstance(value, np.generic) else value
        return len(f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value))
    cell.value = clean(str(value))
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
    return [f"{c} ({zone_name(frame[c].dt.tz)})"
            if isinstance(frame[c].dtype, pd.DatetimeTZDtype) else str(c)
            for c in frame.columns]


def _paid_h(frame: pd.DataFrame) -> pd.Series:
    if "paid_h" in frame.columns:
        return frame["paid_h"].astype(float)
    worked = frame["end"] - frame["start"]
    if {"break_start", "break_end"} <= set(frame.columns):
        worked = worked - (frame["break_end"] - frame["break_start"]).fillna(pd.Timedelta(0))
    return worked / pd.Timedelta(hours=1)


def _night_shifts(assignments: pd.DataFrame, night_hours: tuple[int, int]) -> np.ndarray:
    """Whether each assignment touches the night (local wall clock, as pay and fairness)."""
    if assignments.empty:
        return np.zeros(0, dtype=bool)
    start = assignments["start"].dt.tz_localize(None)
    end = assignments["end"].dt.tz_localize(None)
    start_min = (start.dt.hour * 60 + start.dt.minute).to_numpy()
    days = ((end.dt.normalize() - start.dt.normalize()) / pd.Timedelta(days=1)).to_numpy()
    end_min = days * 1440 + (end.dt.hour * 60 + end.dt.minute).to_numpy()
    return is_night(start_min, end_min, night_hours)


def _weeks(assignments: pd.DataFrame) -> pd.Series:
    return assignments["date"].map(lambda d: d - timedelta(days=d.weekday()))


def _facts(assignments: pd.DataFrame, night_hours: tuple[int, int]) -> pd.DataFrame:
    return pd.DataFrame({
        "agent_id": assignments["agent_id"], "name": assignments["name"],
        "week": _weeks(assignments), "paid_h": _paid_h(assignments),
        "weekend": assignments["date"].map(lambda d: d.weekday() >= 5),
        "night": _night_shifts(assignments, night_hours),
    })


def _summary(wb, assignments: pd.DataFrame, night_hours: tuple[int, int]) -> None:
    ws = wb.active
    ws.title = "Summary"
    facts = _facts(assignments, night_hours)
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
    zone = frame_zone(assignments) or "UTC"
    _put(ws, top + len(rows) + 2, 1, f"Times are local wall time in {zone}; each shows its "
         "UTC offset. Weekend: Saturday or Sunday. Night: a shift that touches "
         f"{_hhmm(night_hours[0])} to {_hhmm(night_hours[1])}.")
    ws.freeze_panes = "A2"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def roster_xlsx(assignments: pd.DataFrame, shifts: pd.DataFrame | None = None,
                coverage: pd.DataFrame | None = None, *,
                night_hours: tuple[int, int] = NIGHT_HOURS) -> bytes:
    """The roster as an Excel workbook: "Summary" (per agent and per week; night shifts
    by `night_hours`, minutes after local midnight, the schedule's night), one sheet per
    Monday-to-Sunday week ("Week 2026-10-05", a row per assignment), then "Shifts" and
    "Coverage" when given. `read_roster_xlsx` reads the week sheets back."""
    wb = openpyxl.Workbook()
    _summary(wb, assignments, night_hours)
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


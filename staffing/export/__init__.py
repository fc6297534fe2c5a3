"""Roster exports: CSV, Excel and iCalendar bytes built from the roster frames.

Pure: frames in, bytes out (`files.export_files` gathers them by file name).
`files.write_exports` is the one function here that touches the disk: it writes
each file to a temporary name beside its target and renames it into place, so no
half-written export survives.

The formats live in `csvfile`, `xlsx` and `ics`; this `__init__` is the package's
public surface.

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

from staffing.export.common import COLUMN_TYPES, DANGEROUS
from staffing.export.csvfile import (
    TIMEZONE_COLUMN,
    frame_csv,
    neutralise,
    read_frame_csv,
    read_roster_csv,
    restore,
    roster_csv,
)
from staffing.export.files import KINDS, export_files, write_exports
from staffing.export.ics import ics_filename, roster_ics, roster_ics_all, roster_ics_zip
from staffing.export.xlsx import read_roster_xlsx, roster_xlsx

__all__ = [
    "COLUMN_TYPES", "DANGEROUS", "KINDS", "TIMEZONE_COLUMN", "export_files", "frame_csv",
    "ics_filename", "neutralise", "read_frame_csv", "read_roster_csv", "read_roster_xlsx",
    "restore", "roster_csv", "roster_ics", "roster_ics_all", "roster_ics_zip", "roster_xlsx",
    "write_exports",
]

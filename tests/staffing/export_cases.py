"""Roster, shift and coverage frames shared by the export tests: seven assignments over
two weeks across the autumn DST night and midnight, with names that look like formulas,
and their shifts and coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

TZ = "Europe/Amsterdam"
DANGEROUS = ("=", "+", "-", "@")
NASTY = ('=HYPERLINK("x")', "+31 6 123", "-Ann", "@home", "Zoë 😀", "O'Brien, Jr.")
STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def times(texts: list[str | None]) -> pd.Series:
    """ISO texts with offsets as tz-aware local times (None is NaT)."""
    return pd.Series(pd.to_datetime(texts, utc=True)).dt.tz_convert(TZ).dt.as_unit("us")


def roster_frame() -> pd.DataFrame:
    """Seven assignments over two weeks: the autumn DST night (a shift across it and one
    that starts in the repeated hour), a shift across midnight, nasty names."""
    rows = [  # agent, name, date, start, end, break start, break end, queue, shift, paid, breaks
        ("A1", NASTY[0], date(2026, 10, 19), "2026-10-19T08:00+02:00",
         "2026-10-19T16:30+02:00", "2026-10-19T12:00+02:00", "2026-10-19T12:30+02:00",
         "nl-voice", "S1", 8.0, "12:00-12:30"),
        ("A2", NASTY[1], date(2026, 10, 24), "2026-10-24T22:00+02:00",
         "2026-10-25T06:00+01:00", "2026-10-25T01:00+02:00", "2026-10-25T01:15+02:00",
         "nl-voice", "S2", 9.0, "01:00-01:15"),
        ("A3", NASTY[2], date(2026, 10, 25), "2026-10-25T02:30+01:00",
         "2026-10-25T10:30+01:00", None, None, "de-chat", "S3", 8.0, ""),
        ("A4", NASTY[3], date(2026, 10, 26), "2026-10-26T09:00+01:00",
         "2026-10-26T17:00+01:00", "2026-10-26T13:00+01:00", "2026-10-26T13:30+01:00",
         "de-chat", "S4", 7.5, "13:00-13:30"),
        ("A5", NASTY[4], date(2026, 10, 28), "2026-10-28T23:00+01:00",
         "2026-10-29T07:00+01:00", "2026-10-29T03:00+01:00", "2026-10-29T03:30+01:00",
         "nl-voice", "S5", 7.5, "03:00-03:30"),
        ("A6", NASTY[5], date(2026, 10, 30), "2026-10-30T16:00+01:00",
         "2026-10-30T22:30+01:00", "2026-10-30T19:00+01:00", "2026-10-30T19:15+01:00",
         "nl-voice", "S6", 6.5, "19:00-19:15"),
        ("A1", NASTY[0], date(2026, 10, 27), "2026-10-27T08:00+01:00",
         "2026-10-27T16:45+01:00", "2026-10-27T12:00+01:00", "2026-10-27T12:30+01:00",
         "nl-voice", "S7", 8.25, "12:00-12:30, 15:00-15:15"),
    ]
    columns = list(zip(*rows, strict=True))
    return pd.DataFrame({
        "agent_id": pd.Series(columns[0], dtype="str"),
        "name": pd.Series(columns[1], dtype="str"),
        "date": pd.Series(columns[2], dtype=object),
        "start": times(list(columns[3])), "end": times(list(columns[4])),
        "break_start": times(list(columns[5])), "break_end": times(list(columns[6])),
        "queue": pd.Series(columns[7], dtype="str"),
        "shift_id": pd.Series(columns[8], dtype="str"),
        "paid_h": pd.Series(columns[9], dtype="float64"),
        "breaks": pd.Series(columns[10], dtype="str"),
    })


def shifts_frame(roster: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "queue": roster["queue"], "shift_id": roster["shift_id"], "day": roster["date"],
        "start": roster["start"], "end": roster["end"],
        "length_h": (roster["end"] - roster["start"]) / pd.Timedelta(hours=1),
        "paid_h": roster["paid_h"], "breaks": roster["breaks"],
        "agents": pd.Series(range(1, len(roster) + 1), dtype="int64"),
    })


def coverage_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "queue": pd.Series(["nl-voice", "=evil", "de-chat"], dtype="str"),
        "ds": times(["2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00",
                     "2026-10-25T02:15+01:00"]),
        "required": [3.5, 2.0, 1.25], "scheduled": [3.0, 2.0, 2.0], "gap": [-0.5, 0.0, 0.75],
    })

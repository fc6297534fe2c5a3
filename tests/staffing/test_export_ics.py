"""Roster exports, iCalendar: one event per shift at the right instants, the autumn DST
night and shifts across midnight, stable unique UIDs, escaping, errors, the zip of
every agent's file and safe file names."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import icalendar
import pandas as pd
import pytest
from export_cases import STAMP, roster_frame

from data.errors import DataError
from staffing.export import ics_filename, roster_ics, roster_ics_all, roster_ics_zip


@pytest.fixture
def roster() -> pd.DataFrame:
    """The seven assignments of `export_cases.roster_frame`."""
    return roster_frame()


# --- iCalendar ------------------------------------------------------------------------

def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def utc(value: datetime) -> pd.Timestamp:
    return pd.Timestamp(value).tz_convert("UTC")


@pytest.mark.parametrize("agent", ["A1", "A2", "A3", "A4", "A5", "A6"])
def test_ics_has_one_event_per_shift_at_the_right_instants(roster: pd.DataFrame,
                                                           agent: str) -> None:
    mine = roster[roster["agent_id"] == agent].sort_values("start")
    found = events(roster_ics(roster, agent, stamp=STAMP))
    assert len(found) == len(mine)
    for event, (_, row) in zip(found, mine.iterrows(), strict=True):
        assert utc(event.decoded("dtstart")) == row["start"].tz_convert("UTC")
        assert utc(event.decoded("dtend")) == row["end"].tz_convert("UTC")
        assert str(event["summary"]) == f"Shift: {row['queue']}"
        assert f"Breaks: {row['breaks'] or 'none'}" in str(event["description"])
        assert row["name"] in str(event["description"])


def test_ics_dst_night_and_midnight_shifts(roster: pd.DataFrame) -> None:
    night = roster_ics(roster, "A2", stamp=STAMP).decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20261024T220000" in night
    assert "DTEND;TZID=Europe/Amsterdam:20261025T060000" in night
    assert "BEGIN:VTIMEZONE" in night and "TZID:Europe/Amsterdam" in night
    (event,) = events(night.encode())
    assert utc(event.decoded("dtend")) - utc(event.decoded("dtstart")) == pd.Timedelta(hours=9)
    repeated = roster_ics(roster, "A3", stamp=STAMP).decode()
    assert "DTSTART:20261025T013000Z" in repeated  # the second 02:30 cannot take a TZID
    midnight = events(roster_ics(roster, "A5", stamp=STAMP))[0]
    assert midnight.decoded("dtstart").date() == date(2026, 10, 28)
    assert midnight.decoded("dtend").date() == date(2026, 10, 29)


def test_ics_uids_are_unique_and_stable(roster: pd.DataFrame) -> None:
    first = roster_ics_all(roster, stamp=STAMP)
    second = roster_ics_all(roster, stamp=datetime(2026, 11, 1, tzinfo=UTC))
    uids = [str(e["uid"]) for data in first.values() for e in events(data)]
    assert len(uids) == len(roster) == len(set(uids))
    assert "20261019-S1-A1@peakplan" in uids
    assert uids == [str(e["uid"]) for data in second.values() for e in events(data)]
    assert first == roster_ics_all(roster, stamp=STAMP)  # same stamp, same bytes


def test_ics_escapes_special_characters(roster: pd.DataFrame) -> None:
    data = roster_ics(roster, "A6", stamp=STAMP)
    assert b"O'Brien\\, Jr." in data
    (event,) = events(data)
    assert "Agent: O'Brien, Jr. (A6)" in str(event["description"])
    emoji = events(roster_ics(roster, "A5", stamp=STAMP))[0]
    assert "Zoë 😀" in str(emoji["description"])
    newline = roster.assign(name="two\r\nlines; x")
    assert b"two\\nlines\\; x" in roster_ics(newline, "A1", stamp=STAMP)


def test_ics_for_an_unknown_agent_or_a_repeated_uid_is_an_error(roster: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="A9"):
        roster_ics(roster, "A9")
    twice = pd.concat([roster, roster.iloc[[0]].assign(start=roster.loc[0, "end"])])
    with pytest.raises(DataError, match="same date and shift_id"):
        roster_ics(twice, "A1")


def test_ics_zip_holds_one_file_per_agent(roster: pd.DataFrame) -> None:
    with zipfile.ZipFile(io.BytesIO(roster_ics_zip(roster, stamp=STAMP))) as archive:
        assert sorted(archive.namelist()) == [f"A{i}.ics" for i in range(1, 7)]
        assert archive.read("A3.ics") == roster_ics(roster, "A3", stamp=STAMP)


@pytest.mark.parametrize("agent", ["a/../b", "..", "CON", "x y", "x%20y", "ä"])
def test_ics_filenames_are_plain_and_distinct(agent: str) -> None:
    name = ics_filename(agent)
    assert "/" not in name and "\\" not in name and " " not in name
    assert not name.startswith(".") and name.isascii() and name.endswith(".ics")
    others = {ics_filename(a) for a in ["a/../b", "..", "CON", "x y", "x%20y", "ä"] if a != agent}
    assert name not in others

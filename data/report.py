"""A readable report of what a set of input files held."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data.aggregate import series_id
from data.calendars import supports_holidays
from data.contacts import ContactHistory
from data.grain import DAY_MIN, local_day
from data.schema import CHANNEL, CONTACTS, COUNTRY, DS, QUERY_TYPE, SESSIONS

__all__ = [
    "InputReport",
    "describe_agents",
    "describe_contacts",
    "describe_events",
    "describe_traffic",
]


@dataclass(frozen=True)
class InputReport:
    """Lines describing one input file."""

    title: str
    lines: tuple[str, ...]

    def render(self) -> str:
        """The report as indented text."""
        return "\n".join([self.title, *(f"  {line}" for line in self.lines)])


def _grain_text(grain_min: int) -> str:
    return "daily" if grain_min == DAY_MIN else f"{grain_min}-minute intervals"


def _days(stamps: pd.Series) -> str:
    return ", ".join(d.date().isoformat() for d in stamps[:5]) + (
        f" and {len(stamps) - 5} more" if len(stamps) > 5 else "")


def describe_contacts(history: ContactHistory) -> InputReport:
    """Series, date range, grain, gaps, countries, channels and query types of a history."""
    frame = history.frame
    days = local_day(frame[DS])
    countries = sorted(frame[COUNTRY].unique())
    without = [c for c in countries if not supports_holidays(c)]
    per_day = frame.groupby(days)[CONTACTS].sum()
    lines = [
        f"rows: {len(frame):,}; series: {series_id(frame).nunique()}; "
        f"contacts: {int(frame[CONTACTS].sum()):,}",
        f"from {days.min().date()} to {days.max().date()} ({days.nunique()} days with rows)",
        f"grain: {_grain_text(history.grain_min)}; time zone: {frame[DS].dt.tz}",
        f"timestamps: {history.time_rule} (format {history.date_format})",
        f"countries: {', '.join(countries)}"
        + (f" (no national holidays known for {', '.join(without)})" if without else ""),
        f"channels: {', '.join(sorted(frame[CHANNEL].unique()))}",
        f"query types: {', '.join(sorted(frame[QUERY_TYPE].unique()))}",
        f"contacts per day: median {per_day.median():,.0f}, busiest {per_day.max():,.0f} "
        f"on {per_day.idxmax().date()}",
        "gaps: none" if not history.gap_days else
        f"gaps: {len(history.gap_days)} days with no rows, kept as missing: "
        f"{_days(pd.Series(history.gap_days))}",
    ]
    if history.closed_days:
        lines.append(f"closed on public holidays: {_days(pd.Series(history.closed_days))}")
    if "aht_s" in frame:
        lines.append(f"handle time: mean {frame['aht_s'].mean():.0f} s where given")
    lines += list(history.notes)
    return InputReport(f"contact history {history.path}", tuple(lines))


def describe_traffic(frame: pd.DataFrame, path: object) -> InputReport:
    """Countries, days and sessions of a traffic file."""
    lines = [
        f"rows: {len(frame):,}; countries: {frame[COUNTRY].nunique()}; "
        f"sessions: {frame[SESSIONS].sum():,.0f}",
        f"from {frame[DS].min().date()} to {frame[DS].max().date()}",
    ]
    if frame.attrs.get("summed_over"):
        lines.append(f"summed over {', '.join(frame.attrs['summed_over'])}")
    top = frame.groupby(COUNTRY)[SESSIONS].sum().nlargest(8)
    lines.append("largest countries: " + ", ".join(f"{c} {v:,.0f}" for c, v in top.items()))
    return InputReport(f"web traffic {path}", tuple(lines))


def describe_events(frame: pd.DataFrame, path: object) -> InputReport:
    """Names, dates and countries of an events file."""
    lines = [f"events: {len(frame)}; names: {frame['name'].nunique()}",
             f"from {frame[DS].min().date()} to {frame[DS].max().date()}",
             f"countries: {', '.join(sorted(frame[COUNTRY].unique()))}"]
    return InputReport(f"events {path}", tuple(lines))


def describe_agents(agents: pd.DataFrame, path: object, hours_per_fte: float) -> InputReport:
    """Head count, queues and contract hours of an agents file; FTE at `hours_per_fte`
    paid hours a week (the config's `staffing.capacity.hours_per_fte`)."""
    queues = sorted({q for qs in agents["queues"] for q in qs})
    hours = agents["contract_h_week"]
    lines = (f"agents: {len(agents)}; teams: {agents['team'].nunique()}; "
             f"contract hours: {hours.sum():,.0f} h a week "
             f"({hours.sum() / hours_per_fte:,.1f} FTE of {hours_per_fte:g} h)",
             f"queues: {', '.join(queues)}",
             f"with days they cannot work: {(agents['unavailable'].map(len) > 0).sum()}")
    return InputReport(f"agents {path}", lines)

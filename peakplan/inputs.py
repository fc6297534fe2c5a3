"""Load every input a config names, validated, with a report per file."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from data import ConfigError, load_contacts, read_agents, read_events, read_traffic
from data import schema as s
from data.contacts import ContactHistory
from data.errors import one_line, shorten
from data.report import (
    InputReport,
    describe_agents,
    describe_contacts,
    describe_events,
    describe_traffic,
)
from data.schema import UNKNOWN_COUNTRY
from peakplan.config import Config

__all__ = ["Inputs", "load_inputs", "unknown_queues_note"]


@dataclass(frozen=True)
class Inputs:
    """The validated inputs of a run; optional files are None when not configured."""

    history: ContactHistory
    traffic: pd.DataFrame | None
    traffic_plan: pd.DataFrame | None
    events: pd.DataFrame | None
    agents: pd.DataFrame | None

    def reports(self, config: Config) -> list[InputReport]:
        """A report for each file that was loaded."""
        data = config.data
        reports = [describe_contacts(self.history), self.season_report(config)]
        if self.traffic is not None:
            reports.append(describe_traffic(self.traffic, data.traffic))
        if self.traffic_plan is not None:
            reports.append(describe_traffic(self.traffic_plan, data.traffic_plan))
        if self.events is not None:
            reports.append(describe_events(self.events, data.events))
        if self.agents is not None:
            agents = describe_agents(self.agents, data.agents, config.capacity.hours_per_fte)
            note = unknown_queues_note(self.agents, [q.name for q in config.staffing.queues])
            reports.append(replace(agents, lines=(*agents.lines, f"note: {note}"))
                           if note else agents)
        return reports


    def season_report(self, config: Config) -> InputReport:
        """The season window and how it sits against the history."""
        last = self.history.frame["ds"].max().tz_localize(None).date()
        start, end = config.season.window(last)
        source = "from the config" if config.season.start and config.season.end \
            else "the first Q4 after the history"
        lines = [f"{start} to {end} ({(end - start).days + 1} days, {source}); "
                 f"time zone {config.season.timezone}"]
        if last >= start:
            lines.append(f"note: the history runs to {last}, into the season: a backtest "
                         "can compare, a forecast will start after the history")
        elif (start - last).days > 1:
            lines.append(f"note: {(start - last).days - 1} days between the history's end "
                         f"({last}) and the season are forecast too")
        return InputReport(f"season {config.season.name}", tuple(lines))


def load_inputs(config: Config) -> Inputs:
    """Read and validate the files of `config` (contact history required)."""
    data = config.data
    if data.volume is None:
        raise ConfigError("data.volume", None, "no contact history named (--volume FILE)")
    history = load_contacts(
        data.volume, timezone=config.season.timezone, country=data.country,
        query_type=data.query_type, channel=data.channel, naive_timezone=data.naive_timezone,
        date_format=data.date_format, allow_gaps=data.allow_gaps)
    return Inputs(
        history=history,
        traffic=read_traffic(data.traffic, country=_single(history)) if data.traffic else None,
        traffic_plan=read_traffic(data.traffic_plan, country=_single(history))
        if data.traffic_plan else None,
        events=read_events(data.events) if data.events else None,
        agents=read_agents(data.agents) if data.agents else None,
    )


def unknown_queues_note(agents: pd.DataFrame, queues: list[str]) -> str | None:
    """One line when agents work queues outside `queues` (the config's
    `staffing.queues`, or the plan's queues): the first such agent, how many more, those
    queues and the plan's. Not an error: one agents file may serve several plans (a
    country's season with the whole center's agents), but a misspelt queue shows here.
    None when every queue is known or no queues are given."""
    known = set(queues)
    if not known:
        return None
    unknown = [sorted(set(qs) - known) for qs in agents[s.QUEUES]]
    who = [i for i, extra in enumerate(unknown) if extra]
    if not who:
        return None
    names = sorted({q for extra in unknown for q in extra})
    first = str(agents[s.AGENT_ID].iloc[who[0]])
    more = len(who) - 1
    others = f" and {more:,} other agent{'s' if more > 1 else ''}" if more else ""
    return one_line(f"agent '{shorten(first, 40)}'{others} of the agents file "
                    f"work{'' if more else 's'} "
                    f"{_listed(names, 'queue')} that the plan does not have (it has "
                    f"{_listed(sorted(known), 'queue')}): those skills are left out of it", 480)


def _listed(names: list[str], what: str, most: int = 6) -> str:
    """'queues a, b and 3 more', each name shortened: the line stays short."""
    shown = ", ".join(shorten(n, 24) for n in names[:most])
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return f"{what}{'s' if len(names) > 1 else ''} {shown}{more}"


def _single(history: ContactHistory) -> str | None:
    """The history's only known country: it fills, or picks from, the traffic file's."""
    countries = history.frame["country"].unique()
    known = len(countries) == 1 and countries[0] != UNKNOWN_COUNTRY
    return str(countries[0]) if known else None

"""From an interval forecast to the agents each queue needs, per interval.

Two stages so that what-if scenarios are quick: `prepare` maps the forecast's series to
queues and attaches handle times (once per forecast); `compute` applies the scenario's
volume adjustments (each a named, reported step) and the queue's channel model.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import ConfigError
from staffing.queueing.backlog import BacklogPlan, BacklogQueue, backlog_plans
from staffing.queueing.chat import chat_agents, chat_measures
from staffing.queueing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    occupancy,
    service_level,
)
from staffing.queueing.erlang_a import agents_for_target_a, erlang_a
from staffing.requirements.settings import QueueConfig, StaffingConfig

__all__ = [
    "Prepared",
    "RequirementsResult",
    "compute",
    "handle_times",
    "prepare",
    "queues_for",
    "requirements",
]

log = logging.getLogger(__name__)
WORK = "work_s"


@dataclass(frozen=True)
class Prepared:
    """Forecast volumes per queue, query type and interval, with handle times (s).
    `rows` has queue, query_type, ds, contacts, aht_s; `unserved` lists forecast series
    no queue takes (country, query_type, channel, contacts)."""

    rows: pd.DataFrame
    queues: tuple[QueueConfig, ...]
    interval_min: int
    unserved: pd.DataFrame
    aht_source: str


@dataclass(frozen=True)
class RequirementsResult:
    """The requirements frame (DESIGN contract plus channel, model, open, abandon_rate,
    backlog), the volume steps (step, contacts, change) and notes for the user."""

    frame: pd.DataFrame
    steps: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


def queues_for(forecast: pd.DataFrame, config: StaffingConfig) -> tuple[QueueConfig, ...]:
    """The configured queues, or one queue per forecast channel when none are."""
    if config.queues:
        return config.queues
    return tuple(QueueConfig(name=str(c), channel=str(c))
                 for c in sorted(forecast[s.CHANNEL].unique()))


def handle_times(history: pd.DataFrame | None, config: StaffingConfig) -> pd.DataFrame:
    """Handle time (s) per country, query type and channel: the contact-weighted mean
    over the history's last `aht_weeks` weeks where it has `aht_s`; empty otherwise (the
    config's per query type figures or `default_aht_s` then apply)."""
    keys = list(s.SERIES_KEYS)
    if history is None or s.AHT_S not in history or history[s.AHT_S].notna().sum() == 0:
        return pd.DataFrame(columns=[*keys, s.AHT_S])
    rows = history.dropna(subset=[s.AHT_S])
    rows = rows[rows[s.DS] > rows[s.DS].max() - pd.Timedelta(weeks=config.aht_weeks)]
    work = (rows[s.AHT_S] * rows[s.CONTACTS]).groupby([rows[k] for k in keys]).sum()
    count = rows.groupby(keys)[s.CONTACTS].sum()
    aht = (work / count.where(count > 0)).dropna().rename(s.AHT_S)
    return aht.reset_index()


def _queue_of(forecast: pd.DataFrame, queues: tuple[QueueConfig, ...]) -> pd.Series:
    series = forecast[list(s.SERIES_KEYS)].drop_duplicates()
    names = []
    for country, query_type, channel in series.itertuples(index=False):
        match = next((q.name for q in queues if q.serves(country, query_type, channel)), None)
        names.append(match)
    return series.assign(**{s.QUEUE: names})


def prepare(forecast: pd.DataFrame, config: StaffingConfig, *,
            history: pd.DataFrame | None = None, interval_min: int | None = None) -> Prepared:
    """Map the interval forecast's series to queues and attach handle times."""
    _check_forecast(forecast, config.volume_column)
    queues = queues_for(forecast, config)
    interval_min = interval_min or _interval_min(forecast[s.DS])
    mapping = _queue_of(forecast, queues)
    rows = forecast.merge(mapping, on=list(s.SERIES_KEYS), how="left")
    unserved_rows = rows[rows[s.QUEUE].isna()]
    unserved = (unserved_rows.groupby(list(s.SERIES_KEYS))[config.volume_column].sum()
                .rename(s.CONTACTS).reset_index())
    rows = rows[rows[s.QUEUE].notna()]
    history_aht = handle_times(history, config)
    source = "history" if len(history_aht) else "config"
    rows = rows.merge(history_aht, on=list(s.SERIES_KEYS), how="left")
    if s.AHT_S not in rows:
        rows[s.AHT_S] = np.nan
    by_type = dict(config.aht_s)
    fallback = rows[s.QUERY_TYPE].map(by_type).astype(float).fillna(config.default_aht_s)
    rows[s.AHT_S] = rows[s.AHT_S].astype(float).fillna(fallback)
    for queue in queues:  # a queue's own handle time wins over everything
        if queue.aht_s is not None:
            rows.loc[rows[s.QUEUE] == queue.name, s.AHT_S] = queue.aht_s
    rows = rows.rename(columns={config.volume_column: s.CONTACTS})
    rows[WORK] = rows[s.CONTACTS] * rows[s.AHT_S]
    grouped = (rows.groupby([s.QUEUE, s.QUERY_TYPE, s.DS], sort=True)
               [[s.CONTACTS, WORK]].sum().reset_index())
    for key in (s.QUEUE, s.QUERY_TYPE):  # scenario steps map and group these quickly
        grouped[key] = grouped[key].astype("category")
    return Prepared(grouped, queues, int(interval_min), unserved, source)


def _check_forecast(forecast: pd.DataFrame, column: str) -> None:
    missing = [c for c in (*s.SERIES_KEYS, s.DS, column) if c not in forecast]
    if missing:
        raise ConfigError("interval forecast", ", ".join(missing),
                          "missing columns: staffing needs country, query_type, channel, ds "
                          "and the volume column of an interval forecast")
    if forecast[s.DS].dt.tz is None:
        raise ConfigError("interval forecast", "ds", "must be time-zone aware (local time)")


def _interval_min(ds: pd.Series) -> int:
    steps = pd.Series(ds.unique()).sort_values().diff().dropna()
    if steps.empty:
        raise ConfigError("interval forecast", "ds", "needs at least two intervals")
    return max(1, round(steps.mode().iloc[0].total_seconds() / 60))


def _adjust(rows: pd.DataFrame, config: StaffingConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scenario uplift, deflection and repeat contacts, in that order; each step reported
    with the season's contacts after it."""
    steps = [("forecast", float(rows[s.CONTACTS].sum()))]
    factor = np.full(len(rows), 1 + config.volume_uplift)
    steps.append(("scenario uplift", float((rows[s.CONTACTS] * factor).sum())))
    deflect = rows[s.QUERY_TYPE].map(dict(config.deflection)).astype(float).fillna(0.0)
    factor = factor * (1 - deflect.to_numpy())
    steps.append(("self-service deflection", float((rows[s.CONTACTS] * factor).sum())))
    fcr = dict(config.fcr)
    history_fcr = {**fcr, **dict(config.fcr_history)}
    season = rows[s.QUERY_TYPE].map(fcr).astype(float)
    past = rows[s.QUERY_TYPE].map(history_fcr).astype(float)
    repeat = (past / season).fillna(1.0).to_numpy()
    factor = factor * repeat
    steps.append(("repeat contacts (first-contact resolution)",
                  float((rows[s.CONTACTS] * factor).sum())))
    adjusted = rows.assign(**{s.CONTACTS: rows[s.CONTACTS] * factor,
                              WORK: rows[WORK] * factor * (1 + config.aht_change)})
    table = pd.DataFrame(steps, columns=["step", s.CONTACTS])
    table["change"] = table[s.CONTACTS].diff().fillna(0.0)
    return adjusted, table


def compute(prepared: Prepared, config: StaffingConfig, *,
            memo: MutableMapping | None = None) -> RequirementsResult:
    """Requirements per queue and interval under `config`'s targets and scenario.

    With `memo` (a `staffing.requirements.memo.SizingMemo`, say), each queue's sizing is kept there,
    keyed by the queue, its targets and a digest of its contacts, handle times and
    intervals; a later scenario that leaves all of those as they were reuses it.
    """
    adjusted, steps = _adjust(prepared.rows, config)
    per_queue = adjusted.groupby([s.QUEUE, s.DS], sort=True, observed=True)[
        [s.CONTACTS, WORK]].sum().reset_index()
    interval_s = prepared.interval_min * 60.0
    inputs, notes = [], []
    for queue in prepared.queues:
        part = per_queue[per_queue[s.QUEUE] == queue.name].reset_index(drop=True)
        if part.empty:
            notes.append(f"queue {queue.name}: no forecast contacts reach it")
            continue
        inputs.append(_queue_input(part, queue, config))
    frames = []
    for item, sized in zip(inputs, _sizing(inputs, interval_s, memo), strict=True):
        frame, note = _frame(item, sized, config)
        frames.append(frame)
        notes.extend(note)
    if len(prepared.unserved):
        lost = prepared.unserved.sort_values(s.CONTACTS, ascending=False)
        listed = ", ".join(f"{r.country}/{r.query_type}/{r.channel} ({r.contacts:,.0f})"
                           for r in lost.head(5).itertuples())
        notes.append(f"no queue serves {len(lost)} forecast series, {lost[s.CONTACTS].sum():,.0f}"
                     f" contacts: {listed}; add them to a queue's countries or query_types")
    frame = pd.concat(frames, ignore_index=True) if frames else _empty()
    return RequirementsResult(frame, steps, tuple(notes))


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=[*s.REQUIREMENT_COLUMNS, s.CHANNEL, "model", "open",
                                 "abandon_rate", "backlog", "answer_within_s"])


def _shrinkage(queue: QueueConfig, config: StaffingConfig, ds: pd.Series) -> np.ndarray:
    if queue.shrinkage is None and config.shrinkage_by_hour:
        return np.asarray(config.shrinkage_by_hour)[ds.dt.hour.to_numpy()]
    return np.full(len(ds), config.queue_value(queue, "shrinkage"))


@dataclass(frozen=True)
class _QueueInput:
    """One queue's contacts and handle times (s) per interval under a scenario, with the
    targets that apply to it."""

    queue: QueueConfig
    ds: pd.Series
    contacts: np.ndarray
    aht: np.ndarray
    is_open: np.ndarray
    target: float
    within: float
    cap: float


@dataclass(frozen=True)
class _Sized:
    """One queue's sizing per interval: net agents and what they achieve."""

    agents: np.ndarray
    level: np.ndarray
    asa: np.ndarray
    busy: np.ndarray
    abandon: np.ndarray
    backlog: np.ndarray


def _queue_input(part: pd.DataFrame, queue: QueueConfig, config: StaffingConfig
                 ) -> _QueueInput:
    contacts = part[s.CONTACTS].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(contacts > 0, part[WORK].to_numpy() / contacts, np.nan)
    aht = pd.Series(aht).ffill().bfill().fillna(config.default_aht_s).to_numpy()
    return _QueueInput(queue, part[s.DS], contacts, aht, queue.hours.is_open(part[s.DS]),
                       config.queue_value(queue, "service_level"),
                       config.queue_value(queue, "answer_within_s"),
                       config.queue_value(queue, "max_occupancy"))


def _sizing(inputs: list[_QueueInput], interval_s: float, memo: MutableMapping | None
            ) -> list[_Sized]:
    """Each queue's sizing: from `memo` where it holds it, else by its channel model
    (the e-mail queues planned together) and then kept there."""
    keys = [_memo_key(item, interval_s) if memo is not None else None for item in inputs]
    found = [memo.get(key) if memo is not None else None for key in keys]
    missing = [i for i, sized in enumerate(found) if sized is None]
    backlog = [i for i in missing if inputs[i].queue.channel_model == "backlog"]
    plans = dict(zip(backlog, backlog_plans([_backlog_queue(inputs[i], interval_s)
                                             for i in backlog]), strict=True))
    for i in missing:
        found[i] = _net(inputs[i], interval_s, plans.get(i))
        if memo is not None:
            memo[keys[i]] = found[i]
    return found


def _memo_key(item: _QueueInput, interval_s: float) -> tuple:
    """What a queue's sizing depends on: the queue, the targets its model uses, and a
    digest of its intervals, contacts and handle times."""
    # the backlog model answers to the queue's response target, not the voice one
    targets = ((item.cap,) if item.queue.channel_model == "backlog"
               else (item.target, item.within, item.cap))
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(item.ds.dtype).encode())
    for values in (pd.DatetimeIndex(item.ds).as_unit("s").asi8, item.contacts, item.aht):
        digest.update(np.ascontiguousarray(values).tobytes())
    return item.queue, targets, interval_s, digest.hexdigest()


def _backlog_queue(item: _QueueInput, interval_s: float) -> BacklogQueue:
    queue = item.queue
    return BacklogQueue(item.contacts, item.aht, interval_s, item.is_open,
                        queue.respond_within_h * 3600, queue.response_share, item.cap,
                        days=item.ds.dt.date)


def _net(item: _QueueInput, interval_s: float, plan: BacklogPlan | None = None) -> _Sized:
    """Net agents per interval by the queue's channel model (`plan` for a backlog
    queue), with what they achieve."""
    queue, contacts, aht = item.queue, item.contacts, item.aht
    target, within, cap = item.target, item.within, item.cap
    model = queue.channel_model
    offered = np.where(item.is_open, contacts, 0.0)
    abandon = np.full(len(contacts), np.nan)
    backlog = np.full(len(contacts), np.nan)
    key = f"staffing.queues.{queue.name}"
    if model == "backlog":
        plan = plan or backlog_plans([_backlog_queue(item, interval_s)])[0]
        agents = plan.agents
        level, asa, backlog = plan.within_target, plan.response_s, plan.backlog
        with np.errstate(invalid="ignore", divide="ignore"):
            busy = np.where(agents > 0, plan.handled * aht / (agents * interval_s), 0.0)
    elif model == "chat":
        agents = _guard(key, lambda: chat_agents(
            offered, aht, interval_s, queue.concurrency, queue.slowdown_per_chat, target,
            within, cap))
        level, asa, busy = chat_measures(offered, aht, interval_s, agents, queue.concurrency,
                                         queue.slowdown_per_chat, within)
    elif model == "erlang_a":
        load = offered * aht / interval_s
        agents = _guard(key, lambda: agents_for_target_a(load, aht, queue.patience_s, target,
                                                         within, cap, queue.max_abandon))
        measures = erlang_a(load, agents, aht, queue.patience_s, within)
        level, asa, busy = (measures.service_level, measures.average_wait_s,
                            measures.occupancy)
        abandon = measures.abandon_rate
    else:
        load = offered * aht / interval_s
        agents = _guard(key, lambda: agents_for_target(load, aht, target, within, cap))
        level = service_level(load, agents, aht, within)
        asa = average_speed_of_answer(load, agents, aht)
        busy = occupancy(load, agents)
    if model != "backlog":
        level = np.where(offered > 0, level, np.nan)
        asa = np.where(offered > 0, asa, np.nan)
    arrays = [np.asarray(agents, dtype=np.int64), *(np.asarray(a, dtype=float) for a in
                                                   (level, asa, busy, abandon, backlog))]
    for array in arrays:  # kept in a memo and shared by later scenarios: read only
        array.flags.writeable = False
    return _Sized(*arrays)


def _frame(item: _QueueInput, sized: _Sized, config: StaffingConfig
           ) -> tuple[pd.DataFrame, list[str]]:
    """The queue's requirement rows (gross agents by its shrinkage) and notes."""
    queue = item.queue
    model = queue.channel_model
    shrink = _shrinkage(queue, config, item.ds)
    frame = pd.DataFrame({
        s.QUEUE: queue.name, s.DS: item.ds, s.CONTACTS: item.contacts,
        s.AHT_S: item.aht, s.AGENTS_NET: sized.agents,
        s.AGENTS_GROSS: sized.agents.astype(float) / (1 - shrink),
        s.SERVICE_LEVEL: sized.level, s.ASA_S: sized.asa, s.OCCUPANCY: sized.busy,
        s.CHANNEL: queue.channel, "model": model, "open": item.is_open,
        "abandon_rate": sized.abandon, "backlog": sized.backlog,
        "answer_within_s": item.within if model != "backlog"
        else queue.respond_within_h * 3600})
    notes = []
    closed = item.contacts[~item.is_open].sum()
    if model != "backlog" and closed > 0.5:
        notes.append(f"queue {queue.name}: {closed:,.0f} forecast contacts fall outside its "
                     "opening hours and are not staffed (share "
                     f"{closed / max(item.contacts.sum(), 1e-9):.1%})")
    return frame, notes


def _guard(key: str, run):
    try:
        return run()
    except ConfigError as exc:
        raise ConfigError(key + "." + exc.key.split(".")[-1], exc.value, exc.problem) from None


def requirements(interval_forecast: pd.DataFrame, config: StaffingConfig, *,
                 history: pd.DataFrame | None = None, interval_min: int | None = None
                 ) -> pd.DataFrame:
    """Requirements per queue and interval (DESIGN contract); the volume steps and notes
    ride along in `frame.attrs`."""
    result = compute(prepare(interval_forecast, config, history=history,
                             interval_min=interval_min), config)
    frame = result.frame
    frame.attrs["steps"] = result.steps.to_dict("records")
    frame.attrs["notes"] = list(result.notes)
    return frame

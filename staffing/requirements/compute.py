"""From an interval forecast to the agents each queue needs, per interval.

Two stages so that what-if scenarios are quick: `prepare` maps the forecast's series to
queues and attaches handle times (once per forecast); `compute` applies the scenario's
volume adjustments (each a named, reported step) and sizes each queue by its channel
model's entry in `channels.CHANNEL_MODELS`. A formula's `ValueError` becomes a
`ConfigError` naming the TOML key of the setting behind the refused argument.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data import schema as s
from data.errors import ConfigError
from staffing.requirements.channels import (
    CHANNEL_MODELS,
    ChannelModel,
    QueueLoad,
    Sizing,
    extra_columns,
    refused_argument,
)
from staffing.requirements.memo import sizing_key
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

    With `memo` (a `SizingMemo`, say), each queue's sizing is kept there, keyed by the
    queue, the targets its channel model reads and a digest of its contacts, handle
    times and intervals (`memo.sizing_key`); a later scenario that leaves all of those as
    they were reuses it.
    """
    adjusted, steps = _adjust(prepared.rows, config)
    per_queue = adjusted.groupby([s.QUEUE, s.DS], sort=True, observed=True)[
        [s.CONTACTS, WORK]].sum().reset_index()
    interval_s = prepared.interval_min * 60.0
    loads, notes = [], []
    for queue in prepared.queues:
        part = per_queue[per_queue[s.QUEUE] == queue.name].reset_index(drop=True)
        if part.empty:
            notes.append(f"queue {queue.name}: no forecast contacts reach it")
            continue
        loads.append(_queue_load(part, queue, config))
    frames = []
    for load, sized in zip(loads, _sizing(loads, interval_s, memo, config), strict=True):
        frame, note = _frame(load, sized, CHANNEL_MODELS[load.queue.channel_model], config)
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
                                 *extra_columns(), "answer_within_s"])


def _shrinkage(queue: QueueConfig, config: StaffingConfig, ds: pd.Series) -> np.ndarray:
    if queue.shrinkage is None and config.shrinkage_by_hour:
        return np.asarray(config.shrinkage_by_hour)[ds.dt.hour.to_numpy()]
    return np.full(len(ds), config.for_queue(queue).shrinkage)


def _queue_load(part: pd.DataFrame, queue: QueueConfig, config: StaffingConfig) -> QueueLoad:
    contacts = part[s.CONTACTS].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(contacts > 0, part[WORK].to_numpy() / contacts, np.nan)
    aht = pd.Series(aht).ffill().bfill().fillna(config.default_aht_s).to_numpy()
    targets = config.for_queue(queue)
    return QueueLoad(queue, part[s.DS], contacts, aht, queue.hours.is_open(part[s.DS]),
                     targets.service_level, targets.answer_within_s, targets.max_occupancy)


def _sizing(loads: list[QueueLoad], interval_s: float, memo: MutableMapping | None,
            config: StaffingConfig) -> list[Sizing]:
    """Each queue's sizing: from `memo` where it holds it, else by its channel model (all
    the queues of a model sized in one call) and then kept there."""
    models = [CHANNEL_MODELS[load.queue.channel_model] for load in loads]
    keys = [sizing_key(load, model, interval_s) if memo is not None else None
            for load, model in zip(loads, models, strict=True)]
    found = [memo.get(key) if memo is not None else None for key in keys]
    missing: dict[str, list[int]] = {}
    for i, sized in enumerate(found):
        if sized is None:
            missing.setdefault(models[i].name, []).append(i)
    for indices in missing.values():
        model = models[indices[0]]
        sizings = _size(model, [loads[i] for i in indices], interval_s, config)
        for i, sized in zip(indices, sizings, strict=True):
            found[i] = sized
            if memo is not None:
                memo[keys[i]] = sized
    return found


def _size(model: ChannelModel, loads: list[QueueLoad], interval_s: float,
          config: StaffingConfig) -> list[Sizing]:
    """`model`'s sizings of `loads`; a formula's ValueError becomes a ConfigError naming
    the setting (a failing batch is sized queue by queue to find the queue it is about)."""
    try:
        return model.sized(loads, interval_s)
    except ValueError as exc:
        if len(loads) > 1:
            for load in loads:
                _size(model, [load], interval_s, config)
        raise _setting_error(exc, model, loads[0].queue, config) from None


def _setting_error(exc: ValueError, model: ChannelModel, queue: QueueConfig,
                   config: StaffingConfig) -> ConfigError:
    """The ConfigError for a formula's refusal: the TOML key of the setting behind the
    refused argument, or the queue's table where it is no setting (forecast volumes or
    handle times)."""
    argument, problem = refused_argument(exc)
    setting = model.setting_of(argument)
    if setting is None:
        return ConfigError(f"staffing.queues.{queue.name}", None,
                           f"the {model.name} model cannot size it: {exc}")
    key, value = config.setting_for(queue, setting)
    return ConfigError(key, value, problem)


def _frame(load: QueueLoad, sized: Sizing, model: ChannelModel, config: StaffingConfig
           ) -> tuple[pd.DataFrame, list[str]]:
    """The queue's requirement rows (gross agents by its shrinkage) and notes."""
    queue = load.queue
    shrink = _shrinkage(queue, config, load.ds)
    nothing = np.full(len(load.contacts), np.nan)
    frame = pd.DataFrame({
        s.QUEUE: queue.name, s.DS: load.ds, s.CONTACTS: load.contacts,
        s.AHT_S: load.aht_s, s.AGENTS_NET: sized.agents,
        s.AGENTS_GROSS: sized.agents.astype(float) / (1 - shrink),
        s.SERVICE_LEVEL: sized.service_level, s.ASA_S: sized.asa_s,
        s.OCCUPANCY: sized.occupancy, s.CHANNEL: queue.channel, "model": model.name,
        "open": load.is_open,
        **{column: sized.extra.get(column, nothing) for column in extra_columns()},
        "answer_within_s": sized.answer_within_s})
    notes = []
    closed = load.contacts[~load.is_open].sum()
    if not model.deferred and closed > 0.5:
        notes.append(f"queue {queue.name}: {closed:,.0f} forecast contacts fall outside its "
                     "opening hours and are not staffed (share "
                     f"{closed / max(load.contacts.sum(), 1e-9):.1%})")
    return frame, notes


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

"""Channel models in a registry: adding a model is one decorated sizing function.

A queue is sized by its channel model (its `model` setting, or the default for its
channel). Each model is one frozen `ChannelModel` in `CHANNEL_MODELS`, registered by
decorating its sizing function with `channel_model`, which names everything the rest
of `requirements` needs to know about it:

- `settings`: the queue settings its formula reads, by the formula's argument names
  (the settings refuse an unknown model; `compute` names the TOML key of a setting the
  formula refuses; the memo keys a sizing by the targets the model reads);
- `channels`: the channels it is the default model for;
- `deferred`: contacts arriving while closed wait for the opening (e-mail), instead of
  going unanswered;
- `columns`: extra requirement columns it fills (NaN for the other models);
- `voice`: agents answer one contact at a time as it arrives, so the service level of a
  number of scheduled agents is Erlang C's (the schedule's shortfall report re-measures it).

A sizing function takes a queue's `QueueLoad` and the interval length (s) and returns a
`Sizing`; with `together`, it takes all the model's queues at once and returns one
`Sizing` each. The formulas it calls raise `ValueError("<argument>: <what is wrong>")`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from staffing.queueing import (
    BacklogPlan,
    BacklogQueue,
    agents_for_target,
    agents_for_target_a,
    average_speed_of_answer,
    backlog_plans,
    chat_agents,
    chat_measures,
    erlang_a,
    occupancy,
    service_level,
)

if TYPE_CHECKING:
    from staffing.requirements.settings import QueueConfig

__all__ = ["CHANNEL_MODELS", "FALLBACK_MODEL", "ChannelModel", "QueueLoad", "Sizing",
           "channel_model", "default_model", "extra_columns", "refused_argument"]


@dataclass(frozen=True)
class QueueLoad:
    """One queue's contacts and handle times (s) per interval under a scenario, its
    opening hours, and the targets that apply to it (its own or the staffing-wide ones:
    a share, seconds, a share)."""

    queue: QueueConfig
    ds: pd.Series
    contacts: np.ndarray
    aht_s: np.ndarray
    is_open: np.ndarray
    service_level: float
    answer_within_s: float
    max_occupancy: float

    @property
    def offered(self) -> np.ndarray:
        """Contacts per interval that live models answer: none while closed."""
        return np.where(self.is_open, self.contacts, 0.0)

    def targets(self) -> tuple[tuple[str, float], ...]:
        """The targets by setting name (service_level, answer_within_s, max_occupancy)."""
        return (("service_level", self.service_level),
                ("answer_within_s", self.answer_within_s),
                ("max_occupancy", self.max_occupancy))


@dataclass(frozen=True)
class Sizing:
    """One queue's sizing per interval: net agents and what they achieve (the share of
    contacts answered within `answer_within_s` seconds, mean wait or response s,
    occupancy), and the model's extra columns by name (`ChannelModel.columns`)."""

    agents: np.ndarray
    service_level: np.ndarray
    asa_s: np.ndarray
    occupancy: np.ndarray
    answer_within_s: float
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)


Sizer = Callable[[Sequence[QueueLoad], float], list[Sizing]]


@dataclass(frozen=True)
class ChannelModel:
    """A channel model: its name, its sizer (queues and interval s in, one `Sizing`
    each out), the (formula argument, queue setting) pairs it reads, the channels it is
    the default for, whether its work is deferred, its extra requirement columns, and
    whether it is a voice model (one contact at a time, measured by Erlang C)."""

    name: str
    size: Sizer
    settings: tuple[tuple[str, str], ...]
    channels: tuple[str, ...] = ()
    deferred: bool = False
    columns: tuple[str, ...] = ()
    voice: bool = False

    @property
    def uses(self) -> tuple[str, ...]:
        """The queue settings it reads."""
        return tuple(setting for _, setting in self.settings)

    @property
    def sized_to_service_level(self) -> bool:
        """Whether it staffs to the service-level target (not a response time of its own)."""
        return "service_level" in self.uses

    def setting_of(self, argument: str) -> str | None:
        """The queue setting behind its formula's `argument` (None: not a setting)."""
        return dict(self.settings).get(argument)

    def sized(self, loads: Sequence[QueueLoad], interval_s: float) -> list[Sizing]:
        """`size`, with whole agents, float measures and every array read only (sizings
        are kept in a memo and shared by later scenarios)."""
        return [_read_only(sizing) for sizing in self.size(loads, interval_s)]


CHANNEL_MODELS: dict[str, ChannelModel] = {}
FALLBACK_MODEL = "erlang_c"  # for channels no model claims


def channel_model(name: str, *, settings: Mapping[str, str], channels: Sequence[str] = (),
                  deferred: bool = False, columns: Sequence[str] = (), together: bool = False,
                  voice: bool = False) -> Callable[[Callable], Callable]:
    """Register the decorated sizing function as channel model `name` in CHANNEL_MODELS:
    (QueueLoad, interval s) -> Sizing, or with `together` (loads, interval s) -> list."""

    def register(fn: Callable) -> Callable:
        size = fn if together else _each(fn)
        CHANNEL_MODELS[name] = ChannelModel(name, size, tuple(settings.items()),
                                            tuple(channels), deferred, tuple(columns), voice)
        return fn

    return register


def _each(fn: Callable[[QueueLoad, float], Sizing]) -> Sizer:
    return lambda loads, interval_s: [fn(load, interval_s) for load in loads]


def _read_only(sizing: Sizing) -> Sizing:
    agents = np.asarray(sizing.agents, dtype=np.int64)
    level, asa, busy = (np.asarray(a, dtype=float) for a in
                        (sizing.service_level, sizing.asa_s, sizing.occupancy))
    extra = {name: np.asarray(a, dtype=float) for name, a in sizing.extra.items()}
    for array in (agents, level, asa, busy, *extra.values()):
        array.flags.writeable = False
    return Sizing(agents, level, asa, busy, float(sizing.answer_within_s), extra)


def default_model(channel: str) -> str:
    """The channel model a channel gets unless configured: the model that claims it
    (phone is Erlang C, chat the concurrency model, email and other written channels the
    backlog model), else FALLBACK_MODEL.

    >>> default_model("phone"), default_model("email"), default_model("video")
    ('erlang_c', 'backlog', 'erlang_c')
    """
    wanted = channel.lower()
    return next((model.name for model in CHANNEL_MODELS.values() if wanted in model.channels),
                FALLBACK_MODEL)


def extra_columns() -> tuple[str, ...]:
    """Every model's extra requirement columns, in registry order.

    >>> extra_columns()
    ('abandon_rate', 'backlog')
    """
    return tuple(dict.fromkeys(c for model in CHANNEL_MODELS.values() for c in model.columns))


def refused_argument(error: ValueError) -> tuple[str, str]:
    """(argument, what is wrong) of a formula's `ValueError("<argument>: <problem>")`.

    >>> refused_argument(ValueError("patience_s: must be above 0 seconds"))
    ('patience_s', 'must be above 0 seconds')
    """
    argument, colon, problem = str(error).partition(": ")
    return (argument, problem) if colon else ("", str(error))


def _live(load: QueueLoad, agents, level, asa, busy, **extra: np.ndarray) -> Sizing:
    """A live model's sizing: no service level or wait where nothing is offered."""
    some = load.offered > 0
    return Sizing(agents, np.where(some, level, np.nan), np.where(some, asa, np.nan), busy,
                  load.answer_within_s, extra)


_TARGETS = {"service_level": "service_level", "answer_within_s": "answer_within_s",
            "max_occupancy": "max_occupancy"}


@channel_model("erlang_c", settings=_TARGETS, channels=("phone", "voice", "call"), voice=True)
def erlang_c_sizing(load: QueueLoad, interval_s: float) -> Sizing:
    """Erlang C (M/M/n): callers wait as long as it takes."""
    erlangs = load.offered * load.aht_s / interval_s
    agents = agents_for_target(erlangs, load.aht_s, load.service_level, load.answer_within_s,
                               load.max_occupancy)
    return _live(load, agents, service_level(erlangs, agents, load.aht_s, load.answer_within_s),
                 average_speed_of_answer(erlangs, agents, load.aht_s),
                 occupancy(erlangs, agents))


@channel_model("erlang_a", settings={**_TARGETS, "patience_s": "patience_s",
                                     "max_abandon": "max_abandon"},
               columns=("abandon_rate",), voice=True)
def erlang_a_sizing(load: QueueLoad, interval_s: float) -> Sizing:
    """Erlang A (M/M/n+M): callers hang up after an exponential patience (`patience_s`),
    with an optional cap on the share who do (`max_abandon`)."""
    queue = load.queue
    erlangs = load.offered * load.aht_s / interval_s
    agents = agents_for_target_a(erlangs, load.aht_s, queue.patience_s, load.service_level,
                                 load.answer_within_s, load.max_occupancy, queue.max_abandon)
    measures = erlang_a(erlangs, agents, load.aht_s, queue.patience_s, load.answer_within_s)
    return _live(load, agents, measures.service_level, measures.average_wait_s,
                 measures.occupancy, abandon_rate=measures.abandon_rate)


@channel_model("chat", settings={**_TARGETS, "concurrency": "concurrency",
                                 "slowdown_per_chat": "slowdown_per_chat"},
               channels=("chat", "messaging"))
def chat_sizing(load: QueueLoad, interval_s: float) -> Sizing:
    """Chat slots: each agent runs `concurrency` chats, each slowed by the others."""
    queue = load.queue
    agents = chat_agents(load.offered, load.aht_s, interval_s, queue.concurrency,
                         queue.slowdown_per_chat, load.service_level, load.answer_within_s,
                         load.max_occupancy)
    level, asa, busy = chat_measures(load.offered, load.aht_s, interval_s, agents,
                                     queue.concurrency, queue.slowdown_per_chat,
                                     load.answer_within_s)
    return _live(load, agents, level, asa, busy)


@channel_model("backlog", settings={"target_share": "response_share",
                                    "respond_within_s": "respond_within_h",
                                    "max_occupancy": "max_occupancy"},
               channels=("email", "mail", "social", "ticket", "form"), deferred=True,
               columns=("backlog",), together=True)
def backlog_sizing(loads: Sequence[QueueLoad], interval_s: float) -> list[Sizing]:
    """Deferred work (e-mail): `response_share` answered within `respond_within_h` of
    open time, the backlog carried over; all the model's queues paced in one pass."""
    plans = backlog_plans([_backlog_queue(load, interval_s) for load in loads])
    return [_deferred(load, plan, interval_s) for load, plan in zip(loads, plans, strict=True)]


def _backlog_queue(load: QueueLoad, interval_s: float) -> BacklogQueue:
    queue = load.queue
    return BacklogQueue(load.contacts, load.aht_s, interval_s, load.is_open,
                        queue.respond_within_h * 3600, queue.response_share,
                        load.max_occupancy, days=load.ds.dt.date)


def _deferred(load: QueueLoad, plan: BacklogPlan, interval_s: float) -> Sizing:
    agents = plan.agents
    with np.errstate(invalid="ignore", divide="ignore"):
        busy = np.where(agents > 0, plan.handled * load.aht_s / (agents * interval_s), 0.0)
    return Sizing(agents, plan.within_target, plan.response_s, busy,
                  load.queue.respond_within_h * 3600, {"backlog": plan.backlog})

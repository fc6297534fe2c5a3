"""Staffing settings: queues, their channel models and targets, and volume adjustments.

`StaffingConfig` is the `[staffing]` table of a season's TOML and `QueueConfig` one of its
`[[staffing.queues]]`; both check themselves when built (from TOML, in code or by
`with_scenario`) and name the TOML key of anything wrong. A queue's `model` is one of
the channel models registered in `channels.CHANNEL_MODELS`. Unset queue settings fall
back to the staffing-wide ones; with no queues configured, each channel of the forecast
is one queue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from data.errors import ConfigError, check_known_keys
from data.labels import queue_name
from data.settings import (
    Settings,
    each,
    from_table,
    number,
    one_of,
    optional,
    per_name,
    setting,
    share,
    tables_of,
    text,
    to_table,
    whole,
)
from staffing.queueing import check_service_level
from staffing.requirements.channels import CHANNEL_MODELS, default_model, refused_argument

__all__ = ["OpeningHours", "QueueConfig", "StaffingConfig", "parse_staffing",
           "staffing_table", "with_scenario"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class OpeningHours:
    """Open spans per weekday (Monday first): (open, close) in minutes after local
    midnight, close up to 1440; a day without spans is closed.

    >>> hours = _hours("hours", {"weekdays": "08:00-12:00, 13:00-17:00", "sun": "closed"})
    >>> hours.text()["mon"], hours.text()["sun"]
    ('08:00-12:00, 13:00-17:00', 'closed')
    """

    days: tuple[tuple[tuple[int, int], ...], ...] = (((0, 1440),),) * 7

    def is_open(self, ds: pd.DatetimeIndex | pd.Series) -> np.ndarray:
        """Whether each interval start (local wall time) lies inside the opening hours."""
        local = pd.DatetimeIndex(ds)
        weekday = local.day_of_week.to_numpy()
        minute = (local.hour * 60 + local.minute).to_numpy()
        out = np.zeros(len(local), dtype=bool)
        for day, spans in enumerate(self.days):
            for start, end in spans:
                out |= (weekday == day) & (minute >= start) & (minute < end)
        return out

    def text(self) -> str | dict[str, str]:
        """The TOML form: "24/7" or a table of "HH:MM-HH:MM[, ...]" / "closed" per day."""
        if self == OpeningHours():
            return "24/7"
        return {name: ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in spans) or "closed"
                for name, spans in zip(_DAYS, self.days, strict=True)}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hours(key: str, value: Any) -> OpeningHours:
    if value in ("24/7", "always"):
        return OpeningHours()
    if not isinstance(value, dict):
        raise ConfigError(key, value, 'must be "24/7" or a table such as '
                          '{ weekdays = "08:00-20:00", sat = "09:00-17:00", sun = "closed" }')
    check_known_keys(value, (*_DAYS, "weekdays", "weekend", "daily"), key + ".")
    days: list[tuple[tuple[int, int], ...]] = [()] * 7
    groups = {"daily": range(7), "weekdays": range(5), "weekend": range(5, 7)}
    for name in sorted(value, key=lambda n: (n not in groups, n != "daily")):
        for day in groups.get(name, [_DAYS.index(name)] if name in _DAYS else []):
            days[day] = _spans(f"{key}.{name}", value[name])
    return OpeningHours(tuple(days))


def _spans(key: str, spans_text: Any) -> tuple[tuple[int, int], ...]:
    if spans_text == "closed":
        return ()
    spans = []
    for part in str(spans_text).split(","):
        try:
            start, end = (_minutes(bit) for bit in part.split("-"))
        except ValueError:
            raise ConfigError(key, spans_text, 'must be "HH:MM-HH:MM" (e.g. "08:00-20:00"), '
                              'several separated by commas, or "closed"') from None
        if not 0 <= start < end <= 1440:
            raise ConfigError(key, spans_text, "each span must open before it closes, within "
                              'one day (use "24:00" for midnight)')
        spans.append((start, end))
    return tuple(sorted(spans))


def _minutes(part: str) -> int:
    hour, minute = part.strip().split(":")
    if not (hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise ValueError(part)
    return int(hour) * 60 + int(minute)


def _queue_name(key: str, value: Any) -> str:
    """A queue's name in its one spelling (`data.queue_name`: 'Voice-EN' is 'voice_en'), as
    the agents file, requirements and schedules spell it."""
    name = queue_name(text(empty=False)(key, value))
    if not name:
        raise ConfigError(key, value, "needs a letter or a digit")
    return name


def _labels(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (not isinstance(value, list | tuple) or not value
            or not all(isinstance(v, str) for v in value)):
        raise ConfigError(key, value, 'must be a list of names, e.g. ["GB", "US"] or ["*"]')
    return tuple(value)


def _opening_hours(key: str, value: Any) -> OpeningHours:
    if not isinstance(value, OpeningHours):
        raise ConfigError(key, value, "must be opening hours (OpeningHours)")
    return value


def _meetable(key: str, value: float | None) -> None:
    """A service-level target staffing can meet (the rule lives in `check_service_level`:
    1.0 cannot be met)."""
    if value is None:
        return
    try:
        check_service_level(value)
    except ValueError as exc:
        raise ConfigError(key, value, refused_argument(exc)[1]) from None


def _model(key: str, value: Any) -> str:
    """A registered channel model, or "" for the channel's default."""
    if not isinstance(value, str) or (value and value not in CHANNEL_MODELS):
        raise ConfigError(key, value, "must be one of " + ", ".join(CHANNEL_MODELS))
    return value


@dataclass(frozen=True)
class QueueConfig(Settings):
    """One queue (a skill group on one channel) and how it is sized: `model` names a
    channel model of the registry (`CHANNEL_MODELS`; "" takes the channel's default),
    which reads the settings it needs of those below. Settings left None take the
    staffing-wide value. Times in seconds unless the name says hours."""

    SECTION = "staffing.queues"

    name: str = setting(check=_queue_name,
                        required="is required: the queue's name and the forecast channel "
                                 "it serves")
    channel: str = setting(check=text(empty=False),
                           required="is required: the queue's name and the forecast channel "
                                    "it serves")
    countries: tuple[str, ...] = setting(("*",), check=_labels)
    query_types: tuple[str, ...] = setting(("*",), check=_labels)
    model: str = setting("", check=_model)
    service_level: float | None = setting(None, check=optional(share(zero=False)))
    answer_within_s: float | None = setting(None, check=optional(number(0)))
    max_occupancy: float | None = setting(None, check=optional(share(zero=False)))
    shrinkage: float | None = setting(None, check=optional(share(one=False)))
    aht_s: float | None = setting(None, check=optional(number(0, open_low=True)))
    patience_s: float = setting(180.0, check=number(0, open_low=True))
    max_abandon: float = setting(1.0, check=share())
    concurrency: int = setting(2, check=whole(1, 20, unit="chats per agent"))
    slowdown_per_chat: float = setting(0.15, check=number(0))
    respond_within_h: float = setting(24.0, check=number(0, open_low=True))
    response_share: float = setting(0.9, check=share(zero=False))
    hours: OpeningHours = setting(factory=OpeningHours, check=_opening_hours,
                                  parse=lambda key, value: _hours(key, value),
                                  dump=lambda hours: hours.text())

    def key_of(self, name: str) -> str:
        """Queue settings are named by the queue: staffing.queues.<name>.<setting>."""
        if isinstance(self.name, str) and self.name:
            return f"{self.SECTION}.{self.name}.{name}"
        return super().key_of(name)

    def check_together(self) -> None:
        if CHANNEL_MODELS[self.channel_model].sized_to_service_level:
            _meetable(self.key_of("service_level"), self.service_level)

    @property
    def channel_model(self) -> str:
        """The name of the queue's channel model: its `model`, or its channel's default."""
        return self.model or default_model(self.channel)

    def serves(self, country: str, query_type: str, channel: str) -> bool:
        """Whether contacts of this country, query type and channel come to this queue."""
        return (channel == self.channel
                and ("*" in self.countries or country in self.countries)
                and ("*" in self.query_types or query_type in self.query_types))


def _queue_path(index: int, table: Any) -> str:
    name = table.get("name") if isinstance(table, dict) else None
    return f"staffing.queues.{name}" if isinstance(name, str) and name else \
        f"staffing.queues[{index}]"


def _queues(key: str, value: Any) -> tuple[QueueConfig, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(q, QueueConfig) for q in value):
        raise ConfigError(key, value, "must be a list of queues ([[staffing.queues]])")
    seen: set[str] = set()
    for queue in value:
        if queue.name in seen:
            raise ConfigError("staffing.queues.name", queue.name, "is used by two queues")
        seen.add(queue.name)
    return tuple(value)


def _by_hour(key: str, value: Any) -> tuple[float, ...]:
    if value in ((), []):
        return ()
    return each(share(one=False), length=24, what="24 shares, one per local hour")(key, value)


@dataclass(frozen=True)
class StaffingConfig(Settings):
    """Staffing-wide settings and the queues. Shares are fractions in [0, 1).

    service_level / answer_within_s: the default target (80% answered within 20 s).
    max_occupancy: burnout guard, the most of staffed time spent on contacts.
    shrinkage: share of paid time not available for contacts (breaks, training,
    absence); shrinkage_by_hour, when given, is 24 figures by local hour instead.
    volume_uplift: scenario change of every volume (0.1 = +10%); volume_column: plan to
    the point forecast ("yhat") or the top of its band ("yhat_upper").
    aht_change: scenario change of every handle time (0.1 = 10% longer).
    deflection: per query type, the share self-service or a chatbot takes away.
    fcr / fcr_history: per query type, the first-contact resolution expected in the
    season and the one the history had (default: the same, so no change); repeats of
    unresolved contacts scale the volume by fcr_history / fcr.
    aht_s: handle time per query type where the history has none (default_aht_s else);
    aht_weeks: weeks of history that set handle times when it has `aht_s`.
    """

    SECTION = "staffing"

    service_level: float = setting(0.8, check=share(zero=False))
    answer_within_s: float = setting(20.0, check=number(0))
    max_occupancy: float = setting(0.85, check=share(zero=False))
    shrinkage: float = setting(0.3, check=share(one=False))
    shrinkage_by_hour: tuple[float, ...] = setting((), check=_by_hour)
    volume_uplift: float = setting(0.0, check=number(-1, 10, open_low=True))
    volume_column: str = setting("yhat", check=one_of(
        "yhat", "yhat_upper",
        explain='must be "yhat" (the point forecast) or "yhat_upper" (the top of the band)'))
    aht_change: float = setting(0.0, check=number(-1, 10, open_low=True))
    deflection: tuple[tuple[str, float], ...] = setting(
        (), check=per_name(share(one=False), what="query type"), dump=dict)
    fcr: tuple[tuple[str, float], ...] = setting(
        (), check=per_name(share(zero=False), what="query type"), dump=dict)
    fcr_history: tuple[tuple[str, float], ...] = setting(
        (), check=per_name(share(zero=False), what="query type"), dump=dict)
    aht_s: tuple[tuple[str, float], ...] = setting(
        (), check=per_name(number(0, open_low=True), what="query type"), dump=dict)
    default_aht_s: float = setting(300.0, check=number(0, open_low=True))
    aht_weeks: int = setting(13, check=whole(1, 520, unit="weeks"))
    queues: tuple[QueueConfig, ...] = setting(
        (), check=_queues, parse=tables_of(QueueConfig, path_of=_queue_path))

    def check_together(self) -> None:
        _meetable(self.key_of("service_level"), self.service_level)

    def for_queue(self, queue: QueueConfig) -> QueueConfig:
        """`queue` with every setting it leaves unset taken from the staffing-wide one
        (service_level, answer_within_s, max_occupancy, shrinkage); aht_s stays None
        where the history sets handle times."""
        return replace(
            queue,
            service_level=_first_set(queue.service_level, self.service_level),
            answer_within_s=_first_set(queue.answer_within_s, self.answer_within_s),
            max_occupancy=_first_set(queue.max_occupancy, self.max_occupancy),
            shrinkage=_first_set(queue.shrinkage, self.shrinkage))

    def setting_for(self, queue: QueueConfig, name: str) -> tuple[str, Any]:
        """The TOML key and value that set a queue's setting `name`: the queue's own, or
        the staffing-wide one it falls back to where it leaves it unset.

        >>> config = parse_staffing({"queues": [{"name": "p", "channel": "phone",
        ...                                      "max_occupancy": 0.9}]})
        >>> [config.setting_for(config.queues[0], n) for n in ("max_occupancy", "shrinkage")]
        [('staffing.queues.p.max_occupancy', 0.9), ('staffing.shrinkage', 0.3)]
        """
        own = to_table(queue)
        if name in own:
            return queue.key_of(name), own[name]
        return self.key_of(name), to_table(self).get(name)


def _first_set(own: float | None, staffing_wide: float) -> float:
    return staffing_wide if own is None else own


def parse_staffing(table: dict[str, Any] | None) -> StaffingConfig:
    """A `StaffingConfig` from the `[staffing]` TOML table (None or {} gives defaults)."""
    return from_table(StaffingConfig, table, "staffing")


def with_scenario(config: StaffingConfig, **changes: Any) -> StaffingConfig:
    """The config with staffing-wide what-if changes, checked like the TOML."""
    check_known_keys(changes, StaffingConfig.__dataclass_fields__, "staffing.")
    return replace(config, **changes)


def staffing_table(config: StaffingConfig) -> dict[str, Any]:
    """The TOML table of `config` (round-trips through `parse_staffing`)."""
    return to_table(config)

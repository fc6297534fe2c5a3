"""Staffing settings: queues, their channel models and targets, and volume adjustments.

`parse_staffing` turns the `[staffing]` table of a season's TOML into frozen dataclasses
and names the key of anything wrong. Unset queue settings fall back to the staffing-wide
ones; with no queues configured, each channel of the forecast is one queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from data.errors import ConfigError, check_known_keys

__all__ = ["MODELS", "OpeningHours", "QueueConfig", "StaffingConfig", "default_model",
           "parse_staffing", "staffing_table", "with_scenario"]

MODELS = ("erlang_c", "erlang_a", "chat", "backlog")
_DEFAULT_MODEL = {"phone": "erlang_c", "voice": "erlang_c", "call": "erlang_c",
                  "chat": "chat", "messaging": "chat", "email": "backlog", "mail": "backlog",
                  "social": "backlog", "ticket": "backlog", "form": "backlog"}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def default_model(channel: str) -> str:
    """The channel model a channel gets unless configured: phone is Erlang C, chat the
    concurrency model, email and other written channels the backlog model.

    >>> default_model("phone"), default_model("email"), default_model("video")
    ('erlang_c', 'backlog', 'erlang_c')
    """
    return _DEFAULT_MODEL.get(channel.lower(), "erlang_c")


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


@dataclass(frozen=True)
class QueueConfig:
    """One queue (a skill group on one channel) and how it is sized. Settings left None
    take the staffing-wide value. Times in seconds unless the name says hours."""

    name: str
    channel: str
    countries: tuple[str, ...] = ("*",)
    query_types: tuple[str, ...] = ("*",)
    model: str = ""
    service_level: float | None = None
    answer_within_s: float | None = None
    max_occupancy: float | None = None
    shrinkage: float | None = None
    aht_s: float | None = None
    patience_s: float = 180.0
    max_abandon: float = 1.0
    concurrency: int = 2
    slowdown_per_chat: float = 0.15
    respond_within_h: float = 24.0
    response_share: float = 0.9
    hours: OpeningHours = field(default_factory=OpeningHours)

    @property
    def channel_model(self) -> str:
        return self.model or default_model(self.channel)

    def serves(self, country: str, query_type: str, channel: str) -> bool:
        """Whether contacts of this country, query type and channel come to this queue."""
        return (channel == self.channel
                and ("*" in self.countries or country in self.countries)
                and ("*" in self.query_types or query_type in self.query_types))


@dataclass(frozen=True)
class StaffingConfig:
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

    service_level: float = 0.8
    answer_within_s: float = 20.0
    max_occupancy: float = 0.85
    shrinkage: float = 0.3
    shrinkage_by_hour: tuple[float, ...] = ()
    volume_uplift: float = 0.0
    volume_column: str = "yhat"
    aht_change: float = 0.0
    deflection: tuple[tuple[str, float], ...] = ()
    fcr: tuple[tuple[str, float], ...] = ()
    fcr_history: tuple[tuple[str, float], ...] = ()
    aht_s: tuple[tuple[str, float], ...] = ()
    default_aht_s: float = 300.0
    aht_weeks: int = 13
    queues: tuple[QueueConfig, ...] = ()

    def queue_value(self, queue: QueueConfig, name: str) -> Any:
        """A queue's setting, or the staffing-wide one where the queue leaves it unset."""
        value = getattr(queue, name)
        return getattr(self, name) if value is None else value


def _number(key: str, value: Any, low: float = 0.0, high: float = np.inf,
            open_low: bool = False, open_high: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise ConfigError(key, value, "must be a number")
    value = float(value)
    too_low = value <= low if open_low else value < low
    too_high = value >= high if open_high else value > high
    if too_low or too_high:
        lo, hi = ("(" if open_low else "["), (")" if open_high else "]")
        raise ConfigError(key, value, f"must be in {lo}{low:g}, {high:g}{hi}")
    return value


def _share(key: str, value: Any, *, allow_one: bool = True, allow_zero: bool = True) -> float:
    return _number(key, value, 0.0, 1.0, open_low=not allow_zero, open_high=not allow_one)


def _per_query_type(key: str, value: Any, check) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise ConfigError(key, value, "must be a table of query type = value")
    return tuple(sorted((str(name), check(f"{key}.{name}", v)) for name, v in value.items()))


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


def _spans(key: str, text: Any) -> tuple[tuple[int, int], ...]:
    if text == "closed":
        return ()
    spans = []
    for part in str(text).split(","):
        try:
            start, end = (_minutes(bit) for bit in part.split("-"))
        except ValueError:
            raise ConfigError(key, text, 'must be "HH:MM-HH:MM" (e.g. "08:00-20:00"), several '
                              'separated by commas, or "closed"') from None
        if not 0 <= start < end <= 1440:
            raise ConfigError(key, text, "each span must open before it closes, within one "
                              'day (use "24:00" for midnight)')
        spans.append((start, end))
    return tuple(sorted(spans))


def _minutes(part: str) -> int:
    hour, minute = part.strip().split(":")
    if not (hour.isdigit() and minute.isdigit() and len(minute) == 2):
        raise ValueError(part)
    return int(hour) * 60 + int(minute)


def _labels(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(key, value, 'must be a list of names, e.g. ["GB", "US"] or ["*"]')
    return tuple(value)


def _queue(index: int, table: Any) -> QueueConfig:
    prefix = f"staffing.queues[{index}]"
    if not isinstance(table, dict):
        raise ConfigError(prefix, table, "must be a table ([[staffing.queues]])")
    names = {f.name for f in fields(QueueConfig)}
    check_known_keys(table, names, prefix + ".")
    for required in ("name", "channel"):
        if not isinstance(table.get(required), str) or not table[required]:
            raise ConfigError(f"{prefix}.{required}", table.get(required),
                              "is required: the queue's name and the forecast channel it serves")
    values: dict[str, Any] = {"name": table["name"], "channel": table["channel"]}
    prefix = f"staffing.queues.{table['name']}"
    for key, value in table.items():
        where = f"{prefix}.{key}"
        if key in ("countries", "query_types"):
            values[key] = _labels(where, value)
        elif key == "model":
            if value not in MODELS:
                raise ConfigError(where, value, "must be one of " + ", ".join(MODELS))
            values[key] = value
        elif key == "hours":
            values[key] = _hours(where, value)
        elif key == "concurrency":
            number = _number(where, value, 1, 20)
            if not number.is_integer():
                raise ConfigError(where, value, "must be a whole number of chats per agent")
            values[key] = int(number)
        elif key in ("service_level", "max_occupancy", "response_share"):
            values[key] = _share(where, value, allow_zero=False)
        elif key in ("shrinkage",):
            values[key] = _share(where, value, allow_one=False)
        elif key == "max_abandon":
            values[key] = _share(where, value)
        elif key in ("aht_s", "patience_s", "respond_within_h"):
            values[key] = _number(where, value, 0, open_low=True)
        elif key in ("answer_within_s", "slowdown_per_chat"):
            values[key] = _number(where, value, 0)
    return QueueConfig(**values)


def parse_staffing(table: dict[str, Any] | None) -> StaffingConfig:
    """A `StaffingConfig` from the `[staffing]` TOML table (None or {} gives defaults)."""
    table = dict(table or {})
    check_known_keys(table, {f.name for f in fields(StaffingConfig)}, "staffing.")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"staffing.{key}"
        if key in ("service_level", "max_occupancy"):
            values[key] = _share(where, value, allow_zero=False)
        elif key == "shrinkage":
            values[key] = _share(where, value, allow_one=False)
        elif key == "shrinkage_by_hour":
            if not isinstance(value, list) or len(value) != 24:
                raise ConfigError(where, value, "must list 24 shares, one per local hour")
            values[key] = tuple(_share(f"{where}[{h}]", v, allow_one=False)
                                for h, v in enumerate(value))
        elif key in ("volume_uplift", "aht_change"):
            values[key] = _number(where, value, -1, 10, open_low=True)
        elif key == "volume_column":
            if value not in ("yhat", "yhat_upper"):
                raise ConfigError(where, value, 'must be "yhat" (the point forecast) or '
                                  '"yhat_upper" (the top of the band)')
            values[key] = value
        elif key == "deflection":
            values[key] = _per_query_type(where, value, lambda k, v: _share(k, v, allow_one=False))
        elif key in ("fcr", "fcr_history"):
            values[key] = _per_query_type(where, value, lambda k, v: _share(k, v, allow_zero=False))
        elif key == "aht_s":
            values[key] = _per_query_type(where, value,
                                          lambda k, v: _number(k, v, 0, open_low=True))
        elif key == "default_aht_s":
            values[key] = _number(where, value, 0, open_low=True)
        elif key == "answer_within_s":
            values[key] = _number(where, value, 0)
        elif key == "aht_weeks":
            values[key] = int(_number(where, value, 1, 520))
        elif key == "queues":
            if not isinstance(value, list):
                raise ConfigError(where, value, "must be a list of tables ([[staffing.queues]])")
            values[key] = tuple(_queue(i, q) for i, q in enumerate(value))
    config = StaffingConfig(**values)
    _check_queues(config)
    return config


def _check_queues(config: StaffingConfig) -> None:
    if config.service_level >= 1:
        raise ConfigError("staffing.service_level", config.service_level,
                          "1.0 cannot be met while contacts arrive at random; use e.g. 0.99")
    seen: set[str] = set()
    for queue in config.queues:
        if queue.name in seen:
            raise ConfigError("staffing.queues.name", queue.name, "is used by two queues")
        seen.add(queue.name)
        own = queue.service_level
        if own is not None and own >= 1 and queue.channel_model != "backlog":
            raise ConfigError(f"staffing.queues.{queue.name}.service_level", own,
                              "1.0 cannot be met while contacts arrive at random; use 0.99")


def with_scenario(config: StaffingConfig, **changes: Any) -> StaffingConfig:
    """The config with staffing-wide what-if changes (the same checks as the TOML)."""
    table = staffing_table(config)
    table.update(changes)
    return parse_staffing(table)


def staffing_table(config: StaffingConfig) -> dict[str, Any]:
    """The TOML table of `config` (round-trips through `parse_staffing`)."""
    table: dict[str, Any] = {}
    defaults = StaffingConfig()
    for item in fields(StaffingConfig):
        value = getattr(config, item.name)
        if item.name == "queues":
            if value:
                table["queues"] = [_queue_table(q) for q in value]
        elif isinstance(value, tuple) and value and isinstance(value[0], tuple):
            table[item.name] = dict(value)
        elif value != getattr(defaults, item.name) or item.name in (
                "service_level", "answer_within_s", "max_occupancy", "shrinkage"):
            table[item.name] = list(value) if isinstance(value, tuple) else value
    return table


def _queue_table(queue: QueueConfig) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = QueueConfig(queue.name, queue.channel)
    for item in fields(QueueConfig):
        value = getattr(queue, item.name)
        if item.name in ("name", "channel") or (value is not None
                                                 and value != getattr(defaults, item.name)):
            out[item.name] = (value.text() if isinstance(value, OpeningHours)
                              else list(value) if isinstance(value, tuple) else value)
    return out

"""The TOML configuration: season window, time zone and input files, checked on load."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from data import ConfigError, sample_paths
from data.errors import check_known_keys
from data.labels import country_setting
from data.timeparse import check_timezone
from forecast import ForecastConfig
from staffing import (
    CapacityRules,
    RosterRules,
    ScheduleRules,
    StaffingConfig,
    parse_schedule_rules,
    parse_staffing,
)

__all__ = [
    "Config",
    "DataConfig",
    "RunsConfig",
    "SeasonConfig",
    "load_config",
    "parse_config",
    "sample_config",
    "with_overrides",
]


@dataclass(frozen=True)
class SeasonConfig:
    """The season to plan: local dates (inclusive) in the center's time zone."""

    name: str = "peak"
    timezone: str = "Europe/Amsterdam"
    start: date | None = None
    end: date | None = None

    def window(self, history_end: date) -> tuple[date, date]:
        """First and last day of the season: as configured, else the first Q4 (1 October to
        31 December) that starts after the history's last day.

        >>> SeasonConfig().window(date(2026, 9, 30))
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
        >>> SeasonConfig().window(date(2026, 10, 1))
        (datetime.date(2027, 10, 1), datetime.date(2027, 12, 31))
        """
        if self.start and self.end:
            return self.start, self.end
        year = history_end.year + (history_end >= date(history_end.year, 10, 1))
        start = self.start or date(year, 10, 1)
        return start, self.end or date(start.year, 12, 31)


@dataclass(frozen=True)
class DataConfig:
    """Input files and how to read them; paths are relative to the config file."""

    volume: Path | None = None
    traffic: Path | None = None
    traffic_plan: Path | None = None
    events: Path | None = None
    agents: Path | None = None
    country: str | None = None
    query_type: str | None = None
    channel: str | None = None
    naive_timezone: str | None = None
    date_format: str | None = None
    allow_gaps: bool = False


@dataclass(frozen=True)
class RunsConfig:
    """Where runs are kept: `root` relative to the config file (default: ./runs in the
    working directory)."""

    root: Path = Path("runs")


@dataclass(frozen=True)
class Config:
    """Everything a run needs; `source` is the file it came from, if any."""

    season: SeasonConfig = field(default_factory=SeasonConfig)
    data: DataConfig = field(default_factory=DataConfig)
    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    runs: RunsConfig = field(default_factory=RunsConfig)
    source: Path | None = None
    staffing: StaffingConfig = field(default_factory=StaffingConfig)
    capacity: CapacityRules = field(default_factory=CapacityRules)
    schedule: ScheduleRules = field(default_factory=ScheduleRules)
    roster: RosterRules = field(default_factory=RosterRules)


SECTIONS = {"season": SeasonConfig, "data": DataConfig, "forecast": ForecastConfig,
            "runs": RunsConfig}
PATH_KEYS = {"volume", "traffic", "traffic_plan", "events", "agents", "root"}


def load_config(path: str | Path) -> Config:
    """Read and check a TOML config; raise `ConfigError` naming the key that is wrong."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("config", str(path), "no such file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", str(path), f"is not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError("config", str(path), "is not UTF-8 text") from None
    return parse_config(raw, base=path.parent, source=path)


def parse_config(raw: dict[str, Any], *, base: Path, source: Path | None = None) -> Config:
    """A `Config` from parsed TOML; relative paths are resolved against `base`."""
    check_known_keys(raw, {**SECTIONS, "staffing": StaffingConfig, "schedule": ScheduleRules}, "")
    sections = {}
    for name, cls in SECTIONS.items():
        values = raw.get(name, {})
        if not isinstance(values, dict):
            raise ConfigError(name, values, "must be a table ([" + name + "])")
        known = {f.name: f for f in fields(cls)}
        check_known_keys(values, known, name + ".")
        if cls is ForecastConfig:
            sections[name] = cls(**{k: _typed(f"{name}.{k}", v, getattr(ForecastConfig(), k))
                                    for k, v in values.items()})
        else:
            sections[name] = cls(**{k: _value(f"{name}.{k}", v, base)
                                    for k, v in values.items()})
    staffing = raw.get("staffing", {})
    if not isinstance(staffing, dict):
        raise ConfigError("staffing", staffing, "must be a table ([staffing])")
    staffing = dict(staffing)
    capacity = _capacity(staffing.pop("capacity", {}))
    rules = raw.get("schedule", {})
    if not isinstance(rules, dict):
        raise ConfigError("schedule", rules, "must be a table ([schedule])")
    config = Config(sections["season"], sections["data"], sections["forecast"],
                    sections["runs"], source, parse_staffing(staffing), capacity,
                    parse_schedule_rules(rules), _roster(rules.get("roster", {})))
    _check(config)
    return config


def _roster(table: Any) -> RosterRules:
    """`[schedule.roster]`: labour and burnout rules (RosterRules checks the values)."""
    if not isinstance(table, dict):
        raise ConfigError("schedule.roster", table, "must be a table ([schedule.roster])")
    check_known_keys(table, {f.name for f in fields(RosterRules)}, "schedule.roster.")
    values = dict(table)
    if "peak_days" in values:
        days = values["peak_days"]
        if not isinstance(days, list) or not all(isinstance(d, date) for d in days):
            raise ConfigError("schedule.roster.peak_days", days,
                              "must be a list of dates such as [2026-11-27, 2026-11-30]")
        values["peak_days"] = tuple(days)
    if "night_hours" in values:
        values["night_hours"] = _night(values["night_hours"])
    return RosterRules(**values)


def _night(value: Any) -> tuple[int, int]:
    try:
        first, last = (int(h) * 60 + int(m) for h, m in (v.split(":") for v in value))
    except (ValueError, TypeError, AttributeError):
        raise ConfigError("schedule.roster.night_hours", value,
                          'must be two times such as ["22:00", "06:00"]') from None
    return first, last


def _capacity(table: Any) -> CapacityRules:
    """`[staffing.capacity]`: the hiring plan's rules (CapacityRules checks the values)."""
    if not isinstance(table, dict):
        raise ConfigError("staffing.capacity", table, "must be a table ([staffing.capacity])")
    check_known_keys(table, {f.name for f in fields(CapacityRules)}, "staffing.capacity.")
    return CapacityRules(**table)


def _typed(key: str, value: Any, default: Any) -> Any:
    """`value` checked against the type of the setting's default (lists become tuples)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = number and float(value).is_integer()
        value = int(value) if ok else value
    elif isinstance(default, float):
        ok = number
        value = float(value) if ok else value
    elif isinstance(default, tuple):
        ok = isinstance(value, list)
        value = tuple(tuple(v) if isinstance(v, list) else v for v in value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ConfigError(key, value, f"must be {_kind(default)}")
    return value


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, tuple):
        return f"a list such as {list(default)}"
    return "text in quotes"


def _value(key: str, value: Any, base: Path) -> Any:
    name = key.split(".")[-1]
    if name in PATH_KEYS:
        if not isinstance(value, str) or not value:
            raise ConfigError(key, value, "must be a file path")
        return (base / value).resolve()
    if name in ("start", "end"):
        if not isinstance(value, date):
            raise ConfigError(key, value, "must be a date such as 2026-10-01 (no quotes)")
        return value
    if name == "allow_gaps":
        if not isinstance(value, bool):
            raise ConfigError(key, value, "must be true or false")
        return value
    if not isinstance(value, str):
        raise ConfigError(key, value, "must be text in quotes")
    return value or None


def _check(config: Config) -> None:
    season = config.season
    check_timezone(season.timezone, "season.timezone")
    if config.data.naive_timezone:
        check_timezone(config.data.naive_timezone, "data.naive_timezone")
    if season.start and season.end and season.end < season.start:
        raise ConfigError("season.end", season.end.isoformat(),
                          f"is before season.start {season.start.isoformat()}")
    if config.data.country:
        country_setting(config.data.country, "data.country")


def sample_config() -> Config:
    """The bundled sample's config."""
    return load_config(sample_paths()["config"])


def with_overrides(config: Config, **data_overrides: Any) -> Config:
    """The config with the given `data` settings replaced where not None."""
    changes = {k: v for k, v in data_overrides.items() if v is not None}
    return replace(config, data=replace(config.data, **changes))

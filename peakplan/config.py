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
from data.limits import ReadLimits
from data.settings import (
    Settings,
    date_value,
    flag,
    from_table,
    optional,
    path,
    setting,
    table_of,
    text,
    to_table,
)
from data.timeparse import FIRST_YEAR, LAST_YEAR, check_timezone
from forecast import ForecastConfig
from staffing import CapacityRules, RosterRules, ScheduleRules, StaffingConfig

__all__ = [
    "Config",
    "DataConfig",
    "RunsConfig",
    "SeasonConfig",
    "config_table",
    "load_config",
    "parse_config",
    "sample_config",
    "with_overrides",
]


def _timezone(key: str, value: Any) -> str:
    check_timezone(text()(key, value), key)
    return value


def _unset_if_empty(key: str, value: Any) -> str | None:
    """Text, where empty text means unset."""
    return None if value is None else text()(key, value) or None


def _country(key: str, value: Any) -> str | None:
    value = _unset_if_empty(key, value)
    if value is not None:
        country_setting(value, key)
    return value


MAX_NAME_CHARS = 100
"""A season's name labels its runs' folders: file systems take about 255 bytes a name."""
MAX_SEASON_DAYS = 366
"""The longest season: a year (a longer one is a typo in a year)."""


def _season_name(key: str, value: Any) -> str:
    value = text(empty=False)(key, value)
    if len(value) > MAX_NAME_CHARS:
        raise ConfigError(key, value, f"is {len(value):,} characters long; at most "
                          f"{MAX_NAME_CHARS} (it names the run folders)")
    return value


def _season_day(key: str, value: Any) -> date | None:
    value = optional(date_value)(key, value)
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ConfigError(key, value.isoformat(), f"must be a day in the years {FIRST_YEAR} "
                          f"to {LAST_YEAR}")
    return value


@dataclass(frozen=True)
class SeasonConfig(Settings):
    """The season to plan: local dates (inclusive) in the center's time zone, a year at
    most."""

    SECTION = "season"

    name: str = setting("peak", check=_season_name)
    timezone: str = setting("Europe/Amsterdam", check=_timezone)
    start: date | None = setting(None, check=_season_day)
    end: date | None = setting(None, check=_season_day)

    def check_together(self) -> None:
        if self.start and self.end:
            self._check_span(self.start, self.end)

    def _check_span(self, start: date, end: date) -> None:
        """A ConfigError on season.end unless `end` is 0 to a year after `start`."""
        if end < start:
            raise ConfigError(self.key_of("end"), end.isoformat(),
                              f"is before the season's start {start.isoformat()}")
        days = (end - start).days + 1
        if days > MAX_SEASON_DAYS:
            raise ConfigError(self.key_of("end"), end.isoformat(),
                              f"makes a season of {days:,} days from {start.isoformat()}; "
                              f"at most {MAX_SEASON_DAYS}")

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
        if self.start is None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ConfigError(self.key_of("start"), None, f"the history ends on {history_end}: "
                              "no season follows it in the years "
                              f"{FIRST_YEAR} to {LAST_YEAR}; set season.start")
        start = self.start or date(year, 10, 1)
        end = self.end or date(start.year, 12, 31)
        self._check_span(start, end)
        return start, end


@dataclass(frozen=True)
class DataConfig(Settings):
    """Input files and how to read them; paths are relative to the config file. limits:
    what a reader takes from one file ([data.limits], see `data.limits`)."""

    SECTION = "data"

    volume: Path | None = setting(None, check=optional(path))
    traffic: Path | None = setting(None, check=optional(path))
    traffic_plan: Path | None = setting(None, check=optional(path))
    events: Path | None = setting(None, check=optional(path))
    agents: Path | None = setting(None, check=optional(path))
    country: str | None = setting(None, check=_country)
    query_type: str | None = setting(None, check=_unset_if_empty)
    channel: str | None = setting(None, check=_unset_if_empty)
    naive_timezone: str | None = setting(None, check=optional(_timezone))
    date_format: str | None = setting(None, check=_unset_if_empty)
    allow_gaps: bool = setting(False, check=flag)
    limits: ReadLimits = setting(factory=ReadLimits, parse=table_of(ReadLimits))


@dataclass(frozen=True)
class RunsConfig(Settings):
    """Where runs are kept: `root` relative to the config file (default: ./runs in the
    working directory)."""

    SECTION = "runs"

    root: Path = setting(Path("runs"), check=path)


@dataclass(frozen=True)
class Config:
    """Everything a run needs; `source` is the file it came from, if any. Every section
    checks itself when built; the roster's night is the schedule's (set once)."""

    season: SeasonConfig = field(default_factory=SeasonConfig)
    data: DataConfig = field(default_factory=DataConfig)
    forecast: ForecastConfig = field(default_factory=ForecastConfig)
    runs: RunsConfig = field(default_factory=RunsConfig)
    source: Path | None = None
    staffing: StaffingConfig = field(default_factory=StaffingConfig)
    capacity: CapacityRules = field(default_factory=CapacityRules)
    schedule: ScheduleRules = field(default_factory=ScheduleRules)
    roster: RosterRules = field(default_factory=RosterRules)

    def __post_init__(self) -> None:
        if self.roster.night_hours != self.schedule.night_hours:
            object.__setattr__(self, "roster",
                               replace(self.roster, night_hours=self.schedule.night_hours))


SECTIONS = {"season": SeasonConfig, "data": DataConfig, "forecast": ForecastConfig,
            "runs": RunsConfig, "staffing": StaffingConfig, "schedule": ScheduleRules}
"""The top-level TOML tables and the settings they hold (`[staffing.capacity]` holds the
hiring rules and `[schedule.roster]` the roster's)."""


def load_config(path: str | Path) -> Config:
    """Read and check a TOML config; raise `ConfigError` naming the key that is wrong."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("config", str(path), "is not a regular file" if path.exists()
                          else "no such file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", str(path), f"is not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise ConfigError("config", str(path), "is not UTF-8 text") from None
    return parse_config(raw, base=path.parent, source=path)


def parse_config(raw: dict[str, Any], *, base: Path, source: Path | None = None) -> Config:
    """A `Config` from parsed TOML; relative paths are resolved against `base`."""
    check_known_keys(raw, SECTIONS, "")
    tables = {}
    for name in SECTIONS:
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(name, table, f"must be a table ([{name}])")
        tables[name] = dict(table)
    capacity = from_table(CapacityRules, tables["staffing"].pop("capacity", None),
                          "staffing.capacity")
    roster = from_table(RosterRules, tables["schedule"].pop("roster", None), "schedule.roster")
    sections = {name: from_table(cls, tables[name], name) for name, cls in SECTIONS.items()}
    return Config(season=sections["season"],
                  data=_resolved(sections["data"], tables["data"], base),
                  forecast=sections["forecast"],
                  runs=_resolved(sections["runs"], tables["runs"], base),
                  source=source, staffing=sections["staffing"], capacity=capacity,
                  schedule=sections["schedule"], roster=roster)


def _resolved(settings: Any, table: dict[str, Any], base: Path) -> Any:
    """`settings` with the paths its TOML `table` gives made absolute against `base` (the
    config's folder); defaults such as runs.root = "runs" stay relative to the working
    directory."""
    paths = {item.name: (base / value).resolve() for item in fields(settings)
             if item.name in table and isinstance(value := getattr(settings, item.name), Path)}
    return replace(settings, **paths)


def config_table(config: Config) -> dict[str, Any]:
    """The settings of `config` as the TOML tables they came from (unset values left out,
    paths absolute)."""
    return {"season": to_table(config.season), "data": to_table(config.data),
            "forecast": to_table(config.forecast),
            "runs": {"root": str(Path(config.runs.root).resolve())},
            "staffing": {**to_table(config.staffing), "capacity": to_table(config.capacity)},
            "schedule": {**to_table(config.schedule), "roster": to_table(config.roster)}}


def sample_config() -> Config:
    """The bundled sample's config."""
    return load_config(sample_paths()["config"])


def with_overrides(config: Config, **data_overrides: Any) -> Config:
    """The config with the given `data` settings replaced where not None."""
    changes = {k: v for k, v in data_overrides.items() if v is not None}
    return replace(config, data=replace(config.data, **changes))

"""Settings that check themselves: every settings class refuses a bad value however it is
built (TOML, code, dataclasses.replace), names the TOML key, and round-trips through TOML."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data import ConfigError
from data.settings import clock, from_table, number, share, to_table, whole
from forecast import ForecastConfig
from peakplan.config import Config, SeasonConfig, parse_config, sample_config
from peakplan.toml_out import config_toml
from staffing import (
    CapacityRules,
    QueueConfig,
    RosterRules,
    ScheduleRules,
    StaffingConfig,
    roster_xlsx,
)
from staffing.export.xlsx import _night_shifts
from staffing.schedule.rules import BreakRule, ShiftRule, _hour_cost

BUILT_IN_CODE = [
    (lambda: StaffingConfig(service_level=5), "staffing.service_level"),
    (lambda: StaffingConfig(service_level=1.0), "staffing.service_level"),
    (lambda: StaffingConfig(shrinkage_by_hour=(0.3,) * 23), "staffing.shrinkage_by_hour"),
    (lambda: StaffingConfig(deflection={"returns": 1.0}), "staffing.deflection.returns"),
    (lambda: QueueConfig("q", "chat", concurrency=0), "staffing.queues.q.concurrency"),
    (lambda: QueueConfig("q", "phone", service_level=1.0), "staffing.queues.q.service_level"),
    (lambda: QueueConfig("", "phone"), "staffing.queues.name"),
    (lambda: ScheduleRules(hourly_cost=-3), "schedule.hourly_cost"),
    (lambda: ScheduleRules(night_start=1320, night_end=1320), "schedule.night_end"),
    (lambda: ScheduleRules(shifts=()), "schedule.shifts"),
    (lambda: ShiftRule(4.0, (BreakRule(30, 3.0, 4.0),)), "schedule.shifts.breaks[0].latest_h"),
    (lambda: BreakRule(earliest_h=4, latest_h=3), "schedule.shifts.breaks.latest_h"),
    (lambda: RosterRules(min_rest_h=30), "schedule.roster.min_rest_h"),
    (lambda: CapacityRules(attrition_per_year=1.2), "staffing.capacity.attrition_per_year"),
    (lambda: CapacityRules(plan_week="2026-08-04"), "staffing.capacity.plan_week"),
    (lambda: ForecastConfig(interval_width=1.5), "forecast.interval_width"),
    (lambda: ForecastConfig(workers=-1), "forecast.workers"),
    (lambda: SeasonConfig(timezone="Mars/Olympus"), "season.timezone"),
    (lambda: SeasonConfig(start=date(2026, 12, 1), end=date(2026, 10, 1)), "season.end"),
]


@pytest.mark.parametrize(("build", "key"), BUILT_IN_CODE)
def test_a_dataclass_built_in_code_is_checked_and_names_its_key(build, key) -> None:
    with pytest.raises(ConfigError) as caught:
        build()
    assert caught.value.key == key


def test_replace_is_checked_like_the_toml() -> None:
    rules = ScheduleRules()
    with pytest.raises(ConfigError, match=r"schedule\.gap_rel"):
        dataclasses.replace(rules, gap_rel=2.0)
    assert dataclasses.replace(rules, gap_rel=0.01).gap_rel == 0.01


def test_checks_normalise_values() -> None:
    config = StaffingConfig(deflection={"b": 0.1, "a": 0.2}, aht_weeks=8.0,
                            shrinkage_by_hour=[0.3] * 24)
    assert config.deflection == (("a", 0.2), ("b", 0.1))
    assert isinstance(config.aht_weeks, int) and config.shrinkage_by_hour == (0.3,) * 24
    assert QueueConfig("q", "phone", countries="GB").countries == ("GB",)


@pytest.mark.parametrize("cls", [StaffingConfig, ScheduleRules, RosterRules, CapacityRules,
                                 ForecastConfig, SeasonConfig])
def test_defaults_round_trip_through_their_table(cls) -> None:
    section = cls.SECTION
    assert from_table(cls, to_table(cls()), section) == cls()


def test_night_is_set_once_for_pay_fairness_and_exports() -> None:
    raw = tomllib.loads('[schedule]\nnight_start = "20:00"\nnight_end = "04:00"\n')
    config = parse_config(raw, base=Path("."))
    assert config.schedule.night_hours == (20 * 60, 4 * 60)
    assert config.roster.night_hours == (20 * 60, 4 * 60)
    ds = pd.Series(pd.date_range("2026-10-05 19:00", periods=3, freq="h", tz="UTC"))
    cost = _hour_cost(ds, config.schedule)
    assert cost.tolist() == [25.0, 25.0 * 1.25, 25.0 * 1.25]  # 19:00 day, 20:00 and 21:00 night
    shift = pd.DataFrame({"start": pd.to_datetime(["2026-10-05 12:00", "2026-10-05 12:30"]),
                          "end": pd.to_datetime(["2026-10-05 20:00", "2026-10-05 20:30"])})
    shift = shift.apply(lambda c: c.dt.tz_localize("Europe/Amsterdam"))
    assert _night_shifts(shift, config.roster.night_hours).tolist() == [False, True]
    assert _night_shifts(shift, ScheduleRules().night_hours).tolist() == [False, False]


def test_the_workbook_names_the_configured_night() -> None:
    import io

    import openpyxl
    frame = pd.DataFrame({
        "agent_id": ["A"], "name": ["Ann"], "date": [date(2026, 10, 5)],
        "start": pd.to_datetime(["2026-10-05 12:30"]).tz_localize("Europe/Amsterdam"),
        "end": pd.to_datetime(["2026-10-05 20:30"]).tz_localize("Europe/Amsterdam"),
        "queue": ["q"], "paid_h": [7.5]})
    sheets = {}
    for night in ((22 * 60, 6 * 60), (20 * 60, 4 * 60)):
        book = openpyxl.load_workbook(io.BytesIO(roster_xlsx(frame, night_hours=night)))
        sheets[night] = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert sheets[(22 * 60, 6 * 60)][1][4] == 0 and sheets[(20 * 60, 4 * 60)][1][4] == 1
    assert any("20:00 to 04:00" in str(v) for row in sheets[(20 * 60, 4 * 60)] for v in row)


def test_the_roster_night_key_points_to_the_one_setting() -> None:
    raw = tomllib.loads('[schedule.roster]\nnight_hours = ["22:00", "06:00"]\n')
    with pytest.raises(ConfigError, match=r"schedule\.night_start"):
        parse_config(raw, base=Path("."))


def test_effective_settings_round_trip_with_awkward_text(tmp_path: Path) -> None:
    config = sample_config()
    name = 'peak "2026"\nline two \\ back\tslash ✓'
    awkward = dataclasses.replace(config, season=dataclasses.replace(config.season, name=name))
    text = config_toml(awkward)
    again = parse_config(tomllib.loads(text), base=tmp_path)
    assert again.season.name == name
    for section in ("season", "data", "forecast", "staffing", "capacity", "schedule", "roster"):
        assert getattr(again, section) == getattr(awkward, section), section
    assert again.runs.root == Path(awkward.runs.root).resolve()  # written as absolute paths


@given(st.text(max_size=40))
def test_any_season_name_writes_valid_toml(name: str) -> None:
    config = Config(season=SeasonConfig(name=name or "x"))
    again = parse_config(tomllib.loads(config_toml(config)), base=Path("."))
    assert again.season.name == (name or "x")


@given(st.one_of(st.none(), st.booleans(), st.text(max_size=5), st.integers(-5, 5),
                 st.floats(allow_nan=True, allow_infinity=True)))
def test_checks_accept_or_name_the_key(value) -> None:
    for check in (number(0, 10), share(one=False), whole(1, 5), clock):
        try:
            out = check("a.b", value)
        except ConfigError as exc:
            assert exc.key == "a.b" and "\n" not in str(exc)
        else:
            assert out is not None and (not isinstance(out, float) or np.isfinite(out))


def test_paths_given_are_relative_to_the_config_and_defaults_to_the_working_folder(
        tmp_path: Path) -> None:
    raw = tomllib.loads('[data]\nvolume = "in/contacts.csv"\n')
    config = parse_config(raw, base=tmp_path)
    assert config.data.volume == (tmp_path / "in" / "contacts.csv").resolve()
    assert config.runs.root == Path("runs")
    raw = tomllib.loads('[runs]\nroot = "store"\n')
    assert parse_config(raw, base=tmp_path).runs.root == (tmp_path / "store").resolve()

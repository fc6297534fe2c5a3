"""The TOML config: defaults, relative paths, and a clear error for every wrong key."""

from __future__ import annotations

from datetime import date

import pytest

from data import ConfigError
from peakplan.config import load_config, sample_config


def test_the_sample_config_points_at_the_bundled_files() -> None:
    config = sample_config()
    assert config.season.timezone == "Europe/Amsterdam"
    assert (config.season.start, config.season.end) == (date(2026, 10, 1), date(2026, 12, 31))
    for path in (config.data.volume, config.data.traffic, config.data.agents):
        assert path is not None and path.is_file()


def test_relative_paths_are_resolved_against_the_config_file(write, tmp_path) -> None:
    path = write("season.toml", '[data]\nvolume = "in/history.csv"\ncountry = "GB"\n')
    config = load_config(path)
    assert config.data.volume == (tmp_path / "in" / "history.csv").resolve()
    assert config.season.timezone == "Europe/Amsterdam" and config.data.country == "GB"


@pytest.mark.parametrize(("text", "key"), [
    ('[season]\ntimezon = "Europe/Paris"\n', "season.timezon"),
    ('[seasons]\nname = "x"\n', "seasons"),
    ('[season]\ntimezone = "Europe/Pariss"\n', "season.timezone"),
    ('[season]\nstart = "2026-10-01"\n', "season.start"),
    ("[season]\nstart = 2026-12-31\nend = 2026-10-01\n", "season.end"),
    ('[data]\ncountry = "Atlantis"\n', "data.country"),
    ("[data]\nallow_gaps = 1\n", "data.allow_gaps"),
    ("[data]\nvolume = 3\n", "data.volume"),
    ("[season\n", "config"),
    ("[season]\nstart = 2026-10-01T08:00:00\n", "season.start"),
    ("[season]\nend = 2026-12-31 23:59:00+01:00\n", "season.end"),
    ('[season]\nname = "' + "x" * 4000 + '"\n', "season.name"),
    ("[season]\nstart = 2026-10-01\nend = 2036-09-30\n", "season.end"),
    ("[season]\nstart = 0001-10-01\nend = 0001-12-31\n", "season.start"),
    ("[data.limits]\nmax_mb = 0\n", "data.limits.max_mb"),
    ("[data.limits]\nmax_cells = 1.5\n", "data.limits.max_cells"),
    ("[data.limits]\nmax_rows = 10\n", "data.limits.max_rows"),
    ("[data]\nlimits = 3\n", "data.limits"),
    ("[forecast]\ntraffic_lags_d = [[7, 3]]\n", "forecast.traffic_lags_d[0]"),
    ("[forecast]\ntraffic_lags_d = []\n", "forecast.traffic_lags_d"),
])
def test_wrong_settings_name_the_key(write, text, key) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write("bad.toml", text))
    assert error.value.key == key
    assert str(error.value).startswith(f"setting '{key}'")


def test_a_misspelt_key_gets_a_suggestion(write) -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'season\.timezone'"):
        load_config(write("bad.toml", '[season]\ntimezon = "Europe/Paris"\n'))


def test_a_missing_config_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(("last", "start", "end"), [
    (date(2026, 9, 30), date(2026, 10, 1), date(2026, 12, 31)),
    (date(2026, 3, 1), date(2026, 10, 1), date(2026, 12, 31)),
    (date(2026, 10, 1), date(2027, 10, 1), date(2027, 12, 31)),
    (date(2026, 12, 31), date(2027, 10, 1), date(2027, 12, 31)),
])
def test_the_default_season_is_the_next_q4(last, start, end) -> None:
    from peakplan.config import SeasonConfig

    assert SeasonConfig().window(last) == (start, end)
    assert SeasonConfig(start=date(2026, 11, 1), end=date(2026, 11, 30)).window(last) == (
        date(2026, 11, 1), date(2026, 11, 30))


def test_the_forecast_table_is_read_and_checked(write) -> None:
    config = load_config(write("f.toml", "[forecast]\nmodel = \"prophet\"\n"
                                         "national_window = [-2, 1]\n"
                                         "traffic_lags_d = [[0, 0], [1, 7]]\nworkers = 2\n"))
    assert config.forecast.model == "prophet"
    assert config.forecast.national_window == (-2, 1)
    assert config.forecast.traffic_lags_d == ((0, 0), (1, 7))
    for text, key in (('model = "crystal_ball"', "forecast.model"),
                      ("workers = 1.5", "forecast.workers"),
                      ("interval_width = 1.2", "forecast.interval_width"),
                      ('modle = "auto"', "forecast.modle")):
        with pytest.raises(ConfigError) as error:
            load_config(write("bad.toml", f"[forecast]\n{text}\n"))
        assert error.value.key == key


def test_effective_settings_round_trip_through_toml(tmp_path) -> None:
    import tomllib

    from peakplan.config import parse_config
    from peakplan.toml_out import config_toml

    config = sample_config()
    again = parse_config(tomllib.loads(config_toml(config)), base=tmp_path)
    assert (again.season, again.data, again.forecast) == (config.season, config.data,
                                                          config.forecast)


def test_settings_edge_cases_say_what_is_wrong(write) -> None:
    """The issue's settings cases: each message names the key and says why (issue 16)."""
    cases = {"start = 2026-10-01T08:00:00": "without a time of day, such as 2026-10-01",
             'name = "' + "x" * 4000 + '"': "4,000 characters long; at most 100",
             "start = 2026-10-01\nend = 2036-09-30": "a season of 3,653 days",
             "start = 0001-10-01": "the years 1900 to 2199"}
    for lines, said in cases.items():
        with pytest.raises(ConfigError) as error:
            load_config(write("bad.toml", f"[season]\n{lines}\n"))
        assert said in str(error.value), str(error.value)
        assert len(str(error.value)) < 480


def test_a_season_given_only_by_its_end_is_checked_too() -> None:
    from peakplan.config import SeasonConfig

    with pytest.raises(ConfigError, match="is before the season's start 2026-10-01"):
        SeasonConfig(end=date(2026, 9, 1)).window(date(2026, 3, 1))
    with pytest.raises(ConfigError, match="makes a season of"):
        SeasonConfig(end=date(2030, 1, 1)).window(date(2026, 3, 1))


def test_read_limits_are_a_setting_that_round_trips(write, tmp_path) -> None:
    import tomllib

    from peakplan.config import parse_config
    from peakplan.toml_out import config_toml

    config = load_config(write("l.toml", "[data.limits]\nmax_mb = 1024\nmax_cells = 60000000\n"))
    assert config.data.limits.max_bytes == 1024 << 20
    assert config.data.limits.max_cells == 60_000_000
    assert config.data.limits.max_excel_cells == 2_000_000  # the default
    again = parse_config(tomllib.loads(config_toml(config)), base=tmp_path)
    assert again.data.limits == config.data.limits


def test_the_season_flag_is_checked_like_the_setting() -> None:
    from peakplan.cli.flags import _season_flag

    for value, said in (("0001-10-01:0001-12-31", "the years 1900 to 2199"),
                        ("2026-10-01:2036-09-30", "a season of 3,653 days")):
        with pytest.raises(ConfigError) as error:
            _season_flag(value)
        assert error.value.key == "--season" and said in str(error.value)


def test_a_config_that_is_not_a_regular_file(tmp_path) -> None:
    import os

    fifo = tmp_path / "season.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is not a regular file"):
        load_config(fifo)

"""The forecast settings of issue 12: candidates, selection metric, plausibility factor and
the history a yearly season needs; a bad value is one ConfigError naming its key."""

from __future__ import annotations

import pytest

from data import ConfigError
from forecast import MODELS, ForecastConfig


def test_the_defaults_choose_among_four_candidates_by_wape() -> None:
    config = ForecastConfig()
    assert config.candidates == ("prophet", "mstl", "snaive_week", "snaive_year")
    assert config.selection_metric == "wape" and config.selection_margin == 0.1
    assert config.plausibility_factor == 1.4  # calibrated on the gauntlet
    assert config.yearly_min_days == 393  # a year and four weeks


def test_candidates_are_kept_in_order_once_each() -> None:
    config = ForecastConfig(candidates=["mstl", "ets", "mstl", "prophet"])
    assert config.candidates == ("mstl", "ets", "prophet")
    assert "auto" in MODELS and "auto" not in ForecastConfig().candidates


@pytest.mark.parametrize(("settings", "key", "said"), [
    ({"candidates": ["prophet", "crystal_ball"]}, "forecast.candidates[1]", "must be models of"),
    ({"candidates": ["auto"]}, "forecast.candidates[0]", "must be models of"),
    ({"candidates": []}, "forecast.candidates", "at least one model"),
    ({"candidates": "prophet"}, "forecast.candidates", "a list of model names"),
    ({"selection_metric": "rmse"}, "forecast.selection_metric", "one of wape, mape"),
    ({"plausibility_factor": 1}, "forecast.plausibility_factor", "above 1"),
    ({"plausibility_factor": "2"}, "forecast.plausibility_factor", ""),
    ({"yearly_min_days": 300}, "forecast.yearly_min_days", "365 or more"),
    ({"selection_margin": -0.1}, "forecast.selection_margin", ""),
    ({"model": "ets_and_theta"}, "forecast.model", "must be one of auto, prophet, mstl"),
    ({"traffic_lags_d": [[7, 3]]}, "forecast.traffic_lags_d[0]", "last lag day is before"),
    ({"traffic_lags_d": [[0, 0], [-1, 2]]}, "forecast.traffic_lags_d[1][0]", "from 0 to 366"),
    ({"traffic_lags_d": [[1, 400]]}, "forecast.traffic_lags_d[0][1]", "from 0 to 366"),
    ({"traffic_lags_d": [7, 3]}, "forecast.traffic_lags_d[0]", "[first, last] lag days"),
    ({"traffic_lags_d": []}, "forecast.traffic_lags_d", "at least one [first, last] group"),
])
def test_a_bad_setting_is_one_line_naming_its_key(settings, key, said) -> None:
    with pytest.raises(ConfigError) as error:
        ForecastConfig(**settings)
    message = str(error.value)
    assert error.value.key == key and f"'{key}'" in message and said in message
    assert "\n" not in message


def test_lag_groups_given_twice_are_kept_once() -> None:
    config = ForecastConfig(traffic_lags_d=[[0, 0], [1, 7], [0, 0]])
    assert config.traffic_lags_d == ((0, 0), (1, 7))


def test_the_cli_model_flag_names_every_model_of_the_registry() -> None:
    import argparse

    from peakplan.cli.flags import add_forecast_flags

    parser = argparse.ArgumentParser(prog="peakplan forecast")
    add_forecast_flags(parser)
    text = " ".join(parser.format_help().split())  # one line: argparse wraps the help
    assert all(f" {model}," in text or f" {model} " in text for model in MODELS)

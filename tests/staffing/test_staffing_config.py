"""The [staffing] table: defaults, queues, opening hours, and errors that name the key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from data import ConfigError
from peakplan.config import parse_config, sample_config
from peakplan.toml_out import config_toml
from staffing.requirements import default_model, parse_staffing, staffing_table, with_scenario


def test_defaults_and_one_queue_per_channel_model() -> None:
    config = parse_staffing(None)
    assert (config.service_level, config.answer_within_s, config.max_occupancy) == \
        (0.8, 20.0, 0.85)
    assert [default_model(c) for c in ("phone", "chat", "email", "Email")] == \
        ["erlang_c", "chat", "backlog", "backlog"]


def test_opening_hours_by_day_group_and_several_spans() -> None:
    config = parse_staffing({"queues": [{
        "name": "q", "channel": "phone",
        "hours": {"daily": "08:00-20:00", "sat": "09:00-12:00, 13:00-17:00",
                  "sun": "closed"}}]})
    hours = config.queues[0].hours
    ds = pd.DatetimeIndex(["2026-10-05 07:30", "2026-10-05 08:00", "2026-10-05 19:30",
                           "2026-10-05 20:00", "2026-10-10 12:30", "2026-10-10 13:00",
                           "2026-10-11 10:00"], tz="Europe/Amsterdam")
    assert hours.is_open(ds).tolist() == [False, True, True, False, False, True, False]
    # the autumn change-over: wall-clock hours, both 02:00s of 25 October are closed
    night = pd.date_range("2026-10-25 01:00", periods=8, freq="30min", tz="Europe/Amsterdam")
    assert not hours.is_open(night).any()


@pytest.mark.parametrize(("table", "key"), [
    ({"shrinkage": -0.1}, "staffing.shrinkage"),
    ({"shrinkage": 1.0}, "staffing.shrinkage"),
    ({"service_level": 1.0}, "staffing.service_level"),
    ({"service_level": 0}, "staffing.service_level"),
    ({"max_occupancy": 1.2}, "staffing.max_occupancy"),
    ({"answer_within_s": -5}, "staffing.answer_within_s"),
    ({"shrinkage_by_hour": [0.3] * 23}, "staffing.shrinkage_by_hour"),
    ({"deflection": {"order_status": 1.0}}, "staffing.deflection.order_status"),
    ({"fcr": {"returns": 0}}, "staffing.fcr.returns"),
    ({"volume_column": "yhat_lower"}, "staffing.volume_column"),
    ({"shrinkage_pct": 0.3}, "did you mean 'staffing.shrinkage"),
    ({"queues": [{"channel": "phone"}]}, "staffing.queues[0].name"),
    ({"queues": [{"name": "q", "channel": "phone", "model": "erlang_x"}]},
     "staffing.queues.q.model"),
    ({"queues": [{"name": "q", "channel": "chat", "concurrency": 1.5}]},
     "staffing.queues.q.concurrency"),
    ({"queues": [{"name": "q", "channel": "phone", "hours": {"mon": "20:00-08:00"}}]},
     "staffing.queues.q.hours.mon"),
    ({"queues": [{"name": "q", "channel": "phone", "hours": {"monday": "08:00-20:00"}}]},
     "did you mean 'staffing.queues.q.hours.mon"),
    ({"queues": [{"name": "q", "channel": "phone", "hours": "9 to 5"}]},
     "staffing.queues.q.hours"),
    ({"queues": [{"name": "q", "channel": "phone"}, {"name": "q", "channel": "chat"}]},
     "is used by two queues"),
    ({"queues": [{"name": "q", "channel": "phone", "service_level": 1.0}]},
     "staffing.queues.q.service_level"),
])
def test_bad_settings_name_their_key(table, key) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_staffing(table)
    assert key in str(caught.value)


def test_the_sample_config_round_trips_through_toml() -> None:
    config = sample_config()
    assert len(config.staffing.queues) == 12
    again = parse_config(tomllib.loads(config_toml(config)), base=Path("."))
    assert again.staffing == config.staffing and again.capacity == config.capacity
    assert parse_staffing(staffing_table(config.staffing)) == config.staffing


def test_scenarios_keep_queues_and_are_checked() -> None:
    base = sample_config().staffing
    changed = with_scenario(base, volume_uplift=0.2, shrinkage=0.35)
    assert changed.queues == base.queues and changed.volume_uplift == 0.2
    with pytest.raises(ConfigError, match=r"staffing\.shrinkage"):
        with_scenario(base, shrinkage=1.5)


def test_capacity_rules_are_read_and_checked() -> None:
    raw = tomllib.loads("[staffing.capacity]\nattrition_per_year = 0.4\nplan_week = 2026-08-03\n")
    config = parse_config(raw, base=Path("."))
    assert config.capacity.attrition_per_year == 0.4
    assert config.capacity.plan_week == pd.Timestamp("2026-08-03")
    for bad, key in (("attrition = 0.4", "did you mean 'staffing.capacity.attrition_per_year"),
                     ("attrition_per_year = 1.2", "staffing.capacity.attrition_per_year")):
        with pytest.raises(ConfigError, match=re.escape(key)):
            parse_config(tomllib.loads(f"[staffing.capacity]\n{bad}\n"), base=Path("."))


def test_a_queue_name_has_one_spelling_as_in_the_agents_file() -> None:
    """'Voice-EN' in the config is the agents file's 'voice_en' (data.queue_name)."""
    config = parse_staffing({"queues": [{"name": "Voice-EN", "channel": "phone"}]})
    assert config.queues[0].name == "voice_en"
    with pytest.raises(ConfigError, match="used by two queues"):
        parse_staffing({"queues": [{"name": "EN phone", "channel": "phone"},
                                   {"name": "en_phone", "channel": "phone"}]})
    with pytest.raises(ConfigError, match=r"staffing\.queues.*name.*letter or a digit"):
        parse_staffing({"queues": [{"name": "--", "channel": "phone"}]})

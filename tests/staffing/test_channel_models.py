"""The channel-model registry: one entry per model, read by settings, sizing, the memo
and the dashboard; formula refusals named by the setting's TOML key."""

from __future__ import annotations

import dataclasses
import tomllib

import numpy as np
import pandas as pd
import pytest

from data import ConfigError
from data import schema as s
from staffing import CHANNEL_MODELS, ChannelModel, QueueConfig, compute, parse_staffing, prepare
from staffing.requirements import QueueLoad, Sizing, SizingMemo, default_model

ZONE = "Europe/Amsterdam"
MODELS = ("erlang_c", "erlang_a", "chat", "backlog")


def interval_forecast(contacts: float = 40.0, channels=("phone",), countries=("GB",),
                      days: int = 2) -> pd.DataFrame:
    ds = pd.date_range("2026-10-05", periods=days * 48, freq="30min", tz=ZONE)
    return pd.concat([pd.DataFrame({
        "unique_id": f"{country}/order_status/{channel}", s.COUNTRY: country,
        s.QUERY_TYPE: "order_status", s.CHANNEL: channel, s.DS: ds, "yhat": contacts,
        "yhat_lower": contacts, "yhat_upper": contacts, "model": "test"})
        for channel in channels for country in countries], ignore_index=True)


def sized(queues: list[dict], forecast: pd.DataFrame | None = None, **table) -> pd.DataFrame:
    config = parse_staffing({"default_aht_s": 180, **table, "queues": queues})
    forecast = interval_forecast() if forecast is None else forecast
    return compute(prepare(forecast, config), config).frame


def test_every_model_has_one_entry() -> None:
    assert tuple(CHANNEL_MODELS) == MODELS
    fields = {f.name for f in dataclasses.fields(QueueConfig)}
    for name, model in CHANNEL_MODELS.items():
        assert isinstance(model, ChannelModel) and model.name == name
        assert set(model.uses) <= fields, name  # it reads real queue settings
        assert "max_occupancy" in model.uses
    claimed = [c for model in CHANNEL_MODELS.values() for c in model.channels]
    assert len(claimed) == len(set(claimed))  # each channel has one default model
    assert [default_model(c) for c in ("phone", "chat", "email", "Email", "video")] == \
        ["erlang_c", "chat", "backlog", "backlog", "erlang_c"]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_sizes_a_queue(model) -> None:
    frame = sized([{"name": "q", "channel": "phone", "model": model}])
    assert (frame["model"] == model).all() and frame[s.AGENTS_NET].max() > 0
    assert set(frame.columns) >= {"abandon_rate", "backlog", "answer_within_s"}
    own_columns = CHANNEL_MODELS[model].columns
    for column in ("abandon_rate", "backlog"):
        assert frame[column].notna().any() == (column in own_columns), column


def test_an_unknown_model_in_toml_names_the_key_and_the_known_ones() -> None:
    raw = tomllib.loads('[[staffing.queues]]\nname = "en_phone"\nchannel = "phone"\n'
                        'model = "erlang_x"\n')
    with pytest.raises(ConfigError) as caught:
        parse_staffing(raw["staffing"])
    assert caught.value.key == "staffing.queues.en_phone.model"
    assert caught.value.problem == "must be one of erlang_c, erlang_a, chat, backlog"


def flat(agents: int, *, fail_on: str = "", refuse: str = "") -> ChannelModel:
    """A fake model: `agents` everywhere; it refuses `refuse` ("<argument>: ...") for
    the queue named `fail_on`, or for every queue when that is empty."""

    def size(loads, interval_s: float) -> list[Sizing]:
        if refuse and any(fail_on in ("", load.queue.name) for load in loads):
            raise ValueError(refuse)
        return [Sizing(np.full(len(load.contacts), agents), np.ones(len(load.contacts)),
                       np.zeros(len(load.contacts)), load.contacts * 0.0, 42.0,
                       {"flat_note": np.full(len(load.contacts), 7.0)}) for load in loads]

    return ChannelModel("flat", size, (("service_level", "service_level"),
                                       ("max_occupancy", "max_occupancy")),
                        channels=("video",), columns=("flat_note",))


def test_a_model_registered_in_a_test_is_used_without_other_edits(monkeypatch) -> None:
    monkeypatch.setitem(CHANNEL_MODELS, "flat", flat(3))
    frame = sized([{"name": "v", "channel": "video"},  # the model's default channel
                   {"name": "p", "channel": "phone", "model": "flat"},
                   {"name": "e", "channel": "email"}],
                  interval_forecast(channels=("video", "phone", "email")))
    by_queue = frame.groupby("queue")
    assert by_queue["model"].first().to_dict() == {"e": "backlog", "p": "flat", "v": "flat"}
    ours = frame[frame["model"] == "flat"]
    assert (ours[s.AGENTS_NET] == 3).all() and (ours["answer_within_s"] == 42.0).all()
    assert (ours["flat_note"] == 7.0).all()
    assert frame.loc[frame["queue"] == "e", "flat_note"].isna().all()


def test_the_memo_keys_a_sizing_by_the_targets_its_model_reads(monkeypatch) -> None:
    monkeypatch.setitem(CHANNEL_MODELS, "flat", flat(3))
    config = parse_staffing({"queues": [{"name": "v", "channel": "video"}]})
    prepared = prepare(interval_forecast(channels=("video",)), config)
    memo = SizingMemo()
    for change in ({}, {"answer_within_s": 10.0}, {"service_level": 0.9}):
        compute(prepared, dataclasses.replace(config, **change), memo=memo)
    assert len(memo) == 2  # answer_within_s is not a setting of this model


def test_a_refused_setting_is_named_by_its_toml_key() -> None:
    """Settings allow any slowdown; the chat formula refuses 5 and more."""
    with pytest.raises(ConfigError) as caught:
        sized([{"name": "c", "channel": "chat", "slowdown_per_chat": 6.0}],
              interval_forecast(channels=("chat",)))
    error = caught.value
    assert (error.key, error.value) == ("staffing.queues.c.slowdown_per_chat", 6.0)
    assert "below 5" in error.problem and "slowdown_per_chat:" not in error.problem


@pytest.mark.parametrize(("queue", "key", "value"), [
    ({}, "staffing.service_level", 0.8),  # left unset: the staffing-wide setting
    ({"service_level": 0.9}, "staffing.queues.v.service_level", 0.9),
])
def test_a_refused_target_is_named_where_it_is_set(monkeypatch, queue, key, value) -> None:
    monkeypatch.setitem(CHANNEL_MODELS, "flat",
                        flat(3, refuse="service_level: too ambitious for this model"))
    with pytest.raises(ConfigError) as caught:
        sized([{"name": "v", "channel": "video", **queue}],
              interval_forecast(channels=("video",)))
    error = caught.value
    assert (error.key, error.value, error.problem) == (key, value,
                                                       "too ambitious for this model")


def test_a_refusal_in_a_batch_names_its_own_queue(monkeypatch) -> None:
    monkeypatch.setitem(CHANNEL_MODELS, "flat",
                        flat(3, fail_on="bad", refuse="max_occupancy: not for this queue"))
    queues = [{"name": "good", "channel": "video", "countries": ["US"]},
              {"name": "bad", "channel": "video", "countries": ["GB"], "max_occupancy": 0.7}]
    with pytest.raises(ConfigError) as caught:
        sized(queues, interval_forecast(channels=("video",), countries=("GB", "US")))
    assert (caught.value.key, caught.value.value) == ("staffing.queues.bad.max_occupancy", 0.7)


def test_forecast_volumes_no_formula_takes_name_the_queue() -> None:
    with pytest.raises(ConfigError) as caught:
        sized([{"name": "p", "channel": "phone"}], interval_forecast(contacts=-5.0))
    assert caught.value.key == "staffing.queues.p"
    assert "erlang_c" in caught.value.problem and "load_erlangs" in caught.value.problem


def test_queue_loads_name_their_targets() -> None:
    config = parse_staffing({"queues": [{"name": "p", "channel": "phone",
                                         "service_level": 0.9}]})
    targets = config.for_queue(config.queues[0])
    load = QueueLoad(config.queues[0], pd.Series(dtype=object), np.zeros(0), np.zeros(0),
                     np.zeros(0, bool), targets.service_level, targets.answer_within_s,
                     targets.max_occupancy)
    assert load.targets() == (("service_level", 0.9), ("answer_within_s", 20.0),
                              ("max_occupancy", 0.85))

"""Chat: the slot model (agents running several chats at once)."""

from __future__ import annotations

import numpy as np
import pytest

from data.errors import ConfigError
from staffing import parse_staffing
from staffing.queueing.chat import chat_agents, chat_handle_time_s, chat_measures
from staffing.queueing.erlang import agents_for_target

HALF_HOUR = 1800
PER_DAY = 48

# --- chat ------------------------------------------------------------------------------

CONTACTS = np.array([0.0, 1.0, 7.0, 40.0, 100.0, 260.0, 900.0])


def test_one_chat_at_a_time_is_plain_erlang_c() -> None:
    for aht, cap in ((180, 1.0), (420, 0.85)):
        chat = chat_agents(CONTACTS, aht, HALF_HOUR, 1, 0.0, 0.8, 20, cap)
        voice = agents_for_target(CONTACTS * aht / HALF_HOUR, aht, 0.8, 20, cap)
        np.testing.assert_array_equal(chat, voice)


@pytest.mark.parametrize("slowdown", [0.0, 0.1])
def test_more_chats_at_once_need_fewer_agents(slowdown) -> None:
    agents = np.array([chat_agents(CONTACTS, 300, HALF_HOUR, c, slowdown, 0.8, 30)
                       for c in (1, 2, 3, 4)])
    assert np.all(np.diff(agents, axis=0) <= 0)
    assert np.all(agents[1, 3:] < agents[0, 3:])  # a busy queue: strictly fewer at 2


def test_slowdown_raises_agents() -> None:
    agents = np.array([chat_agents(CONTACTS, 300, HALF_HOUR, 3, s, 0.8, 30)
                       for s in (0.0, 0.1, 0.2, 0.4)])
    assert np.all(np.diff(agents, axis=0) >= 0)
    assert np.all(agents[-1, 3:] > agents[0, 3:])
    assert float(chat_handle_time_s(300, 3, 0.2)) == 420.0
    assert float(chat_handle_time_s(300, 1, 0.5)) == 300.0  # one chat: no slowdown


def test_chat_agents_are_the_fewest_whose_slots_meet_the_target() -> None:
    agents = chat_agents(CONTACTS, 300, HALF_HOUR, 3, 0.15, 0.8, 30, 0.9)
    busy = CONTACTS > 0
    level, wait, slot_busy = chat_measures(CONTACTS, 300, HALF_HOUR, agents, 3, 0.15, 30)
    assert np.all(level[busy] >= 0.8) and np.all(slot_busy <= 0.9 + 1e-12)
    assert np.all(np.isfinite(wait))
    fewer, _, fewer_busy = chat_measures(CONTACTS[busy], 300, HALF_HOUR, agents[busy] - 1, 3,
                                         0.15, 30)
    assert not np.any((fewer >= 0.8) & (fewer_busy <= 0.9))
    assert agents[0] == 0


@pytest.mark.parametrize(("concurrency", "slowdown", "argument"), [
    (0, 0.0, "concurrency"),
    (1.5, 0.0, "concurrency"),
    (-2, 0.0, "concurrency"),
    (2, -0.1, "slowdown_per_chat"),
    (2, float("nan"), "slowdown_per_chat"),
])
def test_bad_chat_settings_name_the_setting(concurrency, slowdown, argument) -> None:
    """The formula names its argument; the same values as queue settings name the key."""
    with pytest.raises(ValueError, match=f"^{argument}: "):
        chat_agents(CONTACTS, 300, HALF_HOUR, concurrency, slowdown, 0.8, 30)
    queue = {"name": "q", "channel": "chat", "concurrency": concurrency,
             "slowdown_per_chat": slowdown}
    with pytest.raises(ConfigError) as caught:
        parse_staffing({"queues": [queue]})
    key = f"staffing.queues.q.{argument}"
    assert caught.value.key == key and key in str(caught.value)

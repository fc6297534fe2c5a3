"""Chat staffing: agents running several chats at once (the slot model).

Voice uses Erlang C or A directly (`erlang`, `erlang_a` beside this module); deferred
work (e-mail) has its backlog model in `staffing.queueing.backlog`.
"""

from __future__ import annotations

import numpy as np

from staffing.queueing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    occupancy,
    service_level,
)

__all__ = [
    "chat_agents",
    "chat_handle_time_s",
    "chat_measures",
]


def chat_handle_time_s(aht_s, concurrency, slowdown_per_chat):
    """Handle time of one chat when an agent runs `concurrency` chats at once: each extra
    chat slows every chat by `slowdown_per_chat` (0.2 = 20% longer per extra chat).

    >>> float(chat_handle_time_s(300, 3, 0.2))
    420.0
    """
    return np.asarray(aht_s, dtype=float) * (1 + slowdown_per_chat * (np.asarray(concurrency) - 1))


def _check_chat(concurrency: int, slowdown_per_chat: float) -> None:
    if not float(concurrency).is_integer() or concurrency < 1:
        raise ValueError("concurrency: must be a whole number of chats per agent, 1 or more")
    if not 0 <= slowdown_per_chat < 5:
        raise ValueError("slowdown_per_chat: must be a share of the handle time per extra "
                         "chat, 0 or more and below 5 (e.g. 0.15)")


def chat_agents(contacts, aht_s, interval_s: float, concurrency: int,
                slowdown_per_chat: float, target: float, answer_within_s: float,
                max_occupancy: float = 1.0) -> np.ndarray:
    """Agents for a chat queue by the slot model: every agent offers `concurrency` slots,
    each a server of Erlang C whose handle time is the slowed-down one. Sized for
    agents that run full concurrency, which is what they do at the peak; at quiet times
    it overstates handle time a little, so it errs on the safe side.

    >>> int(chat_agents(100, 180, 1800, 2, 0.0, 0.8, 20))  # 2 chats each: 14 slots
    7
    """
    _check_chat(concurrency, slowdown_per_chat)
    handle = chat_handle_time_s(aht_s, concurrency, slowdown_per_chat)
    load = np.asarray(contacts, dtype=float) * handle / interval_s
    slots = agents_for_target(load, handle, target, answer_within_s, max_occupancy)
    return np.ceil(slots / concurrency).astype(np.int64)


def chat_measures(contacts, aht_s, interval_s: float, agents, concurrency: int,
                  slowdown_per_chat: float, answer_within_s: float):
    """(service level, average wait s, slot occupancy) of a chat queue with `agents`."""
    handle = chat_handle_time_s(aht_s, concurrency, slowdown_per_chat)
    load = np.asarray(contacts, dtype=float) * handle / interval_s
    slots = np.asarray(agents, dtype=float) * concurrency
    return (service_level(load, slots, handle, answer_within_s),
            average_speed_of_answer(load, slots, handle), occupancy(load, slots))

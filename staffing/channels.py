"""Staffing models per channel: chat with concurrency, and deferred work (email) with a
backlog carried across intervals and days.

Voice uses Erlang C or A directly (`staffing.erlang`, `staffing.erlang_a`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.errors import ConfigError
from staffing.erlang import agents_for_target, average_speed_of_answer, occupancy, service_level

__all__ = [
    "BacklogPlan",
    "backlog_agents",
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
        raise ConfigError("staffing.queues.concurrency", concurrency,
                          "must be a whole number of chats per agent, 1 or more")
    if not 0 <= slowdown_per_chat < 5:
        raise ConfigError("staffing.queues.slowdown_per_chat", slowdown_per_chat,
                          "must be a share of the handle time, 0 or more (e.g. 0.15)")


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


@dataclass(frozen=True)
class BacklogPlan:
    """Deferred work per interval: agents (whole people), work done and backlog at the
    interval's end (contacts), the share of each interval's arrivals answered within the
    target, and their mean response time (s of open time; NaN where nothing arrived);
    paced_share: the share the pace was set for (stricter than the target where that
    was needed for every day to meet it)."""

    agents: np.ndarray
    handled: np.ndarray
    backlog: np.ndarray
    within_target: np.ndarray
    response_s: np.ndarray
    paced_share: float = 1.0


def backlog_agents(contacts, aht_s, interval_s: float, open_, respond_within_s: float,
                   target_share: float, max_occupancy: float = 1.0, days=None) -> BacklogPlan:
    """Staff deferred work (email) first in, first out so that `target_share` of the
    contacts are answered within `respond_within_s` of open time (the clock of an email
    promise stops while the queue is closed), carrying the backlog across intervals,
    nights and closed days. Contacts arriving while closed queue for the next opening.

    The target holds for each day's arrivals: `days` labels each interval's day (local
    dates, say); without it, 24-hour blocks from the first interval.
    In each open interval the plan works at the lowest steady pace that still meets every
    deadline ahead (work due by then, less work done, over the open time left before it),
    so staffing is level rather than a rush before each deadline. Work is due at the
    target share one response time after it arrives and in full after two: what is
    overdue never exceeds the missed share of one window's arrivals, so lateness cannot
    pile up over a season. Contacts arrive evenly within an open interval.

    >>> plan = backlog_agents([40, 0, 0, 0], 360, 3600, [True] * 4, 4 * 3600, 1.0)
    >>> plan.agents.tolist(), round(float(plan.backlog[-1]), 6)
    ([1, 1, 1, 1], 0.0)
    """
    arrivals = np.asarray(contacts, dtype=float)
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), arrivals.shape)
    is_open = np.broadcast_to(np.asarray(open_, dtype=bool), arrivals.shape)
    _check_backlog(target_share, respond_within_s, max_occupancy)
    count = len(arrivals)
    opened = np.flatnonzero(is_open)
    # each interval's work joins the next open interval (index into `opened`)
    slot = np.searchsorted(opened, np.arange(count), side="left")
    # the plan runs on past its end over as many open intervals as the response window
    # and a week more (nothing new arriving), so the last days are paced like any other
    lag = respond_within_s / interval_s
    pad = int(np.ceil(2 * lag)) + round(7 * 86400 / interval_s)
    size = len(opened) + pad
    # what arrived while closed is all waiting at the opening (its clock starts then);
    # what arrives in an open interval comes evenly within it
    carried = np.bincount(slot[~is_open], weights=(arrivals * aht)[~is_open], minlength=size)
    own = np.bincount(slot[is_open], weights=(arrivals * aht)[is_open], minlength=size)
    curve = _Arrivals(carried[:size], own[:size])
    if days is None:
        day = np.arange(count) // max(1, round(86400 / interval_s))
    else:
        day = pd.factorize(np.asarray(days))[0]
    # Pace to the target share first; where some day's arrivals then fall short of it
    # (the allowed shortfall lands on whole cohorts, e.g. Monday's first hours after a
    # closed weekend), pace to a stricter share, up to all of them.
    for paced in dict.fromkeys((target_share, (1 + target_share) / 2, 1.0)):
        agents_open, done = _paced(curve, interval_s * max_occupancy, lag, paced)
        within_open, response_open = _fifo_response(curve, done, interval_s,
                                                    respond_within_s)
        if _each_day_meets(within_open[slot], arrivals, day, target_share):
            break
    agents = np.zeros(count, dtype=np.int64)
    agents[opened] = agents_open[: len(opened)]
    handled = np.zeros(count)
    handled[opened] = np.diff(done)[: len(opened)]
    done_by_end = np.concatenate([[0.0], np.cumsum(handled)])[1:]
    backlog = np.cumsum(arrivals * aht) - done_by_end
    per_contact = np.where(aht > 0, aht, 1.0)
    some = arrivals > 0
    within = np.where(some, within_open[slot], np.nan)
    response = np.where(some, response_open[slot], np.nan)
    return BacklogPlan(agents, handled / per_contact, np.clip(backlog, 0, None) / per_contact,
                       within, response, paced)


def _each_day_meets(within: np.ndarray, arrivals: np.ndarray, day: np.ndarray,
                    target: float) -> bool:
    """Whether every day's arrivals are answered in time at the target share or better."""
    on_time = np.bincount(day, weights=np.nan_to_num(within) * arrivals)
    total = np.bincount(day, weights=arrivals)
    busy = total > 1e-9
    return bool(np.all(on_time[busy] >= target * total[busy] - 1e-6))


def _check_backlog(target_share: float, respond_within_s: float, max_occupancy: float):
    if not 0 < target_share <= 1:
        raise ConfigError("staffing.queues.response_share", target_share,
                          "must be a share above 0 and at most 1, e.g. 0.9")
    if not respond_within_s > 0:
        raise ConfigError("staffing.queues.respond_within_h", respond_within_s / 3600,
                          "must be hours above 0")
    if not 0 < max_occupancy <= 1:
        raise ConfigError("staffing.max_occupancy", max_occupancy, "must be in (0, 1]")


@dataclass(frozen=True)
class _Arrivals:
    """Cumulative work arriving over open intervals (agent-seconds): `carried[k]` lands
    at once at the start of open interval k, `own[k]` evenly within it."""

    carried: np.ndarray
    own: np.ndarray

    @property
    def before(self) -> np.ndarray:
        """Work arrived before each interval's start (length + 1)."""
        return np.concatenate([[0.0], np.cumsum(self.carried + self.own)])

    def by(self, t: np.ndarray) -> np.ndarray:
        """Work arrived by time t (in intervals), a pile landing at t included."""
        t = np.asarray(t, dtype=float)
        k = np.clip(np.floor(t).astype(np.int64), 0, len(self.own) - 1)
        value = self.before[k] + self.carried[k] + self.own[k] * np.clip(t - k, 0, 1)
        return np.where(t < 0, 0.0, value)

    def time_of(self, level: np.ndarray) -> np.ndarray:
        """When the work at cumulative position `level` arrived (in intervals)."""
        before = self.before
        k = np.clip(np.searchsorted(before, level, side="right") - 1, 0, len(self.own) - 1)
        landed = before[k] + self.carried[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(self.own[k] > 0, (level - landed) / self.own[k], 0.0)
        return k + np.clip(frac, 0, 1)


def _paced(arrivals: _Arrivals, capacity_s: float, lag: float, share: float
           ) -> tuple[np.ndarray, np.ndarray]:
    """Agents per open interval and cumulative work done (agent-seconds, length + 1),
    each agent giving `capacity_s` per interval."""
    total = len(arrivals.own)
    available = arrivals.before[1:]  # all that has arrived by each interval's end
    ends = np.arange(1, total + 1, dtype=float)
    due = share * arrivals.by(ends - lag) + (1 - share) * arrivals.by(ends - 2 * lag)
    horizon = int(np.ceil(2 * lag)) + 1  # no deadline further ahead shapes the pace
    windows = np.lib.stride_tricks.sliding_window_view(
        np.concatenate([due, np.full(horizon - 1, due[-1])]), horizon)
    room = capacity_s * np.arange(1, horizon + 1)  # per agent, from i to each window end
    agents = np.zeros(total, dtype=np.int64)
    done = np.zeros(total + 1)
    done_now = 0.0
    for i in range(total):
        pace = float(((windows[i] - done_now) / room).max())
        # never more agents than the work waiting (or arriving) now can use: a pile that
        # lands at the next opening is paced when it is there, not before
        usable = (available[i] - done_now) / capacity_s
        staff = int(np.ceil(min(pace, usable) - 1e-9)) if pace > 0 else 0
        agents[i] = staff
        done_now += min(staff * capacity_s, available[i] - done_now)
        done[i + 1] = done_now
    return agents, done


def _fifo_response(arrivals: _Arrivals, done: np.ndarray, interval_s: float,
                   respond_within_s: float, samples: int = 16
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Share answered in time and mean response (s of open time) per open interval's
    arrivals, read off the first-in-first-out cumulative curves: the work at cumulative
    position w is finished when the done curve reaches w (`samples` evenly spaced
    positions per interval). Work still unfinished at the end counts as late."""
    before = arrivals.before
    share = (np.arange(samples) + 0.5) / samples
    position = before[:-1, None] + np.diff(before)[:, None] * share[None, :]
    start = arrivals.time_of(position.ravel()).reshape(position.shape)
    finish = _first_reach(done, position.ravel()).reshape(position.shape)
    waited = (finish - start) * interval_s
    some = np.diff(before) > 0
    within = np.where(some, np.mean(waited <= respond_within_s + 1e-6, axis=1), np.nan)
    with np.errstate(invalid="ignore"):
        response = np.where(some, np.mean(waited, axis=1), np.nan)
    return within, response


def _first_reach(curve: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Time (in intervals, linear within one) at which a non-decreasing cumulative curve
    first reaches each level; inf where it never does."""
    index = np.searchsorted(curve, level - 1e-9, side="left")
    out = np.full(level.shape, np.inf)
    ok = index < len(curve)
    k = index[ok]
    before = np.maximum(k - 1, 0)
    rise = curve[k] - curve[before]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(rise > 0, (level[ok] - curve[before]) / rise, 1.0)
    out[ok] = np.where(k == 0, 0.0, before + np.clip(frac, 0, 1))
    return out

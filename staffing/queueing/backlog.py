"""Deferred work (e-mail): agents to answer a share of contacts within a response time,
with the backlog carried across intervals, nights and closed days.

`backlog_agents` plans one queue; `backlog_plans` plans several at once (the same plans,
paced together in one pass over the intervals, which is what makes a what-if scenario
over a season's e-mail queues quick).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["BacklogPlan", "BacklogQueue", "backlog_agents", "backlog_plans"]


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


@dataclass(frozen=True)
class BacklogQueue:
    """One deferred-work queue to plan: the arguments of `backlog_agents`."""

    contacts: Any
    aht_s: Any
    interval_s: float
    open_: Any
    respond_within_s: float
    target_share: float
    max_occupancy: float = 1.0
    days: Any = None


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
    return backlog_plans([BacklogQueue(contacts, aht_s, interval_s, open_, respond_within_s,
                                       target_share, max_occupancy, days)])[0]


def backlog_plans(queues: Sequence[BacklogQueue]) -> list[BacklogPlan]:
    """`backlog_agents` for each queue: the same plans, paced in one pass for all."""
    if not queues:
        return []
    setups = [_setup(queue) for queue in queues]
    # Pace to the target share first; where some day's arrivals then fall short of it
    # (the allowed shortfall lands on whole cohorts, e.g. Monday's first hours after a
    # closed weekend), pace to a stricter share, up to all of them. Every candidate pace
    # of every queue is worked out together; per queue, the first that holds wins.
    rows = [(setup, share) for setup in setups for share in setup.shares]
    paced = iter(_paced(rows))
    return [_first_holding(setup, [(share, *next(paced)) for share in setup.shares])
            for setup in setups]


def _first_holding(setup: _Setup, candidates: list[tuple[float, np.ndarray, np.ndarray]]
                   ) -> BacklogPlan:
    """The plan of the first candidate pace (share, agents, work done) under which every
    day's arrivals meet the target; the last (strictest) one when none does."""
    for i, (share, agents_open, done) in enumerate(candidates):
        within_open, response_open = _fifo_response(setup.curve, done, setup.interval_s,
                                                    setup.respond_within_s)
        last = i == len(candidates) - 1
        if last or _each_day_meets(within_open[setup.slot], setup.arrivals, setup.day,
                                   setup.target_share):
            return _plan(setup, share, agents_open, done, within_open, response_open)
    raise ValueError("no candidate pace")  # never: there is always one


@dataclass(frozen=True)
class _Setup:
    """A queue's arrivals laid out over its open intervals, ready to pace."""

    arrivals: np.ndarray
    aht: np.ndarray
    opened: np.ndarray
    slot: np.ndarray
    day: np.ndarray
    curve: _Arrivals
    lag: float
    capacity_s: float
    interval_s: float
    respond_within_s: float
    target_share: float

    @property
    def shares(self) -> tuple[float, ...]:
        """The shares to pace to, in the order they are tried."""
        share = self.target_share
        return tuple(dict.fromkeys((share, (1 + share) / 2, 1.0)))


def _setup(queue: BacklogQueue) -> _Setup:
    arrivals = np.asarray(queue.contacts, dtype=float)
    aht = np.broadcast_to(np.asarray(queue.aht_s, dtype=float), arrivals.shape)
    is_open = np.broadcast_to(np.asarray(queue.open_, dtype=bool), arrivals.shape)
    _check_backlog(queue.target_share, queue.respond_within_s, queue.max_occupancy)
    interval_s = queue.interval_s
    count = len(arrivals)
    opened = np.flatnonzero(is_open)
    # each interval's work joins the next open interval (index into `opened`)
    slot = np.searchsorted(opened, np.arange(count), side="left")
    # the plan runs on past its end over as many open intervals as the response window
    # and a week more (nothing new arriving), so the last days are paced like any other
    lag = queue.respond_within_s / interval_s
    pad = int(np.ceil(2 * lag)) + round(7 * 86400 / interval_s)
    size = len(opened) + pad
    # what arrived while closed is all waiting at the opening (its clock starts then);
    # what arrives in an open interval comes evenly within it
    carried = np.bincount(slot[~is_open], weights=(arrivals * aht)[~is_open], minlength=size)
    own = np.bincount(slot[is_open], weights=(arrivals * aht)[is_open], minlength=size)
    if queue.days is None:
        day = np.arange(count) // max(1, round(86400 / interval_s))
    else:
        day = pd.factorize(np.asarray(queue.days))[0]
    return _Setup(arrivals, aht, opened, slot, day, _Arrivals(carried[:size], own[:size]),
                  lag, interval_s * queue.max_occupancy, interval_s, queue.respond_within_s,
                  queue.target_share)


def _plan(setup: _Setup, share: float, agents_open: np.ndarray, done: np.ndarray,
          within_open: np.ndarray, response_open: np.ndarray) -> BacklogPlan:
    """The paced open intervals mapped back onto all intervals."""
    arrivals, aht, opened, slot = setup.arrivals, setup.aht, setup.opened, setup.slot
    count = len(arrivals)
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
                       within, response, share)


def _paced(rows: Sequence[tuple[_Setup, float]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per (queue, share): agents per open interval and cumulative work done
    (agent-seconds, length + 1), each agent giving the queue's `capacity_s` per interval.

    In each interval the pace is the lowest that meets every deadline ahead: the largest
    of (work due by the end of interval i + j, less work done) / (capacity of j + 1
    intervals) over the window j of the response time. All rows step together (numpy
    per interval, not per row); a row's window shorter than the longest is padded with
    infinite capacity, whose pace of 0 never decides anything.
    """
    totals = [len(setup.curve.own) for setup, _ in rows]
    horizons = [int(np.ceil(2 * setup.lag)) + 1 for setup, _ in rows]  # no deadline further
    steps, widest = max(totals), max(horizons)                         # ahead shapes it
    due = np.empty((len(rows), steps + widest - 1))
    room = np.full((len(rows), widest), np.inf)
    available = np.empty((steps, len(rows)))  # all that has arrived by each interval's end
    capacity = np.array([setup.capacity_s for setup, _ in rows])
    for r, ((setup, share), total, horizon) in enumerate(zip(rows, totals, horizons,
                                                               strict=True)):
        ends = np.arange(1, total + 1, dtype=float)
        curve = setup.curve
        due[r, :total] = share * curve.by(ends - setup.lag) + (1 - share) * curve.by(
            ends - 2 * setup.lag)
        due[r, total:] = due[r, total - 1]
        room[r, :horizon] = setup.capacity_s * np.arange(1, horizon + 1)
        available[:total, r] = curve.before[1:]
        available[total:, r] = curve.before[-1]
    agents = np.zeros((steps, len(rows)))
    done = np.zeros((steps + 1, len(rows)))
    done_now = np.zeros(len(rows))
    for i in range(steps):
        pace = ((due[:, i:i + widest] - done_now[:, None]) / room).max(axis=1)
        # never more agents than the work waiting (or arriving) now can use: a pile that
        # lands at the next opening is paced when it is there, not before
        waiting = available[i] - done_now
        staff = np.where(pace > 0, np.ceil(np.minimum(pace, waiting / capacity) - 1e-9), 0.0)
        agents[i] = staff
        done_now = done_now + np.minimum(staff * capacity, waiting)
        done[i + 1] = done_now
    return [(agents[:total, r].astype(np.int64), done[:total + 1, r].copy())
            for r, total in enumerate(totals)]


def _each_day_meets(within: np.ndarray, arrivals: np.ndarray, day: np.ndarray,
                    target: float) -> bool:
    """Whether every day's arrivals are answered in time at the target share or better."""
    on_time = np.bincount(day, weights=np.nan_to_num(within) * arrivals)
    total = np.bincount(day, weights=arrivals)
    busy = total > 1e-9
    return bool(np.all(on_time[busy] >= target * total[busy] - 1e-6))


def _check_backlog(target_share: float, respond_within_s: float, max_occupancy: float):
    if not 0 < target_share <= 1:
        raise ValueError("target_share: must be a share above 0 and at most 1, e.g. 0.9")
    if not respond_within_s > 0:
        raise ValueError("respond_within_s: must be seconds above 0")
    if not 0 < max_occupancy <= 1:
        raise ValueError("max_occupancy: must be a share above 0 and at most 1, e.g. 0.85")


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

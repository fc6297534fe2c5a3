"""Discrete-event simulation of the staffing models: the check that the formulas hold.

Each simulator replays contacts (arrival times in seconds from the start of the first
interval) against agents per interval, draws what is random from a seeded
`numpy.random.Generator` (or a seed) and reports per *arrival* interval, so a plan sized
with `erlang`, `erlang_a` or `chat` (beside this module) can be run against the very
contacts it was sized for. Assumptions shared by all simulators:

- first come, first served; handle (work) times are exponential with mean `aht_s` of the
  contact's arrival interval (`aht_s` a scalar or one value per interval);
- staffing changes at interval boundaries; when it falls, busy agents finish what they
  hold and no new contact starts until fewer are busy than are staffed (chat: the
  agents going off shift finish their chats, see `simulate_chat`);
- after the last interval its staffing stays on until the queue is empty, so contacts
  are not dropped at the horizon (unless that staffing is 0: then they are never
  answered and their wait is infinite).

Service level is answered within the target / offered (abandoned contacts are missed),
as in `staffing.queueing.erlang_a`; `mean_wait_s` is the mean time in queue of all offered
contacts, abandoners included (time until they hung up).
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "SimResult",
    "arrivals_from_counts",
    "poisson_arrivals",
    "simulate_backlog",
    "simulate_chat",
    "simulate_voice",
]

_INF = float("inf")
RngLike = np.random.Generator | int


@dataclass(frozen=True)
class SimResult:
    """Simulated measures: `intervals` has one row per arrival interval (`interval` =
    0, 1, ...), `totals` the same columns over the whole run (counts summed, shares and
    means recomputed from the sums, `interval` dropped)."""

    intervals: pd.DataFrame
    totals: pd.Series


def poisson_arrivals(contacts_per_interval, interval_s: float, rng: RngLike) -> np.ndarray:
    """Sorted arrival times (s) of a Poisson process whose expected count in interval k
    is `contacts_per_interval[k]`: a Poisson count per interval, uniform times within it.

    >>> poisson_arrivals([0.0, 0.0], 1800, rng=1).size
    0
    """
    rng = np.random.default_rng(rng)
    mean = np.asarray(contacts_per_interval, dtype=float)
    if np.any(~np.isfinite(mean)) or np.any(mean < 0):
        raise ValueError("contacts_per_interval: expected contacts must be finite and 0 or "
                         "more")
    return arrivals_from_counts(rng.poisson(mean), interval_s, rng)


def arrivals_from_counts(counts, interval_s: float, rng: RngLike) -> np.ndarray:
    """Sorted arrival times (s) with exactly `counts[k]` contacts in interval k (of
    `interval_s` seconds), each uniform within its interval: for observed counts.

    >>> (arrivals_from_counts([2, 0, 1], 300, rng=0) // 300).tolist()  # slot of each
    [0.0, 0.0, 2.0]
    """
    rng = np.random.default_rng(rng)
    counts = np.asarray(counts, dtype=float)
    if np.any(~np.isfinite(counts)) or np.any(counts < 0) or np.any(counts % 1):
        raise ValueError("counts: must be whole numbers, 0 or more")
    if not interval_s > 0:
        raise ValueError("interval_s: must be seconds above 0")
    slot = np.repeat(np.arange(len(counts)), counts.astype(np.int64))
    return np.sort((slot + rng.uniform(0.0, 1.0, slot.size)) * interval_s)


def _check(arrival_times_s, agents_per_interval, interval_s: float, aht_s
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated (arrivals s, arrival interval, agents, aht s per interval)."""
    arrivals = np.asarray(arrival_times_s, dtype=float)
    agents = np.asarray(agents_per_interval)
    if agents.ndim != 1 or agents.size == 0 or np.any(agents < 0) or np.any(agents % 1):
        raise ValueError("agents_per_interval: give one whole number of agents, 0 or more, "
                         "per interval")
    if not interval_s > 0:
        raise ValueError("interval_s: must be seconds above 0")
    horizon = agents.size * interval_s
    if arrivals.size and (np.any(~np.isfinite(arrivals)) or np.any(np.diff(arrivals) < 0)
                          or arrivals[0] < 0 or arrivals[-1] >= horizon):
        raise ValueError(f"arrival_times_s: must be sorted seconds in [0, {horizon:g})")
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), agents.shape)
    if np.any(~(aht > 0)):
        raise ValueError("aht_s: handle times must be seconds above 0")
    index = np.minimum((arrivals // interval_s).astype(np.int64), agents.size - 1)
    return arrivals, index, agents.astype(np.int64), aht


def _fifo_starts(arrivals: np.ndarray, work: np.ndarray, deadlines: np.ndarray,
                 agents: np.ndarray, interval_s: float) -> np.ndarray:
    """Start times (s; inf if never started) of first-come-first-served contacts on
    `agents[k]` servers in interval k, each leaving unserved at its deadline.

    One pass in arrival order: a contact starts at the first moment after its arrival
    and after the previous start at which fewer are busy than are staffed; staffing and
    busy counts change only at boundaries and completions, so the clock jumps between
    those. Abandoners leave the servers as they were, which is why a later contact can
    never start before an earlier one that was still waiting."""
    staffed = agents.tolist()
    last = len(staffed) - 1
    bounds = [k * interval_s for k in range(len(staffed) + 1)]
    busy: list[float] = []  # finish times of contacts in service
    starts = [_INF] * len(arrivals)
    clock, k = 0.0, 0
    for i, (a, w, d) in enumerate(zip(arrivals.tolist(), work.tolist(), deadlines.tolist(),
                                      strict=True)):
        t = max(a, clock)
        while True:
            while k < last and t >= bounds[k + 1]:
                k += 1
            while busy and busy[0] <= t:
                heapq.heappop(busy)
            if t > d:
                break
            if len(busy) < staffed[k]:
                starts[i] = t
                heapq.heappush(busy, t + w)
                break
            nxt = min(busy[0] if busy else _INF, bounds[k + 1] if k < last else _INF)
            if nxt == _INF:
                break  # nobody staffed ever again
            t = nxt  # nothing changes before then (if past the deadline: abandoned)
        clock = t
    return np.asarray(starts, dtype=float)


def _summary(index: np.ndarray, count: int, started: np.ndarray, waited: np.ndarray,
             abandoned: np.ndarray, answer_within_s: float) -> SimResult:
    """Per-interval and overall measures of a queue answered when service starts."""
    answered = np.isfinite(started)
    sums = {
        "offered": np.ones(index.size),
        "answered": answered,
        "answered_within": answered & (waited <= answer_within_s),
        "abandoned": abandoned,
        "waited": waited > 0,
        "wait_s": waited,
    }
    frame = pd.DataFrame({"interval": np.arange(count)} | {
        name: np.bincount(index, weights=np.asarray(v, dtype=float), minlength=count)
        for name, v in sums.items()})
    return _result(frame, {"service_level": ("answered_within", "offered"),
                           "abandon_rate": ("abandoned", "offered"),
                           "wait_probability": ("waited", "offered"),
                           "mean_wait_s": ("wait_s", "offered")}, ["wait_s"])


def _result(frame: pd.DataFrame, ratios: dict[str, tuple[str, str]], drop: list[str]
            ) -> SimResult:
    """Add ratio columns (name: (numerator, denominator); NaN over 0) to summed counts,
    per interval and over the whole run, and drop the helper columns."""
    total = frame.drop(columns="interval").sum().to_frame().T

    def finish(part: pd.DataFrame) -> pd.DataFrame:
        with np.errstate(divide="ignore", invalid="ignore"):
            extra = {name: np.where(part[den] > 0, part[num] / part[den], np.nan)
                     for name, (num, den) in ratios.items()}
        return part.assign(**extra).drop(columns=drop)

    return SimResult(finish(frame), finish(total).iloc[0].astype(float).rename("total"))


def simulate_voice(arrival_times_s, agents_per_interval, interval_s: float, aht_s,
                   answer_within_s: float, patience_s: float | None = None, *,
                   rng: RngLike) -> SimResult:
    """Multi-server first-come-first-served phone queue (M/M/n, or M/M/n+M with
    `patience_s`: each caller hangs up after an exponential patience with that mean
    (s) if not answered by then). Handle times exponential, mean `aht_s` (s) of the
    arrival interval; `agents_per_interval` whole agents per interval of `interval_s`.

    Columns per arrival interval: offered, answered, answered_within (waited at most
    `answer_within_s`), abandoned, waited (wait > 0, abandoners included), service_level
    (answered_within / offered), abandon_rate, wait_probability, mean_wait_s.

    >>> r = simulate_voice([0.0, 1.0, 2.0], [1], 1800, 100, 20, rng=0)
    >>> r.totals[["offered", "answered", "answered_within"]].tolist()
    [3.0, 3.0, 1.0]
    """
    arrivals, index, agents, aht = _check(arrival_times_s, agents_per_interval, interval_s,
                                          aht_s)
    rng = np.random.default_rng(rng)
    work = aht[index] * rng.standard_exponential(arrivals.size)
    deadlines = np.full(arrivals.size, np.inf)
    if patience_s is not None:
        if not patience_s > 0:
            raise ValueError("patience_s: must be seconds above 0")
        deadlines = arrivals + patience_s * rng.standard_exponential(arrivals.size)
    starts = _fifo_starts(arrivals, work, deadlines, agents, interval_s)
    abandoned = ~np.isfinite(starts) & np.isfinite(deadlines)
    waited = np.where(abandoned, deadlines, starts) - arrivals
    return _summary(index, agents.size, starts, waited, abandoned, answer_within_s)


def simulate_chat(arrival_times_s, agents_per_interval, interval_s: float, aht_s,
                  concurrency: int, slowdown_per_chat: float, answer_within_s: float, *,
                  rng: RngLike) -> SimResult:
    """Chat queue where each agent holds up to `concurrency` chats. An agent with k
    chats moves every one of them on at 1 / (1 + slowdown_per_chat (k - 1)) of solo
    speed (processor sharing with a slowdown); each chat needs exponential solo work
    with mean `aht_s` (s). A new chat goes to the staffed agent with the fewest chats
    below `concurrency` (lowest number on ties), else waits first come, first served.
    Agents are numbered: in interval k the first `agents_per_interval[k]` are staffed;
    the others finish their chats but take no new one. No abandonment. Columns as
    `simulate_voice`; a chat is answered when an agent takes it.

    >>> r = simulate_chat([0.0, 1.0, 2.0], [1], 1800, 100, 2, 0.0, 20, rng=0)
    >>> r.totals[["answered", "answered_within"]].tolist()
    [3.0, 2.0]
    """
    if not float(concurrency).is_integer() or concurrency < 1:
        raise ValueError("concurrency: must be a whole number 1 or more")
    if not slowdown_per_chat >= 0:
        raise ValueError("slowdown_per_chat: must be 0 or more")
    arrivals, index, agents, aht = _check(arrival_times_s, agents_per_interval, interval_s,
                                          aht_s)
    work = aht[index] * np.random.default_rng(rng).standard_exponential(arrivals.size)
    starts = _chat_starts(arrivals, work, agents, interval_s, int(concurrency),
                          float(slowdown_per_chat))
    waited = starts - arrivals
    return _summary(index, agents.size, starts, waited, np.zeros(arrivals.size, bool),
                    answer_within_s)


class _ChatFloor:
    """Agents' chats as processor sharing: per agent the work done per chat so far
    (`progress`, solo seconds, as of `stamp`) and a heap of the progress at which each
    of its chats is done; completions are events checked against a version number.
    `free` is a heap of (chats, agent) below concurrency, checked when popped."""

    def __init__(self, agents: int, concurrency: int, slowdown: float, work: list[float]):
        count = max(agents, 1)
        self.speed = [0.0] + [1 / (1 + slowdown * (k - 1)) for k in range(1, concurrency + 1)]
        self.concurrency = concurrency
        self.loads = [0] * count
        self.progress = [0.0] * count
        self.stamp = [0.0] * count
        self.done_at: list[list[float]] = [[] for _ in range(count)]
        self.version = [0] * count
        self.events: list[tuple[float, int, int]] = []
        self.free = [(0, j) for j in range(count)]
        self.work = work

    def _change(self, j: int, t: float, step: int) -> None:
        """Bring agent j's progress up to t, change its chat count, reschedule."""
        load = self.loads[j]
        self.progress[j] += (t - self.stamp[j]) * self.speed[load]
        self.stamp[j] = t
        self.loads[j] = load = load + step
        if load < self.concurrency:
            heapq.heappush(self.free, (load, j))
        self.version[j] += 1
        if self.done_at[j]:
            due = t + (self.done_at[j][0] - self.progress[j]) / self.speed[load]
            heapq.heappush(self.events, (due, self.version[j], j))

    def take(self, j: int, chat: int, t: float) -> None:
        progress = self.progress[j] + (t - self.stamp[j]) * self.speed[self.loads[j]]
        heapq.heappush(self.done_at[j], progress + self.work[chat])
        self._change(j, t, 1)

    def finish(self, j: int, t: float) -> None:
        heapq.heappop(self.done_at[j])
        self._change(j, t, -1)

    def staff(self, first: int, stop: int) -> None:
        """Agents first..stop-1 come on shift."""
        for j in range(first, stop):
            if self.loads[j] < self.concurrency:
                heapq.heappush(self.free, (self.loads[j], j))

    def free_agent(self, staffed: int) -> int | None:
        """The staffed agent with the fewest chats (lowest number on ties), if any is
        below concurrency; stale entries are dropped on the way."""
        free, loads = self.free, self.loads
        while free:
            load, j = free[0]
            if load == loads[j] and j < staffed:
                return j
            heapq.heappop(free)
        return None


def _chat_starts(arrivals: np.ndarray, work: np.ndarray, agents: np.ndarray,
                 interval_s: float, concurrency: int, slowdown: float) -> np.ndarray:
    """Times (s) at which each chat is taken by an agent (inf if never)."""
    staffed = agents.tolist()
    last = len(staffed) - 1
    floor = _ChatFloor(max(staffed), concurrency, slowdown, work.tolist())
    times = arrivals.tolist()
    starts = [_INF] * len(times)
    waiting: deque[int] = deque()
    i, k = 0, 0

    def serve_queue(t: float) -> None:
        while waiting and (j := floor.free_agent(staffed[k])) is not None:
            chat = waiting.popleft()
            starts[chat] = t
            floor.take(j, chat, t)

    while i < len(times) or floor.events or (waiting and k < last):
        t_arrive = times[i] if i < len(times) else _INF
        t_bound = (k + 1) * interval_s if k < last else _INF
        t_event = floor.events[0][0] if floor.events else _INF
        if t_event <= min(t_arrive, t_bound):
            _, version, j = heapq.heappop(floor.events)
            if version == floor.version[j]:
                floor.finish(j, t_event)
                serve_queue(t_event)
        elif t_bound <= t_arrive:
            k += 1
            floor.staff(staffed[k - 1], staffed[k])
            serve_queue(t_bound)
        else:
            waiting.append(i)
            i += 1
            serve_queue(t_arrive)
    return np.asarray(starts, dtype=float)


def simulate_backlog(arrival_times_s, agents_per_interval, interval_s: float, open_, aht_s,
                     respond_within_s: float, *, rng: RngLike,
                     fixed_handle: bool = False) -> SimResult:
    """Deferred work (email) worked first in, first out in open intervals only, each of
    the `agents_per_interval[k]` agents one server. Handle times are exponential with
    mean `aht_s` (s), or exactly `aht_s` with `fixed_handle`. The response time counts
    open seconds only: the clock stops while closed, work in hand at closing resumes at
    the next opening, and contacts arriving while closed start the clock at the next
    opening. It runs as `simulate_voice` without abandonment on open time
    (tau = open seconds before t), and an email is answered when it is finished.

    Columns per arrival interval: offered, answered (finished, ever), answered_within
    (within `respond_within_s` open seconds), service_level (answered_within / offered),
    mean_response_s (open seconds, over answered), handled (finished in the interval) and
    backlog (arrived and not finished at the interval's end; totals: at the last end).

    >>> r = simulate_backlog([0.0, 10.0], [1, 0, 1], 3600, [True, False, True], 3000,
    ...                      5000, rng=0, fixed_handle=True)
    >>> r.intervals[["handled", "backlog"]].values.tolist()  # the 2nd waits for the 3rd
    [[1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
    >>> r.totals[["answered_within", "mean_response_s"]].tolist()  # 3000 and 6000 - 10 s
    [1.0, 4495.0]
    """
    arrivals, index, agents, aht = _check(arrival_times_s, agents_per_interval, interval_s,
                                          aht_s)
    is_open = np.broadcast_to(np.asarray(open_, dtype=bool), agents.shape)
    opened = np.flatnonzero(is_open)
    if opened.size == 0:
        raise ValueError("open_: never open; open at least one interval")
    count = agents.size
    before = np.concatenate([[0.0], np.cumsum(is_open)]) * interval_s  # open s by start k
    tau = before[index] + np.where(is_open[index], arrivals - index * interval_s, 0.0)
    draws = np.random.default_rng(rng).standard_exponential(arrivals.size)
    work = aht[index] * (1.0 if fixed_handle else draws)
    done = _fifo_starts(tau, work, np.full(tau.size, np.inf), agents[opened], interval_s)
    done = done + work
    response = done - tau
    answered = np.isfinite(done)
    slot = (done[answered] // interval_s).astype(np.int64)  # open interval finished in
    handled = np.bincount(opened[slot[slot < opened.size]], minlength=count)
    offered = np.bincount(index, minlength=count)
    frame = pd.DataFrame({
        "interval": np.arange(count),
        "offered": offered.astype(float),
        "answered": np.bincount(index, weights=answered.astype(float), minlength=count),
        "answered_within": np.bincount(index, weights=(response <= respond_within_s + 1e-9)
                                       .astype(float), minlength=count),
        "response_s": np.bincount(index[answered], weights=response[answered],
                                  minlength=count),
        "handled": handled.astype(float),
        "backlog": np.cumsum(offered - handled).astype(float),
    })
    result = _result(frame, {"service_level": ("answered_within", "offered"),
                             "mean_response_s": ("response_s", "answered")}, ["response_s"])
    totals = result.totals.copy()
    totals["backlog"] = frame["backlog"].iloc[-1]
    return SimResult(result.intervals, totals)

"""Erlang B, C and A, vectorised and stable for thousands of agents.

Every function takes scalars or NumPy arrays and broadcasts. Loads are in Erlangs
(arrivals per interval x handle time / interval length); times are in seconds.
No factorials: Erlang B comes from the Poisson probability and distribution function
through the (log-)gamma functions, with a series where those underflow, so loads of
tens of thousands of Erlangs neither overflow nor lose precision.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "agents_for_target",
    "average_speed_of_answer",
    "check_service_level",
    "check_target",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "service_level",
    "smallest_meeting",
]

_SERIES_TERMS = 600


def _as_float(value) -> np.ndarray:
    return np.asarray(value, dtype=float)


def _inverse_b_series(n: np.ndarray, load: np.ndarray) -> np.ndarray:
    """1/B(n, A) = sum_k prod_{j<k} (n-j)/A, for heavy overload (A well above n) where
    the Poisson distribution function underflows; the terms fall geometrically there."""
    total = np.ones_like(load)
    term = np.ones_like(load)
    for k in range(_SERIES_TERMS):
        term = term * np.clip(n - k, 0, None) / load
        total = total + term
        if not np.any(term > 1e-17 * total):
            break
    return total


def erlang_b(load_erlangs, agents) -> np.ndarray:
    """Blocking probability of M/M/n/n: the share of arrivals finding all n busy.

    >>> round(float(erlang_b(10, 14)), 4)  # textbook table: 10 Erlangs, 14 trunks
    0.0568
    >>> float(erlang_b(0, 3)), float(erlang_b(5, 0))
    (0.0, 1.0)
    """
    load, n = np.broadcast_arrays(_as_float(load_erlangs), _as_float(agents))
    if np.any(n != np.floor(n)):
        raise ValueError("agents: must be whole numbers")
    out = np.ones(load.shape)
    busy = (n > 0) & (load > 0)
    out[(n > 0) & (load <= 0)] = 0.0
    a, k = load[busy], n[busy]
    with np.errstate(divide="ignore", under="ignore", invalid="ignore"):
        log_pmf = k * np.log(a) - a - special.gammaln(k + 1)
        cdf = special.pdtr(k, a)
        value = np.exp(log_pmf - np.log(cdf))
    bad = ~np.isfinite(value) | (cdf < 1e-280)
    if np.any(bad):
        value[bad] = 1.0 / _inverse_b_series(k[bad], a[bad])
    out[busy] = np.clip(value, 0.0, 1.0)
    return out if out.ndim else out[()]


def erlang_c(load_erlangs, agents) -> np.ndarray:
    """Probability that an arrival waits in M/M/n (1 where n <= load: the queue grows
    without bound).

    >>> round(float(erlang_c(10, 14)), 4)  # 100 calls in 30 min at 180 s, 14 agents
    0.1741
    """
    load, n = np.broadcast_arrays(_as_float(load_erlangs), _as_float(agents))
    blocking = erlang_b(load, n)
    stable = n > load
    with np.errstate(divide="ignore", invalid="ignore"):
        value = blocking / (1 - load / n * (1 - blocking))
    out = np.where(stable, np.clip(value, 0.0, 1.0), 1.0)
    out = np.where(load <= 0, 0.0, out)
    return out if out.ndim else out[()]


def service_level(load_erlangs, agents, aht_s, answer_within_s) -> np.ndarray:
    """Share of contacts answered within `answer_within_s` seconds (Erlang C).

    >>> round(float(service_level(10, 14, 180, 20)), 3)  # the classic example
    0.888
    """
    load, n, aht, within = np.broadcast_arrays(
        _as_float(load_erlangs), _as_float(agents), _as_float(aht_s), _as_float(answer_within_s))
    wait = erlang_c(load, n)
    with np.errstate(invalid="ignore", over="ignore"):
        value = 1 - wait * np.exp(-(n - load) * within / aht)
    out = np.where(n > load, np.clip(value, 0.0, 1.0), 0.0)
    out = np.where(load <= 0, 1.0, out)
    return out if out.ndim else out[()]


_erlang_c_level = service_level  # for functions whose target parameter shares the name


def average_speed_of_answer(load_erlangs, agents, aht_s) -> np.ndarray:
    """Mean wait over all contacts in seconds (Erlang C); infinite where n <= load.

    >>> round(float(average_speed_of_answer(10, 14, 180)), 1)
    7.8
    """
    load, n, aht = np.broadcast_arrays(_as_float(load_erlangs), _as_float(agents),
                                       _as_float(aht_s))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = erlang_c(load, n) * aht / (n - load)
    out = np.where(n > load, value, np.inf)
    out = np.where(load <= 0, 0.0, out)
    return out if out.ndim else out[()]


def occupancy(load_erlangs, agents) -> np.ndarray:
    """Share of staffed time spent handling contacts: load / agents, at most 1 (0 when
    no one is staffed).

    >>> float(occupancy(10, 14)).__round__(3)
    0.714
    """
    load, n = np.broadcast_arrays(_as_float(load_erlangs), _as_float(agents))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(n > 0, np.minimum(load / n, 1.0), 0.0)
    return out if out.ndim else out[()]


def check_service_level(service_level_target) -> None:
    """Refuse service-level targets no staffing can meet: each must be a share above 0
    and below 1. The one home of the rule that 1.0 cannot be met (the settings check it
    through here).

    >>> check_service_level(1.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: service_level: 1.0 cannot be met by any finite staffing ...
    """
    target = _as_float(service_level_target)
    if np.any(~np.isfinite(target)) or np.any((target <= 0) | (target > 1)):
        raise ValueError("service_level: must be a share above 0 and at most 1, e.g. 0.8")
    if np.any(target >= 1):
        raise ValueError("service_level: 1.0 cannot be met by any finite staffing while "
                         "contacts arrive at random (someone always waits); use e.g. 0.99")


def check_target(service_level_target, answer_within_s, max_occupancy=1.0) -> None:
    """Refuse targets no staffing can meet: `ValueError` naming the argument."""
    check_service_level(service_level_target)
    within = _as_float(answer_within_s)
    cap = _as_float(max_occupancy)
    if np.any(~np.isfinite(within)) or np.any(within < 0):
        raise ValueError("answer_within_s: must be seconds, 0 or more")
    if np.any(~np.isfinite(cap)) or np.any((cap <= 0) | (cap > 1)):
        raise ValueError("max_occupancy: must be a share above 0 and at most 1, e.g. 0.85")


def smallest_meeting(meets, low: np.ndarray) -> np.ndarray:
    """Smallest integer n >= low with meets(n) true, for every element at once, given
    that meets is monotone in n: double a step until every element meets, then bisect.
    A handful of vectorised evaluations instead of one loop per interval."""
    low = np.ceil(low)
    ok = meets(low)
    if np.all(ok):
        return low
    step = np.maximum(np.ceil(np.sqrt(np.maximum(low, 1.0))), 1.0)
    high = low.copy()
    fail = ~ok
    while np.any(fail):
        high = np.where(fail, high + step, high)
        step = np.where(fail, step * 2, step)
        fail = ~meets(high)
        if np.any(step > 1e9):
            raise ValueError("targets: no staffing up to a billion agents meets them; check "
                             "the handle time and the targets")
    lo = low.copy()  # known to fail where not ok
    hi = np.where(ok, low, high)  # known to meet
    while True:
        open_ = hi - lo > 1
        open_ &= ~ok
        if not np.any(open_):
            break
        mid = np.floor((lo + hi) / 2)
        good = meets(mid)
        hi = np.where(open_ & good, mid, hi)
        lo = np.where(open_ & ~good, mid, lo)
    return hi


def agents_for_target(load_erlangs, aht_s, service_level, answer_within_s,
                      max_occupancy=1.0) -> np.ndarray:
    """Smallest integer agents per interval with Erlang C service level >= target and
    occupancy <= max_occupancy; 0 where there is no load.

    Starts every interval at the least staffing that is stable and within the cap, takes
    Erlang B there once, then steps the stable recursion B(n+1) = A B / (n + 1 + A B)
    only for the intervals still short of the target: a few vectorised steps for the
    season instead of a search per interval.

    >>> int(agents_for_target(10, 180, 0.8, 20))  # 13 agents give 79.6%, 14 give 88.8%
    14
    >>> int(agents_for_target(10, 180, 0.8, 20, max_occupancy=0.7))  # the cap binds
    15
    """
    check_target(service_level, answer_within_s, max_occupancy)
    load, aht, target, within, cap = (np.ravel(v) for v in np.broadcast_arrays(
        _as_float(load_erlangs), _as_float(aht_s), _as_float(service_level),
        _as_float(answer_within_s), _as_float(max_occupancy)))
    shape = np.broadcast_shapes(*(np.shape(v) for v in (
        load_erlangs, aht_s, service_level, answer_within_s, max_occupancy)))
    if np.any(~np.isfinite(load)) or np.any(load < 0):
        raise ValueError("load_erlangs: must be finite and 0 or more")
    if np.any(~np.isfinite(aht)) or np.any(aht <= 0):
        raise ValueError("aht_s: handle times must be seconds above 0")
    out = np.zeros(load.shape)
    busy = np.flatnonzero(load > 0)
    a, t, w, goal = load[busy], aht[busy], within[busy], target[busy] - 1e-12
    n = np.maximum(np.floor(a) + 1, np.ceil(a / cap[busy] - 1e-9))
    b = erlang_b(a, n)
    short = np.flatnonzero(_level_from_b(a, n, b, t, w) < goal)
    while short.size:
        a_s, n_s = a[short], n[short] + 1
        b_s = a_s * b[short] / (n_s + a_s * b[short])
        n[short], b[short] = n_s, b_s
        short = short[_level_from_b(a_s, n_s, b_s, t[short], w[short]) < goal[short]]
    out[busy] = n
    out = out.astype(np.int64).reshape(shape)
    return out if out.ndim else out[()]


def _level_from_b(load, n, blocking, aht, within):
    """Erlang C service level from Erlang B at n > load agents."""
    wait = blocking / (1 - load / n * (1 - blocking))
    return 1 - wait * np.exp(-(n - load) * within / aht)

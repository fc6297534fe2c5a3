"""Erlang A (M/M/n+M): Erlang C with callers who abandon after an exponential patience.

With arrival rate lambda, service rate mu = 1/aht and abandonment rate theta = 1/patience,
let x = n mu / theta and y = lambda / theta and

    A(x, y) = sum_{m>=0} y^m / ((x+1)(x+2)...(x+m)) = x e^y y^-x gamma(x, y)

(Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to call centers",
2007). With E the Erlang B blocking of n servers:

    P(wait > 0)            = A E / (1 + (A - 1) E)
    P(abandon | wait > 0)  = 1 - x/y (1 - 1/A)
    P(answered within t | wait > 0)
                           = x/y [1 - 1/A - exp(-n mu t + y - y') (A(x, y') - 1) / A(x, y)]

where y' = y exp(-theta t); the last line integrates the offered wait's density against
the chance of still being there (derived in the module's tests against a direct sum and
a simulation). Service level here is the share of *offered* contacts answered within t:
abandoned contacts count as missed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from staffing.queueing.erlang import (
    average_speed_of_answer,
    check_target,
    erlang_b,
    erlang_c,
    service_level,
    smallest_meeting,
)

__all__ = ["ErlangA", "agents_for_target_a", "erlang_a"]

_SERIES_TERMS = 2000
_ENDLESS = 1e7  # patience in handle times from which callers are taken to wait forever


@dataclass(frozen=True)
class ErlangA:
    """Erlang A measures per interval (arrays): shares are fractions of offered contacts;
    average_wait_s is the mean time in queue of all offered contacts, abandoners included
    (by Little's law, abandon share x patience)."""

    wait_probability: np.ndarray
    service_level: np.ndarray
    abandon_rate: np.ndarray
    average_wait_s: np.ndarray
    occupancy: np.ndarray


def _log_a_function(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log A(x, y), from the regularised incomplete gamma function, or from its series
    where that underflows (x far above y, where the series falls off geometrically)."""
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        lower = special.gammainc(x, y)
        value = np.log(x) + y - x * np.log(y) + special.gammaln(x) + np.log(lower)
    value = np.where(y <= 0, 0.0, value)
    bad = ~np.isfinite(value) | ((lower < 1e-250) & (y > 0))
    if np.any(bad):
        xs, ys = x[bad], y[bad]
        total = np.ones_like(xs)
        term = np.ones_like(xs)
        for m in range(1, _SERIES_TERMS):
            term = term * ys / (xs + m)
            total = total + term
            if not np.any(term > 1e-17 * total):
                break
        value = value.copy()
        value[bad] = np.log(total)
    return value


def erlang_a(load_erlangs, agents, aht_s, patience_s, answer_within_s) -> ErlangA:
    """Erlang A measures for `agents` serving `load_erlangs` when callers abandon after an
    exponential patience with mean `patience_s`.

    >>> m = erlang_a(10, 14, 180, 1e9, 20)  # endless patience is Erlang C
    >>> round(float(m.service_level), 3), round(float(m.wait_probability), 4)
    (0.888, 0.1741)
    >>> m = erlang_a(10, 10, 180, 180, 20)  # at full load, abandonment keeps it stable
    >>> 0 < float(m.abandon_rate) < 0.2
    True
    """
    load, n, aht, patience, within = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load_erlangs, agents, aht_s, patience_s,
                                              answer_within_s)))
    if np.any(patience <= 0):
        raise ValueError("patience_s: must be above 0 seconds")
    if np.any(aht <= 0):
        raise ValueError("aht_s: must be above 0 seconds")
    shape = load.shape
    load, n, aht, patience, within = (v.ravel() for v in (load, n, aht, patience, within))
    # Beyond ~1e7 handle times of patience nobody abandons in practice, and the gamma
    # functions lose their digits: those intervals are Erlang C (inf is allowed).
    endless = patience > _ENDLESS * aht
    patience = np.where(endless, _ENDLESS * aht, patience)
    x = n * patience / aht
    y = load * patience / aht
    y_later = y * np.exp(-within / patience)
    blocking = erlang_b(load, n)
    served = (n > 0) & (load > 0)
    xs, ys, yl = x[served], y[served], y_later[served]
    log_a = _log_a_function(xs, ys)
    e = blocking[served]
    wait = np.ones(load.shape)
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        wait[served] = 1 / (1 + (1 - e) * np.exp(-log_a) / e)  # A E / (1 + (A - 1) E)
    wait[load <= 0] = 0.0
    answered_if_wait = np.zeros(load.shape)
    answered_if_wait[served] = xs / ys * -np.expm1(-log_a)
    within_if_wait = np.zeros(load.shape)
    with np.errstate(over="ignore", under="ignore"):
        later = np.exp(-xs * (within[served] / patience[served]) + ys - yl
                       + np.log(np.expm1(_log_a_function(xs, yl)).clip(min=0)) - log_a)
    within_if_wait[served] = xs / ys * (-np.expm1(-log_a) - later)
    within_if_wait = np.clip(within_if_wait, 0.0, answered_if_wait)
    abandon = wait * (1 - answered_if_wait)
    level = np.where(load <= 0, 1.0, (1 - wait) + wait * within_if_wait)
    average_wait = abandon * patience
    if np.any(endless):
        wait[endless] = erlang_c(load[endless], n[endless])
        level[endless] = service_level(load[endless], n[endless], aht[endless],
                                       within[endless])
        abandon[endless] = 0.0
        average_wait[endless] = average_speed_of_answer(load[endless], n[endless],
                                                        aht[endless])
    with np.errstate(divide="ignore", invalid="ignore"):
        busy = np.where(n > 0, np.minimum(load * (1 - abandon) / n, 1.0), 0.0)
    return ErlangA(*(v.reshape(shape) if shape else v[0] for v in (
        wait, np.clip(level, 0, 1), np.clip(abandon, 0, 1), average_wait, busy)))


def agents_for_target_a(load_erlangs, aht_s, patience_s, service_level, answer_within_s,
                        max_occupancy=1.0, max_abandon=1.0) -> np.ndarray:
    """Smallest integer agents meeting the Erlang A service level (share of offered
    contacts answered in time), the occupancy cap and, optionally, an abandonment cap.

    >>> int(agents_for_target_a(10, 180, 1e9, 0.8, 20))  # endless patience: Erlang C
    14
    """
    check_target(service_level, answer_within_s, max_occupancy)
    load, aht, patience, target, within, cap, abandon_cap = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (load_erlangs, aht_s, patience_s,
                                              service_level, answer_within_s,
                                              max_occupancy, max_abandon)))

    def meets(n):
        m = erlang_a(load, n, aht, patience, within)
        return ((m.service_level >= target - 1e-12) & (m.occupancy <= cap + 1e-12)
                & (m.abandon_rate <= abandon_cap + 1e-12))

    agents = smallest_meeting(meets, np.where(load > 0, 1.0, 0.0))
    out = np.where(load > 0, agents, 0.0).astype(np.int64)
    return out if out.ndim else out[()]

"""Erlang A (M/M/n+M) against the truncated birth-death chain solved directly, and
its limit at endless patience (Erlang C).

The reference shares no code with `staffing`: the stationary distribution of the chain,
and the chance of being answered in time from a pure-death chain.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from queueing_checks import strict_floats
from scipy.linalg import expm

from data.errors import ConfigError
from staffing import parse_staffing
from staffing.queueing.erlang import agents_for_target, erlang_c, service_level
from staffing.queueing.erlang_a import agents_for_target_a, erlang_a

# --- independent reference -------------------------------------------------------------


def birth_death_a(load: float, agents: int, aht_s: float, patience_s: float,
                  within_s: float, extra: int = 400) -> dict[str, float]:
    """M/M/n+M solved directly: the stationary distribution of the chain truncated at
    n + extra (arrivals lam, departures min(k, n) mu + max(k - n, 0) theta). An arrival
    that finds m waiting ahead of it is answered within t with probability
    prod_{j=0..m} (n mu + j theta) / (n mu + (j+1) theta) times the chance that the
    sum of Exp(n mu + (j+1) theta), j = m..0, is at most t (a pure-death chain,
    solved with the matrix exponential)."""
    mu, theta = 1 / aht_s, 1 / patience_s
    lam = load * mu
    top = agents + extra
    k = np.arange(1, top + 1)
    deaths = np.minimum(k, agents) * mu + np.maximum(k - agents, 0) * theta
    log_p = np.concatenate([[0.0], np.cumsum(np.log(lam / deaths))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    assert p[-1] < 1e-17, "truncation too early"
    queued = np.maximum(np.arange(top + 1) - agents, 0)
    tail = np.cumsum(p[::-1])[::-1]  # tail[k] = P(state >= k)
    ahead = max(int(np.argmax(tail < 1e-17)) - agents, 1)  # queue lengths that matter
    j = np.arange(ahead)
    rate = agents * mu + (j + 1) * theta
    reach = np.cumprod((agents * mu + j * theta) / rate)
    generator = np.diag(-rate) + np.diag(rate[1:], -1)
    in_time = 1 - expm(generator * within_s).sum(axis=1)
    waiting = p[agents:agents + ahead]
    return {"wait": float(p[agents:].sum()),
            "service_level": float(p[:agents].sum() + np.sum(waiting * reach * in_time)),
            "abandon": float(theta * np.sum(queued * p) / lam),
            "average_wait_s": float(np.sum(queued * p) / lam)}



# --- Erlang A --------------------------------------------------------------------------


def test_erlang_a_is_monotone() -> None:
    n = np.arange(1, 40)
    m = erlang_a(20.0, n, 300, 120, 20)
    assert np.all(np.diff(m.service_level) >= -1e-13)
    assert np.all(np.diff(m.abandon_rate) <= 1e-13)
    assert np.all(np.diff(m.wait_probability) <= 1e-13)
    loads = np.linspace(0, 150, 1501)
    agents = agents_for_target_a(loads, 300, 120, 0.8, 20, 0.9)
    assert agents[0] == 0 and np.all(np.diff(agents) >= 0)



@pytest.mark.parametrize(("load", "agents", "aht", "patience", "within"), [
    (10, 14, 180, 180, 20),
    (10, 12, 180, 60, 20),
    (10, 10, 180, 180, 0),
    (10, 8, 180, 180, 20),  # overloaded: abandonment keeps it stable
    (10, 8, 180, 900, 30),
    (50, 45, 300, 120, 20),
    (3, 1, 240, 100, 60),
    (0.5, 1, 300, 50, 10),
    (100, 105, 300, 600, 20),
    (120, 130, 420, 90, 45),
])
def test_erlang_a_matches_the_birth_death_chain(load, agents, aht, patience, within) -> None:
    with strict_floats():
        m = erlang_a(load, agents, aht, patience, within)
    ref = birth_death_a(load, agents, aht, patience, within)
    assert float(m.wait_probability) == pytest.approx(ref["wait"], abs=1e-6)
    assert float(m.service_level) == pytest.approx(ref["service_level"], abs=1e-6)
    assert float(m.abandon_rate) == pytest.approx(ref["abandon"], abs=1e-6)
    assert float(m.average_wait_s) == pytest.approx(ref["average_wait_s"], rel=1e-6)
    assert float(m.occupancy) == pytest.approx(load * (1 - ref["abandon"]) / agents, abs=1e-6)


@pytest.mark.parametrize("patience", [1e7, 1e9])
def test_erlang_a_matches_the_chain_at_long_patience(patience) -> None:
    for agents in (11, 14):
        m = erlang_a(10, agents, 180, patience, 20)
        ref = birth_death_a(10, agents, 180, patience, 20, extra=800)
        assert float(m.wait_probability) == pytest.approx(ref["wait"], abs=1e-8)
        assert float(m.service_level) == pytest.approx(ref["service_level"], abs=1e-8)


def test_erlang_a_approaches_erlang_c_as_patience_grows() -> None:
    """The gap closes like 1/patience (first order in the abandonment rate)."""
    patience = np.array([1e5, 1e6, 1e7, 1e8])
    gaps = np.abs(erlang_a(10, 12, 180, patience, 20).service_level
                  - service_level(10, 12, 180, 20))
    assert np.all(np.diff(gaps) < 0)
    np.testing.assert_allclose(gaps * patience, gaps[0] * patience[0], rtol=0.02)


@pytest.mark.parametrize("patience", [1e9, 1e15, 1e18, math.inf])
def test_erlang_a_with_endless_patience_is_erlang_c(patience) -> None:
    agents = [11, 14, 20]
    with strict_floats():
        m = erlang_a(10, agents, 180, patience, 20)
    np.testing.assert_allclose(m.wait_probability, erlang_c(10, agents), atol=1e-6)
    np.testing.assert_allclose(m.service_level, service_level(10, agents, 180, 20), atol=1e-6)
    assert np.all(m.abandon_rate <= 1e-6)


def test_erlang_a_edges() -> None:
    with strict_floats():
        idle = erlang_a(0, 3, 180, 100, 20)
        nobody = erlang_a(10, 0, 180, 100, 20)
    assert float(idle.service_level) == 1 and float(idle.wait_probability) == 0
    assert float(nobody.service_level) == 0 and float(nobody.abandon_rate) == 1


def test_agents_for_target_a_is_minimal() -> None:
    loads = np.array([0.0, 0.4, 3.0, 12.5, 60.0, 240.0])
    agents = agents_for_target_a(loads, 300, 120, 0.8, 20, 0.9, 0.05)
    assert agents[0] == 0

    def meets(n):
        m = erlang_a(loads[1:], n, 300, 120, 20)
        return ((m.service_level >= 0.8) & (m.occupancy <= 0.9 + 1e-12)
                & (m.abandon_rate <= 0.05))

    assert np.all(meets(agents[1:])) and not np.any(meets(agents[1:] - 1))
    # abandonment lets fewer agents meet the same target than Erlang C needs
    assert np.all(agents <= agents_for_target(loads, 300, 0.8, 20, 0.9))


# --- clear errors ----------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"service_level": 1.0}, "service_level"),
    ({"answer_within_s": -5}, "answer_within_s"),
    ({"max_occupancy": 0}, "max_occupancy"),
    ({"patience_s": 0}, "patience_s"),
    ({"patience_s": -30}, "patience_s"),
    ({"aht_s": 0}, "aht_s"),
])
def test_erlang_a_refuses_bad_arguments_by_name(kwargs, argument) -> None:
    call = {"load_erlangs": 10.0, "aht_s": 180, "patience_s": 120, "service_level": 0.8,
            "answer_within_s": 20, "max_occupancy": 0.85} | kwargs
    with pytest.raises(ValueError, match=f"^{argument}: "):
        agents_for_target_a(**call)


@pytest.mark.parametrize("patience", [0, -30])
def test_patience_as_a_setting_names_its_key(patience) -> None:
    with pytest.raises(ValueError, match=r"^patience_s: "):
        erlang_a(10, 12, 180, patience, 20)
    queue = {"name": "p", "channel": "phone", "model": "erlang_a", "patience_s": patience}
    with pytest.raises(ConfigError) as caught:
        parse_staffing({"queues": [queue]})
    assert caught.value.key == "staffing.queues.p.patience_s"

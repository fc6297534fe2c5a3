"""Erlang B and C against published values and independent computations.

The references here share no code with `staffing`: Erlang B by its recursion
B(n) = A B(n-1) / (n + A B(n-1)) in exact fractions or in floats (the recursion is
stable), and Erlang C from B. Erlang A has its own file (`test_erlang_a.py`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from queueing_checks import strict_floats
from scipy.optimize import brentq

from data.errors import ConfigError
from staffing import parse_staffing
from staffing.queueing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)

# --- independent references ------------------------------------------------------------


def exact_b(load, agents: int) -> Fraction:
    """Erlang B in exact rational arithmetic (load given as an int, str or Fraction)."""
    a, b = Fraction(load), Fraction(1)
    for k in range(1, agents + 1):
        b = a * b / (k + a * b)
    return b


def exact_c(load, agents: int) -> Fraction:
    """Erlang C from Erlang B, exactly: C = n B / (n - A (1 - B))."""
    a, b = Fraction(load), exact_b(load, agents)
    return agents * b / (agents - a * (1 - b))


def float_b_all(load: float, up_to: int) -> np.ndarray:
    """Erlang B for n = 0..up_to by the float recursion (stable: each step shrinks
    the relative error)."""
    out = np.empty(up_to + 1)
    b = out[0] = 1.0
    for k in range(1, up_to + 1):
        b = load * b / (k + load * b)
        out[k] = b
    return out


def reference_service_level(load: float, agents: int, aht_s: float, within_s: float):
    """Erlang C service level from the float recursion, textbook formula."""
    b = float_b_all(load, agents)[agents]
    wait = agents * b / (agents - load * (1 - b))
    return 1 - wait * math.exp(-(agents - load) * within_s / aht_s)



# --- published values ------------------------------------------------------------------


@pytest.mark.parametrize(("load", "agents", "published"), [
    (10, 10, 0.2146),
    (10, 14, 0.0568),
    (20, 25, 0.0502),
    (5, 10, 0.0184),
    (1, 2, 0.2),
])
def test_erlang_b_table_values(load, agents, published) -> None:
    exact = float(exact_b(load, agents))
    assert round(exact, 4) == published  # the published value is the exact one, rounded
    assert float(erlang_b(load, agents)) == pytest.approx(exact, rel=1e-13)


@pytest.mark.parametrize(("agents", "blocking", "table_erlangs"), [
    (5, 0.01, 1.36), (10, 0.01, 4.46), (10, 0.05, 6.22), (20, 0.01, 12.03),
    (20, 0.05, 15.25), (50, 0.01, 37.90), (100, 0.01, 84.06), (100, 0.05, 95.24),
])
def test_erlang_b_traffic_table(agents, blocking, table_erlangs) -> None:
    """The usual table: traffic (Erlangs) that n trunks carry at a given blocking."""
    def solve(blocking_of):
        return brentq(lambda a: blocking_of(a, agents) - blocking, 1e-6, 2.0 * agents + 10)

    assert round(solve(lambda a, n: float(erlang_b(a, n))), 2) == table_erlangs
    assert round(solve(lambda a, n: float_b_all(a, n)[n]), 2) == table_erlangs


def test_classic_erlang_c_example() -> None:
    """100 calls in 30 minutes at 180 s handle time: 10 Erlangs, target 80% in 20 s."""
    load = Fraction(100 * 180, 1800)
    assert load == 10
    wait_14 = float(exact_c(load, 14))
    assert round(wait_14, 4) == 0.1741
    assert float(erlang_c(10, 14)) == pytest.approx(wait_14, rel=1e-13)
    assert round(float(service_level(10, 14, 180, 20)), 3) == 0.888
    assert round(float(average_speed_of_answer(10, 14, 180)), 1) == 7.8
    assert float(average_speed_of_answer(10, 14, 180)) == pytest.approx(wait_14 * 180 / 4)
    assert round(float(occupancy(10, 14)), 3) == 0.714
    # 13 agents fall just short: 79.6% (the docstring of agents_for_target says 78.7%)
    level_13 = 1 - float(exact_c(load, 13)) * math.exp(-3 * 20 / 180)
    assert round(level_13, 4) == 0.7956
    assert float(service_level(10, 13, 180, 20)) == pytest.approx(level_13, rel=1e-13)
    assert int(agents_for_target(10, 180, 0.8, 20)) == 14


@pytest.mark.parametrize("load", ["1/10", "1/2", "3/4", "99/100"])
def test_erlang_c_one_agent_is_utilisation(load) -> None:
    """M/M/1: an arrival waits with probability rho = A."""
    assert exact_c(load, 1) == Fraction(load)
    assert float(erlang_c(float(Fraction(load)), 1)) == pytest.approx(float(Fraction(load)))


@pytest.mark.parametrize("load", ["1/2", "1", "3/2", "19/10"])
def test_erlang_c_two_agents_closed_form(load) -> None:
    """M/M/2: P(wait) = A^2 / (2 + A)."""
    a = Fraction(load)
    assert exact_c(a, 2) == a * a / (2 + a)
    assert float(erlang_c(float(a), 2)) == pytest.approx(float(a * a / (2 + a)), rel=1e-13)


def test_erlang_c_and_service_level_match_the_exact_formula_on_a_grid() -> None:
    loads = [Fraction(1, 10), Fraction(7, 3), Fraction(10), Fraction(47, 2), Fraction(150)]
    for a in loads:
        for n in range(math.floor(a) + 1, math.floor(a) + 25, 3):
            wait = float(exact_c(a, n))
            assert float(erlang_c(float(a), n)) == pytest.approx(wait, rel=1e-11, abs=1e-300)
            level = 1 - wait * math.exp(-(n - float(a)) * 15 / 240)
            assert float(service_level(float(a), n, 240, 15)) == pytest.approx(level, rel=1e-11)


# --- extreme loads ---------------------------------------------------------------------


def test_zero_load_needs_no_one_and_nobody_waits() -> None:
    with strict_floats():
        assert int(agents_for_target(0, 300, 0.8, 20)) == 0
        assert agents_for_target([0.0, 0.0], 300, 0.95, 0, 0.85).tolist() == [0, 0]
        assert float(service_level(0, 0, 300, 20)) == 1.0
        assert float(service_level(0, 5, 300, 20)) == 1.0
        assert float(erlang_c(0, 5)) == 0.0
        assert float(erlang_b(0, 5)) == 0.0
        assert float(average_speed_of_answer(0, 3, 300)) == 0.0
        assert float(occupancy(0, 0)) == 0.0
        mixed = agents_for_target([0.0, 10.0, 0.0], 180, 0.8, 20)
    assert mixed.tolist() == [0, 14, 0]


def test_unstable_queue_is_all_waiting_and_no_service() -> None:
    with strict_floats():
        assert float(erlang_c(10, 10)) == 1.0
        assert float(erlang_c(10, 7)) == 1.0
        assert float(service_level(10, 10, 180, 20)) == 0.0
        assert float(average_speed_of_answer(10, 9, 180)) == math.inf


@pytest.mark.parametrize(("load", "rtol"), [
    (500.0, 1e-11), (5000.0, 1e-10), (20000.0, 1e-10),
    (50000.0, 3e-10),  # 2e-10 measured: the rounding of k ln A (~5e5) inside exp
])
def test_erlang_b_matches_the_float_recursion_at_thousands_of_agents(load, rtol) -> None:
    top = int(load + 10 * math.sqrt(load)) + 50
    reference = float_b_all(load, top)
    n = np.arange(1, top + 1)
    with strict_floats():
        got = erlang_b(load, n)
    assert np.all(np.isfinite(got)) and np.all(got > 0)
    np.testing.assert_allclose(got, reference[n], rtol=rtol, atol=0)


@pytest.mark.parametrize(("agents", "load"), [
    (10, 5000.0), (10, 1e6), (3, 650.0), (3, 720.0), (10, 700.0), (50, 2000.0), (200, 1e5),
])
def test_erlang_b_heavy_overload(agents, load) -> None:
    """Far more traffic than trunks: B = 1 - n/A + O(n^2/A^2), also where the Poisson
    distribution function underflows (the series branch) and just before it does."""
    with strict_floats():
        got = float(erlang_b(load, agents))
    assert got == pytest.approx(float_b_all(load, agents)[agents], rel=1e-12)
    assert abs(got - (1 - agents / load)) < 2 * agents**2 / load**2


@pytest.mark.parametrize("load", [5000.0, 20000.0])
def test_very_high_loads_stay_finite_and_sensible(load) -> None:
    n = np.arange(int(load) - 50, int(load) + 400, 7)
    with strict_floats():
        levels = service_level(load, n, 300, 20)
        waits = erlang_c(load, n)
        asa = average_speed_of_answer(load, n, 300)
        agents = int(agents_for_target(load, 300, 0.8, 20))
        capped = int(agents_for_target(load, 300, 0.8, 20, 0.85))
    assert np.all((levels >= 0) & (levels <= 1)) and np.all((waits >= 0) & (waits <= 1))
    assert np.all(np.diff(levels) >= 0) and np.all(np.diff(waits) <= 0)
    assert np.all(np.isfinite(asa[n > load]))
    assert load < agents <= load + 3 * math.sqrt(load)
    assert reference_service_level(load, agents, 300, 20) >= 0.8
    assert reference_service_level(load, agents - 1, 300, 20) < 0.8
    assert capped == math.ceil(load / 0.85)


# --- monotonicity ----------------------------------------------------------------------


@pytest.mark.parametrize(("aht", "target", "within", "cap"), [
    (180, 0.8, 20, 1.0), (420, 0.9, 15, 1.0), (600, 0.95, 0, 1.0), (240, 0.5, 60, 0.85),
])
def test_more_contacts_never_need_fewer_agents(aht, target, within, cap) -> None:
    loads = np.concatenate([np.linspace(0, 3, 301), np.linspace(3, 400, 4001)])
    agents = agents_for_target(loads, aht, target, within, cap)
    assert np.all(np.diff(agents) >= 0)
    assert agents[0] == 0 and np.all(agents[1:] > loads[1:])


def test_service_level_rises_with_agents() -> None:
    for load in (0.3, 4.2, 37.5, 260.0, 1234.5):
        n = np.arange(0, int(load + 8 * math.sqrt(load)) + 5)
        assert np.all(np.diff(service_level(load, n, 300, 20)) >= -1e-15)
        assert np.all(np.diff(erlang_c(load, n)) <= 1e-15)
        assert np.all(np.diff(erlang_b(load, n)) <= 1e-15)

# --- occupancy cap and minimality ------------------------------------------------------


@pytest.mark.parametrize("cap", [0.95, 0.9, 0.85, 0.7])
def test_occupancy_cap_binds_as_ceil_of_load_over_cap(cap) -> None:
    loads = np.array([3.3, 12.0, 85.0, 230.7, 500.0, 1800.0])
    free = agents_for_target(loads, 300, 0.8, 20)
    capped = agents_for_target(loads, 300, 0.8, 20, cap)
    expected = np.maximum(free, np.ceil(loads / cap - 1e-9))
    np.testing.assert_array_equal(capped, expected)
    assert np.all(loads / capped <= cap + 1e-12)


def test_large_load_where_only_the_cap_binds() -> None:
    free = int(agents_for_target(500, 300, 0.8, 20))
    assert 500 / free > 0.95  # the service level alone runs agents nearly flat out
    assert int(agents_for_target(500, 300, 0.8, 20, 0.85)) == math.ceil(500 / 0.85) == 589
    # occupancy exactly at the cap is allowed: 85 Erlangs on 100 agents is 85%
    assert int(agents_for_target(85, 300, 0.8, 20, 0.85)) == 100


def test_agents_for_target_is_the_smallest_that_meets_everything() -> None:
    rng = np.random.default_rng(5)
    loads = np.concatenate([[0.0, 0.02, 1.0, 7.0], rng.uniform(0, 300, 60)])[:, None, None]
    aht = np.array([150.0, 330.0, 700.0])[None, :, None]
    target = np.array([0.6, 0.8, 0.95])[None, None, :]
    agents = agents_for_target(loads, aht, target, 20, 0.9)
    assert agents.shape == (64, 3, 3) and agents.dtype == np.int64
    load, aht, target = np.broadcast_arrays(loads, aht, target)

    def meets(n):
        return (service_level(load, n, aht, 20) >= target) & (occupancy(load, n) <= 0.9)

    busy = load > 0
    assert np.all(meets(agents)[busy])
    assert not np.any(meets(agents - 1)[busy])
    assert np.all(agents[~busy] == 0)


def test_scalar_in_scalar_out_and_list_in_array_out() -> None:
    assert np.ndim(agents_for_target(10, 180, 0.8, 20)) == 0
    assert agents_for_target([10, 20], [180, 240], 0.8, 20).shape == (2,)
    assert np.ndim(erlang_c(10, 14)) == 0 and erlang_b([1, 2], 3).shape == (2,)


# --- clear errors ----------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"service_level": 1.0, "answer_within_s": 0}, "service_level"),
    ({"service_level": 1.0, "answer_within_s": 20}, "service_level"),
    ({"service_level": 0.0}, "service_level"),
    ({"service_level": 1.2}, "service_level"),
    ({"service_level": -0.5}, "service_level"),
    ({"service_level": math.nan}, "service_level"),
    ({"answer_within_s": -1}, "answer_within_s"),
    ({"answer_within_s": math.nan}, "answer_within_s"),
    ({"max_occupancy": 0.0}, "max_occupancy"),
    ({"max_occupancy": 1.1}, "max_occupancy"),
    ({"load_erlangs": -1.0}, "load_erlangs"),
    ({"load_erlangs": math.nan}, "load_erlangs"),
    ({"load_erlangs": [3.0, math.nan, 4.0]}, "load_erlangs"),
    ({"load_erlangs": math.inf}, "load_erlangs"),
])
def test_impossible_arguments_are_refused_by_name(kwargs, argument) -> None:
    call = {"load_erlangs": 10.0, "aht_s": 180, "service_level": 0.8, "answer_within_s": 20,
            "max_occupancy": 0.85} | kwargs
    with pytest.raises(ValueError, match=f"^{argument}: ") as caught:
        agents_for_target(**call)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("table", "key"), [
    ({"service_level": 1.0, "answer_within_s": 0}, "staffing.service_level"),
    ({"service_level": 0.0}, "staffing.service_level"),
    ({"service_level": 1.2}, "staffing.service_level"),
    ({"service_level": math.nan}, "staffing.service_level"),
    ({"answer_within_s": -1}, "staffing.answer_within_s"),
    ({"answer_within_s": math.nan}, "staffing.answer_within_s"),
    ({"max_occupancy": 0.0}, "staffing.max_occupancy"),
    ({"max_occupancy": 1.1}, "staffing.max_occupancy"),
    ({"queues": [{"name": "p", "channel": "phone", "max_occupancy": 1.1}]},
     "staffing.queues.p.max_occupancy"),
])
def test_the_same_targets_as_settings_name_their_key(table, key) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_staffing(table)
    assert caught.value.key == key


def test_service_level_of_one_says_why_in_one_place() -> None:
    with pytest.raises(ValueError, match="cannot be met") as formula:
        agents_for_target(10, 180, 1.0, 20)
    why = str(formula.value).removeprefix("service_level: ")
    for table, key in (({"service_level": 1.0}, "staffing.service_level"),
                       ({"queues": [{"name": "p", "channel": "phone", "service_level": 1.0}]},
                        "staffing.queues.p.service_level")):
        with pytest.raises(ConfigError) as setting:
            parse_staffing(table)
        assert (setting.value.key, setting.value.problem) == (key, why)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("aht", [0.0, -10.0])
def test_handle_time_must_be_positive(aht) -> None:
    with pytest.raises(ValueError, match=r"^aht_s: "):
        agents_for_target(10, aht, 0.8, 20)


def test_agent_counts_must_be_whole() -> None:
    with pytest.raises(ValueError, match=r"^agents: "):
        erlang_b(10, 13.5)
    with pytest.raises(ValueError, match=r"^agents: "):
        service_level(10, [14, 14.5], 180, 20)

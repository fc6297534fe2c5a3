"""The queueing contract: every formula refuses a bad argument with a plain one-line
`ValueError` that begins with the argument's name, and knows no settings."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

import staffing.queueing as q

QUEUEING = Path(q.__file__).parent
EMAIL = ([10.0, 0.0], 300.0, 1800.0, [True, True])

REFUSALS = {
    "erlang_b fractional agents": (lambda: q.erlang_b(10, 13.5), "agents"),
    "erlang_c fractional agents": (lambda: q.erlang_c(10, [14, 14.5]), "agents"),
    "check_service_level 1.0": (lambda: q.check_service_level(1.0), "service_level"),
    "check_service_level nan": (lambda: q.check_service_level(math.nan), "service_level"),
    "check_target wait": (lambda: q.check_target(0.8, -1), "answer_within_s"),
    "check_target cap": (lambda: q.check_target(0.8, 20, 0), "max_occupancy"),
    "agents_for_target load": (lambda: q.agents_for_target(-1, 180, 0.8, 20), "load_erlangs"),
    "agents_for_target aht": (lambda: q.agents_for_target(10, math.nan, 0.8, 20), "aht_s"),
    "erlang_a patience": (lambda: q.erlang_a(10, 12, 180, 0, 20), "patience_s"),
    "erlang_a aht": (lambda: q.erlang_a(10, 12, -1, 120, 20), "aht_s"),
    "agents_for_target_a level": (lambda: q.agents_for_target_a(10, 180, 120, 1.0, 20),
                                  "service_level"),
    "chat_agents concurrency": (lambda: q.chat_agents(10, 300, 1800, 0, 0.1, 0.8, 30),
                                "concurrency"),
    "chat_agents slowdown": (lambda: q.chat_agents(10, 300, 1800, 2, 5.0, 0.8, 30),
                             "slowdown_per_chat"),
    "backlog_agents share": (lambda: q.backlog_agents(*EMAIL, 3600, 0.0), "target_share"),
    "backlog_agents window": (lambda: q.backlog_agents(*EMAIL, 0, 0.9), "respond_within_s"),
    "backlog_agents cap": (lambda: q.backlog_agents(*EMAIL, 3600, 0.9, 1.2),
                           "max_occupancy"),
    "poisson_arrivals": (lambda: q.poisson_arrivals([-1.0], 1800, rng=0),
                         "contacts_per_interval"),
    "arrivals_from_counts counts": (lambda: q.arrivals_from_counts([1.5], 1800, rng=0),
                                    "counts"),
    "arrivals_from_counts interval": (lambda: q.arrivals_from_counts([1], 0, rng=0),
                                      "interval_s"),
    "simulate_voice order": (lambda: q.simulate_voice([5.0, 1.0], [1], 1800, 180, 20, rng=0),
                             "arrival_times_s"),
    "simulate_voice agents": (lambda: q.simulate_voice([1.0], [-1], 1800, 180, 20, rng=0),
                              "agents_per_interval"),
    "simulate_voice interval": (lambda: q.simulate_voice([1.0], [1], 0, 180, 20, rng=0),
                                "interval_s"),
    "simulate_voice aht": (lambda: q.simulate_voice([1.0], [1], 1800, 0, 20, rng=0),
                           "aht_s"),
    "simulate_voice patience": (lambda: q.simulate_voice([1.0], [1], 1800, 180, 20, 0,
                                                         rng=0), "patience_s"),
    "simulate_chat concurrency": (lambda: q.simulate_chat([1.0], [1], 1800, 180, 0, 0.1, 20,
                                                          rng=0), "concurrency"),
    "simulate_chat slowdown": (lambda: q.simulate_chat([1.0], [1], 1800, 180, 2, -0.1, 20,
                                                       rng=0), "slowdown_per_chat"),
    "simulate_backlog closed": (lambda: q.simulate_backlog([1.0], [1], 1800, [False], 300,
                                                           3600, rng=0), "open_"),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("call", "argument"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_argument_is_a_one_line_value_error_naming_it(call, argument) -> None:
    with pytest.raises(ValueError) as caught:
        call()
    assert type(caught.value) is ValueError
    message = str(caught.value)
    assert message.startswith(f"{argument}: ") and len(message) > len(argument) + 12
    assert "\n" not in message


@pytest.mark.parametrize("path", sorted(QUEUEING.glob("*.py")), ids=lambda p: p.name)
def test_the_formulas_know_no_settings(path: Path) -> None:
    """Queueing imports nothing of `data` (no ConfigError, no TOML keys)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not {name for name in imported if name.split(".")[0] == "data"}

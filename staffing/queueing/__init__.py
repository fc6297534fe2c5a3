"""Queueing maths: Erlang B, C and A, chat concurrency, e-mail backlog and simulation.

Arrays (or scalars) in and out; loads in Erlangs, times in seconds. These are formulas,
not settings: bad arguments raise `ValueError`, and callers that read settings name the
setting.
"""

from staffing.queueing.backlog import BacklogPlan, BacklogQueue, backlog_agents, backlog_plans
from staffing.queueing.chat import chat_agents, chat_handle_time_s, chat_measures
from staffing.queueing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    check_target,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)
from staffing.queueing.erlang_a import ErlangA, agents_for_target_a, erlang_a
from staffing.queueing.simulate import (
    SimResult,
    arrivals_from_counts,
    poisson_arrivals,
    simulate_backlog,
    simulate_chat,
    simulate_voice,
)

__all__ = [
    "BacklogPlan", "BacklogQueue", "ErlangA", "SimResult", "agents_for_target",
    "agents_for_target_a", "arrivals_from_counts", "average_speed_of_answer", "backlog_agents",
    "backlog_plans", "chat_agents", "chat_handle_time_s", "chat_measures", "check_target",
    "erlang_a", "erlang_b", "erlang_c", "occupancy", "poisson_arrivals", "service_level",
    "simulate_backlog", "simulate_chat", "simulate_voice",
]

"""Queueing maths: Erlang B, C and A, chat concurrency, e-mail backlog and simulation.

Arrays (or scalars) in and out; loads in Erlangs, times in seconds. These are formulas,
not settings: a bad argument raises a plain `ValueError` whose one-line message names the
argument and says what is wrong (`"patience_s: must be above 0 seconds"`). They know no
TOML keys: `staffing.requirements` maps each formula argument to the setting behind it
and raises `ConfigError` naming that setting's key. Rules about what a target may be live
here once (`check_service_level`: a service level of 1.0 cannot be met) and the settings
check through them.
"""

from staffing.queueing.backlog import BacklogPlan, BacklogQueue, backlog_agents, backlog_plans
from staffing.queueing.chat import chat_agents, chat_handle_time_s, chat_measures
from staffing.queueing.erlang import (
    agents_for_target,
    average_speed_of_answer,
    check_service_level,
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
    "backlog_plans", "chat_agents", "chat_handle_time_s", "chat_measures",
    "check_service_level", "check_target", "erlang_a", "erlang_b", "erlang_c", "occupancy",
    "poisson_arrivals", "service_level", "simulate_backlog", "simulate_chat",
    "simulate_voice",
]

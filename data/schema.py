"""Column names and frame contracts shared by every stage (see DESIGN.md)."""

from __future__ import annotations

__all__ = [
    "AGENTS_GROSS",
    "AGENTS_NET",
    "AGENT_COLUMNS",
    "AGENT_ID",
    "AHT_S",
    "ALL",
    "ASA_S",
    "CHANNEL",
    "CONTACTS",
    "CONTACT_COLUMNS",
    "CONTRACT_H_WEEK",
    "COUNTRY",
    "DS",
    "EVENT_COLUMNS",
    "HOLIDAY_COLUMNS",
    "KIND",
    "LOWER_WINDOW",
    "NAME",
    "OCCUPANCY",
    "QUERY_TYPE",
    "QUEUE",
    "QUEUES",
    "REQUIREMENT_COLUMNS",
    "SERIES_KEYS",
    "SERVICE_LEVEL",
    "SESSIONS",
    "TRAFFIC_COLUMNS",
    "UNIQUE_ID",
    "UNKNOWN_COUNTRY",
    "UPPER_WINDOW",
    "Y",
]

DS = "ds"
COUNTRY = "country"
QUERY_TYPE = "query_type"
CHANNEL = "channel"
CONTACTS = "contacts"
AHT_S = "aht_s"
SESSIONS = "sessions"
NAME = "name"
KIND = "kind"
LOWER_WINDOW = "lower_window"
UPPER_WINDOW = "upper_window"
UNIQUE_ID = "unique_id"
Y = "y"

AGENT_ID = "agent_id"
QUEUES = "queues"
CONTRACT_H_WEEK = "contract_h_week"

ALL = "all"
"""Value of `query_type` or `channel` when a file has no such column and none was named."""

UNKNOWN_COUNTRY = "ZZ"
"""ISO 3166 user-assigned code for 'unknown or unspecified country' (no holidays)."""

SERIES_KEYS: tuple[str, ...] = (COUNTRY, QUERY_TYPE, CHANNEL)
"""The columns that identify one contact series."""

QUEUE = "queue"
AGENTS_NET = "agents_net"
AGENTS_GROSS = "agents_gross"
SERVICE_LEVEL = "service_level"
ASA_S = "asa_s"
OCCUPANCY = "occupancy"

CONTACT_COLUMNS: tuple[str, ...] = (DS, COUNTRY, QUERY_TYPE, CHANNEL, CONTACTS)
REQUIREMENT_COLUMNS: tuple[str, ...] = (QUEUE, DS, CONTACTS, AHT_S, AGENTS_NET, AGENTS_GROSS,
                                        SERVICE_LEVEL, ASA_S, OCCUPANCY)
"""The requirements contract (DESIGN.md); channel models add columns after these."""
TRAFFIC_COLUMNS: tuple[str, ...] = (DS, COUNTRY, SESSIONS)
EVENT_COLUMNS: tuple[str, ...] = (NAME, DS, COUNTRY, LOWER_WINDOW, UPPER_WINDOW)
HOLIDAY_COLUMNS: tuple[str, ...] = (COUNTRY, DS, NAME, KIND, LOWER_WINDOW, UPPER_WINDOW)
AGENT_COLUMNS: tuple[str, ...] = (
    AGENT_ID,
    NAME,
    "team",
    QUEUES,
    CONTRACT_H_WEEK,
    "min_h_week",
    "max_h_week",
    "available_days",
    "earliest_start_min",
    "latest_end_min",
    "unavailable",
    "preferences",
)

"""Inputs: frame contracts, readers, validation, holiday and event calendars, the sample."""

from data.agents import read_agents
from data.aggregate import resample_intervals, series_id, to_daily, with_unique_id
from data.calendars import holiday_calendar, national_holidays, supports_holidays
from data.contacts import ContactHistory, load_contacts, read_contacts
from data.errors import ConfigError, DataError, InfeasiblePlanError, PlannerError
from data.events import read_events
from data.grain import local_day
from data.labels import queue_name
from data.limits import ReadLimits, use_limits
from data.retail_events import RETAIL_EVENTS
from data.sample import SAMPLE_DIR, sample_paths
from data.traffic import read_traffic

__all__ = [
    "RETAIL_EVENTS",
    "SAMPLE_DIR",
    "ConfigError",
    "ContactHistory",
    "DataError",
    "InfeasiblePlanError",
    "PlannerError",
    "ReadLimits",
    "holiday_calendar",
    "load_contacts",
    "local_day",
    "national_holidays",
    "queue_name",
    "read_agents",
    "read_contacts",
    "read_events",
    "read_traffic",
    "resample_intervals",
    "sample_paths",
    "series_id",
    "supports_holidays",
    "to_daily",
    "use_limits",
    "with_unique_id",
]

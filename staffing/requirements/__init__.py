"""Requirements: agents per queue and interval from an interval forecast.

`settings` holds the staffing settings (queues, targets, shrinkage), `compute` turns a
forecast into the requirements frame, `memo` keeps sizings for the dashboard's what-ifs.
"""

from staffing.requirements.compute import (
    Prepared,
    RequirementsResult,
    compute,
    handle_times,
    prepare,
    queues_for,
    requirements,
)
from staffing.requirements.memo import SizingMemo
from staffing.requirements.settings import (
    OpeningHours,
    QueueConfig,
    StaffingConfig,
    default_model,
    parse_staffing,
    staffing_table,
    with_scenario,
)

__all__ = [
    "OpeningHours", "Prepared", "QueueConfig", "RequirementsResult", "SizingMemo",
    "StaffingConfig", "compute", "default_model", "handle_times", "parse_staffing", "prepare",
    "queues_for", "requirements", "staffing_table", "with_scenario",
]

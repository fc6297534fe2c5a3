"""Requirements: agents per queue and interval from an interval forecast.

`settings` holds the staffing settings (queues, targets, shrinkage); `channels` is the
channel-model registry: `CHANNEL_MODELS` maps each model's name ("erlang_c", "erlang_a",
"chat", "backlog") to one frozen `ChannelModel` with the queue settings its formula
reads, its sizing function, the channels it is the default for, whether its work is
deferred and its extra output columns; adding a model is one decorated function there.
`compute` turns a forecast into the requirements frame, sizing each queue by its model's
entry; `memo` keeps sizings for the dashboard's what-ifs.

The queueing formulas refuse bad arguments with `ValueError`; this layer turns that into
`ConfigError` naming the TOML key of the setting (e.g.
`staffing.queues.en_phone.slowdown_per_chat`, or `staffing.service_level` where the
queue takes the staffing-wide value).
"""

from staffing.requirements.channels import (
    CHANNEL_MODELS,
    ChannelModel,
    QueueLoad,
    Sizing,
    channel_model,
    default_model,
)
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
    parse_staffing,
    staffing_table,
    with_scenario,
)

__all__ = [
    "CHANNEL_MODELS", "ChannelModel", "OpeningHours", "Prepared", "QueueConfig", "QueueLoad",
    "RequirementsResult", "Sizing", "SizingMemo", "StaffingConfig", "channel_model",
    "compute", "default_model", "handle_times", "parse_staffing", "prepare", "queues_for",
    "requirements", "staffing_table", "with_scenario",
]

"""What a run's fingerprint holds: the settings and input bytes its result depends on, and
not `[data.limits]`, which decides whether a file is read, never what it holds."""

from __future__ import annotations

from dataclasses import replace

from data import ReadLimits
from peakplan.config import sample_config
from peakplan.fingerprint import fingerprint, staffing_fingerprint, stage_fingerprint


def _marks(config) -> tuple[str, str, str]:
    return (fingerprint(config), staffing_fingerprint(config),
            stage_fingerprint(config, "roster", "csv"))


def test_other_read_limits_keep_every_fingerprint() -> None:
    config = sample_config()
    wider = replace(config, data=replace(config.data, limits=ReadLimits(
        max_mb=4096, max_cells=10**9, max_excel_cells=10**8, max_columns=5000)))
    assert _marks(wider) == _marks(config)


def test_a_forecast_setting_or_an_input_changes_the_fingerprint(tmp_path) -> None:
    config = sample_config()
    damped = replace(config, forecast=replace(config.forecast, trend_damping=0.25))
    assert fingerprint(damped) != fingerprint(config)
    events = tmp_path / "events.csv"
    events.write_bytes(config.data.events.read_bytes() + b"\n")
    assert fingerprint(replace(config, data=replace(config.data, events=events))) \
        != fingerprint(config)


def test_staffing_settings_leave_the_forecast_fingerprint_alone() -> None:
    config = sample_config()
    more = replace(config, staffing=replace(config.staffing, shrinkage=0.35))
    assert fingerprint(more) == fingerprint(config)
    assert staffing_fingerprint(more) != staffing_fingerprint(config)

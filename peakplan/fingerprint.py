"""Fingerprints of a run: which settings and input bytes each stage's result depends on,
so that `peakplan run` can reuse an identical earlier run instead of computing it again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import tomli_w

from peakplan.config import Config, config_table
from peakplan.runs import file_sha256
from peakplan.toml_out import config_toml

__all__ = ["fingerprint", "forecast_inputs", "staffing_fingerprint", "stage_fingerprint"]

STAFFING_TABLES = ("staffing", "schedule")
"""The tables of `config_table` after the forecast's: in the staffing fingerprint only."""


def forecast_inputs(config: Config) -> dict[str, Path | None]:
    """The input files a forecast reads, by role."""
    data = config.data
    return {"volume": data.volume, "traffic": data.traffic, "traffic_plan": data.traffic_plan,
            "events": data.events}


def fingerprint(config: Config) -> str:
    """A hash of the forecast's settings and the bytes of its input files: two runs with
    the same fingerprint forecast the same. Staffing settings are left out (they change
    nothing of the forecast and are quick to apply again), and so is `[data.limits]`: a
    limit decides whether a file is read at all, never what an accepted file holds, so
    raising one to let a large file in, or lowering it again, changes no result."""
    table = config_table(config)
    table["data"].pop("limits", None)
    text = tomli_w.dumps({k: v for k, v in table.items() if k not in STAFFING_TABLES})
    digest = hashlib.sha256(text.encode())
    for role, path in sorted(forecast_inputs(config).items()):
        if path is not None and Path(path).is_file():
            digest.update(f"{role}:{file_sha256(Path(path))}".encode())
    return digest.hexdigest()


def staffing_fingerprint(config: Config) -> str:
    """A hash of the staffing, schedule and roster settings and the agents file, on top of
    the forecast's."""
    text = config_toml(config).split("\n[staffing]", 1)
    digest = hashlib.sha256((fingerprint(config) + (text[1] if len(text) > 1 else "")).encode())
    if config.data.agents is not None and Path(config.data.agents).is_file():
        digest.update(file_sha256(Path(config.data.agents)).encode())
    return digest.hexdigest()


def stage_fingerprint(config: Config, stage: str, *extra: str) -> str:
    """A hash for a run made through `stage` ('schedule' or 'roster'): every setting and
    input of the staffing fingerprint, the stage's name and its `extra` choices (such as
    export kinds)."""
    text = "\n".join((staffing_fingerprint(config), stage, *extra))
    return hashlib.sha256(text.encode()).hexdigest()

"""Write a `Config` back as TOML: the effective settings of a run, flags included."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from peakplan.config import Config

__all__ = ["config_toml"]


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def config_toml(config: Config) -> str:
    """The settings of `config` as TOML (absolute paths, unset values left out)."""
    lines = [f"# effective settings{f' (from {config.source})' if config.source else ''}"]
    for section in ("season", "data", "forecast", "runs"):
        values = getattr(config, section)
        lines.append(f"\n[{section}]")
        for item in fields(values):
            value = getattr(values, item.name)
            if value is None:
                continue
            value = str(value) if isinstance(value, Path) else value
            lines.append(f"{item.name} = {_literal(value)}")
    return "\n".join(lines) + "\n"

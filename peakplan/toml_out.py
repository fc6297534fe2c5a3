"""Write a `Config` back as TOML: the effective settings of a run, flags included."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

from peakplan.config import Config
from staffing import schedule_rules_table, staffing_table

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
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_literal(v)}" for k, v in value.items()) + " }"
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
    capacity = {item.name: getattr(config.capacity, item.name)
                for item in fields(config.capacity) if getattr(config.capacity, item.name)
                is not None}
    if "plan_week" in capacity:
        capacity["plan_week"] = capacity["plan_week"].date()
    lines.extend(_table("staffing", {**staffing_table(config.staffing), "capacity": capacity}))
    roster = {item.name: getattr(config.roster, item.name) for item in fields(config.roster)
              if getattr(config.roster, item.name) is not None}
    roster["night_hours"] = [f"{m // 60:02d}:{m % 60:02d}" for m in roster["night_hours"]]
    lines.extend(_table("schedule", {**schedule_rules_table(config.schedule),
                                     "roster": roster}))
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else _literal(name)


def _table(name: str, table: dict[str, Any]) -> list[str]:
    """A TOML table: plain values first, then sub-tables and arrays of tables."""
    lines = [f"\n[{name}]"]
    nested = {k: v for k, v in table.items() if isinstance(v, dict)}
    arrays = {k: v for k, v in table.items() if isinstance(v, list) and v
              and isinstance(v[0], dict)}
    for key, value in table.items():
        if key not in nested and key not in arrays:
            lines.append(f"{_key(key)} = {_literal(value)}")
    for key, value in nested.items():
        lines.extend(_table(f"{name}.{key}", value))
    for key, items in arrays.items():
        for item in items:
            lines.append(f"\n[[{name}.{key}]]")
            lines.extend(f"{_key(k)} = {_literal(v)}" for k, v in item.items())
    return lines

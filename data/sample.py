"""Where the bundled sample season lives (made by `python -m data.make_sample`)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SAMPLE_DIR", "sample_paths"]

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

SAMPLE_FILES = {
    "contacts": "contacts.parquet",
    "traffic": "traffic.csv.gz",
    "traffic_plan": "traffic_plan.csv",
    "events": "events.csv",
    "agents": "agents.csv",
    "config": "season.toml",
}


def sample_paths() -> dict[str, Path]:
    """Paths of the bundled sample files, by role (contacts, traffic, traffic_plan, events,
    agents, config)."""
    return {role: SAMPLE_DIR / name for role, name in SAMPLE_FILES.items()}

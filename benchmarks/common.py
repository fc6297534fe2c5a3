"""Shared helpers: run a measured step in a fresh process, write a JSON result."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def measure(code: str) -> dict[str, float]:
    """Run `code` in a fresh Python; it must print seconds; add the peak memory (MiB)."""
    wrapped = (
        "import resource, time\n" + code +
        "\nprint('peak_mib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n")
    out = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    values = dict(line.split() for line in out.strip().splitlines())
    return {key: round(float(value), 3) for key, value in values.items()}


def write_result(name: str, result: dict) -> Path:
    """Write `result` with the machine it ran on to results/<name>.json (atomically)."""
    result = {"benchmark": name, "when_utc": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}, **result}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path

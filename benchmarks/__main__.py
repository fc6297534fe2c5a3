"""Run every benchmark module (bench_*.py) and print where each result was written.

    python -m benchmarks [NAME ...]
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    """Run the named benchmarks (all when none); return 1 if a goal was missed."""
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names]
    missed = 0
    for name in chosen:
        module = importlib.import_module(f"benchmarks.{name}")
        result, path = module.run()
        status = "met" if result["goal_met"] else "MISSED"
        print(f"{name}: goal {status} -> {path}")
        missed += not result["goal_met"]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

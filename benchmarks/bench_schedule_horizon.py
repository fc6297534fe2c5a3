"""Week boundaries: one queue open around the clock, planned over 13 weeks
(`benchmarks.schedule_around_the_clock`: 30-minute intervals, 8 agents at night, 40 at
the peak, growing 40% towards late November) with the default rules (shifts of 4, 6, 8
and 10 h starting every 30 minutes, their breaks, the default `windows` method).

Two variants, each in a fresh process, side by side:
  rolling     the default: each week sees the next week's first `lookahead_h` hours,
              shifts may run across Sunday midnight and count in the next week there;
  weeks apart `lookahead_h = 0`: every week on its own, as before issue 13 (no shift
              crosses Sunday midnight, and Monday starts from nothing).

Goal (the default): shifts cross Sunday midnight, and starts on Monday between 00:00 and
04:00 stay within 1.3 times the Tuesday to Thursday average of the same hours (Mondays
after the season's first; the first Monday has no week before it). Every week also
states its gap to a proven bound.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import write_result
from benchmarks.schedule_around_the_clock import (
    FIRST_MONDAY,
    NIGHT_AGENTS,
    PEAK_AGENTS,
    TZ,
    WEEKS,
    boundary_figures,
    make_requirement,
)

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO = 1.3
VARIANTS = {"rolling": None, "weeks apart": 0.0}


def variant(lookahead_h: float | None) -> dict:
    """The 13 weeks in this process with the default rules (and `lookahead_h`)."""
    from dataclasses import replace

    from staffing import ScheduleRules, schedule

    rules = ScheduleRules() if lookahead_h is None else replace(ScheduleRules(),
                                                                 lookahead_h=lookahead_h)
    started = time.perf_counter()
    plan = schedule(make_requirement(), rules)
    wall = time.perf_counter() - started
    solves = plan.solves
    return {"lookahead_h": rules.lookahead_h, "wall_s": round(wall, 1),
            "statuses": solves["status"].value_counts().to_dict(),
            "worst_gap": round(float(solves["gap"].max()), 5),
            "gaps": [round(float(g), 5) for g in solves["gap"]],
            "cost": round(float(plan.shifts["cost"].sum()), 2),
            "agent_intervals_short": float(solves["short_agent_intervals"].sum()),
            **boundary_figures(plan.shifts)}


def _start(name: str, target: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "benchmarks.bench_schedule_horizon", name,
                             str(target)], cwd=ROOT, stdout=subprocess.DEVNULL)


def run() -> tuple[dict, Path]:
    """Both variants, in two processes at once."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        targets = {name: Path(folder) / f"{i}.json" for i, name in enumerate(VARIANTS)}
        children = {name: _start(name, target) for name, target in targets.items()}
        for child in children.values():
            child.wait()
        found = {name: json.loads(target.read_text()) if target.exists()
                 else {"error": f"exit status {children[name].returncode}"}
                 for name, target in targets.items()}
    rolling = found["rolling"]
    ratio = rolling.get("monday_ratio_after_first_week")
    met = bool(ratio is not None and ratio <= GOAL_RATIO
               and rolling.get("shifts_across_sunday_midnight", 0) > 0)
    result = {"first_monday": FIRST_MONDAY, "weeks": WEEKS, "tz": TZ,
              "requirement": {"night_agents": NIGHT_AGENTS, "peak_agents": PEAK_AGENTS},
              "variants": found, "total_s": round(time.perf_counter() - started, 1),
              "goal": {"monday_ratio_after_first_week_at_most": GOAL_RATIO,
                       "shifts_across_sunday_midnight": "> 0"},
              "goal_met": met}
    return result, write_result("schedule_horizon", result)


if __name__ == "__main__":  # one variant in its own process: name target.json
    chosen, out_path = sys.argv[1], sys.argv[2]
    Path(out_path).write_text(json.dumps(variant(VARIANTS[chosen])))

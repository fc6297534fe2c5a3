"""What a schedule solve leaves behind: nothing on stdout or stderr (the solvers are
silenced through their own options, not by redirecting a file descriptor), no file in
the working or temporary folder, and model files only where `model_folder` says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from staffing import ScheduleRules, schedule
from staffing.schedule.rules import BreakRule, ShiftRule

REPO = Path(__file__).resolve().parents[2]

SOLVES = r"""
import json, sys

import numpy as np
import pandas as pd

from staffing import ScheduleRules, schedule
from staffing.schedule.rules import BreakRule, ShiftRule

SHIFTS = (ShiftRule(4.0, ()), ShiftRule(8.0, (BreakRule(30, 3.0, 5.0, False),)))


def need(days, interval_min):
    ds = pd.date_range("2026-11-23", periods=days * 24 * 60 // interval_min,
                       freq=f"{interval_min}min", tz="Europe/Amsterdam")
    hour = ds.hour + ds.minute / 60
    open_ = (hour >= 8) & (hour < 20)
    level = 4 + 6 * np.exp(-((hour - 13) / 3) ** 2)
    return pd.DataFrame({"queue": "q", "ds": ds, "agents_gross": np.where(open_, level, 0.0),
                         "open": open_})


statuses = []
for solver in ("highs", "cbc"):
    for method in ("two_phase", "exact"):
        rules = ScheduleRules(shifts=SHIFTS, time_limit_s=20, gap_rel=0.01, solver=solver,
                              method=method)
        statuses += schedule(need(1, 30), rules).solves["status"].tolist()
# a zero gap takes the two-phase method through its rounds and the polish
rules = ScheduleRules(start_step_min=15, time_limit_s=30, gap_rel=0.0)
statuses += schedule(need(2, 15), rules).solves["status"].tolist()
rules = ScheduleRules(shifts=SHIFTS, time_limit_s=20, gap_rel=0.0, solver="cbc")
statuses += schedule(need(3, 30), rules).solves["status"].tolist()
with open(sys.argv[1], "w") as handle:
    json.dump(statuses, handle)
"""


def run_quietly(code: str, tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess,
                                                                  Path, Path]:
    """Run `code` in a fresh Python from an empty working folder, with an empty
    temporary folder of its own; the result and both folders."""
    work, temp = tmp_path / "work", tmp_path / "temp"
    work.mkdir()
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp), "TMP": str(temp),
           "TEMP": str(temp)}
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    return done, work, temp


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory):
    """Six schedules solved in a fresh process: HiGHS and CBC, two phases and exact."""
    tmp_path = tmp_path_factory.mktemp("quiet")
    out = tmp_path / "statuses.json"
    done, work, temp = run_quietly(SOLVES, tmp_path, str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    return done, work, temp, json.loads(out.read_text())


@pytest.mark.slow
def test_solves_print_nothing(solved) -> None:
    done, _, _, statuses = solved
    assert statuses and set(statuses) <= {"optimal", "feasible"}, statuses
    assert done.stdout == "", done.stdout[:2000]
    assert done.stderr == "", done.stderr[:2000]


@pytest.mark.slow
def test_solves_leave_no_file_in_the_working_or_temporary_folder(solved) -> None:
    _, work, temp, _ = solved
    assert sorted(p.name for p in work.iterdir()) == []
    assert sorted(p.name for p in temp.iterdir()) == []


@pytest.mark.parametrize(("code", "banner"), [
    ("import highspy; highspy.Highs()", "Running HiGHS"),
    ("import pulp, warnings; warnings.simplefilter('ignore'); p = pulp.LpProblem('p'); "
     "x = pulp.LpVariable('x', 0, cat='Integer'); p += x; p += x >= 1; "
     "p.solve(pulp.PULP_CBC_CMD(msg=True))", "CBC"),
], ids=["highs", "cbc"])
def test_the_check_would_see_a_banner(code: str, banner: str, tmp_path: Path) -> None:
    """Left to their defaults, both solvers do print: the checks above could fail."""
    done, _, _ = run_quietly(code, tmp_path)
    assert banner in done.stdout + done.stderr


def need_two_queues() -> pd.DataFrame:
    ds = pd.date_range("2026-11-23 08:00", periods=24, freq="30min", tz="Europe/Amsterdam")
    hour = ds.hour + ds.minute / 60
    level = 4 + 6 * np.exp(-((hour - 13) / 3) ** 2)
    return pd.concat([pd.DataFrame({"queue": q, "ds": ds, "agents_gross": level})
                      for q in ("a", "b")], ignore_index=True)


@pytest.mark.parametrize("method", ["two_phase", "exact"])
def test_model_files_only_in_the_model_folder(method: str, tmp_path: Path) -> None:
    rules = ScheduleRules(shifts=(ShiftRule(4.0, ()),
                                  ShiftRule(8.0, (BreakRule(30, 3.0, 5.0, False),))),
                          time_limit_s=20, gap_rel=0.01, method=method)
    folder = tmp_path / "models"
    schedule(need_two_queues(), rules, model_folder=folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models"]
    assert sorted(p.name for p in folder.iterdir()) == ["a_20261123.lp", "b_20261123.lp"]
    assert "cover_0" in (folder / "a_20261123.lp").read_text()

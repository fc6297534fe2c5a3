"""The season's schedule as a stage: the queues side by side in local processes or on a
Dask cluster with the same result, progress after every block, every finished block kept
so that an interrupted schedule resumes, and the output naming its source and time zone."""

from __future__ import annotations

import io
import json
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakplan.cli import main
from peakplan.stages.schedule import CHECKPOINTS, run_schedule, schedule_bar
from staffing import ScheduleProgress, ScheduleRules
from staffing.schedule.rules import BreakRule, ShiftRule

ZONE = "Europe/Amsterdam"
RULES = ScheduleRules(
    shifts=(ShiftRule(4.0, (BreakRule(15, 1.5, 2.5, True),)),
            ShiftRule(8.0, (BreakRule(30, 3.0, 5.0, False), BreakRule(15, 1.5, 2.5, True)))),
    time_limit_s=30)


def requirements(weeks: int = 2) -> pd.DataFrame:
    """Two small queues over `weeks` weeks at hourly intervals, open 07:00-23:00 and
    08:00-20:00 (each day a model of its own: quick to solve)."""
    ds = pd.date_range("2026-11-02", periods=weeks * 7 * 24, freq="60min", tz=ZONE)
    hour = ds.hour.to_numpy()
    peak = np.exp(-((hour - 14) / 4) ** 2)
    frames = []
    for queue, opens, closes, base in (("chat", 7, 23, 2), ("phone", 8, 20, 3)):
        open_ = (hour >= opens) & (hour < closes)
        frames.append(pd.DataFrame({"queue": queue, "ds": ds, "open": open_,
                                    "agents_gross": np.where(open_, base + 5 * peak, 0.0)}))
    return pd.concat(frames, ignore_index=True)


def same(a, b) -> None:
    for name in ("shifts", "breaks", "coverage"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    columns = ["queue", "week", "status", "objective", "bound", "gap", "shifts"]
    pd.testing.assert_frame_equal(a.solves[columns], b.solves[columns])


@pytest.fixture(scope="module")
def here():
    return run_schedule(requirements(), RULES, workers=1)


def test_local_processes_give_the_schedule_solved_here(here) -> None:
    same(run_schedule(requirements(), RULES, workers=2), here)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_schedule_solved_here(here) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_schedule(requirements(), RULES, scheduler=cluster.scheduler_address)
    same(remote, here)


def test_progress_counts_every_block_with_the_worst_gap(here) -> None:
    seen: list[ScheduleProgress] = []
    run_schedule(requirements(), RULES, workers=1, progress=seen.append)
    assert [p.done for p in seen] == list(range(5))
    assert all(p.total == 4 for p in seen)
    assert math.isnan(seen[0].worst_gap) and seen[0].last is None
    assert seen[-1].worst_gap == pytest.approx(here.solves["gap"].max())
    assert not math.isnan(seen[1].left_s) and seen[-1].left_s == 0
    assert "2/4 blocks" in str(seen[2]) and "worst gap" in str(seen[2])
    assert "s left" in str(seen[2]) and "s left" not in str(seen[-1])


def test_the_bar_shows_blocks_and_the_worst_gap() -> None:
    out = io.StringIO()
    bar = schedule_bar(file=out)
    run_schedule(requirements(weeks=1), RULES, workers=1, progress=bar)
    bar.close()
    text = out.getvalue()
    assert "schedule" in text and "2/2" in text and "worst gap" in text
    drawn = [line for line in text.replace("\r", "\n").splitlines()
             if "1/2 [" in line or "2/2 [" in line]
    assert drawn and all("worst gap" in line for line in drawn), "a block drawn once, with its gap"


class Stop(Exception):
    pass


def test_an_interrupted_schedule_resumes_where_it_stopped(here, tmp_path) -> None:
    def stop_after_two(progress: ScheduleProgress) -> None:
        if progress.done == 2:
            raise Stop

    with pytest.raises(Stop):
        run_schedule(requirements(), RULES, workers=1, progress=stop_after_two,
                     checkpoint=tmp_path, source="run-a")
    kept = list((tmp_path / CHECKPOINTS).glob("*/*/solve.json"))
    assert len(kept) == 2
    seen: list[ScheduleProgress] = []
    resumed = run_schedule(requirements(), RULES, workers=1, progress=seen.append,
                           checkpoint=tmp_path, source="run-a")
    assert seen[0].done == 2 and seen[-1].solved == 2
    same(resumed, here)


def test_other_rules_or_sources_do_not_take_kept_blocks(tmp_path) -> None:
    run_schedule(requirements(weeks=1), RULES, workers=1, checkpoint=tmp_path, source="a")
    for source, rules in (("b", RULES), ("a", replace(RULES, hourly_cost=30.0))):
        seen: list[ScheduleProgress] = []
        run_schedule(requirements(weeks=1), rules, workers=1, progress=seen.append,
                     checkpoint=tmp_path, source=source)
        assert seen[0].done == 0 and seen[-1].solved == 2


def test_the_cli_names_the_file_and_zone_and_leaves_no_blocks(tmp_path, capsys) -> None:
    path = tmp_path / "need.csv"
    requirements(weeks=1).to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["schedule", "--requirements", str(path), "--out", str(out),
                 "--timezone", ZONE, "--quiet", "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert f"requirements file {path}, times in {ZONE} (--timezone)" in printed
    report = json.loads((out / "solve.json").read_text())
    assert report["timezone"] == ZONE and len(report["blocks"]) == 2
    assert not (out / CHECKPOINTS).exists()


def test_offsets_of_another_zone_without_timezone_are_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "need.csv"
    frame = requirements(weeks=1)
    frame["ds"] = frame["ds"].dt.tz_convert("America/New_York").map(lambda t: t.isoformat())
    frame.to_csv(path, index=False)
    code = main(["schedule", "--requirements", str(path), "--out", str(tmp_path / "o"),
                 "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and len(err.splitlines()) == 1
    assert "--timezone" in err and "-05:00" in err


def test_negative_workers_is_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "need.csv"
    requirements(weeks=1).to_csv(path, index=False)
    code = main(["schedule", "--requirements", str(path), "--out", str(tmp_path / "o"),
                 "--timezone", ZONE, "--workers", "-1"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and "--workers" in err and len(err.splitlines()) == 1


WORKER_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_schedule_stage import RULES, requirements
from peakplan.stages.schedule import run_schedule
run_schedule(requirements(weeks=40), RULES, workers=2)
"""


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_killing_the_schedule_ends_its_workers(tmp_path) -> None:
    script = WORKER_SCRIPT.format(tests=str(Path(__file__).parent))
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while len(workers := [p for p in _children(parent.pid)
                              if p != parent.pid]) < 2 and time.monotonic() < deadline:
            assert parent.poll() is None, "the schedule ended before its workers started"
            time.sleep(0.2)
        assert len(workers) >= 2
        time.sleep(2)  # the workers are solving
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{p}").exists() for p in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        alive = [p for p in workers if Path(f"/proc/{p}").exists()
                 and "Z" not in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1][:3]]
        assert not alive
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_worker_that_dies_is_one_line_that_says_the_weeks_are_kept(tmp_path,
                                                                      monkeypatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from data import PlannerError
    from peakplan.stages import schedule as stage

    def broken(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(stage, "schedule", broken)
    with pytest.raises(PlannerError, match=r"ended abruptly.*kept: run it again to resume"):
        run_schedule(requirements(weeks=1), RULES, workers=1, checkpoint=tmp_path,
                     source="a")


def test_a_requirements_file_spells_queues_as_the_agents_file_does(tmp_path) -> None:
    from peakplan.readers import read_requirements

    frame = requirements(weeks=1)
    frame["queue"] = frame["queue"].map({"chat": "Chat-EN", "phone": " phone "})
    path = tmp_path / "need.csv"
    frame.to_csv(path, index=False)
    assert sorted(read_requirements(path, ZONE)["queue"].unique()) == ["chat_en", "phone"]


def test_a_requirements_row_without_a_queue_name_is_named(tmp_path) -> None:
    from data import DataError
    from peakplan.readers import read_requirements

    frame = requirements(weeks=1)
    frame.loc[5, "queue"] = "!!"
    path = tmp_path / "need.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 7.*queue|queue.*row 7"):
        read_requirements(path, ZONE)


def test_a_team_shapes_the_lengths_and_keeps_its_own_blocks(tmp_path) -> None:
    from data import read_agents

    path = tmp_path / "agents.csv"
    path.write_text("agent_id,name,queues,contract_h_week,min_h_week,max_h_week\n"
                    "A1,Ann,chat;phone,20,20,20\nA2,Bob,phone,20,20,20\n", encoding="utf-8")
    team = read_agents(path)
    run_schedule(requirements(weeks=1), RULES, workers=1, checkpoint=tmp_path, source="a")
    seen: list[ScheduleProgress] = []
    shaped = run_schedule(requirements(weeks=1), RULES, workers=1, progress=seen.append,
                          checkpoint=tmp_path, source="a", agents=team)
    assert seen[0].done == 0 and seen[-1].solved == 2
    # 20 h contracts are five 4 h shifts: the 8 h shifts keep to a tenth of the hours
    shifts = shaped.shifts.assign(h=shaped.shifts["paid_h"] * shaped.shifts["agents"])
    by_day = shifts.pivot_table(index=["queue", "day"], columns="length_h", values="h",
                                aggfunc="sum", fill_value=0.0)
    assert (by_day.get(8.0, 0) <= 0.1 * by_day.sum(axis=1) + 1e-6).all()

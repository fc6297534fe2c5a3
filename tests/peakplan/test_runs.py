"""The run store: complete runs only, atomic writes, lookup by name; and its faults: a
store that cannot be written, a full disk, a run killed while it writes."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from data import ConfigError
from peakplan import runs
from peakplan.runs import check_run_store, list_runs, load_run, write_run

REPO = Path(__file__).resolve().parents[2]


def _write(root, name="q4", frame=None, **kwargs):
    frame = pd.DataFrame({"a": [1, 2]}) if frame is None else frame
    return write_run(root, name, config_text="[season]\n", artifacts={"forecast": frame},
                     inputs={}, timings_s={"forecast": 1.23456}, **kwargs)


def test_a_run_round_trips(tmp_path) -> None:
    frame = pd.DataFrame({"ds": pd.date_range("2026-10-01", periods=3, tz="Europe/Amsterdam"),
                          "yhat": [1.0, 2.0, 3.5]})
    run = _write(tmp_path, frame=frame, notes=("traffic GB: plan",))
    assert (run.path / "config.toml").read_text() == "[season]\n"
    manifest = json.loads((run.path / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["artifacts"] == {"forecast": 3}
    assert manifest["timings_s"] == {"forecast": 1.235}
    assert "pandas" in manifest["versions"] and manifest["notes"] == ["traffic GB: plan"]
    pd.testing.assert_frame_equal(load_run(tmp_path).artifact("forecast"), frame)


def test_unfinished_folders_are_not_runs(tmp_path) -> None:
    _write(tmp_path, "first")
    (tmp_path / "20990101T000000Z-broken").mkdir()
    (tmp_path / ".20990101T000000Z-x.partial").mkdir()
    half = tmp_path / "20990101T000001Z-half"
    half.mkdir()
    (half / "manifest.json").write_text('{"status": "writing"}')
    assert [r.name.split("-", 1)[1] for r in list_runs(tmp_path)] == ["first"]


def test_a_failed_write_leaves_nothing(tmp_path) -> None:
    class Broken(pd.DataFrame):
        def to_parquet(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(ConfigError, match=r"'runs.root' .* nothing of the run was kept"):
        write_run(tmp_path, "x", config_text="", artifacts={"forecast": Broken({"a": [1]})},
                  inputs={}, timings_s={})
    assert list(tmp_path.iterdir()) == []


def test_lookup_by_name_and_latest(tmp_path) -> None:
    first = _write(tmp_path, "alpha")
    second = _write(tmp_path, "beta")
    assert load_run(tmp_path).path == second.path
    assert load_run(tmp_path, "alpha").path == first.path
    with pytest.raises(ConfigError, match="no such run"):
        load_run(tmp_path, "gamma")
    with pytest.raises(ConfigError, match="not in run"):
        first.artifact("roster")
    with pytest.raises(ConfigError, match="no runs"):
        load_run(tmp_path / "empty")


def test_a_run_store_must_be_a_folder_that_can_be_written(tmp_path) -> None:
    assert check_run_store(tmp_path / "new" / "runs") == tmp_path / "new" / "runs"
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    with pytest.raises(ConfigError, match=r"'runs.root' .* is a file, not a folder"):
        check_run_store(afile)
    with pytest.raises(ConfigError, match=r"'--runs' .*notes.txt is not a folder"):
        check_run_store(afile / "runs", "--runs")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # root may write anywhere
        pytest.skip("this user can write into a read-only folder (root)")
    with pytest.raises(ConfigError, match="no permission"):
        check_run_store(locked / "runs")


def test_a_run_into_a_file_is_a_setting_error_and_leaves_the_file(tmp_path) -> None:
    afile = tmp_path / "runs"
    afile.write_text("mine")
    with pytest.raises(ConfigError, match=r"'runs.root' .* cannot hold a run"):
        _write(afile)
    assert afile.read_text() == "mine"


# --- faults (issue 16) -------------------------------------------------------------------


def test_the_store_check_writes_a_probe_rather_than_asking_os_access(tmp_path,
                                                                     monkeypatch) -> None:
    def no_access(*_):
        raise AssertionError("os.access says yes to root where a write fails")

    monkeypatch.setattr(os, "access", no_access)
    assert check_run_store(tmp_path / "runs") == tmp_path / "runs"
    assert list(tmp_path.iterdir()) == []  # the probe is gone

    def read_only(*_, **__):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(runs.tempfile, "mkstemp", read_only)
    with pytest.raises(ConfigError, match=r"'runs.root' .*cannot be written: the file system "
                       r"is read-only \(Read-only file system\) in "):
        check_run_store(tmp_path / "runs")


def test_a_full_disk_is_one_line_naming_the_store_with_nothing_left(tmp_path) -> None:
    class Full(pd.DataFrame):
        def to_parquet(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ConfigError) as error:
        write_run(tmp_path, "x", config_text="", artifacts={"forecast": Full({"a": [1]})},
                  inputs={}, timings_s={})
    assert str(error.value) == (
        f"setting 'runs.root' = '{tmp_path}': cannot hold the run: the disk is full "
        "(No space left on device); nothing of the run was kept")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_store_is_one_line(tmp_path, monkeypatch) -> None:
    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(ConfigError, match=r"'runs.root' .*cannot hold a run: the file system "
                       r"is read-only"):
        _write(tmp_path)


def test_a_long_name_makes_a_short_folder(tmp_path) -> None:
    run = _write(tmp_path, "peak " * 800)
    assert len(run.name) < 120 and run.manifest["name"] == "peak " * 800


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_partial_folders_are_removed_at_the_next_write(tmp_path, monkeypatch) -> None:
    host = runs._host()
    folders = {
        "old_style": ".20260101T000000Z-a.partial",
        "dead_owner": f".20260101T000001Z-b.{host}-{_dead_pid()}.partial",
        "live_owner": f".20260101T000002Z-c.{host}-{os.getppid()}.partial",
        "other_host_recent": ".20260101T000003Z-d.elsewhere-1.partial",
        "other_host_old": ".20260101T000004Z-e.elsewhere-2.partial",
        "not_a_partial": ".20260101T000005Z-f.keep",
    }
    for name in folders.values():
        (tmp_path / name).mkdir()
        (tmp_path / name / "forecast.parquet").write_bytes(b"half")
    day_ago = time.time() - 2 * runs.FOREIGN_STALE_S
    os.utime(tmp_path / folders["other_host_old"], (day_ago, day_ago))
    monkeypatch.setattr(runs, "STARTED", time.time() + 60)  # all older than this process
    _write(tmp_path, "next")
    left = {p.name for p in tmp_path.iterdir() if p.name.startswith(".")}
    assert left == {folders[k] for k in ("live_owner", "other_host_recent", "not_a_partial")}


def test_partials_newer_than_this_process_are_kept(tmp_path) -> None:
    young = tmp_path / f".20990101T000000Z-a.{runs._host()}-{_dead_pid()}.partial"
    young.mkdir()
    assert runs.remove_stale_partials(tmp_path) == [] and young.is_dir()


WRITER = """
import sys, time, pandas as pd
from peakplan.runs import write_run

class Slow(pd.DataFrame):
    def to_parquet(self, *args, **kwargs):
        print("writing", flush=True)
        time.sleep(60)

write_run(sys.argv[1], "killed", config_text="", artifacts={"forecast": Slow({"a": [1]})},
          inputs={}, timings_s={})
"""


def test_a_writer_killed_mid_write_leaves_no_run_and_its_folder_goes(tmp_path,
                                                                     monkeypatch) -> None:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert writer.stdout.readline().strip() == "writing"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert [p.name.endswith(".partial") for p in tmp_path.iterdir()] == [True]
    assert list_runs(tmp_path) == []
    monkeypatch.setattr(runs, "STARTED", time.time() + 60)  # a later process
    run = _write(tmp_path, "after")
    assert [p.name for p in tmp_path.iterdir()] == [run.name]

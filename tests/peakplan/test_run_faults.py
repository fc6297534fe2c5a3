"""Faults of a whole run (issue 16): `peakplan run` killed with SIGKILL in the middle of
its forecast fits leaves no worker process behind and no run in the store."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data import SAMPLE_DIR
from peakplan.runs import list_runs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc"),
]
FILES = re.compile(r'^(volume|traffic|traffic_plan|events|agents) = "', re.MULTILINE)


def sample_config(folder: Path) -> Path:
    """The bundled sample's config with absolute paths and two fit processes."""
    text = (SAMPLE_DIR / "season.toml").read_text(encoding="utf-8")
    text = FILES.sub(lambda m: f'{m[0]}{SAMPLE_DIR.as_posix()}/', text)
    text = re.sub(r"^workers = 0", "workers = 2", text, flags=re.MULTILINE)
    assert "workers = 2" in text and f'volume = "{SAMPLE_DIR.as_posix()}/' in text
    path = folder / "season.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if fields is not None and int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has ended; only its entry waits


def test_a_run_killed_mid_fit_leaves_no_worker_and_no_run(tmp_path) -> None:
    runs = tmp_path / "runs"
    command = [sys.executable, "-m", "peakplan.cli", "run", "--config",
               str(sample_config(tmp_path)), "--runs", str(runs), "--quiet"]
    parent = subprocess.Popen(command, cwd=tmp_path, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:  # fit workers: the parent's own program, forked
            workers = [p for p in _children(parent.pid) if _comm(p) == _comm(parent.pid)]
            if len(workers) >= 2:
                break
            assert parent.poll() is None, parent.stderr.read().decode()[-500:]
            time.sleep(0.2)
        assert len(workers) >= 2, "no fit workers started"
        time.sleep(3)  # the workers are fitting
        seen = _descendants(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in seen if _alive(p)], "processes of the killed run live on"
        listed = subprocess.run([sys.executable, "-m", "peakplan.cli", "runs", "--runs",
                                 str(runs)], capture_output=True, text=True, timeout=120)
        assert listed.returncode == 0 and listed.stdout.startswith("no runs in"), listed.stdout
        assert not list_runs(runs)
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in seen:  # what a failed assertion would leave: ours to end
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.stderr.close()

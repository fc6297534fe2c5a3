"""Local processes and a Dask cluster give the same forecasts as a plain loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from forecast.config import ForecastConfig
from forecast.models import FitTask, run_task
from forecast.parallel import run_all


def tasks(weekly) -> list[FitTask]:
    config = ForecastConfig()
    out = []
    for seed in range(4):
        history = weekly(120, level=30 + 10 * seed, seed=seed)
        days = pd.date_range(history.index[-1] + pd.Timedelta(days=1), periods=14, freq="D")
        out += [FitTask(f"s{seed}", model, history, days, None, config)
                for model in ("prophet", "snaive_week")]
    return out


def test_local_processes_match_the_plain_loop(weekly) -> None:
    work = tasks(weekly)
    here = run_all(run_task, work, workers=1)
    pooled = run_all(run_task, work, workers=2)
    for a, b in zip(here, pooled, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_a_dask_cluster_matches_the_plain_loop(weekly) -> None:
    distributed = pytest.importorskip("dask.distributed")
    work = tasks(weekly)
    here = run_all(run_task, work, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = run_all(run_task, work, scheduler=cluster.scheduler_address)
    for a, b in zip(here, remote, strict=True):
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_config_error(weekly) -> None:
    from data import ConfigError

    with pytest.raises(ConfigError, match=r"forecast\.scheduler"):
        run_all(run_task, tasks(weekly)[:1], scheduler="tcp://127.0.0.1:9")


INTERRUPTED = """
import time
from forecast.parallel import run_all
try:
    run_all(time.sleep, [60.0] * 8, workers=2)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def _ctrl_c_heard() -> None:
    """In the child: Ctrl-C back to its default, so Python raises KeyboardInterrupt even
    when the tests run in a background job of a shell (which starts them ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("to", ["the command alone", "its process group (a terminal)"])
def test_ctrl_c_stops_the_fits_at_once_and_cleanly(to) -> None:
    parent = subprocess.Popen([sys.executable, "-c", INTERRUPTED], start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=_ctrl_c_heard)
    try:
        deadline = time.monotonic() + 60
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 2
        time.sleep(1)  # both are inside a 60 s task
        if to == "the command alone":
            os.kill(parent.pid, signal.SIGINT)
        else:
            os.killpg(parent.pid, signal.SIGINT)
        out, err = parent.communicate(timeout=20)  # not the 60 s the tasks would take
        assert out == "interrupted\n" and "Traceback" not in err, err
        assert not [p for p in workers if Path(f"/proc/{p}").exists()
                    and " Z " not in Path(f"/proc/{p}/stat").read_text()]
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
            parent.wait()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_the_workers_end_with_their_parent_on_linux() -> None:
    """Each worker asked the kernel for SIGKILL when its parent ends (PR_SET_PDEATHSIG:
    the fault test in tests/peakplan/test_run_faults.py kills a whole run)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    assert run_all(_death_signal, list(range(4)), workers=2) == [signal.SIGKILL] * 4


def _death_signal(_: int) -> int:
    import ctypes

    found = ctypes.c_int(0)
    ctypes.CDLL(None, use_errno=True).prctl(2, ctypes.byref(found))  # 2: PR_GET_PDEATHSIG
    return found.value

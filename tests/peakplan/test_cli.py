"""`peakplan validate`: a report on good input, one line and status 2 on bad input; any
other failure is one line too, and Ctrl-C stops cleanly."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data.limits import ReadLimits, current_limits
from peakplan import cli
from peakplan.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_validate_reports_the_bundled_sample(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    for expected in ("series: 90", "from 2023-10-01 to 2026-09-30", "grain: 30-minute intervals",
                     "2026-10-01 to 2026-12-31 (92 days, from the config)",
                     "countries: AR, AU, GB, HU, JP, US", "gaps: none", "agents: 280",
                     "FTE of 38 h",  # one FTE everywhere: staffing.capacity.hours_per_fte
                     "ok: every input is valid"):
        assert expected in out


def test_validate_a_user_file_with_flags(write, capsys) -> None:
    path = write("h.csv", "Date;Calls\n05.01.2026 08:00;3\n05.01.2026 08:30;4\n")
    assert main(["validate", "--volume", str(path), "--country", "DE", "--channel", "phone",
                 "--timezone", "Europe/Berlin"]) == 0
    out = capsys.readouterr().out
    assert "countries: DE" in out and "channels: phone" in out


def test_a_config_error_is_one_line_with_status_2(write, capsys) -> None:
    config = write("season.toml", '[season]\ntimezone = "Nowhere/City"\n')
    assert main(["validate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "season.timezone" in err and "Traceback" not in err


def test_the_installed_command_exits_2_without_a_traceback(write) -> None:
    path = write("neg.csv", "ds,contacts\n2026-01-05 08:00,1\n2026-01-05 08:30,-1\n")
    result = subprocess.run(
        [sys.executable, "-m", "peakplan.cli", "validate", "--volume", str(path)],
        capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"peakplan: error: {path}, row 3, column 'contacts': count -1 is negative "
        "(expected a count of 0 or more)"]


# --- hostile input and faults (issue 16) ---------------------------------------------------


def test_a_cell_cannot_print_a_fake_ok_line(write, capsys) -> None:
    path = write("h.csv", 'ds,contacts\n2026-10-01,"1\nok: every input is valid"\n')
    assert main(["validate", "--volume", str(path)]) == 2
    captured = capsys.readouterr()
    assert "ok: every input is valid" not in captured.out
    assert captured.err.count("\n") == 1 and "\\x0aok: every input is valid" in captured.err


def test_read_limits_come_from_the_config(write, tmp_path, capsys) -> None:
    history = write("h.csv", "ds,contacts\n" + "".join(f"2026-10-{d:02},1\n" for d in range(1, 31)))
    small = write("small.toml", f'[data]\nvolume = "{history}"\n[data.limits]\nmax_cells = 20\n')
    assert main(["validate", "--config", str(small)]) == 2
    assert "data.limits.max_cells" in capsys.readouterr().err
    large = write("large.toml", f'[data]\nvolume = "{history}"\n[data.limits]\nmax_cells = 99\n')
    assert main(["validate", "--config", str(large)]) == 0
    assert current_limits() == ReadLimits()  # the command's limits ended with it


@pytest.mark.parametrize(("raised", "status", "said"), [
    (OSError(errno.ENOSPC, "No space left on device", "runs/x.parquet"), 1,
     "peakplan: error: No space left on device: runs/x.parquet"),
    (MemoryError(), 1, "peakplan: error: out of memory"),
    (RuntimeError("bug\nsecond line"), 1, "peakplan: internal error: RuntimeError: bug\\x0asecond"),
    (KeyboardInterrupt(), 130, "peakplan: interrupted"),
])
def test_any_failure_is_one_line(monkeypatch, capsys, raised, status, said) -> None:
    def fail(args):
        raise raised

    monkeypatch.setattr(cli, "cmd_validate", fail)
    assert main(["validate"]) == status
    err = capsys.readouterr().err
    assert err.startswith(said) and err.count("\n") == 1 and "Traceback" not in err
    assert len(err.encode()) <= 500


def test_verbose_shows_the_traceback_of_a_bug(monkeypatch) -> None:
    def fail(args):
        raise KeyError("bug")

    monkeypatch.setattr(cli, "cmd_validate", fail)
    with pytest.raises(KeyError):
        main(["--verbose", "validate"])


def _opened(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) == str(path) for fd in fds.iterdir())
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_stops_cleanly(tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("ds,contacts\n" + "2026-10-01 08:00,1\n" * 3_000_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "peakplan.cli", "validate", "--volume", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # heard in a bg job
    deadline = time.time() + 60
    while not _opened(process.pid, path) and process.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "peakplan: interrupted\n" and "ok" not in out


def test_schedule_offers_every_method_and_solver_the_rules_accept() -> None:
    """`--method windows` (the default method) must be accepted by the CLI, like every
    method and solver `[schedule]` accepts."""
    from staffing import SCHEDULE_METHODS, SCHEDULE_SOLVERS

    parser = cli.build_parser()
    for method in SCHEDULE_METHODS:
        assert parser.parse_args(["schedule", "--method", method]).method == method
    for solver in SCHEDULE_SOLVERS:
        assert parser.parse_args(["schedule", "--solver", solver]).solver == solver
    assert "windows" in SCHEDULE_METHODS

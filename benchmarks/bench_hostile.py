"""Hostile input and faults (issue 16), measured end to end through the real command:
every file is given to `peakplan validate` in its own process, as a user would.

Goal: no traceback on any hostile input; every refusal one line of at most 500 bytes;
every file answered within 60 s and 2.5 GB (2,684,354,560 bytes of peak RSS).

Cases:
- every file of the bad-input corpus (tests/data/bad, its reader and flags from
  expected.toml; traffic, events and agents files next to its good_contacts.csv), and
  good_contacts.csv itself as the control that must be accepted (status 0);
- hostile files built in a temporary folder as tests/data/test_hostile_inputs.py builds
  them, at the sizes issue 16 names: a gzip bomb (8 MB that expand to 4 GiB: deflate
  cannot pass about 1,000:1, so "1 MB to several GB" takes a few MB); one row repeated
  ten million times (a .csv.gz of 250 KB just under the cell limit); workbooks of 42
  million cells (2.5 MB, refused on their size) and of 14 million cells (under the size
  limit, so streamed); 42 million empty rows in a sheet without <dimension> (370 KB); a
  sheet declaring a far cell; a sheet whose rows each hold one blank cell in column XFD;
  billion laughs; an external entity; a plain zip named .xlsx; a FIFO; /dev/zero (by a
  .csv link and by itself); a folder; a 10 MB cell; control, bidirectional and
  line-separator characters and a quoted newline in a cell; a 1,000-column header over a
  million one-cell rows; a million rows then one row of 1,000 cells;
- the largest files the default limits let in, refused at their last row (so read in
  full): CSV (20 M cells), cp1252 CSV with carriage returns (238 MB), Excel (2 M cells)
  and Parquet (20 M cells).

Each case runs as `peakplan validate ...` (cwd an empty temporary folder, stdin
/dev/null) with a 120 s hard timeout; a watchdog also kills a child whose RSS passes
4 GiB (so a failing case cannot exhaust the shared machine). Measured per case: wall
seconds, the child's own peak RSS (os.wait4), exit status, lines of stdout + stderr, the
longest line in bytes, "Traceback" in the output. A refused case passes with a nonzero
status (not a signal), exactly one line starting "peakplan: error: " of at most 500
bytes with no raw control or bidirectional character, no traceback, within 60 s and
2.5 GB. The control passes with status 0 and its last line "ok: every input is valid".
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import write_result
from benchmarks.hostile_files import BUILT, GIB, TIMEZONE

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
PEAKPLAN = Path(sys.executable).with_name("peakplan")

GOALS = {"seconds": 60, "peak_bytes": 2_684_354_560, "refusal_lines": 1,
         "longest_line_bytes": 500, "traceback": False}
TIMEOUT_S = 120
RSS_CAP = 4 * GIB
"""The watchdog's kill line (above the goal: a case over it has failed already)."""

FLAGS = {"traffic": "--traffic", "events": "--events", "agents": "--agents"}
ERROR_PREFIX = b"peakplan: error: "
VALID_LINE = b"ok: every input is valid"
UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def volume(path: Path | str, timezone: str = TIMEZONE) -> list[str]:
    return ["--volume", str(path), "--timezone", timezone]


def corpus_cases() -> list[dict]:
    """The bad-input corpus with the flags expected.toml gives, and the control."""
    good = BAD / "good_contacts.csv"
    cases = []
    for case in tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))["case"]:
        path = BAD / case["file"]
        argv = volume(path) if case["reader"] == "contacts" \
            else [*volume(good), FLAGS[case["reader"]], str(path)]
        for key, value in case.get("kwargs", {}).items():
            argv += ["--" + key.replace("_", "-"), str(value)]
        cases.append({"name": f"bad/{case['file']}", "argv": argv, "valid": False})
    cases.append({"name": "bad/good_contacts.csv (control)", "argv": volume(good),
                  "valid": True})
    return cases


def hostile_cases(folder: Path) -> Iterator[dict]:
    """Each hostile case, its file built in `folder` just before it is yielded."""
    for name, build, timezone in BUILT:
        path = folder / name
        started = time.perf_counter()
        build(path)
        size = path.lstat().st_size if not path.is_symlink() else 0
        yield {"name": f"built/{name}", "argv": volume(path, timezone), "valid": False,
               "built": {"bytes": size, "build_s": round(time.perf_counter() - started, 1)}}
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink()
    yield {"name": "/dev/zero", "argv": volume("/dev/zero"), "valid": False}


# --- running one case ------------------------------------------------------------------------


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else 0


def run_case(argv: list[str], cwd: Path, output: Path) -> dict:
    """Run `peakplan validate argv` once: seconds, peak RSS, status, output, kill reason."""
    import subprocess

    with (output.with_suffix(".out").open("wb") as out,
          output.with_suffix(".err").open("wb") as err):
        started = time.perf_counter()
        child = subprocess.Popen([str(PEAKPLAN), "validate", *argv], cwd=cwd,
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        pidfd = os.pidfd_open(child.pid)
        done = threading.Event()
        killed: list[str] = []

        def watch() -> None:
            while not done.wait(0.05):
                reason = ("timeout" if time.perf_counter() - started > TIMEOUT_S else
                          "rss over 4 GiB" if _rss(child.pid) > RSS_CAP else "")
                if reason:
                    killed.append(reason)
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)  # never a reused pid
                    return

        watchdog = threading.Thread(target=watch, daemon=True)
        watchdog.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        watchdog.join()
        os.close(pidfd)
        child.returncode = os.waitstatus_to_exitcode(status)
    text = output.with_suffix(".out").read_bytes() + output.with_suffix(".err").read_bytes()
    return {"seconds": seconds, "peak_bytes": usage.ru_maxrss * 1024,
            "status": child.returncode, "text": text, "killed": killed[0] if killed else ""}


def judge(case: dict, measured: dict) -> dict:
    """The compact row of one case and whether it meets the goal (with why not)."""
    text = measured["text"]
    lines = text.splitlines()
    longest = max((len(line) for line in lines), default=0)
    traceback = b"Traceback" in text
    why = []
    if measured["killed"]:
        why.append(f"killed: {measured['killed']}")
    if traceback:
        why.append("traceback")
    if measured["seconds"] > GOALS["seconds"]:
        why.append(f"over {GOALS['seconds']} s")
    if measured["peak_bytes"] > GOALS["peak_bytes"]:
        why.append("over 2.5 GB")
    if case["valid"]:
        if measured["status"] != 0 or not lines or lines[-1] != VALID_LINE:
            why.append("the valid control was not accepted")
    else:
        if measured["status"] <= 0:
            why.append(f"status {measured['status']}")
        if len(lines) != GOALS["refusal_lines"] or not lines[0].startswith(ERROR_PREFIX):
            why.append(f"{len(lines)} lines, not one 'peakplan: error:' line")
        if longest > GOALS["longest_line_bytes"]:
            why.append(f"a line of {longest} bytes")
        if UNPRINTABLE.search(text.decode("utf-8", "replace").rstrip("\n")):
            why.append("a raw control or bidirectional character")
    row = {"name": case["name"], "seconds": round(measured["seconds"], 2),
           "peak_mib": round(measured["peak_bytes"] / (1 << 20), 1),
           "status": measured["status"], "lines": len(lines),
           "longest_line_bytes": longest, "traceback": traceback, "ok": not why}
    if why:
        row["why"] = "; ".join(why)
        row["output"] = text[:600].decode("utf-8", "replace")
    if "built" in case:
        row["file_bytes"] = case["built"]["bytes"]
    return row


def run() -> tuple[dict, Path]:
    """Run every case through `peakplan validate` and write the result."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_hostile_") as scratch:
        folder, cwd = Path(scratch) / "files", Path(scratch) / "cwd"
        folder.mkdir()
        cwd.mkdir()
        for case in itertools.chain(corpus_cases(), hostile_cases(folder)):
            row = judge(case, run_case(case["argv"], cwd, Path(scratch) / "output"))
            rows.append(row)
            print(f"  {row['name']}: {row['seconds']} s, {row['peak_mib']} MiB, status "
                  f"{row['status']}, {'ok' if row['ok'] else 'FAILED: ' + row['why']}",
                  file=sys.stderr, flush=True)
    slowest = max(rows, key=lambda r: r["seconds"])
    largest = max(rows, key=lambda r: r["peak_mib"])
    result = {
        "goals": GOALS, "timeout_s": TIMEOUT_S, "rss_kill_cap_bytes": RSS_CAP,
        "cases": len(rows), "passed": sum(r["ok"] for r in rows),
        "failed": [r["name"] for r in rows if not r["ok"]],
        "worst_seconds": {"case": slowest["name"], "seconds": slowest["seconds"]},
        "worst_peak": {"case": largest["name"], "peak_mib": largest["peak_mib"]},
        "rows": rows, "goal_met": all(r["ok"] for r in rows)}
    return result, write_result("hostile", result)

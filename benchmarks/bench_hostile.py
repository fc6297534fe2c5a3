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

import datetime as dt
import gzip
import io
import itertools
import os
import re
import signal
import sys
import tempfile
import threading
import time
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks.common import write_result

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
PEAKPLAN = Path(sys.executable).with_name("peakplan")
TIMEZONE = "Europe/Amsterdam"
GIB = 1 << 30

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
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10))
          + f']><worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" '
            't="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
XXE = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
       '<is><t>&x;</t></is></c></row></sheetData></worksheet>')


# --- the cases ---------------------------------------------------------------------------


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


# --- builders ------------------------------------------------------------------------------


def gzip_bomb(path: Path, expanded: int = 4 * GIB) -> None:
    """A .csv.gz of rows that expands to `expanded` bytes."""
    block = b"2026-10-01,1\n" * ((1 << 24) // 13)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        out.write(packer.compress(b"ds,contacts\n"))
        for _ in range(expanded // len(block)):
            out.write(packer.compress(block))
        out.write(packer.flush())


def repeated_rows(path: Path, rows: int = 9_999_990) -> None:
    """A .csv.gz of the same row repeated up to the cell limit (130 MB in a few hundred KB)."""
    with gzip.open(path, "wb") as out:
        out.write(b"ds,contacts\n")
        for _ in range(rows // 1_000_000):
            out.write(b"2026-10-01,1\n" * 1_000_000)
        out.write(b"2026-10-01,1\n" * (rows % 1_000_000))


def _scaffold() -> dict[str, bytes]:
    """The parts of a one-sheet workbook saved by openpyxl."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ds", "contacts"])
    out = io.BytesIO()
    book.save(out)
    archive = zipfile.ZipFile(out)
    return {name: archive.read(name) for name in archive.namelist()}


def workbook(path: Path, sheet: Callable[[], Iterator[bytes]] | str) -> None:
    """A workbook whose first sheet's XML is `sheet` (text, or chunks streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in _scaffold().items():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, data)
            elif isinstance(sheet, str):
                target.writestr(name, sheet.encode())
            else:
                with target.open(name, "w", force_zip64=True) as stream:
                    for chunk in sheet():
                        stream.write(chunk)


def _sheet(header: str, rows: Callable[[], Iterator[bytes]]) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">'
               f"<sheetData>{header}").encode()
        yield from rows()
        yield b"</sheetData></worksheet>"
    return chunks


def _text_row(*cells: str) -> str:
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) \
        + "</row>"


def many_cells(path: Path, rows: int, columns: int) -> None:
    """A sheet of `rows` x `columns` cells holding 1 (compact XML: about 17 bytes a cell)."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    block = row * 10_000
    header = _text_row("ds", "contacts", *(f"c{i}" for i in range(3, columns + 1)))
    workbook(path, _sheet(header, lambda: iter([block] * (rows // 10_000))))


def cells_42m(path: Path) -> None:
    many_cells(path, 21_000_000, 2)


def cells_14m(path: Path) -> None:
    many_cells(path, 1_400_000, 10)


def rows_without_dimension(path: Path, rows: int = 42_000_000) -> None:
    """A sheet of empty rows with no <dimension> element (about 250 MB of XML)."""
    block = b"<row/>" * 1_000_000
    workbook(path, _sheet(_text_row("ds", "contacts"), lambda: iter([block] * (rows // 10**6))))


def far_cell(path: Path) -> None:
    workbook(path, f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><dimension '
             'ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ds'
             '</t></is></c></row><row r="9"><c r="XFD9"><v>1</v></c></row></sheetData>'
             "</worksheet>")


def blank_last_column(path: Path, rows: int = 1_000_000) -> None:
    """Rows that each hold one blank cell in column XFD: 16,384 cells per row."""
    def body() -> Iterator[bytes]:
        for start in range(2, rows + 2, 10_000):
            yield "".join(f'<row r="{r}"><c r="XFD{r}"/></row>'
                          for r in range(start, min(start + 10_000, rows + 2))).encode()
    workbook(path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ds</t></is></c><c '
                          'r="B1" t="inlineStr"><is><t>contacts</t></is></c></row>', body))


def plain_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


def big_cell(path: Path) -> None:
    path.write_text("ds,contacts\n2026-10-01," + "9x" * 5_000_000 + "\n", encoding="utf-8")


def odd_characters(path: Path) -> None:
    path.write_text('ds,contacts\n2026-10-01,"\u202e1\x07\u2028\x1b[2J\x1b[31m13\n'
                    'ok: every input is valid\r"\n', encoding="utf-8", newline="")


def wide_header(path: Path, rows: int = 1_000_000) -> None:
    """A 1,000-column header over `rows` one-cell rows (about 1 billion cells as a table)."""
    header = ",".join(["ds", "contacts", *(f"c{i}" for i in range(3, 1001))])
    path.write_bytes(header.encode() + b"\n" + b"1\n" * rows)


def one_wide_row(path: Path, rows: int = 1_000_000) -> None:
    """`rows` two-cell rows, then one row of 1,000 cells."""
    path.write_bytes(b"ds,contacts\n" + b"2026-10-01,1\n" * rows + b"," * 999 + b"\n")


def _minutes(count: int, end: str) -> Iterator[str]:
    """'YYYY-MM-DD HH:MM,' for `count` minutes from 2000-01-01 00:00, and `end` after each."""
    clock = [f" {h:02}:{m:02},{end}" for h in range(24) for m in range(60)]
    day = dt.date(2000, 1, 1)
    while count > 0:
        prefix = day.isoformat()
        yield "".join(prefix + tail for tail in clock[:count])
        count -= len(clock)
        day += dt.timedelta(days=1)


def _last(count: int) -> str:
    """The stamp of minute `count - 1` after 2000-01-01 00:00 (the last of `count`)."""
    return (dt.datetime(2000, 1, 1) + dt.timedelta(minutes=count - 1)).strftime("%Y-%m-%d %H:%M")


def _minute_rows(path: Path, rows: int, encoding: str, header: str, tail: str,
                 end: str) -> None:
    """`header`, then `rows` lines of one minute each followed by `tail` (the cells after
    the stamp), each ending in `end`; the last line's count is 'x'."""
    with path.open("w", encoding=encoding, newline="") as out:
        out.write(header + end)
        for chunk in _minutes(rows - 1, "1" + tail + end):
            out.write(chunk)
        out.write(f"{_last(rows)},x{tail}{end}")


def max_csv(path: Path, rows: int = 9_999_990) -> None:
    """The most rows of two columns the cell limit lets in; the last count is 'x'."""
    _minute_rows(path, rows, "ascii", "ds,contacts", "", "\n")


def max_cp1252_cr(path: Path, rows: int = 6_600_000) -> None:
    """About 238 MB of cp1252 text with carriage-return line ends and three columns, just
    under the cell limit; the last count is 'x'."""
    _minute_rows(path, rows, "cp1252", "ds,contacts,query_type", ",Ventes \u20act\u20ac 2000",
                 "\r")


def max_xlsx(path: Path, rows: int = 999_999) -> None:
    """A sheet of exactly the Excel cell limit (rows x 2 with the header, in Excel's own
    XML with cell references); the last count is 'x'."""
    def body() -> Iterator[bytes]:
        number = 1
        for chunk in _minutes(rows - 1, "\n"):
            lines = []
            for stamp in chunk.splitlines():
                number += 1
                lines.append(f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>'
                             f'{stamp[:-1]}</t></is></c><c r="B{number}"><v>1</v></c></row>')
            yield "".join(lines).encode()
        number += 1
        yield (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{_last(rows)}'
               f'</t></is></c><c r="B{number}" t="inlineStr"><is><t>x</t></is></c></row>'
               ).encode()
    workbook(path, _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ds</t></is></c><c '
                          'r="B1" t="inlineStr"><is><t>contacts</t></is></c></row>', body))


def max_parquet(path: Path, rows: int = 10_000_000) -> None:
    """The most records of two columns the cell limit lets in; the last count is -1."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = np.datetime64("2000-01-01T00:00", "m")
    stamps = (start + np.arange(rows, dtype=np.int64).astype("timedelta64[m]"))
    counts = np.ones(rows, dtype=np.int64)
    counts[-1] = -1
    pq.write_table(pa.table({"ds": pa.array(stamps.astype("datetime64[us]")),
                             "contacts": counts}), path)


BUILT: list[tuple[str, Callable[[Path], None], str]] = [
    ("bomb_4gib.csv.gz", gzip_bomb, TIMEZONE),
    ("same_row_at_cell_limit.csv.gz", repeated_rows, TIMEZONE),
    ("cells_42m.xlsx", cells_42m, TIMEZONE),
    ("cells_14m_streamed.xlsx", cells_14m, TIMEZONE),
    ("empty_rows_without_dimension.xlsx", rows_without_dimension, TIMEZONE),
    ("far_cell.xlsx", far_cell, TIMEZONE),
    ("blank_cell_in_column_xfd.xlsx", blank_last_column, TIMEZONE),
    ("billion_laughs.xlsx", lambda p: workbook(p, LAUGHS), TIMEZONE),
    ("external_entity.xlsx", lambda p: workbook(p, XXE), TIMEZONE),
    ("plain_zip.xlsx", plain_zip, TIMEZONE),
    ("fifo.csv", fifo, TIMEZONE),
    ("dev_zero_link.csv", zero_link, TIMEZONE),
    ("folder.csv", lambda p: p.mkdir(), TIMEZONE),
    ("cell_10mb.csv", big_cell, TIMEZONE),
    ("escapes_bidi_newline.csv", odd_characters, TIMEZONE),
    ("header_1000_columns_1m_rows.csv", wide_header, TIMEZONE),
    ("1m_rows_then_1000_cells.csv", one_wide_row, TIMEZONE),
    ("max_cells_last_row_bad.csv", max_csv, "UTC"),
    ("max_cp1252_cr_last_row_bad.csv", max_cp1252_cr, "UTC"),
    ("max_excel_cells_last_row_bad.xlsx", max_xlsx, "UTC"),
    ("max_cells_last_row_bad.parquet", max_parquet, "UTC"),
]


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

"""Every file of the bad-input corpus (tests/data/bad) is refused with its own clear message.

The manifest bad/expected.toml names, per file, the reader, its extra arguments and the
fragments the message must hold. Each file is checked three ways: the reader raises a
`PlannerError` naming the file; the message is not shared with another file; and
`peakplan validate` prints it as one line on stderr and exits with status 2.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from data import ConfigError, DataError, load_contacts, read_agents, read_events, read_traffic
from peakplan.cli import main

BAD = Path(__file__).resolve().parent / "bad"
ROOT = Path(__file__).resolve().parents[2]
MANIFEST = BAD / "expected.toml"
GOOD_CONTACTS = BAD / "good_contacts.csv"
NOT_CORPUS = {"expected.toml", "make_binary.py", "good_contacts.csv"}
TIMEZONE = "Europe/Amsterdam"
MIN_CORPUS = 30

READERS = {
    "contacts": lambda path, **kw: load_contacts(path, timezone=TIMEZONE, **kw),
    "traffic": read_traffic,
    "events": read_events,
    "agents": read_agents,
}
CLI_FLAG = {"traffic": "--traffic", "events": "--events", "agents": "--agents"}


def _load_cases() -> list[dict[str, Any]]:
    cases = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["case"]
    for case in cases:
        case.setdefault("kwargs", {})
        case.setdefault("cli", True)
        case["path"] = BAD / case["file"]
    return cases


CASES = _load_cases()
BY_FILE = {case["file"]: case for case in CASES}
CLI_CASES = [case for case in CASES if case["cli"]]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["file"] for case in cases]


def _error(case: dict[str, Any]) -> DataError | ConfigError:
    """The error the case's reader raises (the test fails if it raises nothing)."""
    with pytest.raises((DataError, ConfigError)) as info:
        READERS[case["reader"]](case["path"], **case["kwargs"])
    return info.value


def _argv(case: dict[str, Any]) -> list[str]:
    """`peakplan validate` arguments that read the case's file."""
    path = str(case["path"])
    if case["reader"] == "contacts":
        argv = ["validate", "--volume", path, "--timezone", TIMEZONE]
    else:
        argv = ["validate", "--volume", str(GOOD_CONTACTS), "--timezone", TIMEZONE,
                CLI_FLAG[case["reader"]], path]
    for key, value in case["kwargs"].items():
        argv += ["--" + key.replace("_", "-"), str(value)]
    return argv


def _check_one_error_line(stderr: str, case: dict[str, Any]) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert stderr.endswith("\n")
    line = lines[0]
    assert line.startswith("peakplan: error: ")
    assert str(case["path"]) in line
    for fragment in case["contains"]:
        assert fragment in line.lower(), (fragment, line)
    return line


# --- the corpus itself -------------------------------------------------------------------


def test_corpus_has_at_least_30_files() -> None:
    corpus = [p for p in BAD.iterdir() if p.is_file() and p.name not in NOT_CORPUS]
    assert len(corpus) >= MIN_CORPUS, sorted(p.name for p in corpus)


def test_manifest_and_folder_agree() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_file() and p.name not in NOT_CORPUS}
    listed = [case["file"] for case in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert set(listed) == on_disk
    assert len(listed) >= MIN_CORPUS


def test_manifest_entries_are_well_formed() -> None:
    for case in CASES:
        assert case["reader"] in READERS, case
        assert 1 <= len(case["contains"]) <= 3, case
        for fragment in case["contains"]:
            assert fragment == fragment.lower(), (case["file"], fragment)
        if "same_message_as" in case:
            assert case["same_message_as"] in BY_FILE, case


def test_good_contacts_is_valid() -> None:
    """The history the CLI cases use next to a traffic, events or agents file."""
    history = load_contacts(GOOD_CONTACTS, timezone=TIMEZONE)
    assert len(history.frame) > 0


# --- the readers -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_reader_refuses_with_specific_message(case: dict[str, Any]) -> None:
    error = _error(case)
    message = str(error)
    assert str(case["path"]) in message, message
    if isinstance(error, DataError):
        assert error.file == str(case["path"])
    assert "\n" not in message
    for fragment in case["contains"]:
        assert fragment in message.lower(), (fragment, message)


def test_messages_are_distinct() -> None:
    """Every file gets its own message (the file name taken out), unless declared shared."""
    messages = {case["file"]: str(_error(case)).replace(str(case["path"]), "<file>")
                for case in CASES}
    seen: dict[str, str] = {}
    for case in CASES:
        message = messages[case["file"]]
        twin = case.get("same_message_as")
        if twin:
            assert message == messages[twin], (case["file"], twin)
            continue
        assert message not in seen, (
            f"{case['file']} and {seen.get(message)} get the same message: {message}")
        seen[message] = case["file"]


# --- the command line --------------------------------------------------------------------


@pytest.mark.parametrize("case", CLI_CASES, ids=_ids(CLI_CASES))
def test_cli_prints_one_error_line(case: dict[str, Any], capsys: pytest.CaptureFixture) -> None:
    status = main(_argv(case))
    captured = capsys.readouterr()
    assert status == 2, captured
    line = _check_one_error_line(captured.err, case)
    assert line == f"peakplan: error: {_error(case)}"
    assert "ok: every input is valid" not in captured.out


@pytest.mark.parametrize("name", ["garbage.csv", "nonexistent_time.csv",
                                  "agents_contract_80.csv"])
def test_cli_subprocess(name: str) -> None:
    case = BY_FILE[name]
    result = subprocess.run(
        [sys.executable, "-m", "peakplan.cli", *_argv(case)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 2, (result.stdout, result.stderr)
    _check_one_error_line(result.stderr, case)

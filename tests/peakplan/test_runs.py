"""The run store: complete runs only, atomic writes, lookup by name."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from data import ConfigError
from peakplan.runs import check_run_store, list_runs, load_run, write_run


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

    with pytest.raises(OSError):
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

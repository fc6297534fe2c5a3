"""The dashboard's shared state: where the config comes from, the run picker's labels,
and the cached basis of a run's scenarios."""

from __future__ import annotations

import os
from pathlib import Path

from dashboard import state
from peakplan import load_config, sample_config
from peakplan.runs import Run


def test_the_config_comes_from_the_flag_then_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(state.CONFIG_ENV, "from-env.toml")
    monkeypatch.setattr("sys.argv", ["app.py"])
    assert state.config_path() == "from-env.toml"
    monkeypatch.setattr("sys.argv", ["app.py", "--config", "from-flag.toml"])
    assert state.config_path() == "from-flag.toml"
    monkeypatch.delenv(state.CONFIG_ENV)
    monkeypatch.setattr("sys.argv", ["app.py"])
    assert state.config_path() is None


def test_runs_made_in_the_same_second_keep_apart_in_the_picker(tmp_path) -> None:
    twins = [Run(tmp_path / f"20261123T171309{n:06d}Z-hu-staff", {"artifacts": {}})
             for n in (1, 2)]
    labels = state.run_labels([*twins, Run(tmp_path / "20261124T080000000000Z-hu-roster",
                                           {"artifacts": {"roster": 1}})])
    assert len(set(labels.values())) == 3
    assert labels[twins[0].name] == twins[0].name
    assert labels["20261124T080000000000Z-hu-roster"] == (
        "hu-roster, 24 Nov 2026 08:00:00 UTC (roster)")


def test_a_changed_history_file_is_sized_afresh(store) -> None:
    run = store.rostered
    settings = state.run_config(run, load_config(store.config))
    history = state.history_frame(settings)
    first = state.basis(run, settings, history)
    assert state.basis(run, settings, history).prepared is first.prepared  # kept
    volume = Path(settings.data.volume)
    before = volume.stat()
    try:
        os.utime(volume, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
        second = state.basis(run, settings, state.history_frame(settings))
    finally:
        os.utime(volume, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert second.key != first.key and second.prepared is not first.prepared
    without = state.basis(run, settings, None)
    assert without.key not in (first.key, second.key)


def test_a_run_whose_settings_cannot_be_read_says_so(tmp_path, monkeypatch) -> None:
    """Not a silent fallback: the page warns that the app's settings stand in."""
    folder = tmp_path / "20261124T080000000000Z-hu-staff"
    folder.mkdir()
    (folder / "config.toml").write_text('[season]\nname = "unterminated\n', encoding="utf-8")
    shown = []
    monkeypatch.setattr(state.st, "warning", shown.append)
    app = sample_config()
    assert state.run_config(Run(folder, {"artifacts": {}}), app) is app
    assert len(shown) == 1 and folder.name in shown[0] and "app's settings" in shown[0]

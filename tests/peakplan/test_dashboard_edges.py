"""The dashboard's edges (issue 16): it binds to this machine with usage statistics off
from any working directory unless asked otherwise, and an upload whose name is longer
than a file system takes gets a readable error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "dashboard" / "app.py"
PROBE = """
import json, sys
from streamlit import config
config._main_script_path = sys.argv[1]
flags = json.loads(sys.argv[2])
config.get_config_options(force_reparse=True, options_from_flags=flags)
print(json.dumps([config.get_option("server.address"),
                  config.get_option("browser.gatherUsageStats")]))
"""


def streamlit_settings(cwd: Path, flags: dict[str, str] | None = None) -> list[object]:
    """(server.address, browser.gatherUsageStats) as `streamlit run <app>` started in
    `cwd` would see them (a fresh HOME, so no user settings interfere)."""
    env = {**os.environ, "HOME": str(cwd)}
    env = {k: v for k, v in env.items() if not k.startswith("STREAMLIT_")}
    result = subprocess.run([sys.executable, "-c", PROBE, str(APP), json.dumps(flags or {})],
                            cwd=cwd, env=env, capture_output=True, text=True, check=True,
                            timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("where", ["elsewhere", "repository"])
def test_the_dashboard_binds_to_this_machine_from_any_folder(tmp_path, where) -> None:
    cwd = tmp_path if where == "elsewhere" else REPO
    assert streamlit_settings(cwd) == ["127.0.0.1", False]


def test_another_address_when_asked_for(tmp_path) -> None:
    assert streamlit_settings(tmp_path, {"server.address": "0.0.0.0"})[0] == "0.0.0.0"


def test_both_config_files_agree() -> None:
    beside_app = tomllib.loads((REPO / "dashboard/.streamlit/config.toml").read_text())
    in_root = tomllib.loads((REPO / ".streamlit/config.toml").read_text())
    assert beside_app == in_root


def test_an_installed_dashboard_keeps_its_settings() -> None:
    """The wheel ships dashboard/.streamlit/config.toml (a folder that is no package, so
    only [tool.setuptools.package-data] brings it along): installed from a wheel, the
    dashboard still binds to this machine (checked on a built wheel when this was added)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"].get("dashboard", [])
    shipped = {path for pattern in patterns for path in (REPO / "dashboard").glob(pattern)}
    assert REPO / "dashboard" / ".streamlit" / "config.toml" in shipped


def test_an_upload_name_too_long_for_a_file_system_is_refused(tmp_path) -> None:
    from dashboard import uploads
    from data import DataError

    name = "x" * 300 + ".csv"
    for call in (lambda: uploads.save_upload(b"ds,contacts\n", name, tmp_path),
                 lambda: uploads.read_upload(b"ds,contacts\n", name)):
        with pytest.raises(DataError) as error:
            call()
        assert "the file name is 304 characters long" in str(error.value)
        assert len(str(error.value)) < 300
    assert uploads.save_upload(b"ds,contacts\n", "x" * 190 + ".csv", tmp_path).is_file()

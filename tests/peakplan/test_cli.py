"""`peakplan validate`: a report on good input, one line and status 2 on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from peakplan.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_validate_reports_the_bundled_sample(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    for expected in ("series: 90", "from 2023-10-01 to 2026-09-30", "grain: 30-minute intervals",
                     "2026-10-01 to 2026-12-31 (92 days, from the config)",
                     "countries: AR, AU, GB, HU, JP, US", "gaps: none", "agents: 225",
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

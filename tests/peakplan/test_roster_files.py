"""`peakplan roster --schedule DIR --agents FILE --rules FILE [--timezone TZ] --out DIR`: a
roster from the files `peakplan schedule --out` writes, with the checker's report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from data import read_agents
from peakplan.cli import main
from staffing import check_roster

pytestmark = pytest.mark.slow

SCHEDULE_RULES = """
[schedule]
time_limit_s = 10
gap_rel = 0.02
night_start = "20:00"

[[schedule.shifts]]
length_h = 8
breaks = [{ length_min = 30, earliest_h = 3, latest_h = 5 }]

[schedule.roster]
min_rest_h = 12
max_consecutive_days = 5
"""

AGENTS = "agent_id,name,queues,contract_h_week,max_h_week\n" + "".join(
    f"S{i:02d},Agent {i},Support,{hours},{hours + 4}\n"
    for i, hours in enumerate([40, 40, 40, 32, 32, 24, 24, 40, 40, 32, 24, 40], start=1))


@pytest.fixture(scope="module")
def schedule_dir(tmp_path_factory) -> Path:
    """A week of 'support' (08:00-20:00, 5 agents) scheduled into a folder."""
    folder = tmp_path_factory.mktemp("files")
    ds = pd.date_range("2026-11-23", periods=7 * 48, freq="30min", tz="Europe/Amsterdam")
    hours = ds.hour
    frame = pd.DataFrame({"queue": "support", "ds": ds.strftime("%Y-%m-%dT%H:%M:%S%z"),
                          "agents_gross": ((hours >= 8) & (hours < 20)) * 5.0})
    frame.to_csv(folder / "requirements.csv", index=False)
    (folder / "rules.toml").write_text(SCHEDULE_RULES, encoding="utf-8")
    (folder / "agents.csv").write_text(AGENTS, encoding="utf-8")
    assert main(["schedule", "--requirements", str(folder / "requirements.csv"), "--rules",
                 str(folder / "rules.toml"), "--out", str(folder / "schedule"),
                 "--quiet"]) == 0
    return folder


def _roster(folder: Path, out: Path, *more: str) -> int:
    return main(["roster", "--schedule", str(folder / "schedule"), "--agents",
                 str(folder / "agents.csv"), "--rules", str(folder / "rules.toml"),
                 "--out", str(out), *more])


def test_a_schedule_folder_is_rostered_into_files(schedule_dir, tmp_path, capsys) -> None:
    out = tmp_path / "roster"
    assert _roster(schedule_dir, out, "--export", "csv") == 0
    text = capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert {"roster.parquet", "hours.parquet", "unfilled.parquet", "burnout.parquet",
            "fairness.parquet", "check.json", "roster.csv"} <= names
    assignments = pd.read_parquet(out / "roster.parquet")
    assert {"agent_id", "name", "date", "start", "end", "break_start", "break_end", "queue",
            "shift_id", "paid_h"} <= set(assignments.columns)
    seats = pd.read_parquet(schedule_dir / "schedule" / "shifts.parquet")["agents"].sum()
    missing = pd.read_parquet(out / "unfilled.parquet")["agents_missing"].sum()
    assert len(assignments) + missing == seats
    report = json.loads((out / "check.json").read_text(encoding="utf-8"))
    assert report == {"violations": 0, "by_rule": {}, "rows": []}
    agents = read_agents(schedule_dir / "agents.csv")
    assert check_roster(assignments, agents).empty
    assert "times in Europe/Amsterdam" in text and "rostered" in text


def test_the_rules_file_sets_the_labour_rules_and_the_night(schedule_dir, tmp_path) -> None:
    """12 h of rest from the rules file: no agent's next shift starts sooner."""
    out = tmp_path / "roster"
    assert _roster(schedule_dir, out, "--export", "xlsx") == 0
    assignments = pd.read_parquet(out / "roster.parquet").sort_values(["agent_id", "start"])
    rest = (assignments.groupby("agent_id")["start"].shift(-1) - assignments["end"]).dropna()
    assert (rest >= pd.Timedelta(hours=12)).all()
    assert (out / "roster.xlsx").stat().st_size > 0


def test_times_follow_the_timezone_flag(schedule_dir, tmp_path, capsys) -> None:
    out = tmp_path / "roster"
    assert _roster(schedule_dir, out, "--timezone", "America/New_York") == 0
    assert "times in America/New_York" in capsys.readouterr().out
    assignments = pd.read_parquet(out / "roster.parquet")
    assert str(assignments["start"].dt.tz) == "America/New_York"
    assert assignments["start"].dt.hour.min() < 8  # 08:00 in Amsterdam is 02:00 there


@pytest.mark.parametrize(("change", "named"), [
    ("not-a-schedule", "--schedule"),
    ("agents-of-other-queues", "the agents work sales"),
    ("no-out", "--out"),
    ("bad-rule", "schedule.roster.min_rest_hours"),
    ("bad-zone", "--timezone"),
])
def test_bad_input_is_one_line(schedule_dir, tmp_path, change, named, capsys) -> None:
    args = ["roster", "--schedule", str(schedule_dir / "schedule"), "--agents",
            str(schedule_dir / "agents.csv"), "--out", str(tmp_path / "out")]
    if change == "not-a-schedule":
        args[2] = str(tmp_path)
    elif change == "agents-of-other-queues":
        other = tmp_path / "agents.csv"
        other.write_text(AGENTS.replace("Support", "Sales"), encoding="utf-8")
        args[4] = str(other)
    elif change == "no-out":
        args = args[:-2]
    elif change == "bad-rule":
        rules = tmp_path / "rules.toml"
        rules.write_text("[schedule.roster]\nmin_rest_hours = 11\n", encoding="utf-8")
        args += ["--rules", str(rules)]
    else:
        args += ["--timezone", "Mars/Olympus"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert named in err and len(err.strip().splitlines()) == 1
    if change == "agents-of-other-queues":
        assert "support" in err and "agents.csv" in err
    assert not (tmp_path / "out").exists()


def test_queue_names_are_one_spelling_in_every_file(schedule_dir, tmp_path, capsys) -> None:
    """A schedule's 'Support-Desk' and the agents' 'support desk' are one queue."""
    folder = tmp_path / "schedule"
    folder.mkdir()
    for name in ("shifts", "breaks", "coverage"):
        frame = pd.read_parquet(schedule_dir / "schedule" / f"{name}.parquet")
        if "queue" in frame:
            frame["queue"] = "Support-Desk"
        frame.to_parquet(folder / f"{name}.parquet")
    agents = tmp_path / "agents.csv"
    agents.write_text(AGENTS.replace("Support", "support desk"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["roster", "--schedule", str(folder), "--agents", str(agents), "--out",
                 str(out)]) == 0
    assignments = pd.read_parquet(out / "roster.parquet")
    assert len(assignments) and set(assignments["queue"]) == {"support_desk"}

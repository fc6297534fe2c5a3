"""`peakplan run --through schedule|roster` and `peakplan.run`: the pipeline as far as asked,
each stage a run built on the one before, reused when nothing changed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import peakplan
from data import ConfigError
from peakplan.cli import main
from peakplan.runs import list_runs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def week(tmp_path_factory, hungary_season) -> Path:
    """Hungary's three queues over one week (23-29 November), fast solver settings."""
    folder = tmp_path_factory.mktemp("through")
    return hungary_season(folder, start="2026-11-23", end="2026-11-29", schedule=True)


def test_run_through_roster_chains_the_stages_and_exports(week, capsys) -> None:
    assert main(["run", "--config", str(week), "--through", "roster", "--export", "csv",
                 "--export", "xlsx", "--quiet"]) == 0
    out = capsys.readouterr().out
    runs = list_runs(week.parent / "runs")
    staffed, scheduled, rostered = runs[-3:]
    assert "requirements" in staffed.artifacts() and "shifts" not in staffed.artifacts()
    assert scheduled.manifest["source_run"] == staffed.name
    assert rostered.manifest["source_run"] == scheduled.name
    assert set(scheduled.artifact("shifts")["queue"]) == {"hu_phone", "hu_chat", "hu_email"}
    assert {"exports/roster.csv", "exports/roster.xlsx"} <= set(rostered.manifest["files"])
    seats = scheduled.artifact("shifts")["agents"].sum()
    missing = rostered.artifact("unfilled")["agents_missing"].sum()
    assert len(rostered.artifact("roster")) + missing == seats
    assert f"run: {rostered.path}" in out and f"built on: {scheduled.name}" in out


def test_an_unchanged_run_through_the_roster_is_reused(week, capsys) -> None:
    before = list_runs(week.parent / "runs")
    args = ["run", "--config", str(week), "--through", "roster", "--export", "csv",
            "--export", "xlsx", "--quiet"]
    assert main(args) == 0
    assert list_runs(week.parent / "runs") == before
    assert main([*args[:-3], "--quiet"]) == 0  # other exports: a new roster run only
    after = list_runs(week.parent / "runs")
    assert len(after) == len(before) + 1
    assert after[-1].manifest["source_run"] == before[-2].name
    assert "exports/roster.csv" in after[-1].manifest["files"]
    assert "exports/roster.xlsx" not in after[-1].manifest["files"]


def test_the_api_stops_where_asked(week) -> None:
    config = peakplan.load_config(week)
    scheduled = peakplan.run(config, through="schedule", reuse=True)
    assert "shifts" in scheduled.artifacts() and "roster" not in scheduled.artifacts()
    staffed = peakplan.run(config, reuse=True)
    assert staffed.name == scheduled.manifest["source_run"]


def test_the_roster_night_is_the_schedule_night(week, tmp_path) -> None:
    """The workbook's night-shift count follows schedule.night_start/night_end."""
    config = peakplan.load_config(week)
    source = peakplan.run(config, through="schedule", reuse=True)
    counts = []
    for night in ("22:00", "12:00"):
        changed = tmp_path / f"night-{night[:2]}.toml"
        changed.write_text(week.read_text(encoding="utf-8") + f'night_start = "{night}"\n',
                           encoding="utf-8")
        setting = peakplan.load_config(changed)
        assert setting.roster.night_hours == setting.schedule.night_hours
        outcome = peakplan.with_exports(setting, peakplan.run_roster(setting, source),
                                        ["xlsx"])
        target = tmp_path / f"{night[:2]}.xlsx"
        target.write_bytes(outcome.files["roster.xlsx"])
        counts.append(_night_shifts(target))
    assert counts[0] < counts[1]


def _night_shifts(path: Path) -> int:
    """The sum of the workbook's night-shift column (wherever its header sits)."""
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for i, row in enumerate(rows):
            names = [str(v).lower() if v is not None else "" for v in row]
            hit = [j for j, v in enumerate(names) if v == "night shifts"]
            if hit:
                return int(pd.to_numeric(pd.Series([r[hit[0]] for r in rows[i + 1:]]),
                                         errors="coerce").fillna(0).sum())
    raise AssertionError("no night column in the workbook")


@pytest.mark.parametrize(("args", "named"), [
    (["--through", "rota"], "--through"),
])
def test_a_bad_through_is_one_line(week, args, named, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--config", str(week), *args])
    assert named in capsys.readouterr().err


def test_a_roster_without_agents_stops_before_the_forecast(week, tmp_path, capsys) -> None:
    bare = tmp_path / "bare.toml"
    bare.write_text("\n".join(line for line in week.read_text().splitlines()
                              if not line.startswith("agents")), encoding="utf-8")
    before = list_runs(week.parent / "runs")
    assert main(["run", "--config", str(bare), "--through", "roster", "--fresh"]) == 2
    assert "data.agents" in capsys.readouterr().err
    assert list_runs(week.parent / "runs") == before


def test_the_api_rejects_an_unknown_stage(week) -> None:
    with pytest.raises(ConfigError, match="through"):
        peakplan.run(peakplan.load_config(week), through="rota")

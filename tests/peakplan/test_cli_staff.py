"""`peakplan staff` and the staffing part of `peakplan run`, on Hungary's sample slice."""

from __future__ import annotations

import pandas as pd
import pytest

from data import sample_paths
from data.schema import REQUIREMENT_COLUMNS
from peakplan.cli import main
from peakplan.runs import list_runs

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def hungary(tmp_path_factory, hungary_season):
    """Hungary's contacts as a user's Parquet file and a season config over them."""
    folder = tmp_path_factory.mktemp("hu")
    config = hungary_season(folder, start="2026-10-01", end="2026-11-30",
                            staffing="[staffing]\nshrinkage = 0.3",
                            chat="answer_within_s = 60")
    assert main(["forecast", "--config", str(config), "--quiet"]) == 0
    return config, folder / "runs"


def _requirements(run_dir) -> pd.DataFrame:
    return pd.read_parquet(run_dir / "requirements.parquet")


def test_staff_writes_requirements_and_the_capacity_plan(hungary, capsys) -> None:
    config, runs = hungary
    forecast_run = list_runs(runs)[-1]
    assert main(["staff", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    staffed = list_runs(runs)[-1]
    assert staffed.name.endswith("-hu-staff")
    assert staffed.manifest["forecast_run"] == forecast_run.name
    for name in ("requirements", "capacity", "hiring", "staffing_steps", "interval_forecast"):
        assert name in staffed.artifacts()
    frame = staffed.artifact("requirements")
    assert list(frame.columns[:9]) == list(REQUIREMENT_COLUMNS)
    assert set(frame["queue"]) == {"hu_phone", "hu_chat", "hu_email"}
    assert frame["contacts"].sum() == pytest.approx(
        forecast_run.artifact("interval_forecast")["yhat"].sum())
    assert "hu_phone" in text and "hiring hu_phone" in text


def test_a_what_if_flag_changes_the_answer(hungary, tmp_path, capsys) -> None:
    config, _ = hungary
    assert main(["staff", "--config", str(config), "--out", str(tmp_path / "base")]) == 0
    assert main(["staff", "--config", str(config), "--uplift", "0.5", "--deflection",
                 "order_status=0.3", "--out", str(tmp_path / "more")]) == 0
    capsys.readouterr()
    base, more = _requirements(tmp_path / "base"), _requirements(tmp_path / "more")
    assert more["agents_net"].sum() > base["agents_net"].sum()
    assert (tmp_path / "more" / "capacity.parquet").is_file()


@pytest.mark.parametrize(("flags", "named"), [
    (["--shrinkage", "1.2"], "staffing.shrinkage"),
    (["--service-level", "1.0"], "staffing.service_level"),
    (["--deflection", "order_status"], "--deflection"),
    (["--run", "no-such-run"], "run"),
])
def test_bad_staffing_flags_are_one_line(hungary, flags, named, capsys) -> None:
    config, _ = hungary
    assert main(["staff", "--config", str(config), *flags]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and named in err


def test_run_reuses_the_forecast_when_only_staffing_changes(hungary, tmp_path, capsys) -> None:
    config, _ = hungary
    runs = tmp_path / "runs"
    args = ["run", "--config", str(config), "--runs", str(runs), "--quiet"]
    assert main(args) == 0
    first = list_runs(runs)[-1]
    assert "requirements" in first.artifacts()
    assert main(args) == 0 and list_runs(runs)[-1].name == first.name
    changed = tmp_path / "stricter.toml"
    changed.write_text(config.read_text().replace("shrinkage = 0.3", "shrinkage = 0.35"),
                       encoding="utf-8")
    assert main(["run", "--config", str(changed), "--runs", str(runs), "--quiet"]) == 0
    capsys.readouterr()
    second = list_runs(runs)[-1]
    assert second.name != first.name and second.manifest["forecast_run"] == first.name
    pd.testing.assert_frame_equal(second.artifact("interval_forecast"),
                                  first.artifact("interval_forecast"))
    ratio = (second.artifact("requirements")["agents_gross"].sum()
             / first.artifact("requirements")["agents_gross"].sum())
    assert ratio == pytest.approx(0.7 / 0.65)


RULES = """
[schedule]
time_limit_s = 10
gap_rel = 0.02
under_penalty = 400

[[schedule.shifts]]
length_h = 8
breaks = [{ length_min = 30, earliest_h = 3, latest_h = 5 }]

[[schedule.shifts]]
length_h = 4
"""


def test_schedule_a_requirements_file_on_its_own(tmp_path, capsys) -> None:
    """`peakplan schedule --requirements FILE --rules rules.toml --out DIR`."""
    ds = pd.date_range("2026-11-23", periods=2 * 48, freq="30min", tz="Europe/Amsterdam")
    hours = ds.hour
    frame = pd.DataFrame({"queue": "support", "ds": ds.strftime("%Y-%m-%dT%H:%M:%S%z"),
                          "agents_gross": ((hours >= 8) & (hours < 20)) * 6.0})
    requirements = tmp_path / "requirements.csv"
    frame.to_csv(requirements, index=False)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["schedule", "--requirements", str(requirements), "--rules", str(rules),
                 "--out", str(out), "--quiet"]) == 0
    assert {p.name for p in out.iterdir()} == {"shifts.parquet", "coverage.parquet",
                                               "breaks.parquet", "shortfall.parquet",
                                               "solve.json"}
    import json

    solve = json.loads((out / "solve.json").read_text())
    assert solve["status"] in ("optimal", "feasible") and solve["bound"] <= solve["objective"]
    assert set(solve) >= {"status", "objective", "bound", "gap", "seconds"}
    coverage = pd.read_parquet(out / "coverage.parquet")
    assert (coverage["gap"] >= 0).all() and len(coverage) == 96
    shifts = pd.read_parquet(out / "shifts.parquet")
    assert set(shifts["length_h"]) <= {4.0, 8.0}
    assert "support" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "named"), [
    (["--rules", "missing.toml"], "--rules"),
    (["--out", None], "--out"),
])
def test_standalone_schedule_errors_are_one_line(tmp_path, args, named, capsys) -> None:
    requirements = tmp_path / "r.csv"
    requirements.write_text("queue,ds,agents_gross\nq,2026-11-23T08:00:00+01:00,2\n"
                            "q,2026-11-23T08:30:00+01:00,x\n", encoding="utf-8")
    flags = ["schedule", "--requirements", str(requirements)]
    if args[1] is not None:
        flags += [args[0], str(tmp_path / args[1])]
    assert main([*flags, "--quiet"] + (["--out", str(tmp_path / "o")] if args[0] != "--out"
                                        else [])) == 2
    assert named in capsys.readouterr().err


def test_a_bad_requirements_cell_names_row_and_column(tmp_path, capsys) -> None:
    requirements = tmp_path / "r.csv"
    requirements.write_text("queue,ds,agents_gross\nq,2026-11-23T08:00:00+01:00,2\n"
                            "q,2026-11-23T08:30:00+01:00,lots\n", encoding="utf-8")
    assert main(["schedule", "--requirements", str(requirements), "--out",
                 str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "r.csv" in err and "row 3" in err and "agents_gross" in err


def test_schedule_a_run_into_a_new_run(hungary, capsys) -> None:
    config, runs = hungary
    assert main(["staff", "--config", str(config)]) == 0
    staffed = list_runs(runs)[-1]
    assert main(["schedule", "--config", str(config), "--queue", "hu_phone", "--week",
                 "2026-11-23", "--time-limit", "10", "--quiet"]) == 0
    text = capsys.readouterr().out
    planned = list_runs(runs)[-1]
    assert planned.manifest["source_run"] == staffed.name
    for name in ("shifts", "coverage", "breaks", "shortfall", "solves", "requirements"):
        assert name in planned.artifacts()
    assert planned.manifest["solve"]["status"] in ("optimal", "feasible")
    assert "hu_phone" in text
    assert main(["schedule", "--config", str(config), "--queue", "xx_phone"]) == 2
    assert "--queue" in capsys.readouterr().err


def test_roster_a_scheduled_run_with_exports(hungary, capsys) -> None:
    config, runs = hungary
    assert main(["staff", "--config", str(config)]) == 0
    assert main(["schedule", "--config", str(config), "--queue", "hu_email", "--week",
                 "2026-11-23", "--time-limit", "5", "--quiet"]) == 0
    scheduled = list_runs(runs)[-1]
    assert main(["roster", "--config", str(config), "--export", "xlsx", "--export",
                 "ics"]) == 0
    text = capsys.readouterr().out
    rostered = list_runs(runs)[-1]
    assert rostered.manifest["source_run"] == scheduled.name
    assignments = rostered.artifact("roster")
    assert {"agent_id", "name", "date", "start", "end", "break_start", "break_end",
            "queue"} <= set(assignments.columns)
    seats = scheduled.artifact("shifts")["agents"].sum()
    unfilled = rostered.artifact("unfilled")["agents_missing"].sum()
    assert len(assignments) + unfilled == seats
    from data import read_agents
    from staffing import check_roster

    agents = read_agents(sample_paths()["agents"])
    assert check_roster(assignments, agents).empty
    files = set(rostered.manifest["files"])
    assert "exports/roster.xlsx" in files
    assert {f"exports/ics/{a}.ics" for a in assignments["agent_id"].unique()} <= files
    assert (rostered.path / "exports" / "roster.xlsx").stat().st_size > 0
    assert "rostered" in text and "calendars in ics/" in text


def test_roster_without_an_agents_file_is_one_line(hungary, tmp_path, capsys) -> None:
    config, _ = hungary
    bare = tmp_path / "bare.toml"
    bare.write_text("\n".join(line for line in config.read_text().splitlines()
                              if not line.startswith("agents")), encoding="utf-8")
    assert main(["roster", "--config", str(bare)]) == 2
    assert "data.agents" in capsys.readouterr().err


def test_agents_of_other_queues_are_a_note_not_an_error(hungary, tmp_path, capsys) -> None:
    config, _ = hungary  # the whole center's agents file, a plan of Hungary's queues
    assert main(["staff", "--config", str(config), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert ("other agents of the agents file work queues en_chat, en_email, en_phone, "
            "es_chat, es_email, es_phone and 3 more that the plan does not have (it has "
            "queues hu_chat, hu_email, hu_phone): those skills are left out of it") in out

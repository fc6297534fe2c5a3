"""`peakplan compare A B ...` and `peakplan runs` on Hungary's sample slice: a what-if
against its baseline, figures from the runs' own artifacts, the settings that differ."""

from __future__ import annotations

import pandas as pd
import pytest

from data import ConfigError
from peakplan.cli import main
from peakplan.compare import TOTAL, compare_runs, run_figures
from peakplan.runs import list_runs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, hungary_season):
    """A baseline staffing run and one with 50% more volume, from one forecast."""
    folder = tmp_path_factory.mktemp("compare")
    config = hungary_season(folder, start="2026-11-02", end="2026-11-29")
    assert main(["forecast", "--config", str(config), "--quiet"]) == 0
    assert main(["staff", "--config", str(config)]) == 0
    assert main(["staff", "--config", str(config), "--uplift", "0.5"]) == 0
    return folder / "runs", list_runs(folder / "runs")[-2:]


def test_a_what_if_against_its_baseline(two_runs) -> None:
    _, (base, more) = two_runs
    comparison = compare_runs([base, more])
    table = comparison.table.set_index(["queue", "metric"])
    contacts = table.loc[(TOTAL, "contacts")]
    assert contacts[more.name] == pytest.approx(1.5 * contacts[base.name])
    assert contacts["change_pct"] == pytest.approx(0.5)
    requirements = base.artifact("requirements")
    assert contacts[base.name] == pytest.approx(requirements["contacts"].sum())
    hours = table.loc[(TOTAL, "agent_hours")]
    assert hours[base.name] == pytest.approx(requirements["agents_gross"].sum() * 0.5)
    assert hours["change"] > 0
    assert table.loc[("hu_phone", "peak_agents"), more.name] >= \
        table.loc[("hu_phone", "peak_agents"), base.name]
    assert comparison.settings[more.name] == ["staffing.volume_uplift: 0.0 -> 0.5"]


def test_weeks_add_up_to_the_queues(two_runs) -> None:
    _, (base, _) = two_runs
    by_queue, by_week = run_figures(base, "queue"), run_figures(base, "week")
    assert by_week.drop(TOTAL)["contacts"].sum() == pytest.approx(
        by_queue.loc[TOTAL, "contacts"])
    assert list(by_week.drop(TOTAL).index) == sorted(by_week.drop(TOTAL).index)
    assert pd.isna(by_queue.loc["hu_phone", "shift_cost"])  # no schedule: no cost, not 0


def test_the_cli_prints_both_runs_and_the_change(two_runs, tmp_path, capsys) -> None:
    runs, (base, more) = two_runs
    out = tmp_path / "compare.csv"
    assert main(["compare", base.name, "latest", "--runs", str(runs), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"A = {base.name}" in text and f"B = {more.name}" in text
    assert "+50.0%" in text and "volume_uplift" in text
    assert set(pd.read_csv(out)["metric"]) >= {"contacts", "agent_hours", "service_level"}
    assert main(["runs", "--runs", str(runs)]) == 0
    listing = capsys.readouterr().out
    assert f"built on {base.manifest['forecast_run']}" in listing


@pytest.mark.parametrize(("args", "named"), [
    (["latest"], "two runs or more"), (["nope", "latest"], "no such run"),
])
def test_bad_references_are_one_line(two_runs, args, named, capsys) -> None:
    runs, _ = two_runs
    assert main(["compare", *args, "--runs", str(runs)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and named in err


def test_one_run_or_the_same_run_twice_is_refused(two_runs) -> None:
    _, (base, _) = two_runs
    with pytest.raises(ConfigError, match="two runs"):
        compare_runs([base])
    with pytest.raises(ConfigError, match="same run twice"):
        compare_runs([base, base])

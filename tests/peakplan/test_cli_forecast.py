"""`peakplan forecast`, `backtest` and `runs` on a slice of the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from data import sample_paths, to_daily
from peakplan.cli import main

pytestmark = pytest.mark.slow
SEASON = "2026-10-01:2026-12-31"


@pytest.fixture(scope="module")
def hu_payment(tmp_path_factory):
    """Hungary's payment contacts (three series) as a user's Parquet file."""
    frame = pd.read_parquet(sample_paths()["contacts"])
    path = tmp_path_factory.mktemp("in") / "hu_payment.parquet"
    frame[(frame["country"] == "HU") & (frame["query_type"] == "payment")].to_parquet(path)
    return path


def test_scripted_forecast_writes_the_contract_files(hu_payment, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    code = main(["forecast", "--volume", str(hu_payment), "--traffic",
                 str(sample_paths()["traffic"]), "--season", SEASON, "--model", "prophet",
                 "--out", str(out), "--quiet"])
    assert code == 0
    daily = pd.read_parquet(out / "forecast.parquet")
    assert list(daily.columns) == ["unique_id", "country", "query_type", "channel", "ds",
                                   "yhat", "yhat_lower", "yhat_upper", "model"]
    assert daily["unique_id"].nunique() == 3 and len(daily) == 3 * 92
    intervals = pd.read_parquet(out / "interval_forecast.parquet")
    assert intervals["yhat"].sum() == pytest.approx(daily["yhat"].sum())
    text = capsys.readouterr().out
    assert "season 2026-10-01 to 2026-12-31: 3 series" in text
    assert "traffic HU: forecast from its own history" in text


def test_daily_history_gets_a_daily_forecast_only(hu_payment, tmp_path, capsys) -> None:
    daily_history = to_daily(pd.read_parquet(hu_payment).assign(
        ds=lambda f: f["ds"].dt.tz_convert("Europe/Amsterdam")))
    path = tmp_path / "daily.csv"
    daily_history.assign(ds=daily_history["ds"].dt.strftime("%Y-%m-%d")).to_csv(path,
                                                                               index=False)
    out = tmp_path / "out"
    assert main(["forecast", "--volume", str(path), "--season", "2026-10-01:2026-10-14",
                 "--model", "snaive_year", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["choices.parquet", "forecast.parquet"]
    assert "interval forecasts need an intraday history" in capsys.readouterr().out


def test_backtest_and_forecast_go_into_the_run_store(hu_payment, tmp_path, capsys) -> None:
    runs = tmp_path / "runs"
    common = ["--volume", str(hu_payment), "--season", SEASON, "--runs", str(runs), "--quiet"]
    assert main(["backtest", *common]) == 0
    text = capsys.readouterr().out
    assert "overall WAPE by model and window" in text and "season 2025" in text
    assert main(["forecast", *common, "--model", "snaive_year"]) == 0
    capsys.readouterr()
    assert main(["runs", "--runs", str(runs)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2
    assert listing[0].split()[0].endswith("-backtest") and "metrics" in listing[0]
    assert listing[1].split()[0].endswith("-forecast") and "interval_forecast" in listing[1]


def test_a_run_store_that_is_a_file_stops_before_the_forecast(hu_payment, tmp_path,
                                                              capsys) -> None:
    runs = tmp_path / "runs.txt"
    runs.write_text("not a folder")
    args = ["--volume", str(hu_payment), "--season", SEASON, "--runs", str(runs), "--quiet"]
    assert main(["forecast", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("peakplan: error: setting '--runs'") and "is a file" in err
    assert "Traceback" not in err and runs.read_text() == "not a folder"
    out = tmp_path / "out"
    assert main(["forecast", *args, "--model", "snaive_week", "--out", str(out)]) == 0
    assert (out / "forecast.parquet").is_file()  # --out needs no run store
    assert main(["runs", "--runs", str(runs)]) == 2
    assert "is a file, not a folder of runs" in capsys.readouterr().err


@pytest.mark.parametrize("season", ["2026-10-01", "2026-12-31:2026-10-01", "soon:later"])
def test_a_bad_season_flag_is_one_line(hu_payment, season, capsys) -> None:
    assert main(["forecast", "--volume", str(hu_payment), "--season", season, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--season" in err


def test_run_reuses_an_identical_run(hu_payment, tmp_path, capsys) -> None:
    args = ["run", "--volume", str(hu_payment), "--season", SEASON, "--model", "snaive_week",
            "--runs", str(tmp_path / "runs"), "--quiet"]
    assert main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0] == first
    assert main([*args, "--fresh"]) == 0
    assert capsys.readouterr().out.splitlines()[0] != first
    assert main([*args[:-3], "--model", "snaive_year", *args[-3:]]) == 0
    assert capsys.readouterr().out.splitlines()[0] != first

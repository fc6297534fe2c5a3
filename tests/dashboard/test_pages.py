"""Every dashboard page with `streamlit.testing.v1.AppTest`, on a small run store built
here (Hungary's slice of the sample, seasonal-naive forecast): it renders without an
exception, its widgets change what it shows, and bad input shows an error box."""

from __future__ import annotations

import io
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state, uploads
from data import DataError, PlannerError, sample_paths
from peakplan import load_config
from peakplan.cli import main
from peakplan.runs import Run, list_runs, write_run

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT = 90
PAGES = ["overview", "forecast", "staffing", "schedule", "review", "data"]

def _metrics(forecast: pd.DataFrame) -> pd.DataFrame:
    """A backtest metrics table in the forecast's contract (made up, deterministic)."""
    rng = np.random.default_rng(7)
    keys = [("overall", "all")] + [("series", u) for u in forecast["unique_id"].unique()]
    keys += [(level, v) for level in ("country", "query_type", "channel")
             for v in forecast[level].unique()]
    rows = [{"level": level, "key": key, "model": model, "window": window,
             "wape": rng.uniform(0.05, 0.3), "mape": 0.1, "bias": 0.0, "peak_error": 0.0,
             "coverage": 0.8, "poisson_wape_floor": 0.03}
            for level, key in keys for model in ("snaive_week", "snaive_year", "prophet")
            for window in ("all", "season 2025")]
    return pd.DataFrame(rows)


def _backtest(forecast: pd.DataFrame) -> pd.DataFrame:
    """Backtest predictions with actuals 20% above the forecast."""
    frame = forecast.assign(day=forecast["ds"].dt.tz_localize(None), window="season 2025",
                            unit=forecast["unique_id"], actual=forecast["yhat"] * 1.2)
    return frame[["unique_id", "day", "model", "unit", "window", "yhat", "yhat_lower",
                  "yhat_upper", "actual"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory, hungary_season):
    """Forecast, staff, schedule (one queue-week) and roster Hungary into a run store of
    its own, add a run with a backtest, and point the app at it (PEAKPLAN_CONFIG)."""
    folder = tmp_path_factory.mktemp("dashboard")
    config = hungary_season(
        folder, start="2026-11-01", end="2026-11-30", chat="answer_within_s = 60",
        staffing="[staffing]\nshrinkage = 0.3\n\n[staffing.deflection]\norder_status = 0.1",
        schedule=True)
    flags = ["--config", str(config)]
    assert main(["forecast", *flags, "--quiet"]) == 0
    assert main(["staff", *flags]) == 0
    assert main(["schedule", *flags, "--queue", "hu_email", "--week", "2026-11-23",
                 "--quiet"]) == 0
    assert main(["roster", *flags]) == 0
    rostered = list_runs(folder / "runs")[-1]
    forecast = rostered.artifact("forecast")
    backtested = write_run(
        folder / "runs", "hu-backtested", config_text=config.read_text(encoding="utf-8"),
        artifacts={**{n: rostered.artifact(n) for n in ("forecast", "interval_forecast",
                                                        "choices")},
                   "metrics": _metrics(forecast), "backtest": _backtest(forecast)},
        inputs={}, timings_s={})
    before = os.environ.get(state.CONFIG_ENV)
    os.environ[state.CONFIG_ENV] = str(config)
    yield SimpleNamespace(config=config, runs=folder / "runs", folder=folder,
                          rostered=rostered, backtested=backtested, forecast=forecast)
    if before is None:
        os.environ.pop(state.CONFIG_ENV, None)
    else:
        os.environ[state.CONFIG_ENV] = before


@pytest.fixture(autouse=True)
def uploads_folder(tmp_path, monkeypatch):
    """Uploads kept by the pages go to the test's own folder."""
    monkeypatch.setattr(uploads, "UPLOAD_ROOT", tmp_path / "uploads")


def open_page(page: str, run: str | None = None, **session) -> AppTest:
    """The app on `page` (a file of dashboard/pages), with the run picked, after a run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(f"pages/{page}.py")
    if run is not None:
        at.session_state[state.RUN_KEY] = run
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> float:
    value = next(m.value for m in at.metric if m.label == label)
    return float(value.replace(",", "").rstrip("%"))


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --- uploads are parsed by the data readers, never unpickled ----------------------------

def _actuals_csv(forecast: pd.DataFrame, rose: str = "order_status") -> bytes:
    """The forecast's days as an actuals file: `rose` 30% above it, the rest 10% below."""
    factor = np.where(forecast["query_type"] == rose, 1.3, 0.9)
    frame = pd.DataFrame({"ds": forecast["ds"].dt.strftime("%Y-%m-%d"),
                          "country": forecast["country"], "query_type": forecast["query_type"],
                          "channel": forecast["channel"],
                          "contacts": np.round(forecast["yhat"] * factor).astype(int)})
    return frame.to_csv(index=False).encode()


BAD_CSV = b"ds,contacts\n2026-11-01,12\n2026-11-02,lots\n"


def test_read_upload_parses_a_good_file(store) -> None:
    frame = uploads.read_upload(_actuals_csv(store.forecast), "actuals.csv", "actuals",
                              timezone="Europe/Amsterdam")
    assert {"ds", "country", "query_type", "channel", "contacts"} <= set(frame.columns)
    assert frame["ds"].dt.tz is not None and frame["contacts"].sum() > 0


def test_read_upload_names_the_uploaded_file_and_row() -> None:
    with pytest.raises(DataError) as caught:
        uploads.read_upload(BAD_CSV, "calls.csv", timezone="Europe/Amsterdam")
    text = str(caught.value)
    assert "calls.csv" in text and "row 3" in text and "peakplan-upload" not in text


@pytest.mark.parametrize(("content", "name", "said"), [
    (b"\x80\x04\x95", "model.pkl", "unknown file type"),
    (b"", "empty.csv", "empty"),
    (b"name,ds\n", "events.csv", "events.csv"),
])
def test_read_upload_refuses_what_it_cannot_read(content, name, said) -> None:
    kind = "events" if name == "events.csv" else "contacts"
    with pytest.raises(PlannerError, match=said):
        uploads.read_upload(content, name, kind, timezone="Europe/Amsterdam")


def test_uploads_above_the_limit_are_refused(monkeypatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_MB", 0)
    with pytest.raises(DataError, match="upload limit"):
        uploads.read_upload(b"ds,contacts\n2026-11-01,1\n", "big.csv")


def test_saved_uploads_stay_in_their_folder(tmp_path) -> None:
    first = uploads.save_upload(b"ds,contacts\n", "../../etc/passwd.csv", tmp_path)
    again = uploads.save_upload(b"ds,contacts\n", "../../etc/passwd.csv", tmp_path)
    assert first == again and tmp_path in first.parents and first.name == "passwd.csv"


def test_the_config_comes_from_the_flag_then_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(state.CONFIG_ENV, "from-env.toml")
    monkeypatch.setattr("sys.argv", ["app.py"])
    assert state.config_path() == "from-env.toml"
    monkeypatch.setattr("sys.argv", ["app.py", "--config", "from-flag.toml"])
    assert state.config_path() == "from-flag.toml"
    monkeypatch.delenv(state.CONFIG_ENV)
    monkeypatch.setattr("sys.argv", ["app.py"])
    assert state.config_path() is None


# --- every page renders ------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_latest_run(store, page) -> None:
    at = open_page(page, run=store.rostered.name)
    no_errors(at)
    assert at.title and at.sidebar.selectbox(key=state.RUN_KEY).value == store.rostered.name


def test_the_app_opens_on_the_overview(store) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    no_errors(at)
    assert at.title[0].value == "Overview"
    assert {"Contacts forecast", "Peak day", "Peak interval"} <= {m.label for m in at.metric}
    latest = list_runs(store.runs)[-1]
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == latest.name


def test_an_empty_run_store_says_how_to_make_a_run(store, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "season.toml"
    empty.write_text(store.config.read_text().replace(str(store.runs), str(tmp_path / "r")),
                     encoding="utf-8")
    monkeypatch.setenv(state.CONFIG_ENV, str(empty))
    for page in ("overview", "staffing"):
        at = open_page(page)
        no_errors(at)
        assert any("make run" in i.value and "peakplan run" in i.value for i in at.info)


def test_a_bad_config_is_an_error_box(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[season]\ntimezone = 'Mars/Olympus'\n", encoding="utf-8")
    monkeypatch.setenv(state.CONFIG_ENV, str(bad))
    at = open_page("overview")
    assert not at.exception
    assert at.error and "season.timezone" in at.error[0].value


def test_the_run_picker_is_shared_by_the_pages(store) -> None:
    staffed = next(r for r in list_runs(store.runs) if r.name.endswith("-hu-staff"))
    at = open_page("overview", run=staffed.name)
    assert any(staffed.name in c.value for c in at.caption)
    at.switch_page("pages/forecast.py").run()
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == staffed.name
    assert any(staffed.name in c.value for c in at.caption)


def test_runs_made_in_the_same_second_keep_apart_in_the_picker(tmp_path) -> None:
    twins = [Run(tmp_path / f"20261123T171309{n:06d}Z-hu-staff", {"artifacts": {}})
             for n in (1, 2)]
    labels = state.run_labels([*twins, Run(tmp_path / "20261124T080000000000Z-hu-roster",
                                           {"artifacts": {"roster": 1}})])
    assert len(set(labels.values())) == 3
    assert labels[twins[0].name] == twins[0].name
    assert labels["20261124T080000000000Z-hu-roster"] == (
        "hu-roster, 24 Nov 2026 08:00:00 UTC (roster)")


def test_overview_shows_risks_and_the_hiring_plan(store) -> None:
    at = open_page("overview", run=store.rostered.name)
    assert "Hiring plan" in [s.value for s in at.subheader]
    assert at.warning or at.success
    at.selectbox(key="overview_queue").set_value("hu_phone").run()
    no_errors(at)


# --- forecast ------------------------------------------------------------------------------

def test_choosing_a_country_and_series_changes_the_forecast(store) -> None:
    at = open_page("forecast", run=store.backtested.name)
    titles = [s.value for s in at.subheader]
    assert "Daily contacts: all countries · all query types · all channels" in titles
    at.selectbox(key="forecast_country").set_value("HU").run()
    assert "Daily contacts: HU · all query types · all channels" in [s.value for s in
                                                                    at.subheader]
    at.selectbox(key="forecast_query_type").set_value("order_status")
    at.selectbox(key="forecast_channel").set_value("phone").run()
    no_errors(at)
    assert "Daily contacts: HU · order_status · phone" in [s.value for s in at.subheader]
    shown = [t.value for t in at.dataframe]
    assert any(len(t) == 3 and set(t["model"]) == {"snaive_week", "snaive_year", "prophet"}
               for t in shown)  # the series' backtest against the baselines
    assert any(list(t["unique_id"]) == ["HU/order_status/phone"] for t in shown
               if "unique_id" in t)  # which model it got, and why
    at.date_input(key="forecast_day").set_value(pd.Timestamp("2026-11-27").date()).run()
    no_errors(at)


# --- staffing ------------------------------------------------------------------------------

def test_the_uplift_slider_raises_the_agents(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    no_errors(at)
    hours, contacts = metric(at, "Agent hours (gross)"), metric(at, "Contacts planned")
    uplift = next(s for s in at.slider if s.label.startswith("Volume uplift"))
    uplift.set_value(50).run()
    no_errors(at)
    assert metric(at, "Agent hours (gross)") > hours * 1.2
    assert metric(at, "Contacts planned") > contacts * 1.4
    steps = next(t.value for t in at.dataframe if "step" in t.value)
    assert steps.loc[steps["step"] == "scenario uplift", "change"].iloc[0] > 0


def test_a_stricter_target_and_more_shrinkage_need_more_agents(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    hours = metric(at, "Agent hours (gross)")
    next(s for s in at.slider if s.label.startswith("Shrinkage")).set_value(45).run()
    assert metric(at, "Agent hours (gross)") > hours
    more = metric(at, "Agent hours (gross)")
    next(s for s in at.slider if s.label.startswith("Service target")).set_value(95).run()
    no_errors(at)
    assert metric(at, "Agent hours (gross)") > more


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


def tab_pictures(at: AppTest) -> dict[str, list[str]]:
    """Picture URLs shown in each tab of the page, by tab label."""
    return {tab.label: [shown.proto.imgs[0].url for shown in tab.children.values()
                        if shown.type == "image"] for tab in at.tabs}


def test_the_heatmap_follows_the_queue_and_value_and_only_the_open_tab_is_drawn(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    shown = tab_pictures(at)
    assert len(shown["Heatmap by day and time"]) == 1
    assert shown["Service level and occupancy"] == []  # a closed tab costs nothing
    first = shown["Heatmap by day and time"][0]
    at.run()
    assert tab_pictures(at)["Heatmap by day and time"] == [first]  # the same picture, kept
    at.selectbox(key="staffing_value").set_value("occupancy").run()
    no_errors(at)
    occupancy = tab_pictures(at)["Heatmap by day and time"]
    assert len(occupancy) == 1 and occupancy[0] != first
    queue = at.selectbox(key="staffing_queue")
    assert queue.options == ["hu_chat", "hu_email", "hu_phone"]
    queue.set_value("hu_phone").run()
    no_errors(at)
    assert tab_pictures(at)["Heatmap by day and time"][0] not in (first, occupancy[0])


def test_the_service_tab_shows_service_level_and_occupancy(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    at.session_state["staffing_chart"] = "Service level and occupancy"
    at.run()
    no_errors(at)
    shown = tab_pictures(at)
    assert shown["Heatmap by day and time"] == []
    assert len(shown["Service level and occupancy"]) == 1


@pytest.mark.slow
def test_a_scenario_is_saved_as_a_run(store) -> None:
    at = open_page("staffing", run=store.rostered.name)
    next(s for s in at.slider if s.label.startswith("Volume uplift")).set_value(20).run()
    count = len(list_runs(store.runs))
    at.button(key="staffing_save").click().run()
    no_errors(at)
    saved = list_runs(store.runs)
    assert len(saved) == count + 1 and saved[-1].name.endswith("-hu-staff")
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == saved[-1].name
    assert saved[-1].manifest["forecast_run"] == store.rostered.name
    base = store.rostered.artifact("requirements")["agents_gross"].sum()
    assert saved[-1].artifact("requirements")["agents_gross"].sum() > base


# --- schedule and roster -------------------------------------------------------------------

def test_the_run_schedule_and_roster_are_shown(store) -> None:
    at = open_page("schedule", run=store.rostered.name)
    no_errors(at)
    assert {"Coverage against the requirement", "Roster", "Burnout report"} <= {
        s.value for s in at.subheader}
    assert metric(at, "Shifts rostered") == len(store.rostered.artifact("roster"))
    assert {b.label for b in at.get("download_button")} >= {
        "Roster (CSV)", "Roster (Excel)", "Calendars (iCalendar, zip)"}
    team = at.multiselect(key="roster_teams")
    team.set_value(team.options[:1]).run()
    no_errors(at)


@pytest.mark.slow
def test_design_roster_and_save_a_queue_week(store) -> None:
    at = open_page("schedule", run=store.rostered.name)
    at.selectbox(key="schedule_queue").set_value("hu_email").run()
    assert at.selectbox(key="schedule_week").value.day_of_week == 0  # the busiest week
    at.selectbox(key="schedule_week").set_value(pd.Timestamp("2026-11-16"))
    at.slider(key="schedule_limit").set_value(2)
    at.button(key="schedule_run").click().run()
    no_errors(at)
    assert at.radio(key="schedule_source").value == "designed just now"
    at.button(key="roster_run").click().run()
    no_errors(at)
    assert metric(at, "Shifts rostered") > 0
    count = len(list_runs(store.runs))
    at.button(key="roster_save").click().run()
    no_errors(at)
    saved = list_runs(store.runs)
    assert len(saved) == count + 2
    schedule_run, roster_run = saved[-2:]
    assert "roster" not in schedule_run.artifacts()  # no earlier roster rides along
    assert roster_run.manifest["source_run"] == schedule_run.name
    assert "exports/roster.xlsx" in roster_run.manifest["files"]
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == roster_run.name


# --- season review -------------------------------------------------------------------------

def test_uploaded_actuals_show_what_rose_and_fell(store) -> None:
    upload = ("actuals.csv", _actuals_csv(store.forecast, rose="order_status"))
    at = open_page("review", run=store.rostered.name, uploads={"actuals": upload})
    no_errors(at)
    assert metric(at, "Actual contacts") > 0
    by_type = next(t.value for t in at.dataframe if "query_type" in t.value
                   and "country" not in t.value)
    assert by_type.iloc[0]["query_type"] == "order_status"
    assert by_type.iloc[0]["change_vs_forecast"] == pytest.approx(0.3, abs=0.02)
    at.radio(key="review_by").set_value("day").run()
    no_errors(at)
    at.radio(key="review_by").set_value("channel").run()
    no_errors(at)


def test_a_bad_actuals_upload_is_an_error_box(store) -> None:
    at = open_page("review", run=store.rostered.name,
                   uploads={"actuals": ("actuals.csv", BAD_CSV)})
    assert not at.exception
    assert at.error and "actuals.csv" in at.error[0].value and "row 3" in at.error[0].value


def test_a_history_that_ends_before_the_season_is_said_so(store) -> None:
    at = open_page("review", run=store.rostered.name)
    at.radio(key="review_source").set_value("The config's contact history").run()
    no_errors(at)
    assert any("share no day" in w.value for w in at.warning)


def test_the_review_of_a_backtest_run(store) -> None:
    at = open_page("review", run=store.backtested.name)
    at.radio(key="review_source").set_value("The run's backtest").run()
    no_errors(at)
    assert metric(at, "Bias") == pytest.approx(-16.7, abs=0.2)  # forecast 1/1.2 of actual


# --- data ---------------------------------------------------------------------------------

def test_the_data_page_reports_every_input(store) -> None:
    at = open_page("data")
    no_errors(at)
    assert any("Every input is valid" in s.value for s in at.success)
    reports = "\n".join(c.value for c in at.code)
    assert "contact history" in reports and "agents" in reports


def test_a_bad_history_upload_is_an_error_box(store) -> None:
    at = open_page("data", uploads={"contacts": ("history.csv", BAD_CSV)})
    assert not at.exception
    assert at.error and "history.csv" in at.error[0].value
    assert "uploads" not in at.error[0].value  # named as uploaded, not by its kept path
    assert not any("Every input is valid" in s.value for s in at.success)


def test_an_uploaded_agents_file_replaces_the_config_one(store) -> None:
    agents = pd.read_csv(sample_paths()["agents"]).head(20)
    buffer = io.StringIO()
    agents.to_csv(buffer, index=False)
    at = open_page("data", uploads={"agents": ("my-agents.csv", buffer.getvalue().encode())})
    no_errors(at)
    assert any("agents: 20" in c.value for c in at.code)


def test_the_data_page_makes_a_run(store) -> None:
    at = open_page("data")
    count = len(list_runs(store.runs))
    at.button(key="data_run").click().run()
    no_errors(at)
    made = list_runs(store.runs)
    assert len(made) == count + 1 and "requirements" in made[-1].artifacts()
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == made[-1].name
    assert any(made[-1].name in s.value for s in at.success)

"""Cached loaders and the run picker shared by the dashboard's pages.

Where the app finds its settings: `streamlit run dashboard/app.py -- --config FILE`, else
the environment variable PEAKPLAN_CONFIG, else the bundled sample's config. The run store
is that config's `runs.root` (./runs by default). Heavy work is cached: frames with
`st.cache_data`, loaded inputs, prepared staffing and scenario results with
`st.cache_resource`. Uploads are in `dashboard.uploads`, tables and charts in
`dashboard.display`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

import data
import staffing
from dashboard.scenario import ScenarioView, view
from data import PlannerError
from peakplan import (
    Config,
    Inputs,
    Run,
    list_runs,
    load_config,
    load_inputs,
    load_run,
    sample_config,
)
from staffing import Prepared

__all__ = [
    "CONFIG_ENV",
    "RUN_KEY",
    "Basis",
    "app_config",
    "artifact",
    "basis",
    "config_key",
    "config_path",
    "current_run",
    "daily_history",
    "flash",
    "history_frame",
    "input_reports",
    "inputs",
    "need",
    "no_runs_message",
    "page",
    "run_config",
    "run_label",
    "run_labels",
    "run_page",
    "runs",
    "runs_of",
    "scenario",
    "select_run",
]

CONFIG_ENV = "PEAKPLAN_CONFIG"
RUN_KEY = "run_name"
CHOSEN_KEY = "_chosen_run"


# --- config and run store ---------------------------------------------------------------

def config_path() -> str | None:
    """The config file asked for: `-- --config FILE` after `streamlit run`, else
    $PEAKPLAN_CONFIG; None for the bundled sample."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--config")
    known, _ = parser.parse_known_args(sys.argv[1:])
    return known.config or os.environ.get(CONFIG_ENV) or None


def _stamp(path: str | None) -> float:
    return Path(path).stat().st_mtime if path and Path(path).is_file() else 0.0


@st.cache_resource(show_spinner=False)
def _load_config(path: str | None, _stamp: float) -> Config:
    return load_config(path) if path else sample_config()


def app_config() -> Config:
    """The app's config; a config error is shown as an error box and the page stops."""
    path = config_path()
    try:
        return _load_config(path, _stamp(path))
    except PlannerError as exc:
        st.error(f"Cannot read the config: {exc}")
        st.stop()
        raise  # st.stop() does not return


def runs(config: Config) -> list[Run]:
    """Complete runs of the config's run store, newest first."""
    return list(reversed(list_runs(config.runs.root)))


def no_runs_message(config: Config) -> str:
    """What to do when the run store holds no run."""
    return (f"The run store `{config.runs.root}` has no run yet. Make one from a terminal in "
            "the repository with `make run` (the bundled sample) or `peakplan run --config "
            "season.toml`, or from the **Data** page with *Forecast and staff into a new "
            "run*; then reload this page.")


def select_run(name: str) -> None:
    """Make `name` the chosen run from the next rerun on (the sidebar picker is drawn
    before the page, so its value cannot change during this run)."""
    st.session_state["_select_run"] = name


def current_run(config: Config) -> Run | None:
    """The run picked in the sidebar (the latest when none is), or None without runs."""
    found = runs(config)
    if not found:
        return None
    chosen = st.session_state.get(RUN_KEY)
    return next((r for r in found if r.name == chosen), found[0])


def need(run: Run, *names: str, what: str = "") -> bool:
    """True when `run` has every artifact in `names`; else an info box that says which
    run has them or how to make one."""
    missing = [n for n in names if n not in run.artifacts()]
    if not missing:
        return True
    text = f"Run `{run.name}` has no {', '.join(missing)}"
    others = [r.name for r in runs_of(run) if set(names) <= set(r.artifacts())]
    hint = (f"; pick a run that has them in the sidebar, e.g. `{others[0]}`" if others
            else f"; {what}" if what else "")
    st.info(text + hint + ".")
    return False


def runs_of(run: Run) -> list[Run]:
    """The runs stored beside `run`, newest first."""
    return list(reversed(list_runs(run.path.parent)))


@st.cache_data(show_spinner=False, max_entries=64)
def artifact(run_path: str, name: str) -> pd.DataFrame:
    """One Parquet artifact of a run folder (run folders never change once written)."""
    folder = Path(run_path)
    return load_run(folder.parent, folder.name).artifact(name)


def run_config(run: Run, app: Config) -> Config:
    """The settings a run was made with (its config.toml), in the app's run store; the
    app's config, with a warning that says so, when the run's cannot be read."""
    try:
        found = _load_config(str(run.path / "config.toml"), 0.0)
    except PlannerError as exc:
        st.warning(f"The settings of run `{run.name}` cannot be read ({exc}); this page "
                   "uses the app's settings instead.")
        return app
    return replace(found, runs=app.runs)


def flash(message: str | None = None) -> str | None:
    """Keep a message for the next rerun (with `message`), or take the kept one."""
    if message is not None:
        st.session_state["_flash"] = message
        return None
    return st.session_state.pop("_flash", None)


def _sidebar(config: Config) -> None:
    """The run picker (its choice is kept in the session for every page) and where the
    config and the run store are."""
    found = runs(config)
    with st.sidebar:
        if not found:
            st.info(f"No runs in `{config.runs.root}` yet: `make run` or `peakplan run`.")
        else:
            names = [r.name for r in found]
            chosen = _chosen(names)
            st.session_state[RUN_KEY] = st.session_state[CHOSEN_KEY] = chosen
            st.query_params["run"] = chosen
            labels = run_labels(found)
            st.selectbox("Run", names, key=RUN_KEY, format_func=labels.__getitem__,
                         on_change=_remember,
                         help="The runs of the run store, newest first; every page shows "
                         "the run chosen here, and the page's address carries it (?run=).")
        st.caption(f"Config: `{config.source or 'the bundled sample'}`  \n"
                   f"Run store: `{Path(config.runs.root).resolve()}`")


def _chosen(names: list[str]) -> str:
    """The run this page shows: one just selected by an action (`select_run`), else the
    session's choice, else the address's `?run=`, else the newest."""
    for wanted in (st.session_state.pop("_select_run", None),
                   st.session_state.get(CHOSEN_KEY), st.session_state.get(RUN_KEY),
                   st.query_params.get("run")):
        if wanted in names:
            return wanted
    return names[0]


def _remember() -> None:
    """Keep the picker's choice under a key of our own: Streamlit drops a widget's state
    when another page is opened, and every page draws its own picker."""
    st.session_state[CHOSEN_KEY] = st.session_state[RUN_KEY]


def run_labels(found: list[Run]) -> dict[str, str]:
    """A readable, unique label per run (the picker tells options apart by label)."""
    labels = {}
    for run in found:
        has = [k for k in ("requirements", "shifts", "roster") if k in run.artifacts()]
        labels[run.name] = run_label(run.name) + (f" ({', '.join(has)})" if has else "")
    counts = pd.Series(list(labels.values())).value_counts()
    return {name: label if counts[label] == 1 else name for name, label in labels.items()}


def page(title: str) -> tuple[Config, Run | None]:
    """Start a page: wide layout, the sidebar's run picker, a message kept from the last
    action, the title; returns the config and the chosen run (None without runs). Every
    page calls it first."""
    st.set_page_config(page_title=f"{title} · peakplan", layout="wide",
                       page_icon=":material/support_agent:")
    config = app_config()
    _sidebar(config)
    kept = flash()
    if kept:
        st.success(kept)
    st.title(title)
    run = current_run(config)
    if run is not None:
        st.caption(f"Run `{run.name}`")
    return config, run


def run_page(title: str) -> tuple[Config, Run]:
    """`page` for a page that shows a run: without runs, it says how to make one and the
    page stops there."""
    config, run = page(title)
    if run is None:
        st.info(no_runs_message(config))
        st.stop()
    return config, run


# --- inputs ------------------------------------------------------------------------------

def config_key(config: Config) -> str:
    """A cache key for the inputs of `config`: its season and data settings (all that
    loading them reads) and its files' size and time."""
    digest = hashlib.sha256(f"{config.season!r}{config.data!r}".encode())
    for path in (config.data.volume, config.data.traffic, config.data.traffic_plan,
                 config.data.events, config.data.agents):
        if path is not None and Path(path).is_file():
            info = Path(path).stat()
            digest.update(f"{path}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


@st.cache_resource(show_spinner="Reading and validating the input files...", max_entries=4)
def _inputs(key: str, _config: Config) -> Inputs:
    return load_inputs(_config)


def inputs(config: Config) -> Inputs:
    """The validated inputs of `config` (raises PlannerError), loaded once per file set."""
    return _inputs(config_key(config), config)


@st.cache_data(show_spinner=False, max_entries=8)
def _reports(key: str, _config: Config) -> list[str]:
    return [report.render() for report in _inputs(key, _config).reports(_config)]


def input_reports(config: Config) -> list[str]:
    """The validation report of each input file, as text."""
    return _reports(config_key(config), config)


def history_frame(config: Config) -> pd.DataFrame | None:
    """The contact history of `config`, or None (with a warning) when it cannot be read."""
    try:
        return inputs(config).history.frame
    except PlannerError as exc:
        st.warning(f"The contact history cannot be read, so handle times come from the "
                   f"config: {exc}")
        return None


@st.cache_data(show_spinner="Adding up the history by day...", max_entries=4)
def _daily_history(key: str, _config: Config) -> pd.DataFrame:
    daily = data.to_daily(_inputs(key, _config).history.frame)
    return daily.rename(columns={"contacts": "y"})


def daily_history(config: Config) -> pd.DataFrame:
    """Contacts per series and local day (ds, country, query_type, channel, y)."""
    return _daily_history(config_key(config), config)


@dataclass(frozen=True)
class Basis:
    """What a run's scenarios are sized on: the run's interval forecast mapped to queues
    (`staffing.prepare`, with the handle times of the history when it could be read) and
    a key naming it (the run folder and, with a history, its input files' size and time)."""

    key: str
    prepared: Prepared


@st.cache_resource(show_spinner="Mapping the forecast to queues...", max_entries=4)
def _prepared(key: str, run_path: str, _staffing: staffing.StaffingConfig,
              _history: pd.DataFrame | None) -> Prepared:
    forecast = artifact(run_path, "interval_forecast")
    return staffing.prepare(forecast, _staffing, history=_history)


def basis(run: Run, config: Config, history: pd.DataFrame | None) -> Basis:
    """The run's forecast mapped to queues with `config` (the run's own settings) and
    `history`, once per run and set of input files: scenarios then only run
    `staffing.compute`."""
    inputs_key = config_key(config) if history is not None else "handle times of the config"
    key = f"{run.path}|{inputs_key}"
    return Basis(key, _prepared(key, str(run.path), config.staffing, history))


@st.cache_resource(show_spinner=False, max_entries=4)
def _sizing_memo(key: str) -> staffing.SizingMemo:
    return staffing.SizingMemo(max_entries=96)  # 8 scenarios of 12 queues, ~40 MB


@st.cache_resource(show_spinner=False, max_entries=16)
def _scenario(key: str, chosen_key: str, _prepared: Prepared,
              _scenario: staffing.StaffingConfig) -> ScenarioView:
    result = staffing.compute(_prepared, _scenario, memo=_sizing_memo(key))
    return view(result, _scenario, _prepared.interval_min)


def scenario(basis_: Basis, chosen: staffing.StaffingConfig) -> ScenarioView:
    """`staffing.compute` of a scenario on a run's basis and what the Staffing page shows
    of it: each scenario worked out once (the 16 most recent are kept, for every session;
    do not change the frames), and each queue's sizing reused where a change leaves it
    alone."""
    return _scenario(basis_.key, repr(chosen), basis_.prepared, chosen)


def run_label(name: str) -> str:
    """'q4-2026-staff, 23 Nov 2026 17:13:09 UTC' for a run folder name."""
    stamp, _, label = name.partition("-")
    try:
        when = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").strftime("%d %b %Y %H:%M:%S UTC")
    except ValueError:
        return name
    return f"{label}, {when}"

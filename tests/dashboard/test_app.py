"""The app as a whole with `streamlit.testing.v1.AppTest`: every page renders under
`st.navigation`, the run picker is shared by the pages, a missing run store or a bad
config says what to do, and the app is built on Streamlit's public API only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from page_testing import APP, PAGES, TIMEOUT, no_errors, open_page
from streamlit.testing.v1 import AppTest

from dashboard import state
from peakplan.runs import list_runs

pytestmark = pytest.mark.usefixtures("uploads_folder")
DASHBOARD = Path(APP).parent
PUBLIC = {"streamlit.components.v1"}  # Streamlit's public modules besides `streamlit`


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
    at.switch_page("views/forecast.py").run()
    assert at.sidebar.selectbox(key=state.RUN_KEY).value == staffed.name
    assert any(staffed.name in c.value for c in at.caption)


# --- Streamlit's public API only -----------------------------------------------------------

def test_every_page_file_is_served_by_the_navigation() -> None:
    """One file of dashboard/views per page, each in app.py; no `pages/` folder beside
    app.py, which would switch Streamlit to its older multipage layout."""
    assert not (DASHBOARD / "pages").exists()
    served = ast.literal_eval(next(
        node.value for node in ast.parse((DASHBOARD / "app.py").read_text()).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES"))
    assert [path for path, *_ in served] == [f"views/{page}.py" for page in PAGES]
    assert sorted(p.stem for p in (DASHBOARD / "views").glob("*.py")) == sorted(PAGES)


def _internals(path: Path) -> list[str]:
    """Streamlit's internal modules and `sys.path` edits in a dashboard file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        found += [n for n in names if n.startswith("streamlit.") and n not in PUBLIC]
        if (isinstance(node, ast.Attribute) and node.attr == "path"
                and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append("sys.path")
    return found


@pytest.mark.parametrize("path", sorted(DASHBOARD.rglob("*.py")),
                         ids=lambda p: p.relative_to(DASHBOARD).as_posix())
def test_the_dashboard_uses_no_streamlit_internals(path: Path) -> None:
    assert not _internals(path), f"{path.name} uses {_internals(path)}"


def test_the_internals_check_sees_a_patch(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import sys\nfrom streamlit.runtime.pages_manager import PagesManager\n"
                     "sys.path.insert(0, '.')\n", encoding="utf-8")
    assert _internals(probe) == ["streamlit.runtime.pages_manager", "sys.path"]

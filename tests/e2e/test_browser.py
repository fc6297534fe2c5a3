"""The dashboard end to end in a real browser: Debian's headless Chromium driven by
Playwright against `streamlit run dashboard/app.py` on localhost.

Every page is opened, checked for errors and photographed (test-artifacts/screenshots/),
a scenario control is moved, the staffing chart tabs switched, and a roster downloaded.
`make test` installs Chromium on CI (scripts/ensure-browser.sh); elsewhere without it
the test skips and says why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from peakplan.cli import main

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Staffing first: the first visit after the server starts is to a page's own address,
# as from a bookmark, which must still show that page under the app's navigation.
# (address, screenshot name, title)
PAGES = [("staffing", "staffing", "Staffing"), ("", "overview", "Overview"),
         ("forecast", "forecast", "Forecast"), ("schedule", "schedule", "Schedule & roster"),
         ("review", "review", "Season review"), ("data", "data", "Data")]
NAVIGATION = ["Overview", "Forecast", "Staffing", "Schedule & roster", "Season review", "Data"]

def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium: CI installs it with "
                    "scripts/ensure-browser.sh (apt-get install chromium)")
    return sync_playwright


@pytest.fixture(scope="module")
def store(tmp_path_factory, hungary_season) -> Path:
    """A run store with a forecast, staffing, one week's shifts and a roster."""
    folder = tmp_path_factory.mktemp("browser")
    config = hungary_season(folder, start="2026-10-01", end="2026-12-31", schedule=True)
    for command in (["forecast", "--quiet"], ["staff"],
                    ["schedule", "--queue", "hu_email", "--week", "2026-11-23", "--quiet"],
                    ["roster"]):
        assert main([command[0], "--config", str(config), *command[1:]]) == 0
    return config


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app(store: Path):
    """The dashboard served on localhost for this module; its URL."""
    _browser_or_skip()
    port = _free_port()
    env = {**os.environ, "PEAKPLAN_CONFIG": str(store)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "localhost", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the dashboard did not start: " + server.stderr.read1().decode())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script: its status widget shows
    while it runs (give it a moment to appear), then goes."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    running = '[data-testid="stStatusWidget"]'
    with contextlib.suppress(Exception):  # a TimeoutError: the run was over before we looked
        page.wait_for_selector(running, state="attached", timeout=3_000)
    page.wait_for_selector(running, state="detached", timeout=180_000)
    page.wait_for_timeout(500)


def test_every_page_in_a_real_browser(app: str) -> None:
    sync_playwright = _browser_or_skip()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000},
                                accept_downloads=True)
        for path, name, title in PAGES:
            page.goto(f"{app}/{path}")
            _settle(page)
            address = page.url.split("?")[0]  # the query carries the chosen run (?run=)
            assert address.rstrip("/") == f"{app}/{path}".rstrip("/"), f"{name}: {page.url}"
            heading = page.locator('[data-testid="stHeading"] h1').first.inner_text()
            assert heading.strip() == title, f"{name}: the page shows {heading!r}"
            errors = page.locator('[data-testid="stException"]')
            assert errors.count() == 0, f"{name}: {errors.first.inner_text()}"
            assert "Traceback" not in page.content()
            links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
            labels = [link.split("\n")[-1].strip() for link in links]  # after the icon
            assert labels == NAVIGATION, f"{name}: {links}"
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        _move_a_scenario_control(page, app)
        _download_a_roster(page, app)
        browser.close()


def _metrics(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def _move_a_scenario_control(page, app: str) -> None:
    page.goto(f"{app}/staffing")
    _settle(page)
    before = _metrics(page)
    slider = page.get_by_role("slider", name="Volume uplift (%)")
    slider.focus()
    for _ in range(6):  # +30% in steps of 5
        page.keyboard.press("ArrowRight")
    _settle(page)
    after = _metrics(page)
    assert before and after != before, "moving the uplift changed nothing shown"
    page.screenshot(path=str(SHOTS / "staffing-uplift.png"), full_page=True)
    _open_the_service_tab(page)


def _shown_pictures(page) -> list[str]:
    """Sources of the pictures the page shows (a closed tab's are hidden or not drawn)."""
    return [img.get_attribute("src") for img in page.locator('[data-testid="stImage"] img').all()
            if img.is_visible()]


def _open_the_service_tab(page) -> None:
    heatmap = _shown_pictures(page)
    assert len(heatmap) == 1, f"the staffing page shows {len(heatmap)} charts, not one"
    page.get_by_role("tab", name="Service level and occupancy").click()
    _settle(page)
    service = _shown_pictures(page)
    assert len(service) == 1 and service != heatmap, "the service tab shows no chart of its own"
    page.screenshot(path=str(SHOTS / "staffing-service.png"), full_page=True)


def _download_a_roster(page, app: str) -> None:
    page.goto(f"{app}/schedule")
    _settle(page)
    button = page.get_by_role("button", name="Roster (CSV)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as arrival:
        button.click()
    target = SHOTS.parent / "roster.csv"
    arrival.value.save_as(str(target))
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("agent_id") or "agent_id" in text.splitlines()[0]
    assert len(text.splitlines()) > 1


def _run_shown(page) -> str:
    """The run named under the page's title ('Run <name>')."""
    captions = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
    return next(t for t in captions.all_inner_texts() if t.startswith("Run ")).split()[1]


def test_a_picked_run_stays_picked_on_every_page(app: str, store: Path) -> None:
    """Streamlit drops a widget's state when another page opens; the choice must not go
    with it, and the page's address (?run=) carries it into a new session."""
    from peakplan.runs import list_runs

    staffed = next(r.name for r in list_runs(store.parent / "runs")
                   if r.name.endswith("-hu-staff"))
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(app)
        _settle(page)
        assert _run_shown(page) != staffed  # the newest run first
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
        page.get_by_role("option").filter(has_text="hu-staff").first.click()
        _settle(page)
        for title in NAVIGATION[1:]:
            page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
            _settle(page)
            assert _run_shown(page) == staffed, f"{title} shows another run"
            assert f"run={staffed}" in page.url
        fresh = browser.new_page()
        fresh.goto(page.url)
        _settle(fresh)
        assert _run_shown(fresh) == staffed, "a link with ?run= opened another run"
        browser.close()

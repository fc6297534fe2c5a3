"""What the page tests share: the app opened on a page with `streamlit.testing.v1.AppTest`,
readers of what it shows, and uploaded files (a good actuals file, a bad one)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard import state

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT = 90
PAGES = ["overview", "forecast", "staffing", "schedule", "review", "data"]
BAD_CSV = b"ds,contacts\n2026-11-01,12\n2026-11-02,lots\n"


def open_page(page: str, run: str | None = None, **session) -> AppTest:
    """The app on `page` (a file of dashboard/views), with the run picked, after a run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page(f"views/{page}.py")
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


def actuals_csv(forecast: pd.DataFrame, rose: str = "order_status") -> bytes:
    """The forecast's days as an actuals file: `rose` 30% above it, the rest 10% below."""
    factor = np.where(forecast["query_type"] == rose, 1.3, 0.9)
    frame = pd.DataFrame({"ds": forecast["ds"].dt.strftime("%Y-%m-%d"),
                          "country": forecast["country"], "query_type": forecast["query_type"],
                          "channel": forecast["channel"],
                          "contacts": np.round(forecast["yhat"] * factor).astype(int)})
    return frame.to_csv(index=False).encode()

"""peakplan dashboard: `streamlit run dashboard/app.py [-- --config season.toml]`.

The config comes from `--config`, else $PEAKPLAN_CONFIG, else the bundled sample; runs
from its run store (`runs.root`, ./runs by default). Each page (dashboard/pages/, one file
per page) starts with `state.page`, which draws the sidebar's run picker shared by every
page through the session.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/, not the repository, first
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/forecast.py", "Forecast", ":material/show_chart:"),
    ("pages/staffing.py", "Staffing", ":material/groups:"),
    ("pages/schedule.py", "Schedule & roster", ":material/calendar_month:"),
    ("pages/review.py", "Season review", ":material/fact_check:"),
    ("pages/data.py", "Data", ":material/upload_file:"),
]

st.set_page_config(page_title="peakplan", page_icon=":material/support_agent:",
                   layout="wide")
navigation = st.navigation([st.Page(path, title=title, icon=icon, default=i == 0)
                            for i, (path, title, icon) in enumerate(PAGES)])
navigation.run()

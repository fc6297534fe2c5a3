"""peakplan dashboard: `streamlit run dashboard/app.py [-- --config season.toml]`.

The config comes from `--config`, else $PEAKPLAN_CONFIG, else the bundled sample; runs
from its run store (`runs.root`, ./runs by default). This script only serves the pages:
`st.navigation` over the files of dashboard/views/, one per page, each with the address
of its file name (/overview, /forecast, /staffing, /schedule, /review, /data; the first
is also the app's root). A page opened first by its own address, as from a bookmark,
runs through here too and so gets this navigation. Each page starts with `state.page`,
which draws the sidebar's run picker shared by every page through the session.

The repository's packages (`dashboard`, `peakplan`, ...) are imported as installed
(`pip install -e .`); the folder is deliberately not named `pages/`, which would switch
Streamlit to its older multipage layout.
"""

from __future__ import annotations

import streamlit as st

PAGES = [
    ("views/overview.py", "Overview", ":material/dashboard:"),
    ("views/forecast.py", "Forecast", ":material/show_chart:"),
    ("views/staffing.py", "Staffing", ":material/groups:"),
    ("views/schedule.py", "Schedule & roster", ":material/calendar_month:"),
    ("views/review.py", "Season review", ":material/fact_check:"),
    ("views/data.py", "Data", ":material/upload_file:"),
]

st.set_page_config(page_title="peakplan", page_icon=":material/support_agent:",
                   layout="wide")
navigation = st.navigation([st.Page(path, title=title, icon=icon, default=i == 0)
                            for i, (path, title, icon) in enumerate(PAGES)])
navigation.run()

"""peakplan's Streamlit dashboard: `streamlit run dashboard/app.py`.

`app.py` serves the six pages of `views/` (one file per page) with `st.navigation`;
`state` holds the cached loaders and the sidebar's run picker, `scenario` what the
Staffing page shows of a scenario, `charts` the matplotlib figures, `display` the tables,
pictures and error boxes, `uploads` the uploaded files (parsed by the `data` readers).
The planning itself is `peakplan`'s, `staffing`'s, `forecast`'s and `data`'s; nothing here
plans. Importing this package loads no Streamlit: the modules that need it import it.
"""

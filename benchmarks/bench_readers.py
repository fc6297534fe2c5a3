"""Reading and validating a contact history: the bundled sample (2.4 M rows of Parquet)
and the same rows as a gzip CSV with naive local times, the common ACD export.

Goals (2 cores): the sample in under 15 s and 3 GiB; the CSV in under 60 s and 4 GiB.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import measure, write_result

GOALS = {"sample_parquet": {"seconds": 15, "peak_mib": 3072},
         "sample_csv_gz": {"seconds": 60, "peak_mib": 4096}}

LOAD = """
from data import load_contacts
start = time.perf_counter()
history = load_contacts({path!r}, timezone="Europe/Amsterdam")
print("seconds", time.perf_counter() - start)
print("rows", len(history.frame))
"""

EXPORT = """
import pandas as pd
from data import sample_paths
frame = pd.read_parquet(sample_paths()["contacts"])
frame["ds"] = frame["ds"].dt.strftime("%Y-%m-%d %H:%M")
frame.to_csv({path!r}, index=False)
print("seconds", 0)
"""


def run() -> tuple[dict, Path]:
    """Measure both reads in fresh processes and write the result."""
    from data import sample_paths

    cases = {"sample_parquet": sample_paths()["contacts"]}
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "contacts.csv.gz"
        measure(EXPORT.format(path=str(csv_path)))
        cases["sample_csv_gz"] = csv_path
        measured = {name: measure(LOAD.format(path=str(path))) for name, path in cases.items()}
    met = all(measured[n][k] <= GOALS[n][k] for n in GOALS for k in GOALS[n])
    result = {"goals": GOALS, "measured": measured, "goal_met": met}
    return result, write_result("readers", result)

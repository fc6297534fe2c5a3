"""Rolling-origin windows: a history that has seen a year is judged on windows whose
training has seen one too; past seasons weigh most, the quarter before the season half."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from forecast.windows import MIN_TRAIN_DAYS, calendar_weight, cv_windows

Q4 = (date(2018, 10, 1), date(2018, 12, 31))
LAST = date(2018, 9, 30)
YEARLY_DAYS = 393  # forecast.yearly_min_days: a year and four weeks


def first_day(months: int) -> date:
    """The first day of a history of `months` whole months ending on 30 September 2018."""
    year, month = divmod(10 - 1 - months, 12)
    return date(2018 + year, month + 1, 1)


def days_before(window, first: date) -> int:
    return (window.start - first).days


@pytest.mark.parametrize("months", [15, 18])
def test_a_history_with_room_for_it_trains_every_window_for_a_yearly_season(months) -> None:
    first = first_day(months)
    windows = cv_windows(first, LAST, Q4, 3)
    assert windows and windows[0].end == LAST  # the first ends at the cutoff
    assert all(days_before(w, first) >= YEARLY_DAYS for w in windows)
    assert not any(w.label.startswith("season") for w in windows)  # no past season with a
    assert all(w.weight < 1 for w in windows)  # year before it: all outside the calendar


def test_fifteen_months_leave_room_for_one_shorter_window() -> None:
    windows = cv_windows(first_day(15), LAST, Q4, 3)
    assert [(w.start, w.end, w.label) for w in windows] == [
        (LAST - timedelta(days=63), LAST, "64 days to 2018-09-30")]  # 457 - 393 days
    assert "393 days of history before it" in windows[0].why


def test_two_years_get_windows_of_the_seasons_length_side_by_side() -> None:
    eighteen = cv_windows(first_day(18), LAST, Q4, 3)
    assert [w.end for w in eighteen] == [LAST]  # the next would have 364 days before it
    two = cv_windows(first_day(24), LAST, Q4, 3)  # last year's season: 365 days before it
    assert [w.end for w in two] == [LAST, date(2018, 6, 30), date(2018, 3, 30)]
    assert [len(w.days) for w in two] == [92, 92, 92]
    assert all(a.start == b.end + timedelta(days=1) for a, b in pairwise(two))
    assert [w.weight for w in two] == [0.5, 0.337, 0.508]  # winter is nearer Q4 than spring


def test_thirteen_months_are_judged_on_windows_without_a_year_before_them() -> None:
    """Too short to test the yearly season: the windows test the rest (the forecast itself
    has a year and four weeks, so it takes the yearly season)."""
    windows = cv_windows(first_day(13), LAST, Q4, 3)
    assert [len(w.days) for w in windows] == [92, 92, 92]
    assert windows[1].end == LAST - timedelta(days=92)
    assert all(MIN_TRAIN_DAYS <= days_before(w, first_day(13)) < YEARLY_DAYS
               for w in windows)


def test_past_seasons_count_once_a_yearly_season_fits_before_them() -> None:
    """Three years from 1 October add last year's season (two had 365 days before it, too
    few for a yearly season); four years the one before."""
    three = cv_windows(first_day(36), LAST, Q4, 3)
    assert [w.label for w in three] == ["season 2017", "92 days to 2018-09-30",
                                        "92 days to 2018-06-30"]
    assert three[0].weight == 1.0 and days_before(three[0], first_day(36)) == 731  # 2016: leap
    assert [w.label for w in cv_windows(first_day(48), LAST, Q4, 3)] == ["season 2017",
                                                                         "season 2016"]


def test_a_history_under_a_year_is_judged_as_before_on_recent_windows() -> None:
    windows = cv_windows(date(2018, 1, 1), LAST, Q4, 3)
    assert [w.end for w in windows] == [LAST, LAST - timedelta(days=92)]
    assert all(days_before(w, date(2018, 1, 1)) >= 56 for w in windows)
    assert cv_windows(date(2018, 8, 1), LAST, Q4, 3) == []  # too short to backtest


def test_the_calendar_weight_falls_with_the_distance_around_the_year() -> None:
    assert calendar_weight(date(2017, 10, 1), date(2017, 12, 31), Q4) == 1.0
    assert calendar_weight(date(2018, 7, 1), date(2018, 9, 30), Q4) == 0.5
    spring = calendar_weight(date(2018, 4, 1), date(2018, 6, 30), Q4)
    assert spring == pytest.approx(1 / 3, abs=0.01)
    new_year = calendar_weight(date(2018, 1, 1), date(2018, 3, 31), Q4)  # across the year
    assert new_year == pytest.approx(0.5, abs=0.01)

"""The dealer calendar: one list of holidays for the generator and the drift monitors."""

from __future__ import annotations

import datetime as dt

from landing.calendar import catch_up_day, expected_direction, holiday, holidays
from landing.generator.seasons import build_calendar


def test_thanksgiving_and_christmas_close_the_showroom_and_black_friday_is_busy():
    assert holiday(dt.date(2025, 11, 27)).closed  # the fourth Thursday
    assert holiday(dt.date(2025, 12, 25)).closed
    assert holiday(dt.date(2025, 11, 28)).traffic > 1
    assert expected_direction(dt.date(2025, 11, 27)) == "low"
    assert expected_direction(dt.date(2025, 12, 30)) == "high"  # year-end push


def test_the_first_open_day_after_a_closure_is_a_catch_up_day():
    assert catch_up_day(dt.date(2025, 11, 28))
    assert catch_up_day(dt.date(2026, 1, 2))  # New Year's Day 2026 is a Thursday
    assert catch_up_day(dt.date(2023, 1, 2))  # closed Sunday the 1st: Monday catches up
    assert not catch_up_day(dt.date(2025, 12, 3))
    assert expected_direction(dt.date(2026, 1, 2)) == "high"


def test_federal_holidays_dealers_keep_open_may_go_either_way_and_ordinary_days_have_none():
    assert holiday(dt.date(2025, 10, 13)).name == "Columbus Day"
    assert expected_direction(dt.date(2025, 10, 13)) == "either"
    assert expected_direction(dt.date(2025, 10, 15)) is None


def test_the_generator_reads_the_same_calendar():
    calendar = build_calendar(dt.date(2025, 1, 1), 365)
    for day, special in holidays(2025).items():
        i = (day - calendar.start).days
        if special.closed:
            assert not calendar.auction_open[i], day
            assert calendar.next_open_day[i] > i, day
    thanksgiving = (dt.date(2025, 11, 27) - calendar.start).days
    assert calendar.demand[thanksgiving] == 0.0


def test_the_dbt_holiday_seed_is_the_calendar():
    from landing.holiday_seed import SEED_PATH, seed_text

    assert SEED_PATH.read_text() == seed_text(), (
        f"{SEED_PATH} differs from landing/calendar.py: run `python -m landing.holiday_seed`."
    )

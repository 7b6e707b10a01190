"""Drift checks that know the calendar: holidays pass, faults on ordinary days still fail."""

from __future__ import annotations

import datetime as dt

from expectations import drift
from landing.calendar import holiday
from landing.ingestion import load_feed
from tests.landing_files import vehicle, write_feed

END = dt.date(2025, 12, 3)  # the Wednesday after Thanksgiving
THANKSGIVING, BLACK_FRIDAY = dt.date(2025, 11, 27), dt.date(2025, 11, 28)
ORDINARY = dt.date(2025, 12, 2)  # a Tuesday


def usual_rows(day: dt.date) -> int:
    """A dealer's week: quiet Sundays, shut on closures, busy after them."""
    if holiday(day) and holiday(day).closed:
        return 0
    if day == BLACK_FRIDAY:
        return 70
    return 10 if day.weekday() == 6 else 40 + day.toordinal() * 7 % 5


def usual_price(day: dt.date, i: int) -> float:
    """Days' medians wander (a truck of pickups, a Sunday of cheap trade-ins)."""
    level = 20_000 * (1 + 0.12 * ((day.toordinal() * 37 % 11) - 5) / 5)
    return level * (0.65 if day.weekday() == 6 else 1.0) * (0.8 + 0.05 * (i % 9))


def _deliver(conn, landing, rows=usual_rows, price=usual_price, days: int = 70) -> list:
    """``days`` of vehicles up to END; the last week (Thanksgiving on) is the latest load."""
    start = END - dt.timedelta(days=days - 1)
    all_days = [start + dt.timedelta(days=i) for i in range(days)]
    number = 0
    for day in all_days:
        batch = []
        for i in range(rows(day)):
            number += 1
            batch.append(
                vehicle(
                    number,
                    acquired_date=day.isoformat(),
                    list_price=f"{price(day, i):.2f}",
                    acquisition_cost="9000.00",
                )
            )
        write_feed(landing, "vehicles", batch, day)
    load_feed(conn, "vehicles", landing, all_days[:-7])
    load_feed(conn, "vehicles", landing, all_days[-7:])
    return all_days[-7:]


def _flagged(frame) -> list:
    return frame.loc[frame["flagged"], "day"].tolist()


def test_a_closed_holidays_empty_day_and_the_busy_day_after_pass(conn, landing):
    latest = _deliver(conn, landing)
    judged = drift.volume_drift(conn, "vehicles")
    assert judged["day"].tolist() == latest and judged["judged"].all()
    assert _flagged(judged) == []
    notes = dict(zip(judged["day"], judged["calendar"], strict=True))
    assert notes[THANKSGIVING] == "Thanksgiving (closed)"
    assert notes[BLACK_FRIDAY] == "Black Friday"


def test_an_injected_volume_drop_on_an_ordinary_day_still_fails(conn, landing):
    _deliver(conn, landing, rows=lambda d: 10 if d == ORDINARY else usual_rows(d))
    assert _flagged(drift.volume_drift(conn, "vehicles")) == [ORDINARY]


def test_a_holiday_is_judged_in_the_direction_the_calendar_does_not_explain(conn, landing):
    def rows(day):
        return {THANKSGIVING: 90, BLACK_FRIDAY: 0}.get(day, usual_rows(day))

    _deliver(conn, landing, rows=rows)  # a closed day full of rows, a busy day empty
    assert _flagged(drift.volume_drift(conn, "vehicles")) == [THANKSGIVING, BLACK_FRIDAY]


def test_a_sparse_weekday_is_not_judged_and_the_check_says_why(conn, landing):
    def rows(day):  # orders come on some Tuesdays only, in lumps
        return (60 if day.toordinal() % 3 == 0 else 0) if day.weekday() == 1 else usual_rows(day)

    _deliver(conn, landing, rows=rows)
    judged = drift.volume_drift(conn, "vehicles")
    tuesdays = judged[judged["day"] == ORDINARY]
    assert not tuesdays["judged"].any() and _flagged(judged) == []
    reason = drift.not_enough_history("vehicles", "volume_drift", tuesdays)
    assert reason.startswith("intermittent deliveries")


def test_a_feed_gone_dead_is_not_mistaken_for_a_sparse_one(conn, landing):
    dead_since = END - dt.timedelta(days=20)  # header-only files for three weeks
    _deliver(conn, landing, rows=lambda d: 0 if d >= dead_since else usual_rows(d))
    judged = drift.volume_drift(conn, "vehicles")
    assert judged["judged"].all()
    assert ORDINARY in _flagged(judged) and THANKSGIVING not in _flagged(judged)


def test_medians_that_wander_from_day_to_day_do_not_cry_wolf(conn, landing):
    _deliver(conn, landing)
    judged = drift.price_drift(conn, "vehicles")
    assert judged["judged"].sum() >= 5 and _flagged(judged) == []


def test_an_injected_price_shift_on_an_ordinary_day_still_fails(conn, landing):
    def price(day, i):
        return usual_price(day, i) * (1.6 if day == ORDINARY else 1.0)

    _deliver(conn, landing, price=price)
    assert _flagged(drift.price_drift(conn, "vehicles")) == [ORDINARY]

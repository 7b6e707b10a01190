"""The US dealer calendar: federal holidays, showroom closures and holiday sales events.

One source of truth for two readers: the demo generator (how busy each special day is) and the
drift monitors (which days not to compare with an ordinary day). No Dagster, no I/O.

Every entry has a ``traffic`` multiplier on an ordinary day of the same weekday and month:
below 1 a quiet day (``CLOSED_BELOW`` and less: the showroom is shut), above 1 a sales event,
exactly 1 a federal holiday dealers keep open as usual in the demo, though real exports may
dip or jump on it. Year-end (26 to 31 December, manufacturers' targets) counts as a sales event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

CLOSED_BELOW = 0.4  # a day this quiet shuts auctions, service lanes and deliveries
YEAR_END = 1.45


@dataclass(frozen=True)
class Holiday:
    """A special day: its name and the showroom traffic against an ordinary day."""

    name: str
    traffic: float

    @property
    def closed(self) -> bool:
        return self.traffic < CLOSED_BELOW


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month; n = -1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


@lru_cache(maxsize=64)
def holidays(year: int) -> MappingProxyType[dt.date, Holiday]:
    """One year's special days (federal holidays on their calendar date, not the observed one)."""
    memorial = _nth_weekday(year, 5, 0, -1)
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    days = {
        dt.date(year, 1, 1): Holiday("New Year's Day", 0.05),  # bar a few online deals
        _nth_weekday(year, 1, 0, 3): Holiday("Martin Luther King Jr. Day", 1.0),
        _nth_weekday(year, 2, 0, 3): Holiday("Presidents' Day sales", 1.25),
        memorial - dt.timedelta(days=2): Holiday("Memorial Day weekend", 1.15),
        memorial: Holiday("Memorial Day sales", 1.35),
        dt.date(year, 6, 19): Holiday("Juneteenth", 1.0),
        dt.date(year, 7, 4): Holiday("Independence Day", 0.35),
        _nth_weekday(year, 9, 0, 1): Holiday("Labor Day sales", 1.30),
        _nth_weekday(year, 10, 0, 2): Holiday("Columbus Day", 1.0),
        dt.date(year, 11, 11): Holiday("Veterans Day", 1.0),
        thanksgiving: Holiday("Thanksgiving", 0.0),
        thanksgiving + dt.timedelta(days=1): Holiday("Black Friday", 1.30),
        dt.date(year, 12, 24): Holiday("Christmas Eve", 0.50),
        dt.date(year, 12, 25): Holiday("Christmas Day", 0.0),
    }
    for day in range(26, 32):
        days[dt.date(year, 12, day)] = Holiday("year-end sales", YEAR_END)
    return MappingProxyType(days)  # cached: read-only for every caller


def holiday(day: dt.date) -> Holiday | None:
    """The special day on this date, if any."""
    return holidays(day.year).get(day)


def is_open(day: dt.date) -> bool:
    """Service lanes and deliveries run Monday to Saturday, except on closures."""
    found = holiday(day)
    return day.weekday() < 6 and not (found and found.closed)


def catch_up_day(day: dt.date) -> bool:
    """The first open day after a closure, when deferred deliveries and service land."""
    if not is_open(day):
        return False
    before = day - dt.timedelta(days=1)
    closure = False
    while not is_open(before):
        found = holiday(before)
        closure = closure or bool(found and found.closed)
        before -= dt.timedelta(days=1)
    return closure


def expected_direction(day: dt.date) -> str | None:
    """How the calendar explains a day's volume: 'low', 'high', 'either', or None (ordinary).

    Closures and quiet holidays explain a low count, sales events and catch-up days a high
    one; a federal holiday with no known dealer pattern may go either way."""
    found = holiday(day)
    if found is None:
        return "high" if catch_up_day(day) else None
    if found.traffic < 1:
        return "low"
    return "high" if found.traffic > 1 else "either"


def special_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The calendar's special days between two dates: never part of an ordinary day's norm."""
    span = (last - first).days + 1
    days = (first + dt.timedelta(days=i) for i in range(max(span, 0)))
    return [d for d in days if expected_direction(d) is not None]


def calendar_note(day: dt.date) -> str:
    """What the calendar says of a day, for the people reading the flagged rows."""
    found = holiday(day)
    if found:
        return found.name + (" (closed)" if found.closed else "")
    return "catch-up after a closure" if catch_up_day(day) else ""

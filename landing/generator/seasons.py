"""The dealer calendar: how busy each day is, and which days auctions and service lanes open.

US retail car sales peak in spring (tax refunds, March to May), sag in winter, jump in the last
days of December (manufacturers' year-end targets) and on holiday sales weekends. Saturday is
the big day and Sunday is quiet. Showrooms close on Thanksgiving and Christmas Day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

_WEEKDAY = np.array([0.92, 0.85, 0.85, 0.92, 1.08, 1.65, 0.55])  # Monday first
WEEKDAY = _WEEKDAY / _WEEKDAY.mean()
MONTH = np.array([0.80, 0.88, 1.12, 1.18, 1.14, 1.02, 1.00, 1.03, 0.96, 0.95, 0.90, 1.00])
GROWTH_PER_YEAR = 0.04
CLOSED = 0.0
LOOKAHEAD = 45  # days past the run the calendar covers: buyers' outlook, rolls to open days


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month; n = -1 is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holidays(year: int) -> dict[dt.date, float]:
    """Showroom traffic multipliers of one year's US holidays and holiday sales events."""
    memorial = _nth_weekday(year, 5, 0, -1)
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    factors = {
        dt.date(year, 1, 1): 0.05,  # closed, bar a few online deals delivered
        _nth_weekday(year, 2, 0, 3): 1.25,  # Presidents' Day sales
        memorial - dt.timedelta(days=2): 1.15,
        memorial: 1.35,
        dt.date(year, 7, 4): 0.35,
        _nth_weekday(year, 9, 0, 1): 1.30,  # Labor Day
        thanksgiving: CLOSED,
        thanksgiving + dt.timedelta(days=1): 1.30,  # Black Friday
        dt.date(year, 12, 24): 0.50,
        dt.date(year, 12, 25): CLOSED,
    }
    for day in range(26, 32):
        factors[dt.date(year, 12, day)] = 1.45  # the year-end push
    return factors


def _season(day: dt.date) -> float:
    """Monthly level, interpolated between mid-months so demand has no step on the 1st."""
    length = 366 if day.year % 4 == 0 and (day.year % 100 or day.year % 400 == 0) else 365
    pos = (day.timetuple().tm_yday - 0.5) / length * 12 - 0.5
    low = int(np.floor(pos))
    frac = pos - low
    return float(MONTH[low % 12] * (1 - frac) + MONTH[(low + 1) % 12] * frac)


@dataclass(frozen=True)
class Calendar:
    """Per-day factors of a run; index 0 is the start day."""

    start: dt.date
    days: int
    demand: np.ndarray  # showroom traffic relative to an average day of the first year (+LOOKAHEAD)
    auction_open: np.ndarray  # dealers buy stock on weekdays that are not holidays
    next_open_day: np.ndarray  # first day on or after i that service and deliveries run

    def date(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=i)


def build_calendar(start: dt.date, days: int) -> Calendar:
    """The calendar of a run of `days` days from `start`."""
    span = days + LOOKAHEAD
    dates = [start + dt.timedelta(days=i) for i in range(span)]
    special: dict[dt.date, float] = {}
    for year in range(start.year, dates[-1].year + 1):
        special.update(holidays(year))
    demand = np.array(
        [
            WEEKDAY[d.weekday()]
            * _season(d)
            * special.get(d, 1.0)
            * (1 + GROWTH_PER_YEAR) ** (i / 365.25)
            for i, d in enumerate(dates)
        ]
    )
    shut = {d for d, f in special.items() if f < 0.4}
    auction_open = np.array([d.weekday() < 5 and d not in shut for d in dates])
    open_days = np.array([d.weekday() < 6 and d not in shut for d in dates])
    next_open = np.full(span, span - 1)
    following = span - 1
    for i in range(span - 1, -1, -1):
        if open_days[i]:
            following = i
        next_open[i] = following
    return Calendar(start, days, demand, auction_open[:days], next_open)


def outlook(calendar: Calendar, day: int) -> float:
    """Average traffic of the coming month, which buyers know from past years and plan for."""
    return float(calendar.demand[day + 7 : day + 37].mean())

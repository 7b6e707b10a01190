"""The dealer calendar: how busy each day is, and which days auctions and service lanes open.

US retail car sales peak in spring (tax refunds, March to May), sag in winter, jump in the last
days of December (manufacturers' year-end targets) and on holiday sales weekends. Saturday is
the big day and Sunday is quiet. Showrooms close on Thanksgiving and Christmas Day: the
holidays and their traffic live in ``landing.calendar``, which the drift monitors read too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from landing.calendar import CLOSED_BELOW, holidays

_WEEKDAY = np.array([0.92, 0.85, 0.85, 0.92, 1.08, 1.65, 0.55])  # Monday first
WEEKDAY = _WEEKDAY / _WEEKDAY.mean()
MONTH = np.array([0.80, 0.88, 1.12, 1.18, 1.14, 1.02, 1.00, 1.03, 0.96, 0.95, 0.90, 1.00])
GROWTH_PER_YEAR = 0.04
LOOKAHEAD = 45  # days past the run the calendar covers: buyers' outlook, rolls to open days


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
    special = {  # federal holidays the demo's dealers keep as ordinary days leave no trace
        day: holiday.traffic
        for year in range(start.year, dates[-1].year + 1)
        for day, holiday in holidays(year).items()
        if holiday.traffic != 1.0
    }
    demand = np.array(
        [
            WEEKDAY[d.weekday()]
            * _season(d)
            * special.get(d, 1.0)
            * (1 + GROWTH_PER_YEAR) ** (i / 365.25)
            for i, d in enumerate(dates)
        ]
    )
    shut = {d for d, f in special.items() if f < CLOSED_BELOW}
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

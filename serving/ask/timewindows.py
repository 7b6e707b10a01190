"""Time phrases, read relative to the data's last day (never the wall clock).

"last month" is the calendar month before the one the data ends in, "last quarter" likewise,
"year to date" runs from 1 January of the last day's year to the last day, a bare "march" or
"q3" is the most recent one that has started by the last day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
UNITS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 1,
    "months": 1,
    "year": 12,
    "years": 12,
    "quarter": 3,
    "quarters": 3,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    label: str

    def describe(self) -> str:
        dates = f"{self.start} to {self.end}"
        return dates if self.label == dates else f"{self.label}: {dates}"


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _quarter(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    return _month(year, 3 * quarter - 2)[0], _month(year, 3 * quarter)[1]


def _minus_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _month(year, month + 1)[1].day))


def _number(token: str) -> int | None:
    if token.isdigit() and len(token) <= 3:
        return int(token)
    return NUMBER_WORDS.get(token)


def _year(token: str | None) -> int | None:
    return int(token) if token and token.isdigit() and 1990 <= int(token) <= 2100 else None


def _point(tokens: list[str], i: int, last: dt.date) -> tuple[Window, int] | None:
    """A single period starting at tokens[i]: a date, a month, a quarter or a year."""
    token, following = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
    if ISO_DATE.match(token):
        day = dt.date.fromisoformat(token)
        return Window(day, day, token), 1
    if ISO_MONTH.match(token) and 1 <= int(token[5:]) <= 12:
        return Window(*_month(int(token[:4]), int(token[5:])), token), 1
    if token in MONTHS:
        month, year = MONTHS[token], _year(following)
        if year is None:
            year = last.year if dt.date(last.year, month, 1) <= last else last.year - 1
        start, end = _month(year, month)
        return Window(start, end, start.strftime("%B %Y")), 2 if _year(following) else 1
    if re.fullmatch(r"q[1-4]", token):
        quarter, year = int(token[1]), _year(following)
        if year is None:
            year = last.year if _quarter(last.year, quarter)[0] <= last else last.year - 1
        return Window(*_quarter(year, quarter), f"Q{quarter} {year}"), 2 if _year(following) else 1
    if _year(token) and not (following and following in UNITS):
        year = int(token)
        return Window(dt.date(year, 1, 1), dt.date(year, 12, 31), token), 1
    return None


def _relative(tokens: list[str], i: int, first: dt.date, last: dt.date):
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    third = tokens[i + 2] if i + 2 < len(tokens) else ""
    if token in ("last", "past", "previous", "trailing") and _number(nxt) and third in UNITS:
        n = _number(nxt)
        if third.startswith("day") or third.startswith("week"):
            start = last - dt.timedelta(days=n * UNITS[third] - 1)
        else:
            start = _minus_months(last, n * UNITS[third]) + dt.timedelta(days=1)
        return Window(start, last, f"last {n} {third}"), 3
    periods = ("week", "month", "quarter", "year")
    if token in ("last", "previous", "past", "prior") and nxt in periods:
        return _previous(nxt, last), 2
    if token in ("this", "current") and nxt in periods:
        return _to_date(nxt, last, f"this {nxt}"), 2
    if nxt == "to" and third == "date" and token in ("week", "month", "quarter", "year"):
        return _to_date(token, last, f"{token} to date"), 3
    short = {
        "ytd": "year",
        "qtd": "quarter",
        "mtd": "month",
        "wtd": "week",
        "year-to-date": "year",
        "month-to-date": "month",
        "quarter-to-date": "quarter",
    }
    if token in short:
        return _to_date(short[token], last, f"{short[token]} to date"), 1
    if token in ("today", "yesterday"):
        day = last - dt.timedelta(days=token == "yesterday")
        return Window(day, day, token), 1
    if token in ("ever", "overall") or (token == "all" and nxt == "time"):
        return Window(first, last, "all data"), 2 if nxt == "time" else 1
    return None


def _to_date(unit: str, last: dt.date, label: str) -> Window:
    if unit == "week":
        start = last - dt.timedelta(days=last.weekday())
    elif unit == "month":
        start = last.replace(day=1)
    elif unit == "quarter":
        start = _quarter(last.year, (last.month - 1) // 3 + 1)[0]
    else:
        start = dt.date(last.year, 1, 1)
    return Window(start, last, label)


def _previous(unit: str, last: dt.date) -> Window:
    if unit == "week":
        end = last - dt.timedelta(days=last.weekday() + 1)
        return Window(end - dt.timedelta(days=6), end, "last week")
    if unit == "month":
        start = _minus_months(last.replace(day=1), 1)
        return Window(*_month(start.year, start.month), "last month")
    if unit == "quarter":
        this_quarter = (last.month - 1) // 3 + 1
        year, quarter = (last.year, this_quarter - 1) if this_quarter > 1 else (last.year - 1, 4)
        return Window(*_quarter(year, quarter), "last quarter")
    return Window(dt.date(last.year - 1, 1, 1), dt.date(last.year - 1, 12, 31), "last year")


def find_windows(tokens: list[str], first: dt.date, last: dt.date):
    """Every time phrase in the tokens: a list of (first index, token count, Window)."""
    found, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("between", "from") or (token == "since" and i + 1 < len(tokens)):
            start = _point(tokens, i + 1, last) if i + 1 < len(tokens) else None
            if start and token == "since":
                window = Window(start[0].start, last, f"since {start[0].label}")
                found.append((i, 1 + start[1], window))
                i += 1 + start[1]
                continue
            j = i + 1 + start[1] if start else 0
            if start and j + 1 < len(tokens) and tokens[j] in ("and", "to", "until", "through"):
                end = _point(tokens, j + 1, last)
                if end:
                    label = f"{start[0].label} to {end[0].label}"
                    found.append((i, j + 1 + end[1] - i, Window(start[0].start, end[0].end, label)))
                    i = j + 1 + end[1]
                    continue
        match = _relative(tokens, i, first, last) or _point(tokens, i, last)
        if match:
            found.append((i, match[1], match[0]))
            i += match[1]
        else:
            i += 1
    return found

"""Is the home too young for a suite? A home's first days cannot hold what some suites expect.

A suite's ``meta.needs_history`` names what it needs before an empty scope means a defect:

- ``"complete_week"``: a Monday-to-Sunday week inside the data (``marts.demand_weekly`` keeps
  only complete weeks, so a home of 5 days has no row there, rightly);
- ``"weekly_drop"``: a Monday inside the data (weekly feeds, such as the market listings, drop
  on Mondays, so a home started on a Tuesday has no scrape until the next Monday).

The data's span is the first and last day of any dated feed loaded (``raw.load_log``), the same
days ``int_data_dates`` reads. Only an empty scope is forgiven: rows that break the suite fail it
however young the home, and a home old enough to hold the rows fails on their absence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

NEEDS = ("complete_week", "weekly_drop")


def data_span(conn: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """First and last day of any dated delivery loaded, or None if nothing was loaded."""
    import duckdb

    try:
        first, last = conn.execute(
            "select min(partition_date), max(partition_date) from raw.load_log "
            "where partition_date is not null and coalesce(status, 'loaded') <> 'skipped'"
        ).fetchone()
    except duckdb.CatalogException:  # no load yet: nothing to call young
        return None
    return (first, last) if first is not None else None


def first_monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


def too_young(needs: str, first: dt.date, last: dt.date) -> str | None:
    """Why a home whose data covers first..last cannot yet hold what ``needs`` names, or None."""
    if needs not in NEEDS:
        raise ValueError(f"meta.needs_history {needs!r} is not one of {NEEDS}")
    monday = first_monday_on_or_after(first)
    span = f"the data covers {first}..{last} ({(last - first).days + 1} days)"
    if needs == "complete_week" and monday + dt.timedelta(days=6) > last:
        return (
            f"not enough history yet: only complete Monday-to-Sunday weeks count, and {span}; "
            f"the first complete week ends on {monday + dt.timedelta(days=6)}"
        )
    if needs == "weekly_drop" and monday > last:
        return (
            f"not enough history yet: this feed drops weekly on Mondays, and {span} without a "
            f"Monday; the first drop is due on {monday}"
        )
    return None


def young_home_reason(conn: duckdb.DuckDBPyConnection, spec: dict) -> str | None:
    """The reason an empty scope of this suite is no defect yet, or None (see the module)."""
    needs = spec["meta"].get("needs_history")
    span = data_span(conn) if needs else None
    return too_young(needs, *span) if span else None

"""Has each feed's expected drop arrived and been loaded?

The reference day (``as_of``) is the latest complete day the data should cover:

1. ``FORECOURT_TODAY`` (an injected "today", for tests and replays of old data): the day before;
2. else the last partition day of the run (the schedule runs yesterday's partition; a CLI or
   sensor run its range's last day);
3. else yesterday by the clock (a check executed on its own).

The feed's due day is the latest day up to ``as_of`` on which the contract promises a file
(every day for daily feeds, the Monday for weekly ones). The check passes when ``raw.load_log``
holds a load of that day (a header-only file counts: nothing happened is a delivery), or when
that day comes before the home's first data day: a home started on a Tuesday owes no scrape for
the Monday before it (``not_due_yet``), and says when the first one is due.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from expectations.history import data_span, first_monday_on_or_after
from landing.contract import FEEDS
from landing.home import FIRST_DAY
from landing.ingestion.files import LandingFileError
from landing.ingestion.inventory import delivered_file, landing_inventory

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

TODAY_ENV = "FORECOURT_TODAY"
PARTITION_TAGS = ("dagster/asset_partition_range_end", "dagster/partition")


def today() -> dt.date:
    """The injected "today" if there is one, else the clock's."""
    injected = os.environ.get(TODAY_ENV)
    return dt.date.fromisoformat(injected) if injected else dt.date.today()


def resolve_as_of(run_tags: Mapping[str, str]) -> tuple[dt.date, str]:
    """The day the data should reach, and why that day (see the module docstring)."""
    if os.environ.get(TODAY_ENV):
        return today() - dt.timedelta(days=1), f"{TODAY_ENV}={os.environ[TODAY_ENV]}"
    for tag in PARTITION_TAGS:
        if run_tags.get(tag):
            return dt.date.fromisoformat(run_tags[tag][:10]), f"last day of the run ({tag})"
    return today() - dt.timedelta(days=1), "yesterday"


def due_day(feed: str, as_of: dt.date) -> dt.date:
    if FEEDS[feed].cadence == "weekly":
        return as_of - dt.timedelta(days=as_of.weekday())
    return as_of


@dataclass
class Freshness:
    feed: str
    as_of: dt.date
    reason: str
    due: dt.date
    loaded: bool
    landed: bool
    last_loaded_day: dt.date | None
    landing_warnings: list[str] = field(default_factory=list)
    first_data_day: dt.date | None = None  # of any dated feed: the home's first day

    @property
    def not_due_yet(self) -> bool:
        return not self.loaded and bool(self.first_data_day and self.due < self.first_data_day)

    @property
    def days_behind(self) -> int | None:
        """Days between the due day and the last loaded one (None if nothing was ever loaded)."""
        if self.last_loaded_day is None:
            return None
        return max((self.due - self.last_loaded_day).days, 0)

    def description(self) -> str:
        if self.loaded:
            return f"{self.feed}: the drop for {self.due} is loaded (as of {self.as_of})."
        if self.not_due_yet:
            first_due = self.first_data_day
            if FEEDS[self.feed].cadence == "weekly":
                first_due = first_monday_on_or_after(first_due)
            return (
                f"{self.feed}: no drop due yet: the last due day ({self.due}, as of "
                f"{self.as_of}) comes before the home's first data day {self.first_data_day}; "
                f"the first is due on {first_due}."
            )
        state = "landed but not loaded yet" if self.landed else "not delivered"
        last = f"last loaded day {self.last_loaded_day}" if self.last_loaded_day else "never loaded"
        return (
            f"{self.feed}: the file for {self.due} (due, as of {self.as_of}: {self.reason}) is "
            f"{state}; {last}. Deliver landing/{self.feed}/{self.due}.csv and load it."
        )


def freshness(
    conn: duckdb.DuckDBPyConnection, landing: Path, feed: str, as_of: dt.date, reason: str = ""
) -> Freshness:
    due = due_day(feed, as_of)
    loaded, last = conn.execute(
        # A file a backfill skipped (status 'skipped') was not loaded.
        "select count(*) filter (where partition_date = ?) > 0, max(partition_date) "
        "from raw.load_log where feed = ? and coalesce(status, 'loaded') <> 'skipped'",
        [due, feed],
    ).fetchone()
    try:
        landed = delivered_file(landing, feed, due).exists()
    except LandingFileError:  # two deliveries for the day: landed, but the load refuses it
        landed = True
    last_partition = today() - dt.timedelta(days=1)
    inventory = landing_inventory(landing, feed, dt.date.fromisoformat(FIRST_DAY), last_partition)
    return Freshness(
        feed=feed,
        as_of=as_of,
        reason=reason,
        due=due,
        loaded=bool(loaded),
        landed=landed,
        last_loaded_day=last,
        landing_warnings=inventory.warnings(),
        first_data_day=(data_span(conn) or (None,))[0],
    )

"""Writing imported rows as landing-zone files in the contract, like any DMS drop.

Daily feeds get one file per day from the first to the last day of the export (header-only on
days without rows), the weekly feed a header-only file on Mondays when the source has none,
and reference feeds one file. A file whose content would not change is left alone, and files
a previous import of the same source wrote but this one does not are removed, so importing
twice is a no-op and a shorter re-export leaves no stale days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from landing.contract import DAILY_FEEDS, FEEDS, REFERENCE_FEEDS, landing_file
from landing.importers.cleaning import ExportError
from landing.importers.report import read_report
from landing.importers.sources import SOURCE_TABLES

FILE_DAY = "_file_day"  # the day a row is delivered, when its business date is unknown


@dataclass
class FeedRows:
    """Rows for the contract's feeds: dicts keyed by column name (missing key = empty)."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, feed: str, row: dict) -> None:
        if feed not in FEEDS:
            raise KeyError(f"{feed!r} is not a feed of the contract")
        self.rows[feed].append(row)

    def count(self, feed: str) -> int:
        return len(self.rows.get(feed, []))


def _day_of(feed: str, row: dict) -> dt.date:
    business_date = FEEDS[feed].business_date
    value = row.get(FILE_DAY) or row.get(business_date)
    if not value:
        raise ValueError(f"a {feed} row has neither {business_date} nor {FILE_DAY}: {row}")
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _render(feed: str, rows: list[dict]) -> bytes:
    columns = FEEDS[feed].column_names
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(path)
    return True


def check_landing_is_ours(landing: Path, source: str, replace: bool) -> None:
    """Refuse to mix two sources in one landing zone unless asked to replace it."""
    feed_files = [p for f in [*FEEDS, *SOURCE_TABLES] for p in (landing / f).glob("*.csv*")]
    if not feed_files:
        return
    previous = (read_report(landing) or {}).get("source")
    if previous == source:
        return
    if not replace:
        what = f"an import of {previous}" if previous else "other data (e.g. generated demo data)"
        raise ExportError(
            f"{landing} already holds {what}. Import into a separate FORECOURT_HOME "
            f"(e.g. FORECOURT_HOME=data/{source}), or pass --replace to delete its landing files."
        )
    for folder in [*FEEDS, *SOURCE_TABLES]:
        shutil.rmtree(landing / folder, ignore_errors=True)


def write_feeds(landing: Path, feeds: FeedRows) -> tuple[int, int, dt.date, dt.date]:
    """Write every feed's files; returns (written, unchanged, first day, last day)."""
    by_day: dict[str, dict[dt.date, list[dict]]] = {}
    all_days = []
    for feed in DAILY_FEEDS:
        grouped: dict[dt.date, list[dict]] = defaultdict(list)
        for row in feeds.rows.get(feed, []):
            grouped[_day_of(feed, row)].append(row)
        by_day[feed] = grouped
        all_days += list(grouped)
    if not all_days:
        raise ExportError("the export has no dated rows (no sales or orders): nothing to land.")
    first, last = min(all_days), max(all_days)
    written = unchanged = 0
    expected: set[Path] = set()
    for feed in REFERENCE_FEEDS:
        path = landing_file(landing, feed)
        expected.add(path)
        changed = _write_if_changed(path, _render(feed, feeds.rows.get(feed, [])))
        written, unchanged = written + changed, unchanged + (not changed)
    for feed in DAILY_FEEDS:
        for offset in range((last - first).days + 1):
            day = first + dt.timedelta(days=offset)
            rows = by_day[feed].get(day, [])
            if not rows and not FEEDS[feed].file_due(day):
                continue
            path = landing_file(landing, feed, day)
            expected.add(path)
            changed = _write_if_changed(path, _render(feed, rows))
            written, unchanged = written + changed, unchanged + (not changed)
    for feed in FEEDS:
        for stale in (landing / feed).glob("*.csv*"):
            if stale not in expected:
                stale.unlink()
    return written, unchanged, first, last


def write_table(path: Path, columns: list[str], rows: list[list[str | None]]) -> bool:
    """A cleaned source table as UTF-8 CSV (empty field = NULL); True if the file changed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return _write_if_changed(path, buffer.getvalue().encode("utf-8"))

"""What lies in a feed's landing folder: files for days in range, out of range, misnamed.

Dated feeds land as ``<feed>/<YYYY-MM-DD>.csv`` or ``.csv.gz``. A file whose day is outside the
partitions (before FORECOURT_FIRST_DAY, or today and later) is ignored with a warning; a file
whose name is not a date is reported and never loaded; a day delivered both plain and gzipped
is refused, since which one is meant cannot be told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from landing.contract import FEEDS, landing_file
from landing.ingestion.files import LandingFileError

SUFFIXES = (".csv", ".csv.gz")


def delivered_file(landing: Path, feed: str, day: dt.date | None = None) -> Path:
    """The file delivered for the feed and day: ``.csv`` or ``.csv.gz`` (the plain path if none)."""
    plain = landing_file(landing, feed, day)
    gzipped = plain.with_name(plain.name + ".gz")
    if plain.exists() and gzipped.exists():
        raise LandingFileError(
            f"{plain} and {gzipped.name}: two deliveries for the same "
            f"{'day' if day else 'feed'}. Keep the one that is meant and remove the other.",
            plain,
        )
    return gzipped if gzipped.exists() else plain


def file_day(path: Path) -> dt.date | None:
    """The day a landing file's name says, or None if the name is not ``YYYY-MM-DD.csv[.gz]``."""
    name = path.name
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            try:
                return dt.date.fromisoformat(name.removesuffix(suffix))
            except ValueError:
                return None
    return None


@dataclass
class LandingInventory:
    feed: str
    days: dict[dt.date, Path] = field(default_factory=dict)
    out_of_range: list[Path] = field(default_factory=list)
    misnamed: list[Path] = field(default_factory=list)

    def warnings(self) -> list[str]:
        notes = []
        if self.out_of_range:
            shown = ", ".join(p.name for p in self.out_of_range[:10])
            notes.append(
                f"ignored {len(self.out_of_range)} file(s) for days outside the partitions: {shown}"
            )
        if self.misnamed:
            shown = ", ".join(p.name for p in self.misnamed[:10])
            notes.append(
                f"{len(self.misnamed)} file(s) whose name is not YYYY-MM-DD.csv[.gz], "
                f"never loaded: {shown}"
            )
        return notes


def landing_inventory(
    landing: Path, feed: str, first_day: dt.date, last_day: dt.date
) -> LandingInventory:
    """Sort a dated feed's landing files into in-range days, out-of-range days and misnamed."""
    inventory = LandingInventory(feed)
    folder = Path(landing) / feed
    if FEEDS[feed].cadence == "reference" or not folder.is_dir():
        return inventory
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name.startswith("."):
            continue
        day = file_day(path)
        if day is None:
            inventory.misnamed.append(path)
        elif first_day <= day <= last_day:
            inventory.days[day] = path
        else:
            inventory.out_of_range.append(path)
    return inventory

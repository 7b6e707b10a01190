"""What a load does with a file it cannot load: ``on_error``, as a warehouse's COPY ON_ERROR.

- ``abort``: the load fails naming the file(s) and writes nothing. The default for a load of
  one day (a daily run): the operator sees the failed run at once.
- ``skip_file``: the broken files are left out, every other day loads. The default for a load
  of several days (a backfill), so one bad day never blocks the good ones. The skipped day
  keeps what it held before (nothing, on a first load); the file is logged in
  ``raw.load_log`` (status ``skipped``, the error) and ``raw.rejects`` (file, line, column,
  reason), and the feed's ``skipped_files_<feed>`` check fails naming it until a good
  delivery of that day is loaded.

A due file that is missing is not a broken file: it aborts a load under either policy, since
the run was asked to load a day that has no data yet (deliver it, or leave the day out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

OnError = Literal["skip_file", "abort"]
ON_ERROR_CHOICES: tuple[str, ...] = ("skip_file", "abort")
SKIPPED = "file skipped: "  # how a skipped file's reject reason starts


@dataclass(frozen=True)
class SkippedFile:
    """A file a ``skip_file`` load left out, and why."""

    path: str
    day: dt.date | None
    reason: str
    line: int | None = None
    column: str | None = None


def resolve_on_error(on_error: str | None, days: list[dt.date] | None) -> str:
    """The policy a load uses: the one asked for, else ``skip_file`` for several days."""
    if on_error is None:
        return "skip_file" if days and len(set(days)) > 1 else "abort"
    if on_error not in ON_ERROR_CHOICES:
        raise ValueError(f"on_error {on_error!r}: use one of {', '.join(ON_ERROR_CHOICES)}")
    return on_error


def record_skipped(conn, feed: str, load_id: str, skipped: list[SkippedFile]) -> None:
    """Log each skipped file in ``raw.load_log`` and ``raw.rejects`` (within the caller's
    transaction), replacing what an earlier load logged for the same file's skip."""
    if not skipped:
        return
    paths = [s.path for s in skipped]
    conn.execute(
        "delete from raw.rejects where feed = ? and starts_with(reason, ?) "
        "and list_contains(?, source_file)",
        [feed, SKIPPED, paths],
    )
    for s in skipped:
        conn.execute(
            "insert into raw.rejects values (?, ?, ?, ?, ?, ?, null, ?, null, current_timestamp)",
            [load_id, feed, s.day, s.path, s.line, s.column, SKIPPED + s.reason],
        )
        conn.execute(
            """
            insert into raw.load_log (load_id, feed, partition_date, source_file, rows_read,
                                      rows_loaded, rows_rejected, rows_replaced, loaded_at,
                                      status, error)
            values (?, ?, ?, ?, 0, 0, 0, 0, current_timestamp, 'skipped', ?)
            """,
            [load_id, feed, s.day, s.path, s.reason],
        )


def still_skipped_sql(max_days: int = 90) -> str:
    """SQL (one parameter: the feed) for the files whose day's latest load skipped them: day,
    file, error and load, over the feed's last ``max_days`` logged days."""
    return f"""
        select partition_date as day, source_file, error, load_id from raw.load_log
        where feed = $1 and (partition_date is null or partition_date >
              (select max(partition_date) from raw.load_log where feed = $1) - {int(max_days)})
        qualify loaded_at = max(loaded_at) over (partition by partition_date)
            and status = 'skipped'
        order by 1, 2
    """

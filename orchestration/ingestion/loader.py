"""Load a feed's landing files for some days into ``raw.<feed>``: all or nothing per call.

A call stages every file with DuckDB's CSV reader (all text), checks every row against the
contract in one SQL pass, then, in a single transaction, replaces those days' rows with the good
ones and those days' rejects with the bad ones. So a re-run never duplicates, other days are
untouched, and rows read = rows loaded + rows rejected for every file.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.contract import FEEDS, landing_file
from orchestration.ingestion import validation
from orchestration.ingestion.files import LandingFile, LandingFileError, inspect_file
from orchestration.ingestion.schema import ensure_raw_schema


@dataclass
class LoadReport:
    """What one load did, per feed: the numbers that go into the asset's metadata."""

    feed: str
    load_id: str
    files: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_replaced: int = 0
    days_without_file: list[dt.date] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected


def _collect_files(
    feed_name: str, landing_dir: Path, days: list[dt.date] | None
) -> tuple[list[tuple[LandingFile, dt.date | None]], list[dt.date]]:
    feed = FEEDS[feed_name]
    if feed.cadence == "reference":
        return [(inspect_file(landing_file(landing_dir, feed_name), feed), None)], []
    found, not_due, problems = [], [], []
    for day in days or []:
        path = landing_file(landing_dir, feed_name, day)
        if not path.exists() and path.with_suffix(".csv.gz").exists():
            path = path.with_suffix(".csv.gz")
        if not path.exists() and not feed.file_due(day):
            not_due.append(day)
            continue
        try:
            found.append((inspect_file(path, feed), day))
        except LandingFileError as exc:
            problems.append(str(exc))
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise LandingFileError(
            f"{len(problems)} '{feed_name}' file(s) cannot be loaded; nothing was written:\n  "
            f"{shown}{more}"
        )
    return found, not_due


def _stage(conn: duckdb.DuckDBPyConnection, feed_name: str, files) -> None:
    feed = FEEDS[feed_name]
    conn.execute(
        "create or replace temp table _files (path varchar, partition_date date, checksum varchar)"
    )
    conn.executemany(
        "insert into _files values (?, ?, ?)",
        [(str(f.path), day, f.checksum_sha256) for f, day in files],
    )
    columns = ", ".join(validation.quote_ident(c) for c in feed.column_names)
    record = ", ".join(
        f"{validation.quote_text(c)}: {validation.quote_ident(c)}" for c in feed.column_names
    )
    paths = "[" + ", ".join(validation.quote_text(str(f.path)) for f, _ in files) + "]"
    # A global row_number() over the scan keeps file order (partitioned windows do not), so a
    # row's line is its offset from the first row of its file, plus one for the header.
    conn.execute(
        f"""
        create or replace temp table _stage as
        select filename as _source_file,
               _rn - min(_rn) over (partition by filename) + 2 as _source_line,
               {columns},
               to_json({{{record}}}) as _raw_record
        from (
            select *, row_number() over () as _rn
            from read_csv({paths}, all_varchar = true, header = true, filename = true,
                          union_by_name = true, delim = ',', quote = '"', escape = '"')
        )
        """
    )


def load_feed(
    conn: duckdb.DuckDBPyConnection,
    feed_name: str,
    landing_dir: Path,
    days: list[dt.date] | None = None,
) -> LoadReport:
    """Replace ``days`` of ``raw.<feed>`` (all of it for a reference feed) from landing files."""
    started = time.perf_counter()
    feed = FEEDS[feed_name]
    report = LoadReport(feed=feed_name, load_id=uuid.uuid4().hex[:12])
    files, report.days_without_file = _collect_files(feed_name, Path(landing_dir), days)
    ensure_raw_schema(conn)
    day_list = sorted({d for d in (days or [])})
    days_sql = ", ".join(f"date '{d.isoformat()}'" for d in day_list) or "null"
    if feed.cadence == "reference":
        scope, reject_scope, other_days = "true", f"feed = '{feed_name}'", "false"
    else:
        scope = f"_partition_date in ({days_sql})"
        reject_scope = f"feed = '{feed_name}' and partition_date in ({days_sql})"
        other_days = f"r._partition_date not in ({days_sql})"

    if files:
        _stage(conn, feed_name, files)
        conn.execute(
            "create or replace temp table _checked as "
            + validation.checked_rows_sql(feed, other_days)
        )
        conn.execute("create or replace temp table _errors as " + validation.errors_sql(feed_name))
    typed_columns = ", ".join(
        f"{validation.typed(c)} as {validation.quote_ident(c.name)}" for c in feed.columns
    )
    conn.execute("begin transaction")
    try:
        replaced_by_day = dict(
            conn.execute(
                f"select _partition_date, count(*) from raw.{feed_name} where {scope} group by 1"
            ).fetchall()
        )
        report.rows_replaced = sum(replaced_by_day.values())
        conn.execute(f"delete from raw.{feed_name} where {scope}")
        conn.execute(f"delete from raw.rejects where {reject_scope}")
        if files:
            _write_rows(conn, feed_name, typed_columns, report, replaced_by_day)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    report.files = len(files)
    report.seconds = time.perf_counter() - started
    return report


def _write_rows(
    conn: duckdb.DuckDBPyConnection,
    feed_name: str,
    typed_columns: str,
    report: LoadReport,
    replaced_by_day: dict,
) -> None:
    conn.execute(
        f"""
        insert into raw.{feed_name}
        select {typed_columns}, s._source_file, s._source_line, f.partition_date,
               ?, current_timestamp::timestamp
        from _stage s join _files f on f.path = s._source_file
        where not exists (
            select 1 from _errors e
            where e.source_file = s._source_file and e.source_line = s._source_line
        )
        """,
        [report.load_id],
    )
    conn.execute(
        f"""
        insert into raw.rejects
        select ?, '{feed_name}', partition_date, source_file, source_line, column_name, value,
               reason, raw_record, current_timestamp::timestamp
        from _errors
        """,
        [report.load_id],
    )
    per_file = conn.execute(
        """
        select f.path, f.partition_date, f.checksum,
               count(s._source_line) as rows_read,
               count(s._source_line) filter (where e.source_line is null) as rows_loaded,
               count(s._source_line) filter (where e.source_line is not null) as rows_rejected
        from _files f
        left join _stage s on s._source_file = f.path
        left join (select distinct source_file, source_line from _errors) e
            on e.source_file = s._source_file and e.source_line = s._source_line
        group by all
        """
    ).fetchall()
    for path, day, checksum, read, loaded, rejected in per_file:
        conn.execute(
            "insert into raw.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [
                report.load_id,
                feed_name,
                day,
                path,
                checksum,
                read,
                loaded,
                rejected,
                replaced_by_day.get(day, 0),
            ],
        )
        report.rows_read += read
        report.rows_loaded += loaded
        report.rows_rejected += rejected

"""Load a feed's landing files for some days into ``raw.<feed>``: one transaction per call.

A call checks every file (files.py); a file that cannot be loaded at all aborts the call or is
skipped, as ``on_error`` says (policy.py: a day's run aborts, a backfill skips the broken day
and logs it). Then, in one transaction, it replaces the loaded days' rows with the good ones
and those days' rejects with the bad ones. Clean files stream straight from DuckDB's
CSV reader into the raw table with a cheap test per row (bulk.py); any file that test or the
set-based rules find suspect is taken out again and fully checked: staged as text (staging.py),
every rule each row breaks recorded with file, line, column and value (validation.py). So a
re-run never duplicates, other days are untouched, and rows read = rows loaded + rows rejected
for every file. A re-delivered day is compared with the delivery it replaces, key by key:
rows added, removed and changed go to ``raw.load_log`` with what was repaired in each file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from landing.contract import FEEDS
from landing.ingestion import bulk, set_rules, suspects, validation
from landing.ingestion.accounting import changes_by_day, per_file_counts, snapshot
from landing.ingestion.files import LandingFile, LandingFileError, inspect_file
from landing.ingestion.inventory import delivered_file
from landing.ingestion.policy import SkippedFile, record_skipped, resolve_on_error
from landing.ingestion.schema import ensure_raw_schema
from landing.ingestion.staging import stage_files
from landing.ingestion.validation import append_rows

# The load log's columns (but loaded_at) and their types, in the order _write_log fills them.
LOAD_LOG_COLUMNS = {
    "load_id": "varchar",
    "feed": "varchar",
    "partition_date": "date",
    "source_file": "varchar",
    "checksum_sha256": "varchar",
    "rows_read": "bigint",
    "rows_loaded": "bigint",
    "rows_rejected": "bigint",
    "rows_replaced": "bigint",
    "rows_added": "bigint",
    "rows_removed": "bigint",
    "rows_changed": "bigint",
    "repairs": "varchar",
    "status": "varchar",
}


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
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    days_without_file: list[dt.date] = field(default_factory=list)
    redelivered_days: list[dt.date] = field(default_factory=list)
    repairs: dict[str, list[str]] = field(default_factory=dict)  # file -> what was repaired
    on_error: str = "abort"
    skipped: list[SkippedFile] = field(default_factory=list)  # left out by on_error=skip_file
    seconds: float = 0.0

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected


def _collect_files(
    feed_name: str, landing_dir: Path, days: list[dt.date] | None, workdir: Path, on_error: str
) -> tuple[list[tuple[LandingFile, dt.date | None]], list[dt.date], list[SkippedFile]]:
    """The loadable files of the load's days, the days due no file, and (under ``skip_file``)
    the files left out; raise LandingFileError when the load must abort."""
    feed = FEEDS[feed_name]
    if feed.cadence == "reference":
        path = delivered_file(landing_dir, feed_name)
        return [(inspect_file(path, feed, workdir, landing_dir), None)], [], []
    def inspect_day(day: dt.date):
        try:
            path = delivered_file(landing_dir, feed_name, day)
            if not path.exists() and not path.is_symlink() and not feed.file_due(day):
                return "not_due", day
            return "found", (inspect_file(path, feed, workdir, landing_dir), day)
        except LandingFileError as exc:
            exists = exc.path is None or Path(exc.path).exists() or Path(exc.path).is_symlink()
            return ("broken" if exists else "missing"), (day, exc)

    # Reading and hashing release the GIL: two threads scan a many-day load's files in about
    # two thirds of the time, before DuckDB reads a row. Results keep the days' order.
    outcomes = {"found": [], "not_due": [], "broken": [], "missing": []}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for kind, value in pool.map(inspect_day, days or []):
            outcomes[kind].append(value)
    found, not_due, broken, missing = (outcomes[k] for k in ("found", "not_due", "broken",
                                                              "missing"))
    if missing or (broken and on_error == "abort"):
        problems = [exc for _, exc in missing + broken]
        if len(problems) == 1:
            raise problems[0]
        shown = "\n  ".join(str(p) for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise LandingFileError(
            f"{len(problems)} '{feed_name}' file(s) cannot be loaded; nothing was written:\n  "
            f"{shown}{more}"
        )
    return found, not_due, [_skipped(exc, day) for day, exc in broken]


def _skipped(exc: LandingFileError, day: dt.date | None) -> SkippedFile:
    return SkippedFile(str(exc.path), day, str(exc), exc.line, exc.column)


def load_feed(
    conn: duckdb.DuckDBPyConnection,
    feed_name: str,
    landing_dir: Path,
    days: list[dt.date] | None = None,
    on_error: str | None = None,
) -> LoadReport:
    """Replace ``days`` of ``raw.<feed>`` (all of it for a reference feed) from landing files.

    ``on_error`` (policy.py): ``abort`` fails the load on any file it cannot load;
    ``skip_file`` leaves such files out and loads the other days. By default a load of several
    days skips, a load of one day (or a reference feed) aborts."""
    policy = "abort" if FEEDS[feed_name].cadence == "reference" else None
    policy = resolve_on_error(on_error if policy is None else policy, days)
    with tempfile.TemporaryDirectory(prefix="forecourt-repairs-") as workdir:
        return _load(conn, feed_name, Path(landing_dir), days, Path(workdir), policy)


def _load(conn, feed_name: str, landing_dir: Path, days, workdir: Path, on_error) -> LoadReport:
    started = time.perf_counter()
    feed = FEEDS[feed_name]
    report = LoadReport(feed=feed_name, load_id=uuid.uuid4().hex[:12], on_error=on_error)
    files, report.days_without_file, report.skipped = _collect_files(
        feed_name, landing_dir, days, workdir, on_error
    )
    ensure_raw_schema(conn)
    for landing_file, _ in files:
        if landing_file.repairs:
            report.repairs[str(landing_file.path)] = list(landing_file.repairs)
    while True:
        skipped_days = {s.day for s in report.skipped}
        load_days = [d for d in days or [] if d not in skipped_days]
        try:
            try:
                with bulk.insertion_order_kept(conn):
                    _replace(conn, feed_name, files, load_days, report,
                             bulk.fast_files(feed, files))
            except _UnsplittableLine:
                # The full checks keep such a line aside as a reject; the fast path cannot.
                _replace(conn, feed_name, files, load_days, report, fast=[])
            break
        except LandingFileError as exc:
            # A fault only the full read finds (an unclosed quote): skip that file and retry.
            bad = [(f, day) for f, day in files if str(f.path) == exc.path]
            if on_error == "abort" or not bad:
                raise
            files = [(f, day) for f, day in files if str(f.path) != exc.path]
            report.skipped.append(_skipped(exc, bad[0][1]))
            report.repairs.pop(str(exc.path), None)
    report.files = len(files)
    report.seconds = time.perf_counter() - started
    return report


class _UnsplittableLine(Exception):
    """The fast path met a line the CSV reader cannot split into the header's fields."""


def _replace(conn, feed_name: str, files, days, report: LoadReport, fast: list) -> None:
    """In one transaction, replace the load's days (rows and rejects) with what ``files`` hold:
    the ``fast`` ones through bulk.py, whatever it finds suspect and the rest fully checked."""
    days_sql = ", ".join(f"date '{d.isoformat()}'" for d in sorted(set(days or []))) or "null"
    if FEEDS[feed_name].cadence == "reference":
        scope, reject_scope, other_days = "true", f"feed = '{feed_name}'", "false"
    else:
        scope = f"_partition_date in ({days_sql})"
        reject_scope = f"feed = '{feed_name}' and partition_date in ({days_sql})"
        other_days = f"r._partition_date not in ({days_sql})"
    conn.execute("begin transaction")
    try:
        replaced_by_day = dict(
            conn.execute(
                f"select _partition_date, count(*) from raw.{feed_name} where {scope} group by 1"
            ).fetchall()
        )
        report.rows_replaced = sum(replaced_by_day.values())
        if report.rows_replaced:
            snapshot(conn, feed_name, f"raw.{feed_name} where {scope}", "_old_rows")
        conn.execute(f"delete from raw.{feed_name} where {scope}")
        conn.execute(f"delete from raw.rejects where {reject_scope}")
        counts, taken_out = [], set()
        if fast:
            try:
                bulk.insert_files(conn, FEEDS[feed_name], fast, report.load_id)
            except duckdb.Error as exc:
                raise _UnsplittableLine(str(exc)) from exc
            taken_out = suspects.take_out_suspects(conn, feed_name, report.load_id, other_days)
            counts += bulk.file_counts(conn, taken_out)
        checked = [(f, day) for f, day in files if not fast or str(f.path) in taken_out]
        if checked:
            _check_and_write(conn, feed_name, checked, other_days, report)
            counts += per_file_counts(conn)
        if files:
            _write_log(conn, feed_name, report, replaced_by_day, sorted(counts, key=_day_path))
        record_skipped(conn, feed_name, report.load_id, report.skipped)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def _day_path(count: tuple) -> tuple:
    path, day = count[:2]
    return (day or dt.date.min, path)


def _check_and_write(conn, feed_name: str, files, other_days: str, report: LoadReport) -> None:
    """The full checks: stage ``files`` as text, record every rule each row breaks, then write
    the good rows to ``raw.<feed>`` and every broken rule to ``raw.rejects``."""
    feed = FEEDS[feed_name]
    comma_fixes = stage_files(conn, feed, files)
    for landing_file, _ in files:
        if comma_fixes.get(str(landing_file.read_path)):
            report.repairs.setdefault(str(landing_file.path), []).append(
                f"read {comma_fixes[str(landing_file.read_path)]} decimal comma(s) as points"
            )
    conn.execute(
        "create or replace temp table _suspect_rows as "
        + set_rules.suspect_rows_sql(feed, other_days)
    )
    conn.execute(
        "create or replace temp table _checked as " + set_rules.checked_rows_sql(feed, other_days)
    )
    conn.execute(
        "create or replace temp table _errors as "
        + validation.errors_sql(feed_name)
        + " union all select source_file, source_line, partition_date, column_name, value, "
        "reason, raw_record from _csv_rejects"
    )
    typed_columns = ", ".join(
        f"{validation.typed(c)} as {validation.quote_ident(c.name)}" for c in feed.columns
    )
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


def _write_log(
    conn, feed_name: str, report: LoadReport, replaced_by_day: dict, per_file: list[tuple]
) -> None:
    # A first delivery adds every row it loads; only a re-delivery needs the key comparison.
    changes = (
        changes_by_day(conn, feed_name, report.load_id)
        if replaced_by_day
        else {"added": None, "removed": {}, "changed": {}}
    )
    log_rows = []
    for path, day, checksum, read, loaded, rejected in per_file:
        repairs = "; ".join(report.repairs.get(path, [])) or None
        added = loaded if changes["added"] is None else changes["added"].get(day, 0)
        removed, changed = changes["removed"].get(day, 0), changes["changed"].get(day, 0)
        log_rows.append(
            (
                report.load_id,
                feed_name,
                day,
                path,
                checksum,
                read,
                loaded,
                rejected,
                replaced_by_day.get(day, 0),
                added,
                removed,
                changed,
                repairs,
                "loaded",
            )
        )
        if replaced_by_day.get(day, 0):
            report.redelivered_days.append(day)
        report.rows_read += read
        report.rows_loaded += loaded
        report.rows_rejected += rejected
        report.rows_added += added
        report.rows_removed += removed
        report.rows_changed += changed
    if log_rows:
        # One statement for the whole load: a history backfill logs hundreds of files.
        conn.execute(
            "create or replace temp table _load_log_rows as select "
            + ", ".join(f"null::{t} as {c}" for c, t in LOAD_LOG_COLUMNS.items())
            + " limit 0"
        )
        append_rows(conn, "_load_log_rows", list(LOAD_LOG_COLUMNS.values()), log_rows)
        conn.execute(
            f"""
            insert into raw.load_log ({", ".join(LOAD_LOG_COLUMNS)}, loaded_at)
            select *, current_timestamp from _load_log_rows
            """
        )

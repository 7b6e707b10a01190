"""The fast path of a load: clean files go straight from DuckDB's CSV reader into ``raw.<feed>``.

Most deliveries are clean, and building error records for every row of a clean file is most of
what checking it costs. So a load first streams its comma-separated files into the raw table, one
statement per header layout (one scan per thread in it), with one cheap test per row
(``suspects.row_test_sql``, without ``trim`` for files that hold no space) and the line
numbers the files' line counts predict. Then hash aggregates and joins look for what the
set-based rules would reject (suspects.py): keys repeated within the load or delivered on
another day, unknown references. A file with a suspect row, or whose rows do not match its line
count (a quoted line break, a blank line), is taken out again and goes through the full checks
(staging.py, validation.py), which name file, line, column and value for every reject. Taken
out with it is every file that shares a key with it, so the full checks see each duplicate's
first occurrence. A line that does not split into the header's fields fails the statement; the
caller then rolls back and checks every file fully.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from landing.contract import Feed
from landing.ingestion.files import LandingFile
from landing.ingestion.staging import numbered_rows_sql
from landing.ingestion.suspects import SUSPECT, row_test_sql
from landing.ingestion.validation import append_rows, quote_ident, typed

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb


def fast_files(feed: Feed, files: list[tuple[LandingFile, object]]) -> list:
    """The files a load may try on the fast path: all of them, or none.

    Decimal commas are repaired in staging, so another delimiter than ',' needs the full checks;
    and since a key may repeat between any two files of a load, one such file sends them all.
    So does a reference column that is not text: the full checks compare its text, this path
    its loaded value, and the two may disagree."""
    by_name = {c.name: c for c in feed.columns}
    if any(by_name[c].type != "VARCHAR" for c in feed.references):
        return []
    return files if all(f.delimiter == "," for f, _ in files) else []


def insert_files(conn: duckdb.DuckDBPyConnection, feed: Feed, files, load_id: str) -> None:
    """Insert every row of ``files`` into ``raw.<feed>`` tagged ``load_id``, or ``load_id``
    plus SUSPECT where a row-level check fails. Raises duckdb.Error on an unsplittable line."""
    statements: dict[tuple, list[tuple[LandingFile, object]]] = {}
    for landing_file, day in files:
        key = (landing_file.columns, landing_file.padded)
        statements.setdefault(key, []).append((landing_file, day))
    threads = int(conn.execute("select current_setting('threads')").fetchone()[0])
    rows, plan = [], []
    for (header, padded), group in statements.items():
        scans = []
        for part in _parts(group, threads):
            number, first = sum(len(s) for *_, s in plan) + len(scans), 1
            for index, (f, day) in enumerate(part):
                n = f.lines - 1  # the header is line 1
                rows.append((str(f.path), str(f.read_path), day, f.checksum_sha256, n, first,
                             number, index, day.isoformat() if day else None))
                first += n
            scans.append((number, [str(f.read_path) for f, _ in part]))
        plan.append((header, padded, scans))
    conn.execute(
        "create or replace temp table _fast_files (path varchar, read_path varchar, "
        "partition_date date, checksum varchar, data_rows bigint, first_rn bigint, "
        "scan bigint, file_index bigint, day_text varchar)"
    )
    types = ["varchar", "varchar", "date", "varchar", "bigint", "bigint", "bigint", "bigint",
             "varchar"]
    append_rows(conn, "_fast_files", types, rows)
    columns = ", ".join(quote_ident(c) for c in feed.column_names)
    # Rows carry their file and line, so their order in the table does not matter; preserved,
    # it would run the union's scans one after the other (measured: one thread of two busy).
    # The caller restores it (insertion_order_kept): after a failed statement it cannot.
    ordered = conn.execute("select current_setting('preserve_insertion_order')").fetchone()[0]
    conn.execute("set preserve_insertion_order = false")
    for header, padded, scans in plan:
        values = ", ".join(typed(c, trimmed=padded) for c in feed.columns)
        rows_sql = " union all ".join(
            f"select {number} as _scan, * from "
            f"({numbered_rows_sql(feed, ',', header, paths, source='file_index')})"
            for number, paths in scans
        )
        conn.execute(
            f"""
            insert into raw.{feed.name} ({columns}, _source_file, _source_line,
                                         _partition_date, _load_id, _loaded_at)
            select {values}, f.path, s._rn - f.first_rn + 2, f.partition_date,
                   case when {row_test_sql(feed, trimmed=padded)} then $suspect
                        else $load_id end,
                   current_timestamp::timestamp
            from ({rows_sql}) s
            join _fast_files f on f.scan = s._scan and f.file_index = s.file_index
            """,
            {"suspect": load_id + SUSPECT, "load_id": load_id},
        )
    conn.execute(f"set preserve_insertion_order = {bool(ordered)}")


@contextmanager
def insertion_order_kept(conn):
    """Restore the connection's ``preserve_insertion_order`` on leaving, outside the load's
    transaction: ``insert_files`` turns it off, and a statement that failed (an unsplittable
    line) leaves an aborted transaction in which no setting can be changed."""
    ordered = conn.execute("select current_setting('preserve_insertion_order')").fetchone()[0]
    try:
        yield
    finally:
        conn.execute(f"set preserve_insertion_order = {bool(ordered)}")


def _parts(group: list, count: int) -> list[list]:
    """``group`` cut into at most ``count`` runs of files with about equal lines.

    Each run is its own scan: the row number over a scan keeps file order only because it
    runs on one thread, so one scan per thread lets every thread read (measured: a 1M-row
    load's insert ran on one of two threads)."""
    total, parts, size = sum(f.lines for f, _ in group), [[]], 0
    for item in group:
        if size >= total * len(parts) / count and len(parts) < count:
            parts.append([])
        parts[-1].append(item)
        size += item[0].lines
    return [p for p in parts if p]


def file_counts(conn, taken_out: set[str]) -> list[tuple]:
    """(path, day, checksum, read, loaded, rejected) of the files the fast path loaded."""
    return [
        (path, day, checksum, n, n, 0)
        for path, day, checksum, n in conn.execute(
            "select path, partition_date, checksum, data_rows from _fast_files"
        ).fetchall()
        if path not in taken_out
    ]

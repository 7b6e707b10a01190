"""Line numbers for staged rows and CSV rejects: the line of the file each record starts on.

DuckDB's reader numbers records, not lines. Where every record is one line, a row's line follows
from its place in the scan and the lines rejected before it, counted in SQL. A file whose
records and lines do not match one to one (a quoted line break, a blank line) is read again in
Python to learn where each record starts; such files are few and small enough for that.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from landing.contract import Feed
from landing.ingestion.files import LandingFile
from landing.ingestion.validation import append_rows, quote_ident


def number_lines(conn, feed: Feed, files: list[LandingFile]) -> None:
    """Turn ``_stage_text`` into ``_stage`` (file and line per row); fill ``_record_lines``,
    which ``_collect_rejects`` uses for the rejected records' lines."""
    _record_lines(conn, files)
    _count_lines(conn, feed)


def record_starts(path: Path, delimiter: str, width: int) -> tuple[list[int], list[int]]:
    """The line each record of a file starts on: of records with ``width`` fields, and of the
    others (which DuckDB's reader keeps aside). Blank lines are no records."""
    opener = gzip.open if path.name.endswith(".gz") else open
    good, bad = [], []
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True)
        next(reader, None)  # the header
        start = reader.line_num + 1
        for record in reader:
            if record:
                (good if len(record) == width else bad).append(start)
            start = reader.line_num + 1
    return good, bad


def _record_lines(conn, files: list[LandingFile]) -> None:
    """Fill ``_record_lines`` with the line of every record of the files whose records are not
    one per line (a quoted line break, a blank line), where line numbers cannot be counted.

    DuckDB numbers records, not lines; these few files are read again, in Python, to know where
    each record starts. If Python splits a file into other records than DuckDB did, its rows
    keep the counted numbers."""
    conn.execute(
        "create or replace temp table _record_lines (read_path varchar, good boolean, "
        "ordinal bigint, line bigint)"
    )
    uneven = conn.execute(
        """
        select f.read_path, coalesce(s.n, 0), coalesce(e.n, 0) from _files f
        left join (select _read_path, count(*) as n from _stage_text group by 1) s
            on s._read_path = f.read_path
        left join (select read_path, count(*) as n from _csv_errors_all group by 1) e
            on e.read_path = f.read_path
        where coalesce(s.n, 0) + coalesce(e.n, 0) <> f.lines - 1
        """
    ).fetchall()
    by_path = {str(f.read_path): f for f in files}
    for read_path, staged, rejected in uneven:
        landing_file = by_path[read_path]
        good, bad = record_starts(
            landing_file.read_path, landing_file.delimiter, len(landing_file.columns)
        )
        if (len(good), len(bad)) != (staged, rejected):
            continue
        append_rows(
            conn,
            "_record_lines",
            ["varchar", "boolean", "bigint", "bigint"],
            [(read_path, True, k, line) for k, line in enumerate(good, start=1)]
            + [(read_path, False, j, line) for j, line in enumerate(bad, start=1)],
        )


def _count_lines(conn, feed: Feed) -> None:
    """Give every staged row the line it came from (header = line 1), skipping rejected lines."""
    columns = ", ".join(f"n.{quote_ident(c)}" for c in feed.column_names)
    # The k-th good row of a file sits on line k + 1 + (rejected lines before it). The j-th
    # rejected line l_j has l_j - 1 - j good rows before it, a number that never decreases
    # with j, so the rejected lines before row k are the largest j whose count is below k:
    # an as-of join, linear where a correlated count would compare every pair.
    conn.execute(
        f"""
        create or replace temp table _stage as
        with numbered as (
            select *, _rn - min(_rn) over (partition by _read_path) + 1 as _k
            from _stage_text
        ),
        thresholds as (
            select read_path, before_rows, max(j) as j
            from (
                select read_path, row_number() over (partition by read_path order by line) as j,
                       line - 1 - row_number() over (partition by read_path order by line)
                           as before_rows
                from _csv_errors_all
            )
            group by all
        )
        select f.path as _source_file,
               coalesce(r.line, n._k + 1 + coalesce(t.j, 0)) as _source_line, {columns}
        from numbered n
        join _files f on f.read_path = n._read_path
        asof left join thresholds t on t.read_path = n._read_path and n._k > t.before_rows
        left join _record_lines r
            on r.read_path = n._read_path and r.good and r.ordinal = n._k
        """
    )
    conn.execute("drop table _stage_text")

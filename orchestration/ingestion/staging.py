"""Staging landing files as text in DuckDB: one streaming scan per header layout.

Files with the same delimiter and column order are read in one ``read_csv`` scan, without
sniffing (every option is given) and with DuckDB's reject store on, so a line with too few or
too many fields (a truncated last line, say) is kept aside with its text instead of failing the
scan. Such lines become rejects with a reason; the rest of the file loads. An unterminated quote
that swallows the following lines is different: the file cannot be split into rows, so it fails.
"""

from __future__ import annotations

import re

import duckdb

from orchestration.contract import MONEY, Feed
from orchestration.ingestion.files import LandingFile, LandingFileError
from orchestration.ingestion.validation import quote_ident, quote_text

# A decimal comma is read as a point only where it cannot be a thousands separator: in files
# with another delimiter than ',', for money with exactly two decimals and grades with one.
DECIMAL_COMMA = {MONEY: r"^\s*-?\d+,\d{2}\s*$", "DOUBLE": r"^\s*-?\d+,\d\s*$"}

_COUNTS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _csv_reason(error_type: str, message: str, last_line: bool) -> str:
    counts = _COUNTS.search(message or "")
    fields = f"{counts[2]} of {counts[1]} fields" if counts else "wrong number of fields"
    if error_type == "MISSING COLUMNS":
        if last_line:
            return (
                f"truncated last line: {fields}, and no line end; the file looks cut short, "
                "re-deliver it"
            )
        return f"truncated or malformed line: {fields}"
    if error_type == "TOO MANY COLUMNS":
        return f"too many fields: {fields} (an unquoted delimiter inside a value?)"
    if error_type == "UNQUOTED VALUE":
        return "malformed quoting: a quote inside an unquoted value"
    return f"unreadable line: {message}"


def stage_files(conn: duckdb.DuckDBPyConnection, feed: Feed, files) -> dict[str, int]:
    """Fill ``_stage`` (one text row per data line) and ``_csv_rejects``; return repair counts.

    ``files`` are (LandingFile, day) pairs; ``_files`` maps each read path to its file and day.
    """
    conn.execute(
        "create or replace temp table _files (path varchar, read_path varchar, partition_date "
        "date, checksum varchar, lines bigint, ends_with_newline boolean)"
    )
    conn.executemany(
        "insert into _files values (?, ?, ?, ?, ?, ?)",
        [
            (str(f.path), str(f.read_path), day, f.checksum_sha256, f.lines, f.ends_with_newline)
            for f, day in files
        ],
    )
    contract = ", ".join(f"cast(null as varchar) as {quote_ident(c)}" for c in feed.column_names)
    conn.execute(
        f"create or replace temp table _stage_text as select cast(null as varchar) as "
        f"_read_path, cast(null as bigint) as _rn, {contract} limit 0"
    )
    conn.execute(
        "create or replace temp table _csv_errors_all (read_path varchar, line bigint, "
        "column_name varchar, error_type varchar, csv_line varchar, error_message varchar)"
    )
    layouts: dict[tuple[str, tuple[str, ...]], list[LandingFile]] = {}
    for landing_file, _ in files:
        layouts.setdefault((landing_file.delimiter, landing_file.columns), []).append(landing_file)
    repairs: dict[str, int] = {}
    for delimiter, columns in layouts:
        _scan_layout(conn, feed, delimiter, columns, layouts[(delimiter, columns)])
        if delimiter != ",":
            for path, count in _fix_decimal_commas(conn, feed, layouts[(delimiter, columns)]):
                repairs[path] = repairs.get(path, 0) + count
    _number_lines(conn, feed)
    _collect_rejects(conn)
    return repairs


def _scan_layout(conn, feed: Feed, delimiter: str, columns, group: list[LandingFile]) -> None:
    names = [c or f"_extra_{i}" for i, c in enumerate(columns)]
    schema = "{" + ", ".join(f"{quote_text(n)}: 'VARCHAR'" for n in names) + "}"
    paths = "[" + ", ".join(quote_text(str(f.read_path)) for f in group) + "]"
    selected = ", ".join(quote_ident(c) for c in feed.column_names)
    for table in ("_csv_errors", "_csv_scans"):
        conn.execute(f"drop table if exists {table}")
    # row_number() over the whole scan keeps file order (a partitioned window would not).
    conn.execute(
        f"""
        insert into _stage_text
        select filename, row_number() over (), {selected}
        from read_csv({paths}, auto_detect = false, header = true, filename = true,
                      columns = {schema}, delim = {quote_text(delimiter)}, quote = '"',
                      escape = '"', store_rejects = true, rejects_table = '_csv_errors',
                      rejects_scan = '_csv_scans')
        """
    )
    conn.execute(
        """
        insert into _csv_errors_all
        select s.file_path, e.line, e.column_name, e.error_type, e.csv_line, e.error_message
        from _csv_errors e join _csv_scans s on s.scan_id = e.scan_id and s.file_id = e.file_id
        qualify row_number() over (partition by s.file_path, e.line order by e.column_idx) = 1
        """
    )


def _fix_decimal_commas(conn, feed: Feed, group: list[LandingFile]) -> list[tuple[str, int]]:
    paths = ", ".join(quote_text(str(f.read_path)) for f in group)
    counts: dict[str, int] = {}
    for column in feed.columns:
        pattern = DECIMAL_COMMA.get(column.type)
        if pattern is None:
            continue
        name = quote_ident(column.name)
        where = f"_read_path in ({paths}) and regexp_full_match({name}, {quote_text(pattern)})"
        for path, count in conn.execute(
            f"select _read_path, count(*) from _stage_text where {where} group by 1"
        ).fetchall():
            counts[path] = counts.get(path, 0) + count
        conn.execute(f"update _stage_text set {name} = replace({name}, ',', '.') where {where}")
    return list(counts.items())


def _number_lines(conn, feed: Feed) -> None:
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
        select f.path as _source_file, n._k + 1 + coalesce(t.j, 0) as _source_line, {columns}
        from numbered n
        join _files f on f.read_path = n._read_path
        asof left join thresholds t on t.read_path = n._read_path and n._k > t.before_rows
        """
    )
    conn.execute("drop table _stage_text")


def _collect_rejects(conn) -> None:
    swallowed = conn.execute(
        """
        select f.path, e.line, e.column_name from _csv_errors_all e
        join _files f on f.read_path = e.read_path
        where e.error_type = 'UNQUOTED VALUE' and e.csv_line like '%' || chr(10) || '_%'
        order by 1, 2 limit 1
        """
    ).fetchone()
    if swallowed:
        path, line, column = swallowed
        raise LandingFileError(
            f"{path}: line {line}, column '{column}': a quote opens but never closes, so the "
            "rest of the file cannot be split into rows. Fix the quoting and re-deliver it."
        )
    rows = conn.execute(
        """
        select f.path, f.partition_date, e.line, e.column_name, e.error_type, e.error_message,
               rtrim(e.csv_line, chr(13) || chr(10)),
               e.line = f.lines and not f.ends_with_newline
        from _csv_errors_all e join _files f on f.read_path = e.read_path
        """
    ).fetchall()
    conn.execute(
        "create or replace temp table _csv_rejects (source_file varchar, partition_date date, "
        "source_line bigint, column_name varchar, value varchar, reason varchar, "
        "raw_record varchar)"
    )
    if rows:
        conn.executemany(
            "insert into _csv_rejects values (?, ?, ?, ?, ?, ?, ?)",
            [
                (path, day, line, column, None, _csv_reason(kind, message, last), text)
                for path, day, line, column, kind, message, text, last in rows
            ],
        )

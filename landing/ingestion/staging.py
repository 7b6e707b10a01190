"""Staging landing files as text in DuckDB: one streaming scan per header layout.

Files with the same delimiter and column order are read in one ``read_csv`` scan, without
sniffing (every option is given) and with DuckDB's reject store on, so a line with too few or
too many fields (a truncated last line, say) is kept aside with its text instead of failing the
scan. Such lines become rejects with a reason; the rest of the file loads. An unterminated quote
that swallows the following lines is different: the file cannot be split into rows, so it fails.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from landing.contract import MONEY, Feed
from landing.ingestion.files import LandingFile, LandingFileError
from landing.ingestion.lines import number_lines
from landing.ingestion.validation import append_rows, quote_ident, quote_text

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

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
    append_rows(
        conn,
        "_files",
        ["varchar", "varchar", "date", "varchar", "bigint", "boolean"],
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
    number_lines(conn, feed, [f for f, _ in files])
    _collect_rejects(conn)
    return repairs


def numbered_rows_sql(
    feed: Feed,
    delimiter: str,
    columns,
    paths: list[str],
    rejects: str = "",
    source: str = "filename",
) -> str:
    """The rows of files of one header layout as text, with the file read (``source``: its
    name, or ``file_index``, its place in ``paths``) and the row's number in the whole scan
    (``_rn``). With ``rejects`` (a table name), lines that do not split into the header's
    fields go to that table instead of failing the scan."""
    names = [c or f"_extra_{i}" for i, c in enumerate(columns)]
    schema = "{" + ", ".join(f"{quote_text(n)}: 'VARCHAR'" for n in names) + "}"
    listed = "[" + ", ".join(quote_text(p) for p in paths) + "]"
    selected = ", ".join(quote_ident(c) for c in feed.column_names)
    store = (
        f", store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scans'"
        if rejects
        else ""
    )
    # row_number() over the whole scan keeps file order (a partitioned window would not).
    return f"""
        select {source}, row_number() over () as _rn, {selected}
        from read_csv({listed}, auto_detect = false, header = true, filename = true,
                      columns = {schema}, delim = {quote_text(delimiter)}, quote = '"',
                      escape = '"'{store})
        """


def _scan_layout(conn, feed: Feed, delimiter: str, columns, group: list[LandingFile]) -> None:
    for table in ("_csv_errors", "_csv_errors_scans"):
        conn.execute(f"drop table if exists {table}")
    paths = [str(f.read_path) for f in group]
    conn.execute(
        "insert into _stage_text "
        + numbered_rows_sql(feed, delimiter, columns, paths, rejects="_csv_errors")
    )
    conn.execute(
        """
        insert into _csv_errors_all
        select s.file_path, e.line, e.column_name, e.error_type, e.csv_line, e.error_message
        from _csv_errors e join _csv_errors_scans s
            on s.scan_id = e.scan_id and s.file_id = e.file_id
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
            "rest of the file cannot be split into rows. Fix the quoting and re-deliver it.",
            path,
            line,
            column,
        )
    rows = conn.execute(
        """
        select f.path, f.partition_date, coalesce(r.line, e.line), e.column_name, e.error_type,
               e.error_message, rtrim(e.csv_line, chr(13) || chr(10)),
               coalesce(r.line, e.line) = f.lines and not f.ends_with_newline
        from (
            select *, row_number() over (partition by read_path order by line) as j
            from _csv_errors_all
        ) e
        join _files f on f.read_path = e.read_path
        left join _record_lines r on r.read_path = e.read_path and not r.good and r.ordinal = e.j
        """
    ).fetchall()
    conn.execute(
        "create or replace temp table _csv_rejects (source_file varchar, partition_date date, "
        "source_line bigint, column_name varchar, value varchar, reason varchar, "
        "raw_record varchar)"
    )
    append_rows(
        conn,
        "_csv_rejects",
        ["varchar", "date", "bigint", "varchar", "varchar", "varchar", "varchar"],
        [
            (path, day, line, column, None, _csv_reason(kind, message, last), text)
            for path, day, line, column, kind, message, text, last in rows
        ],
    )

"""What sends a file of the fast path (bulk.py) to the full checks: a row-level test per row,
then the set-based rules over the load's rows.

The row test is checked in the insert itself, so it is written to cost little per row: the
business date is one text comparison with the file's day, and the decimal-places rule runs its
regular expression only on values with more characters after the point than the type keeps.
It may flag a row the full checks then find clean (that file is only checked more slowly);
it never passes a row that a rule rejects. The set-based rules are hash aggregates and joins:
keys repeated within the load or delivered on another day, unknown references.
"""

from __future__ import annotations

from landing.contract import FEEDS, Column, Feed
from landing.ingestion.validation import column_checks, quote_ident, quote_text, text_of

SUSPECT = "?"  # appended to the load id of rows the full checks must look at


def row_test_sql(feed: Feed, trimmed: bool = True) -> str:
    """True for a row ``s`` (of a file ``f`` of ``_fast_files``) that may fail a row-level check.

    NULL where a check's operand is NULL: the test sits in a CASE, where NULL is not true, as
    ``coalesce(check, false)`` is not."""
    conditions = []
    for column in feed.columns:
        if column.name == feed.business_date and not _limited(column):
            # The text equal to the file's day, written YYYY-MM-DD, is a value that is there,
            # is a date, is ISO and is the file's day; any other text breaks one of those.
            text = text_of(column.name, trimmed=trimmed)
            conditions.append(f"{text} is distinct from f.day_text")
        else:
            conditions += [condition for condition, *_ in column_checks(column, trimmed)]
    if feed.business_date and _limited(_column(feed, feed.business_date)):
        text = text_of(feed.business_date, trimmed=trimmed)
        conditions.append(f"{text} is distinct from f.day_text")
    return " or ".join(f"({condition})" for condition in conditions)


def _column(feed: Feed, name: str) -> Column:
    return next(c for c in feed.columns if c.name == name)


def _limited(column: Column) -> bool:
    """A column with rules beyond its type, which the day's text does not stand for."""
    return bool(column.allowed) or column.min_value is not None or column.max_value is not None


def _mine(feed: Feed, load_id: str) -> str:
    return (
        f"(select * from raw.{feed.name} where _load_id in "
        f"({quote_text(load_id)}, {quote_text(load_id + SUSPECT)}))"
    )


def _suspects_sql(feed: Feed, load_id: str, other_days: str, repeated_keys: bool) -> str:
    mine = _mine(feed, load_id)
    same_key = " and ".join(f"m.{quote_ident(k)} = d.{quote_ident(k)}" for k in feed.key)
    parts = [
        f"select _source_file from {mine} where _load_id = {quote_text(load_id + SUSPECT)}",
        # Rows that do not sit on the lines the file's line count predicts.
        f"""select f.path from _fast_files f
            left join (select _source_file, count(*) as n, min(_source_line) as first,
                              max(_source_line) as last
                       from {mine} group by 1) c on c._source_file = f.path
            where coalesce(c.n, 0) <> f.data_rows
               or (c.n > 0 and (c.first <> 2 or c.last <> f.data_rows + 1))""",
    ]
    if repeated_keys:
        parts.append(
            f"select m._source_file from {mine} m semi join "
            f"(select * from _load_keys where _rows > 1) d on {same_key}"
        )
    if other_days != "false":
        # From the load's keys, a table whose size the planner knows: joined from the load's
        # rows, the history (which it guessed smaller) held the hash table (measured: 0.07 of
        # a day's 0.4 CPU-s against 1M sales).
        on_key = " and ".join(f"d.{quote_ident(k)} = r.{quote_ident(k)}" for k in feed.key)
        parts.append(
            f"select m._source_file from {mine} m semi join (select d.* from _load_keys d "
            f"join raw.{feed.name} r on {on_key} where {other_days}) d on {same_key}"
        )
    for column_name, target in feed.references.items():
        parts.append(_unknown_reference_files(mine, column_name, target))
    return " union ".join(parts)


def _unknown_reference_files(mine: str, column_name: str, target: str) -> str:
    """Files of the load with a value of ``column_name`` that is no key of ``target``.

    An anti join rather than NOT IN (a subquery): DuckDB then builds its hash table on the
    smaller side, so a day's load costs what the day holds, not what the whole history of
    customers or vehicles holds (measured: 6,000 rows against 1M keys, half the time)."""
    target_feed, target_column = target.split(".")
    column, known = quote_ident(column_name), quote_ident(target_column)
    return (
        f"select m._source_file from {mine} m anti join raw.{target_feed} r "
        f"on r.{known} = m.{column} where m.{column} is not null"
    )


def take_out_suspects(conn, feed_name: str, load_id: str, other_days: str) -> set[str]:
    """Delete the rows of every file that needs the full checks; return those files' paths.

    ``other_days`` is the SQL predicate, on alias ``r``, of raw rows outside the load's days."""
    feed = FEEDS[feed_name]
    keys = ", ".join(quote_ident(k) for k in feed.key)
    present = " and ".join(f"{quote_ident(k)} is not null" for k in feed.key)
    conn.execute(
        f"create or replace temp table _load_keys as select {keys}, count(*) as _rows from "
        f"{_mine(feed, load_id)} where {present} group by all"
    )
    repeated = conn.execute("select count(*) from _load_keys where _rows > 1").fetchone()[0] > 0
    # No raw row outside the load's days (a first load, a history reloaded whole): no lookup,
    # whose hash table would otherwise be built on all of the load's keys.
    if other_days != "false" and not conn.execute(
        f"select exists (select 1 from raw.{feed_name} r where {other_days})"
    ).fetchone()[0]:
        other_days = "false"
    conn.execute(
        "create or replace temp table _suspect_files as "
        + _suspects_sql(feed, load_id, other_days, repeated)
    )
    suspects = {path for (path,) in conn.execute("select * from _suspect_files").fetchall()}
    if suspects:
        conn.execute(
            f"""
            delete from raw.{feed_name}
            where _load_id in (?, ?) and _source_file in (select * from _suspect_files)
            """,
            [load_id, load_id + SUSPECT],
        )
    return suspects



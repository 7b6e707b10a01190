"""What a load changed and read, counted in SQL: per-file accounting and delivery differences.

A re-delivered day is compared with the rows it replaces by the feed's key: rows added (keys
the old delivery lacked), removed (keys the new one dropped) and changed (same key, different
values, compared through a hash of the contract's columns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from landing.contract import FEEDS
from landing.ingestion import validation

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb


def snapshot(conn, feed_name: str, relation: str, table: str) -> None:
    """Key, day and a hash of the contract columns of some rows, to compare deliveries."""
    feed = FEEDS[feed_name]
    keys = ", ".join(validation.quote_ident(k) for k in feed.key)
    values = ", ".join(validation.quote_ident(c) for c in feed.column_names)
    conn.execute(
        f"create or replace temp table {table} as "
        f"select {keys}, _partition_date as _day, hash({values}) as _hash from {relation}"
    )


def changes_by_day(conn, feed_name: str, load_id: str) -> dict[str, dict]:
    """Rows added, removed and changed per day, by key, between the old and new delivery."""
    snapshot(conn, feed_name, f"raw.{feed_name} where _load_id = '{load_id}'", "_new_rows")
    keys = " and ".join(
        f"n.{validation.quote_ident(k)} = o.{validation.quote_ident(k)}"
        for k in FEEDS[feed_name].key
    )
    queries = {
        "added": f"select n._day, count(*) from _new_rows n anti join _old_rows o on {keys} "
        "group by 1",
        "removed": f"select o._day, count(*) from _old_rows o anti join _new_rows n on {keys} "
        "group by 1",
        "changed": f"select n._day, count(*) from _new_rows n join _old_rows o on {keys} "
        "where n._hash <> o._hash group by 1",
    }
    return {name: dict(conn.execute(sql).fetchall()) for name, sql in queries.items()}


def per_file_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(path, day, checksum, rows read, loaded, rejected) per file: read = loaded + rejected."""
    return conn.execute(
        """
        with staged as (select _source_file as path, count(*) as n from _stage group by 1),
        unreadable as (
            select source_file as path, count(distinct source_line) as n
            from _csv_rejects group by 1
        ),
        rejected as (
            select source_file as path, count(distinct source_line) as n from _errors group by 1
        )
        select f.path, f.partition_date, f.checksum,
               coalesce(s.n, 0) + coalesce(u.n, 0) as rows_read,
               coalesce(s.n, 0) + coalesce(u.n, 0) - coalesce(r.n, 0) as rows_loaded,
               coalesce(r.n, 0) as rows_rejected
        from _files f
        left join staged s using (path)
        left join unreadable u using (path)
        left join rejected r using (path)
        order by f.partition_date, f.path
        """
    ).fetchall()

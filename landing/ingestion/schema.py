"""DDL of the raw schema: one table per feed, the rejects (quarantine) table and the load log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from landing.contract import FEEDS, Feed

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

# Lineage every raw row carries, so any number in a mart can be traced to a file and a line.
LINEAGE_COLUMNS = (
    ("_source_file", "VARCHAR"),
    ("_source_line", "BIGINT"),
    ("_partition_date", "DATE"),
    ("_load_id", "VARCHAR"),
    ("_loaded_at", "TIMESTAMP"),
)

REJECTS_DDL = """
create table if not exists raw.rejects (
    load_id varchar not null,
    feed varchar not null,
    partition_date date,
    source_file varchar not null,
    source_line bigint,
    column_name varchar,
    value varchar,
    reason varchar not null,
    raw_record varchar,
    rejected_at timestamp not null
)"""

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    load_id varchar not null,
    feed varchar not null,
    partition_date date,
    source_file varchar not null,
    checksum_sha256 varchar,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    rows_replaced bigint not null,
    loaded_at timestamp not null,
    rows_added bigint,
    rows_removed bigint,
    rows_changed bigint,
    repairs varchar
)"""

# Columns added since the first release: warehouses created before them gain them on next load.
LOAD_LOG_ADDED_COLUMNS = (
    ("rows_added", "bigint"),  # keys in the new delivery of a day that the old one lacked
    ("rows_removed", "bigint"),  # keys of the old delivery that the new one dropped
    ("rows_changed", "bigint"),  # keys in both whose values differ
    ("repairs", "varchar"),  # what ingestion repaired in the file, '; '-separated
    ("status", "varchar"),  # 'loaded', or 'skipped' by an on_error=skip_file load (policy.py)
    ("error", "varchar"),  # why a skipped file could not be loaded
)


def raw_table_ddl(feed: Feed) -> str:
    columns = [f'"{c.name}" {c.type}' for c in feed.columns]
    columns += [f"{name} {type_}" for name, type_ in LINEAGE_COLUMNS]
    return f"create table if not exists raw.{feed.name} (\n    " + ",\n    ".join(columns) + "\n)"


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables if they are missing (safe to call on every load)."""
    conn.execute("create schema if not exists raw")
    for feed in FEEDS.values():
        conn.execute(raw_table_ddl(feed))
    conn.execute(REJECTS_DDL)
    conn.execute(LOAD_LOG_DDL)
    present = {
        row[0]
        for row in conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'load_log'"
        ).fetchall()
    }
    for name, type_ in LOAD_LOG_ADDED_COLUMNS:
        if name not in present:
            conn.execute(f"alter table raw.load_log add column {name} {type_}")

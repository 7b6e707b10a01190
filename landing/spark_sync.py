"""Keep the raw schema's Parquet copy for Spark in step with DuckDB, a loaded day at a time.

On ``FORECOURT_ENGINE=spark`` ingestion still loads and checks each landing file in DuckDB;
after a feed's load, `export_load` rewrites only the day partitions that load touched
(``<root>/<feed>/_partition_date=YYYY-MM-DD/``, the layout of `landing.spark_export.export_raw`)
and the small shared tables (``rejects``, ``load_log``) whole. A day whose rows are all gone
(re-delivered empty) loses its folder. Each folder is written under a hidden name and renamed
into place, so Spark (which skips names starting with ``.``) never reads half a day.

`sync_raw`, before dbt runs, checks every raw table's Parquet row count against DuckDB and
re-exports whole any table that differs or is missing (a home first run on DuckDB, an export
interrupted), so the copy is right whatever happened before.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from landing.spark_export import PARTITION_COLUMN, RAW_SCHEMA

if TYPE_CHECKING:
    import duckdb

SHARED_TABLES = ("rejects", "load_log")  # written by every feed's load; small


def _literal(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name for (name,) in conn.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "order by column_index", [RAW_SCHEMA, table],
        ).fetchall()
    ]


def hidden(name: str) -> bool:
    """Spark's rule for names it skips: ``.x`` and ``_x``, but not a ``_column=value``
    partition folder."""
    return name.startswith(".") or (name.startswith("_") and "=" not in name)


def data_files(folder: Path) -> list[Path]:
    """The Parquet files Spark reads in a table folder (not its hidden or bookkeeping files)."""
    return sorted(p for p in Path(folder).rglob("*.parquet")
                  if not any(hidden(part) for part in p.relative_to(folder).parts))


def _swap(fresh: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def export_table(conn: duckdb.DuckDBPyConnection, table: str, root: Path) -> int:
    """Replace ``<root>/<table>/`` with the whole table; partitioned by day when every row has
    one (as `export_raw` decides). Returns the rows written."""
    relation = f'{RAW_SCHEMA}."{table}"'
    dated = PARTITION_COLUMN in _columns(conn, table)
    undated = f"count(*) filter (where {PARTITION_COLUMN} is null)" if dated else "1"
    rows, rows_undated = conn.execute(f"select count(*), {undated} from {relation}").fetchone()
    target = Path(root) / table
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{table}.new-{uuid.uuid4().hex}")
    if dated and rows > 0 and rows_undated == 0:
        conn.execute(f"copy {relation} to {_literal(fresh)} "
                     f"(format parquet, partition_by ({PARTITION_COLUMN}))")
    else:
        fresh.mkdir()
        conn.execute(f"copy {relation} to {_literal(fresh / 'data.parquet')} (format parquet)")
    _swap(fresh, target)
    return rows


def export_days(
    conn: duckdb.DuckDBPyConnection, table: str, root: Path, days: Sequence[dt.date]
) -> int:
    """Replace the day partitions ``days`` of a day-partitioned table folder; rows written.
    A table not yet partitioned by day in ``root`` is exported whole instead."""
    folder = Path(root) / table
    partitioned = folder.is_dir() and any(p.name.startswith(f"{PARTITION_COLUMN}=")
                                          for p in folder.iterdir())
    if not partitioned:
        return export_table(conn, table, root)
    written = 0
    for day in sorted(set(days)):
        target = folder / f"{PARTITION_COLUMN}={day.isoformat()}"
        select = (f'select * exclude ({PARTITION_COLUMN}) from {RAW_SCHEMA}."{table}" '
                  f"where {PARTITION_COLUMN} = date '{day.isoformat()}'")
        rows = conn.execute(f"select count(*) from ({select})").fetchone()[0]
        if rows == 0:
            shutil.rmtree(target, ignore_errors=True)
            continue
        fresh = folder / f".{target.name}.new-{uuid.uuid4().hex}"
        fresh.mkdir()
        conn.execute(f"copy ({select}) to {_literal(fresh / 'data_0.parquet')} (format parquet)")
        _swap(fresh, target)
        written += rows
    return written


def export_load(
    conn: duckdb.DuckDBPyConnection, feed: str, root: Path, days: Sequence[dt.date] | None
) -> int:
    """After a feed's load: its loaded days (the whole table for a reference feed), then the
    shared tables whole. Returns the feed's rows written."""
    written = export_table(conn, feed, root) if not days else export_days(conn, feed, root, days)
    for table in SHARED_TABLES:
        if _columns(conn, table):
            export_table(conn, table, root)
    return written


def sync_raw(warehouse: Path, root: Path) -> dict[str, int]:
    """Every raw table's Parquet copy holds DuckDB's row count (re-exported whole where not);
    rows per table. DuckDB reads the Parquet counts from the files' metadata."""
    import duckdb

    root = Path(root)
    synced: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = [t for (t,) in conn.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1",
            [RAW_SCHEMA]).fetchall()]
        if not tables:
            raise ValueError(
                f"{warehouse} has no table in schema {RAW_SCHEMA}: load the landing zone first"
            )
        for table in tables:
            rows = conn.execute(f'select count(*) from {RAW_SCHEMA}."{table}"').fetchone()[0]
            folder = root / table
            files = data_files(folder) if folder.is_dir() else []
            copied = conn.execute(
                "select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)",
                [[p.as_posix() for p in files]],
            ).fetchone()[0] if files else -1
            synced[table] = rows if copied == rows else export_table(conn, table, root)
    return synced

"""The raw schema for dbt on Spark: DuckDB's ``raw.*`` as Parquet, and Spark views over it.

The loader writes ``raw.*`` into the DuckDB warehouse; dbt on Spark reads the same sources
from the Spark catalog. ``export_raw`` writes every raw table to ``<root>/<table>/`` (the
daily feeds partitioned by their landing-file day, ``_partition_date=YYYY-MM-DD/``, the layout
Spark reads as a partitioned table), and ``register_raw`` creates one view ``raw.<table>`` per
folder in a Spark session. Views over the folders, not tables: a view lists the files each
time it is read, so a re-exported day needs no ``MSCK REPAIR``, and the partition column is
typed by Spark's inference (a date) on every read.

DuckDB and PySpark are imported on first use: neither is needed to import this module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PARTITION_COLUMN = "_partition_date"  # the landing-file day of a daily feed's row
RAW_SCHEMA = "raw"
VIEWS_FILE = "raw_views.json"  # beside the export: the tables whose views dbt's catalog holds


def raw_dir(home_root: Path) -> Path:
    """Where a home's raw Parquet lives for Spark: FORECOURT_HOME/spark/raw."""
    return Path(home_root) / "spark" / RAW_SCHEMA


def views_to_register(root: Path, exported: dict[str, int]) -> list[str] | None:
    """The exported tables, when the metastore's raw views do not cover exactly them yet (a new
    home, a new feed); None when they do. `mark_registered` records them once created."""
    marker = Path(root).parent / VIEWS_FILE
    tables = sorted(exported)
    known = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else None
    return None if known == {"root": str(Path(root).resolve()), "tables": tables} else tables


def mark_registered(root: Path, tables: list[str]) -> None:
    marker = Path(root).parent / VIEWS_FILE
    state = {"root": str(Path(root).resolve()), "tables": sorted(tables)}
    marker.write_text(json.dumps(state, indent=1), encoding="utf-8")


def export_raw(warehouse: Path, root: Path) -> dict[str, int]:
    """Replace ``root`` with the raw tables of ``warehouse`` as Parquet; rows per table.

    A table is partitioned by ``_partition_date`` when it has the column and no row lacks it
    (the reference feed ``dealers`` has no day; the load log and the rejects name theirs
    ``partition_date`` and may lack one): a partition folder for a null day would be named
    ``NULL`` and turn the column into a string on Spark.
    """
    import duckdb

    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    exported: dict[str, int] = {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = conn.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by table_name",
            [RAW_SCHEMA],
        ).fetchall()
        if not tables:
            raise ValueError(
                f"{warehouse} has no table in schema {RAW_SCHEMA}: load the landing zone first"
            )
        for (table,) in tables:
            relation = f'{RAW_SCHEMA}."{table}"'
            columns = {
                name
                for (name,) in conn.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ?",
                    [RAW_SCHEMA, table],
                ).fetchall()
            }
            dated = PARTITION_COLUMN in columns
            undated = f"count(*) filter (where {PARTITION_COLUMN} is null)" if dated else "1"
            rows, rows_undated = conn.execute(
                f"select count(*), {undated} from {relation}"
            ).fetchone()
            target = root / table
            partitioned = dated and rows > 0 and rows_undated == 0
            options = f", partition_by ({PARTITION_COLUMN})" if partitioned else ""
            if not partitioned:
                target.mkdir()
                target = target / "data.parquet"
            conn.execute(f"copy {relation} to '{target}' (format parquet{options})")
            exported[table] = rows
    return exported


def register_raw(spark: SparkSession, root: Path, schema: str = RAW_SCHEMA) -> list[str]:
    """Create or replace a view ``<schema>.<table>`` over each table folder under ``root``."""
    root = Path(root).resolve()
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        raise ValueError(f"no table folder under {root}: run export_raw first")
    spark.sql(f"create database if not exists {schema}")
    for folder in folders:
        spark.sql(
            f"create or replace view {schema}.{folder.name} as "
            f"select * from parquet.`{folder.as_posix()}`"
        )
    spark.catalog.clearCache()
    return [f"{schema}.{folder.name}" for folder in folders]

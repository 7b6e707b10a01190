"""export_raw: DuckDB's raw schema as Parquet, one folder per table, daily feeds by day.

Spark's side (register_raw, the views dbt reads) runs in tests/e2e/test_spark_parity.py; here
DuckDB reads the files back the way Spark does (hive partitions), without Java.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from landing.spark_export import export_raw

START, DAYS = dt.date(2024, 3, 1), 4


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    work = tmp_path_factory.mktemp("spark_export")
    generate(work / "landing", start=START, days=DAYS, dealers=1, seed=5)
    warehouse = work / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        for feed in FEEDS:
            days = None if FEEDS[feed].cadence == "reference" else [START, START + dt.timedelta(1)]
            load_feed(conn, feed, work / "landing", days)
    (work / "parquet" / "stale").mkdir(parents=True)  # a folder from an earlier export
    return warehouse, work / "parquet", export_raw(warehouse, work / "parquet")


def test_every_raw_table_is_exported_with_all_its_rows(exported):
    warehouse, root, rows = exported
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = {t for (t,) in conn.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
        ).fetchall()}  # fmt: skip
        for table in tables:
            (expected,) = conn.execute(f"select count(*) from raw.{table}").fetchone()
            (found,) = conn.execute(
                f"select count(*) from read_parquet('{root / table}/**/*.parquet', "
                "hive_partitioning = true)"
            ).fetchone()
            assert (table, found) == (table, expected)
    assert set(rows) == tables
    assert {p.name for p in root.iterdir()} == tables  # the stale folder is gone
    assert rows["sales"] > 0


def test_daily_feeds_are_partitioned_by_landing_day_and_the_rest_are_not(exported):
    _, root, _ = exported
    days = {f"_partition_date={START}", f"_partition_date={START + dt.timedelta(1)}"}
    assert {p.name for p in (root / "sales").iterdir()} == days
    assert [p.name for p in (root / "dealers").iterdir()] == ["data.parquet"]
    assert [p.name for p in (root / "load_log").iterdir()] == ["data.parquet"]


def test_a_day_reads_back_with_its_rows_and_types(exported):
    warehouse, root, _ = exported
    query = (
        "select * exclude (_partition_date), cast(_partition_date as date) as _partition_date "
        "from {} where _partition_date = ? order by _source_file, _source_line"
    )
    parquet = f"read_parquet('{root / 'sales'}/**/*.parquet', hive_partitioning = true)"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        mine = conn.execute(query.format(parquet), [START]).fetchall()
        theirs = conn.execute(query.format("raw.sales"), [START]).fetchall()
    assert mine and mine == theirs


def test_an_empty_warehouse_is_refused(tmp_path):
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(ValueError, match="no table in schema raw"):
        export_raw(tmp_path / "empty.duckdb", tmp_path / "out")

"""The raw Parquet copy for Spark kept in step a loaded day at a time (landing/spark_sync.py).

DuckDB reads the files back the way Spark does (hive partitions); no Java needed."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from landing.spark_export import export_raw
from landing.spark_sync import export_load, sync_raw

START = dt.date(2024, 3, 1)
DAY1, DAY2, DAY3 = START, START + dt.timedelta(1), START + dt.timedelta(2)


def parquet_rows(root, table, where: str = "true") -> int:
    with duckdb.connect() as conn:
        return conn.execute(
            f"select count(*) from read_parquet('{root / table}/**/*.parquet', "
            f"hive_partitioning = true) where {where}"
        ).fetchone()[0]


@pytest.fixture
def home(tmp_path):
    generate(tmp_path / "landing", start=START, days=3, dealers=1, seed=5)
    return tmp_path


def load(home, feed, days):
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        load_feed(conn, feed, home / "landing", days)
        export_load(conn, feed, home / "raw", days)


def load_all(home, days):
    """Every feed (sales name vehicles and customers that must be loaded first)."""
    for feed in FEEDS:
        load(home, feed, None if FEEDS[feed].cadence == "reference" else days)


def test_each_load_writes_its_days_and_keeps_the_others(home):
    load_all(home, [DAY1, DAY2])
    load_all(home, [DAY3])
    names = {p.name for p in (home / "raw" / "sales").iterdir()}
    assert names == {f"_partition_date={d}" for d in (DAY1, DAY2, DAY3)}
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        for table in ("sales", "dealers", "load_log", "rejects"):
            expected = conn.execute(f"select count(*) from raw.{table}").fetchone()[0]
            assert parquet_rows(home / "raw", table) == expected, table


def test_a_day_redelivered_empty_loses_its_partition(home):
    load_all(home, [DAY1, DAY2])
    assert (home / "raw" / "sales" / f"_partition_date={DAY2}").is_dir()
    path = home / "landing" / "sales" / f"{DAY2}.csv"
    path.write_text(path.read_text().splitlines(keepends=True)[0])
    load(home, "sales", [DAY2])
    assert not (home / "raw" / "sales" / f"_partition_date={DAY2}").exists()
    assert parquet_rows(home / "raw", "sales") > 0


def test_sync_re_exports_a_table_whose_copy_differs_and_keeps_the_rest(home):
    load_all(home, [DAY1, DAY2])
    vehicles = {p: p.stat().st_mtime_ns for p in (home / "raw" / "vehicles").rglob("*.parquet")}
    day = home / "raw" / "sales" / f"_partition_date={DAY2}"
    for file in day.iterdir():
        file.unlink()  # an export interrupted half-way
    rows = sync_raw(home / "warehouse.duckdb", home / "raw")
    assert parquet_rows(home / "raw", "sales") == rows["sales"] > 0
    assert {p: p.stat().st_mtime_ns for p in (home / "raw" / "vehicles").rglob("*.parquet")} \
        == vehicles


def test_the_day_by_day_copy_equals_the_whole_export(home):
    load_all(home, [DAY1])
    load_all(home, [DAY2, DAY3])
    export_raw(home / "warehouse.duckdb", home / "whole")
    query = "select * from read_parquet('{}/**/*.parquet', hive_partitioning = true) order by all"
    with duckdb.connect() as conn:
        by_day = conn.execute(query.format(home / "raw" / "sales")).fetchall()
        whole = conn.execute(query.format(home / "whole" / "sales")).fetchall()
    assert by_day == whole and len(by_day) > 0

"""A suite's scope read through the warehouse seam (the marts on Spark) equals DuckDB's read."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from expectations.scope import read_scope, read_scope_from, scope_sql
from landing.warehouse.duck import DuckDBWarehouse

SPEC = {
    "name": "dim_vehicles",
    "meta": {
        "asset_key": ["marts", "dim_vehicles"],
        "scope": {"kind": "recent_window", "date_column": "acquired_date", "days": 90,
                  "keep": "status = 'in_stock'"},
    },
    "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "stock_number"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "status"}},
    ],
}


@pytest.fixture
def warehouse(tmp_path) -> DuckDBWarehouse:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.dim_vehicles (stock_number varchar, status varchar, "
            "acquired_date date)"
        )
        day = dt.date(2024, 6, 30)
        rows = [("S1", "sold", day), ("S2", "sold", day - dt.timedelta(days=200)),
                ("S3", "in_stock", day - dt.timedelta(days=300))]
        conn.executemany("insert into marts.dim_vehicles values (?, ?, ?)", rows)
    return DuckDBWarehouse(path)


def test_the_seam_reads_the_same_rows_as_a_duckdb_connection(warehouse):
    through_seam = read_scope_from(warehouse, SPEC)
    with warehouse.connect(read_only=True) as conn:
        direct = read_scope(conn, SPEC)
    assert sorted(through_seam["stock_number"]) == sorted(direct["stock_number"]) == ["S1", "S3"]


def test_column_names_are_backquoted_for_spark():
    sql, _ = scope_sql(SPEC, quote=lambda name: f"`{name}`")
    assert "`acquired_date`" in sql and '"' not in sql


def test_a_missing_table_is_named(tmp_path):
    empty = DuckDBWarehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(empty.path)):
        pass
    with pytest.raises(LookupError, match="marts.dim_vehicles"):
        read_scope_from(empty, SPEC)


def test_a_latest_load_scope_stays_on_the_raw_loads(warehouse):
    spec = {**SPEC, "meta": {"asset_key": ["raw", "sales"], "scope": {"kind": "latest_load"}}}
    with pytest.raises(ValueError, match="raw schema"):
        read_scope_from(warehouse, spec)

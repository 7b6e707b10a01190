"""The serving copies' source on Spark: Spark-laid-out Parquet folders become DuckDB tables."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from serving.parquet_source import mirror_parquet


def write_partitioned(folder, rows_by_day: dict[str, list[float]]) -> None:
    """Spark's layout: column=value folders, part files, and hidden bookkeeping files."""
    for day, prices in rows_by_day.items():
        part = folder / f"sale_date={day}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"price": prices}), part / "part-00000-x.snappy.parquet")
        (part / ".part-00000-x.snappy.parquet.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").write_text("")


@pytest.fixture
def warehouse(tmp_path):
    root = tmp_path / "warehouse"
    sales = {"2024-01-01": [1.5, 2.5], "2024-01-02": [4.0]}
    write_partitioned(root / "marts.db" / "fct_sales", sales)
    plan = root / "ml.db" / "stocking_plan"
    plan.mkdir(parents=True)
    pq.write_table(pa.table({"status": ["ok", "low"]}), plan / "part-0.parquet")
    side = {"table": "The plan.", "columns": {"status": "ok, low or critical."}}
    (plan / "_forecourt.json").write_text(json.dumps(side))
    (root / "ml.db" / "empty_table").mkdir()  # a table with no row: Spark may write no file
    (root / "ml.db" / ".stocking_plan.new-123").mkdir()  # a write in progress: not a table
    (root / "staging.db" / "stg_x").mkdir(parents=True)  # a schema not served
    return root


def test_every_table_folder_of_the_served_schemas_becomes_a_table(warehouse, tmp_path):
    empty = pa.table({"unit": pa.array([], pa.string())})
    rows = mirror_parquet(warehouse, tmp_path / "source.duckdb", ["marts", "ml", "ops"],
                          lambda name: empty)
    assert rows == {"marts.fct_sales": 3, "ml.empty_table": 0, "ml.stocking_plan": 2}
    with duckdb.connect(str(tmp_path / "source.duckdb"), read_only=True) as conn:
        sales = conn.execute(
            "select sale_date, sum(price) from marts.fct_sales group by 1 order by 1").fetchall()
        assert sales == [(dt.date(2024, 1, 1), 4.0), (dt.date(2024, 1, 2), 4.0)]
        assert conn.execute("select column_name from duckdb_columns() where "
                            "table_name = 'empty_table'").fetchall() == [("unit",)]
        comments = conn.execute("select comment from duckdb_columns() where "
                                "table_name = 'stocking_plan'").fetchall()
        assert comments == [("ok, low or critical.",)]


def test_a_second_mirror_replaces_the_first(warehouse, tmp_path):
    target = tmp_path / "source.duckdb"
    mirror_parquet(warehouse, target, ["marts"], lambda name: None)
    (warehouse / "marts.db" / "fct_sales" / "sale_date=2024-01-02").rename(
        warehouse / "gone")
    assert mirror_parquet(warehouse, target, ["marts"], lambda name: None) == {
        "marts.fct_sales": 2
    }
    assert not target.with_name(target.name + ".new").exists()

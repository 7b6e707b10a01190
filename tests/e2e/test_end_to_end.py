"""End to end on a small generated dealer group: landing files -> raw -> dbt marts, in Dagster.

The demo home (tests/e2e/conftest.py: `forecourt materialize` of every asset, built once per
session) is copied for this module; the tests read it in order of the flow.
"""

import datetime as dt

import duckdb
import pytest

from orchestration.cli import main
from tests.e2e.conftest import DEMO

pytestmark = pytest.mark.e2e

START = DEMO["start"]


def query(home, sql):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_every_landed_row_is_loaded_or_quarantined(demo_home):
    (read, loaded, rejected), = query(
        demo_home, "select sum(rows_read), sum(rows_loaded), sum(rows_rejected) from raw.load_log"
    )
    assert read > 0 and read == loaded + rejected


def test_marts_hold_rows_that_reconcile_with_raw(demo_home):
    (raw_sales,), = query(demo_home, "select count(*) from raw.sales")
    (fct_sales,), = query(demo_home, "select count(*) from marts.fct_sales")
    assert fct_sales == raw_sales > 0
    for mart in ("dim_vehicles", "dim_customers", "dim_dealers", "sales_daily", "sales_monthly",
                 "inventory_daily", "dealer_kpis", "demand_weekly"):
        assert query(demo_home, f"select count(*) from marts.{mart}")[0][0] > 0, mart


def test_materializing_one_day_twice_leaves_the_counts_unchanged(demo_home):
    tables = ["raw.sales", "raw.vehicles", "raw.customers", "marts.fct_sales", "marts.dim_vehicles"]

    def counts():
        return {t: query(demo_home, f"select count(*) from {t}")[0][0] for t in tables}

    before = counts()
    day = (START + dt.timedelta(days=30)).isoformat()
    assert main(["materialize", "--partition", day]) == 0
    assert main(["materialize", "--partition", day]) == 0
    assert counts() == before


def test_the_dagster_instance_records_materializations(demo_home):
    import dagster as dg

    with dg.DagsterInstance.from_config(str(demo_home / "dagster")) as instance:
        for table in ("marts.fct_sales", "marts.dim_vehicles", "raw.sales", "raw.dealers"):
            key = dg.AssetKey(table.split("."))
            event = instance.get_latest_materialization_event(key)
            assert event is not None, table
            metadata = event.asset_materialization.metadata
            (rows,), = query(demo_home, f"select count(*) from {table}")
            assert metadata["dagster/row_count"].value == rows > 0, table
        sales = instance.get_latest_materialization_event(dg.AssetKey(["raw", "sales"]))
        load = sales.asset_materialization.metadata
        assert load["rows_read"].value == load["rows_loaded"].value + load["rows_rejected"].value

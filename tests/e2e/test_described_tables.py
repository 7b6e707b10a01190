"""The demo home's tables read as English: every ``ml`` and ``ops`` table, view and column has a
comment, and the demand forecast uses the method its backtest chose for each series."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.e2e  # reads the shared demo home (tests/e2e/conftest.py)


def test_every_ml_and_ops_table_view_and_column_of_a_demo_warehouse_has_a_comment(demo_home):
    with duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True) as conn:
        columns = conn.execute(
            "select schema_name || '.' || table_name, column_name, comment from duckdb_columns() "
            "where schema_name in ('ml', 'ops')"
        ).fetchall()
        tables = conn.execute(
            "select schema_name || '.' || table_name, comment from duckdb_tables() "
            "where schema_name in ('ml', 'ops') union all "
            "select schema_name || '.' || view_name, comment from duckdb_views() "
            "where schema_name in ('ml', 'ops')"
        ).fetchall()
    assert len(tables) >= 10 and len(columns) >= 100
    assert {"ml.customer_lifecycle", "ml.customer_engagement"} <= {t for t, _ in tables}
    assert [t for t, comment in tables if not comment] == []
    assert [f"{t}.{c}" for t, c, comment in columns if not comment] == []


def test_the_forecast_uses_the_method_its_backtest_chose(demo_home):
    with duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True) as conn:
        pairs = conn.execute(
            "select distinct f.unique_id, f.method, a.chosen_method from ml.demand_forecast f "
            "join ml.forecast_accuracy a using (unique_id) where a.model = 'forecourt'"
        ).fetchall()
    assert pairs
    assert all(method == chosen or chosen == "prophet" for _, method, chosen in pairs)

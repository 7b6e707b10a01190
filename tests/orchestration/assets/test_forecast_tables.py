"""The forecast tables read as English: readable column names, and a comment on every column.

The fast tests check the dictionary against the columns the forecasting code writes; the
end-to-end test materializes a small generated home and reads the comments DuckDB stored for
every ``ml`` and ``ops`` column.
"""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import pandas as pd
import pytest

from landing.generator import generate
from ml.forecasting import forecast
from ml.forecasting.backtest import COLUMNS
from ml.forecasting.synthetic import make_hierarchy
from orchestration.assets.descriptions import TABLES
from orchestration.assets.forecasting import LEVEL_COLUMNS, readable
from orchestration.assets.outputs import replace_table
from orchestration.cli import main


def test_the_demand_forecast_table_uses_readable_names_each_described():
    result = forecast(make_hierarchy(n_series=12, weeks=40), horizon=3, n_jobs=1)
    table = readable(result.assign(forecast_origin=pd.Timestamp("2023-10-02")))
    assert not {"ds", "yhat", "yhat_lower", "yhat_upper"} & set(table.columns)
    assert {"week_start", "units_forecast", "units_lower_80", "units_upper_95"} <= set(
        table.columns
    )
    assert set(table.columns) == set(TABLES["ml.demand_forecast"]["columns"])


def test_accuracy_tables_describe_every_column_they_write():
    assert set(COLUMNS) == set(TABLES["ml.forecast_accuracy"]["columns"])
    assert set(LEVEL_COLUMNS) == set(TABLES["ml.forecast_accuracy_by_level"]["columns"])


def test_replace_table_stores_the_descriptions_as_comments():
    conn = duckdb.connect()
    frame = pd.DataFrame({"level": ["total"], "n_series": [1]})
    replace_table(conn, "ml.forecast_accuracy_by_level", frame)
    comments = dict(conn.execute(
        "select column_name, comment from duckdb_columns() where table_name = "
        "'forecast_accuracy_by_level'"
    ).fetchall())
    assert comments["n_series"] == TABLES["ml.forecast_accuracy_by_level"]["columns"]["n_series"]
    (table_comment,) = conn.execute(
        "select comment from duckdb_tables() where table_name = 'forecast_accuracy_by_level'"
    ).fetchone()
    assert table_comment == TABLES["ml.forecast_accuracy_by_level"]["table"]


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("described") / "home"
    names = ("FORECOURT_HOME", "FORECOURT_WAREHOUSE", "DAGSTER_HOME")
    saved = {k: os.environ.get(k) for k in names}
    os.environ["FORECOURT_HOME"] = str(home)
    os.environ.pop("DAGSTER_HOME", None)
    os.environ.pop("FORECOURT_WAREHOUSE", None)
    generate(home / "landing", start=dt.date(2024, 1, 1), days=150, dealers=2, seed=3)
    assert main(["materialize"]) == 0
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.e2e  # builds a small demo warehouse through the CLI
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

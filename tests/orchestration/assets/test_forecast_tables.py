"""The forecast tables read as English: readable column names, and a comment on every column.

These fast tests check the dictionary against the columns the forecasting code writes;
``tests/e2e/test_described_tables.py`` reads the comments DuckDB stored for every ``ml`` and
``ops`` column of the shared demo home.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ml.forecasting import forecast
from ml.forecasting.backtest import COLUMNS
from ml.forecasting.synthetic import make_hierarchy
from orchestration.assets.descriptions import TABLES
from orchestration.assets.forecasting import LEVEL_COLUMNS, readable
from orchestration.assets.outputs import replace_table


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
    comments = dict(
        conn.execute(
            "select column_name, comment from duckdb_columns() where table_name = "
            "'forecast_accuracy_by_level'"
        ).fetchall()
    )
    assert comments["n_series"] == TABLES["ml.forecast_accuracy_by_level"]["columns"]["n_series"]
    (table_comment,) = conn.execute(
        "select comment from duckdb_tables() where table_name = 'forecast_accuracy_by_level'"
    ).fetchone()
    assert table_comment == TABLES["ml.forecast_accuracy_by_level"]["table"]

"""The forecasting assets through Dagster on either engine: the same tables from the same marts.

A small dealer network's weekly sales stand in for marts.demand_weekly, written once to DuckDB
and once to Spark's Parquet warehouse; the backtest and the forecast are materialized on each
(`WarehouseResource(engine=...)`), and the ml tables they write must agree, forecasts within 1e-6
(on Spark the forecast runs through `ml.forecasting.spark`). The segment asset on Spark writes
its two vocabulary views as tables that agree with ml.customer_segments. The lifetime value
model's per-customer totals, computed by Spark, equal the pandas ones.
"""

from __future__ import annotations

import dagster as dg
import numpy as np
import pandas as pd
import pytest

from landing.warehouse.duck import DuckDBWarehouse
from landing.warehouse.spark import SparkWarehouse
from ml.customers.ltv import holdout_data
from ml.customers.transactions import customers_to_fit, prepare_transactions
from ml.forecasting.synthetic import make_hierarchy
from orchestration.assets.customer_history import TransactionHistory
from orchestration.assets.customers import customer_segments
from orchestration.assets.descriptions import TABLES
from orchestration.assets.forecasting import demand_forecast, forecast_accuracy
from orchestration.resources import WarehouseResource
from tests.ml.customers.synthetic import planted_rfm
from tests.orchestration.assets.customer_history_cases import (
    AS_OF,
    assert_same_totals,
    customer_mart,
    pandas_totals,
)
from tests.spark_local import spark  # noqa: F401  (the session fixture)

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:.*pandas >= 3.0.0.*:FutureWarning")]
CONFIG = {"horizon_weeks": 6, "backtest_folds": 2, "n_jobs": 1}
KEY = ["level", "unique_id", "week_start"]


def _materialize(engine: str) -> None:
    result = dg.materialize(
        [forecast_accuracy, demand_forecast],
        resources={"warehouse": WarehouseResource(engine=engine)},
        run_config={"ops": {name: {"config": CONFIG} for name in
                            ("ml__forecast_accuracy", "ml__demand_forecast")}},
    )
    assert result.success


def test_the_forecast_assets_write_the_same_tables_on_spark_and_duckdb(
    spark, forecourt_home  # noqa: F811
):
    series = make_hierarchy(n_series=12, weeks=70, random_state=5)
    duck = DuckDBWarehouse(forecourt_home / "warehouse.duckdb")
    sparked = SparkWarehouse(forecourt_home / "spark" / "warehouse", spark=spark)
    for warehouse in (duck, sparked):
        warehouse.replace_table("marts.demand_weekly", series)
    _materialize("duckdb")
    _materialize("spark")

    local = duck.read_frame("ml.demand_forecast").sort_values(KEY, ignore_index=True)
    remote = sparked.read_frame("ml.demand_forecast").sort_values(KEY, ignore_index=True)
    assert len(local) == 12 * CONFIG["horizon_weeks"] and list(remote.columns) == list(
        local.columns
    )
    assert remote["method"].tolist() == local["method"].tolist()
    numbers = [c for c in local.columns if c.startswith("units_")]
    np.testing.assert_allclose(remote[numbers], local[numbers], rtol=0, atol=1e-6)
    assert (pd.to_datetime(remote["week_start"]) == pd.to_datetime(local["week_start"])).all()

    scores = ["level", "unique_id", "model"]
    a = duck.read_frame("ml.forecast_accuracy").sort_values(scores, ignore_index=True)
    b = sparked.read_frame("ml.forecast_accuracy").sort_values(scores, ignore_index=True)
    np.testing.assert_allclose(b["mase"], a["mase"], rtol=0, atol=1e-9)
    described = sparked.comments("ml.demand_forecast")
    assert described == {"": TABLES["ml.demand_forecast"]["table"],
                         **TABLES["ml.demand_forecast"]["columns"]}


def test_the_segment_asset_writes_the_vocabulary_views_on_spark_as_tables_that_match(
    spark, forecourt_home  # noqa: F811
):
    # Spark's catalog here lives as long as a session, so each view is a table of its rows.
    rfm = planted_rfm(4, per_group=30)
    sparked = SparkWarehouse(forecourt_home / "spark" / "warehouse", spark=spark)
    sparked.replace_table("marts.customer_rfm", rfm)
    result = dg.materialize(
        [customer_segments], resources={"warehouse": WarehouseResource(engine="spark")}
    )
    assert result.success
    segments = sparked.read_frame("ml.customer_segments")
    for view, label in (("ml.customer_lifecycle", "lifecycle_stage"),
                        ("ml.customer_engagement", "engagement_tier")):
        rows = sparked.read_frame(view)
        merged = rows.merge(segments, on="customer_id", suffixes=("", "_segments"))
        assert len(merged) == len(rows) == len(rfm), view
        assert (merged[label] == merged[f"{label}_segments"]).all(), view
        assert (merged["revenue"] == merged["revenue_segments"]).all(), view
        assert sparked.comments(view) == {"": TABLES[view]["table"], **TABLES[view]["columns"]}


def test_the_lifetime_value_totals_on_spark_equal_the_pandas_totals(
    spark, forecourt_home, transactions  # noqa: F811
):
    # orchestration/assets/customer_history.py's SQL, on Spark (tests/orchestration/assets/
    # test_customer_history.py proves it on DuckDB, with the same awkward rows)
    frame = prepare_transactions(transactions).assign(transaction_id="T")
    sparked = SparkWarehouse(forecourt_home / "spark" / "warehouse", spark=spark)
    sparked.replace_table("marts.customer_transactions", frame)
    history = TransactionHistory(WarehouseResource(engine="spark"))
    assert_same_totals(history.totals(AS_OF), pandas_totals(transactions, AS_OF))
    # without the customers' mart: every customer in one group
    data, expected = history.holdout_data("2024-01-01", 12), holdout_data(transactions,
                                                                          "2024-01-01", 12)
    assert_same_totals(data.train, expected.train)
    assert data.repeat_customers == expected.repeat_customers
    # with it: groups, and its customers without transactions (a full outer join)
    rfm = customer_mart()
    sparked.replace_table("marts.customer_rfm", rfm)
    assert_same_totals(history.customers_to_fit(AS_OF),
                       customers_to_fit(pandas_totals(transactions, AS_OF), AS_OF, rfm,
                                        "customer_type"))
    data = history.holdout_data("2024-01-01", 12)
    expected = holdout_data(transactions, "2024-01-01", 12, rfm=rfm)
    assert_same_totals(data.train.assign(actual=data.actual),
                       expected.train.assign(actual=expected.actual))

"""The lifetime value model's inputs computed in the warehouse equal the pandas ones.

customer_lifetime_value reads per-customer totals that DuckDB computes from
marts.customer_transactions (orchestration/assets/customer_history.py) instead of every
transaction; ml.customers computes the same from a frame. Both run here on one history with the
awkward rows a DMS gives: several rows a day, unknown and partly known gross, kinds in any case
and padded, rows without a customer, a day or an amount.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from ml.customers import GammaPoissonLtv, ltv_holdout, ltv_verdict, publish_ltv
from ml.customers.ltv import holdout_data, ltv_holdout_from_data, publish_fitted_ltv
from ml.customers.transactions import prepare_transactions
from orchestration.assets.customer_history import TransactionHistory
from orchestration.resources import WarehouseResource
from tests.ml.customers.synthetic import simulate_dealer
from tests.orchestration.assets.customer_history_cases import (
    AS_OF,
    assert_same_totals,
    pandas_totals,
)


@pytest.fixture(scope="module")
def rfm(transactions) -> pd.DataFrame:
    _, rfm = simulate_dealer(n_customers=300, months=36, seed=3)
    return rfm


@pytest.fixture(scope="module")
def history(transactions, tmp_path_factory) -> TransactionHistory:
    path = tmp_path_factory.mktemp("customer_history") / "warehouse.duckdb"
    frame = transactions.assign(transaction_id=[f"T{i}" for i in range(len(transactions))])
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.register("frame", frame)
        conn.execute(
            "create table marts.customer_transactions as select transaction_id, customer_id, "
            "cast(date as date) as date, cast(amount as decimal(12, 2)) as amount, "
            "cast(gross as decimal(12, 2)) as gross, kind from frame"
        )
    return TransactionHistory(WarehouseResource(path=str(path)))


@pytest.mark.parametrize("through", ["2024-12-31", "2023-06-30", "2019-01-01"])
def test_the_warehouse_totals_equal_the_pandas_totals(history, transactions, through):
    assert_same_totals(history.totals(through), pandas_totals(transactions, through))


def test_the_awkward_rows_are_counted_as_the_model_counts_them(history):
    totals = history.totals(AS_OF).set_index("customer_id")
    a1 = totals.loc["A1"]
    # one vehicle event (two rows, one day), two service days; one repeat (June)
    assert (a1["n_vehicle"], a1["x_vehicle"], a1["n_service"], a1["x_service"]) == (1, 0, 2, 1)
    assert a1["amount_vehicle"] == 31_000 and a1["gross_vehicle"] == 2_000
    assert a1["gross_base_vehicle"] == 31_000  # the day's gross is known, so all its revenue
    assert a1["gross_known_events"] == 1
    assert totals.loc["A2", "amount_service"] == 300  # the missing amount counts as 0
    assert "A3" not in totals.index and None not in totals.index


def test_span_and_repeat_customers_match_the_frame(history, transactions):
    tx = prepare_transactions(transactions)
    assert history.span() == (tx["date"].min().date(), tx["date"].max().date())
    repeaters = int((tx.groupby("customer_id")["date"].nunique() >= 2).sum())
    assert history.repeat_customers() == repeaters
    assert history.repeat_customers(before="2000-01-01") == 0


def test_the_holdout_from_the_warehouse_equals_the_holdout_from_the_frame(
    history, transactions, rfm
):
    cutoff, horizon = pd.Timestamp("2024-01-01"), 12
    data = history.holdout_data(cutoff, horizon)
    expected = holdout_data(transactions, cutoff, horizon)
    assert_same_totals(data.train, expected.train)
    pd.testing.assert_series_equal(data.actual.sort_index(), expected.actual.sort_index(),
                                   check_names=False, check_index_type=False)
    assert data.repeat_customers == expected.repeat_customers
    from_warehouse = ltv_holdout_from_data(data, cutoff, horizon, rfm)
    from_frame = ltv_holdout(transactions, cutoff, horizon, rfm)
    pd.testing.assert_frame_equal(from_warehouse.summary, from_frame.summary, rtol=1e-9)


def test_published_lifetime_values_from_the_warehouse_equal_those_from_the_frame(
    history, transactions, rfm
):
    verdict = ltv_verdict(None, 1)  # publishes nothing: compare the model's own columns
    model = GammaPoissonLtv().fit_totals(history.totals(AS_OF), rfm, AS_OF)
    warehouse = publish_fitted_ltv(model, verdict).set_index("customer_id").sort_index()
    frame = publish_ltv(transactions, verdict, rfm, as_of=AS_OF).set_index("customer_id")
    pd.testing.assert_frame_equal(warehouse, frame.sort_index(), rtol=1e-9,
                                  check_index_type=False)
    assert warehouse["model_predicted_ltv"].sum() > 0


def test_an_unknown_kind_names_the_value_and_a_row(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.customer_transactions as select * from (values "
            "('T1', 'C1', date '2024-01-01', 10.0, null, 'service'), "
            "('T2', 'C1', date '2024-01-02', 10.0, null, 'parts')) "
            "as t(transaction_id, customer_id, date, amount, gross, kind)"
        )
    with pytest.raises(ValueError, match=r"'parts' in 1 row\(s\), e.g. transaction_id T2"):
        TransactionHistory(WarehouseResource(path=str(path))).check_kinds()


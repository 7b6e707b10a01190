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
from ml.customers.transactions import customers_to_fit, prepare_transactions
from orchestration.assets.customer_history import TransactionHistory
from orchestration.resources import WarehouseResource
from tests.orchestration.assets.customer_history_cases import (
    AS_OF,
    assert_same_totals,
    customer_mart,
    pandas_totals,
)


@pytest.fixture(scope="module")
def rfm() -> pd.DataFrame:
    return customer_mart()


@pytest.fixture(scope="module")
def history(transactions, rfm, tmp_path_factory) -> TransactionHistory:
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
        conn.register("rfm", rfm)
        conn.execute("create table marts.customer_rfm as select * exclude (first_purchase_date), "
                     "cast(first_purchase_date as date) as first_purchase_date from rfm")
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


@pytest.mark.parametrize("group_col", ["customer_type", None, "not_a_column"])
def test_the_customers_to_fit_from_the_warehouse_equal_those_from_the_frame(
    history, transactions, rfm, group_col
):
    from_warehouse = history.customers_to_fit(AS_OF, group_col)
    expected = customers_to_fit(pandas_totals(transactions, AS_OF), AS_OF, rfm, group_col)
    assert_same_totals(from_warehouse, expected)
    fitted = from_warehouse.set_index("customer_id")
    assert "R3" not in fitted.index  # first purchase after the as-of day
    assert fitted.loc["R2", "birth"] == AS_OF and fitted.loc["R1", "n_vehicle"] == 0
    if group_col == "customer_type":
        assert fitted.loc["A1", "group"] == "fleet"
        assert fitted.loc["R4", "group"] == fitted.loc["A2", "group"] == "unknown"
    else:
        assert set(fitted["group"]) == {"all"}


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
    expected = holdout_data(transactions, cutoff, horizon, rfm=rfm)
    assert_same_totals(data.train.assign(actual=data.actual),
                       expected.train.assign(actual=expected.actual))
    assert data.repeat_customers == expected.repeat_customers
    assert data.actual.sum() > 0 and set(data.train["group"]) == {"retail", "fleet"}
    from_warehouse = ltv_holdout_from_data(data, cutoff, horizon)
    from_frame = ltv_holdout(transactions, cutoff, horizon, rfm)
    pd.testing.assert_frame_equal(from_warehouse.summary, from_frame.summary, rtol=1e-9)


def test_published_lifetime_values_from_the_warehouse_equal_those_from_the_frame(
    history, transactions, rfm
):
    verdict = ltv_verdict(None, 1)  # publishes nothing: compare the model's own columns
    model = GammaPoissonLtv().fit_customers(history.customers_to_fit(AS_OF), AS_OF)
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



@pytest.mark.parametrize(
    ("segmented_ids", "expected"),
    [
        # the daily case: the same customers in the same order, taken by position
        (["C1", "C2", "C3"], ["Loyal", "Active", "Lapsed"]),
        # a customer without a segment, and one segmented but no longer valued: looked up
        (["C1", "C3", "C9"], ["Loyal", "Unassigned", "Active"]),
    ],
)
def test_each_customer_gets_their_own_segment(tmp_path, segmented_ids, expected):
    from orchestration.assets.customers import _segments_of

    path = tmp_path / "warehouse.duckdb"
    segments = pd.DataFrame({"customer_id": segmented_ids,
                             "segment": ["Loyal", "Active", "Lapsed"]})
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema ml")
        conn.register("segments", segments)
        conn.execute("create table ml.customer_segments as select * from segments")
    warehouse = WarehouseResource(path=str(path))
    ids = pd.Series(["C1", "C2", "C3"], index=[10, 11, 12])
    found = _segments_of(ids, warehouse, segmented=True)
    assert found.tolist() == expected and found.index.tolist() == [10, 11, 12]
    assert _segments_of(ids, warehouse, segmented=False).tolist() == ["Unassigned"] * 3


def test_an_empty_customer_mart_leaves_every_customer_of_unknown_type(transactions, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.register("frame", transactions)
        conn.execute("create table marts.customer_transactions as select * from frame")
        conn.execute("create table marts.customer_rfm (customer_id varchar, "
                     "customer_type varchar, first_purchase_date date)")
    history = TransactionHistory(WarehouseResource(path=str(path)))
    empty = pd.DataFrame({"customer_id": pd.Series(dtype=str),
                          "customer_type": pd.Series(dtype=str)})
    found = history.customers_to_fit(AS_OF)
    assert_same_totals(found, customers_to_fit(pandas_totals(transactions, AS_OF), AS_OF,
                                               empty, "customer_type"))
    assert set(found["group"]) == {"unknown"}


def test_a_holdout_whose_actuals_do_not_line_up_with_its_customers_is_refused(history):
    data = history.holdout_data("2024-01-01", 12)
    short = type(data)(data.train, data.actual[:-1], data.first_date, data.last_date,
                       data.repeat_customers)
    with pytest.raises(ValueError, match="one per row of train"):
        ltv_holdout_from_data(short, "2024-01-01", 12)

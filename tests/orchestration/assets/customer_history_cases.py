"""A customer history with the awkward rows a DMS gives, and how to compare the lifetime value
model's per-customer totals (shared by the DuckDB and the Spark tests of
orchestration/assets/customer_history.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.customers.transactions import customer_totals, prepare_transactions
from tests.ml.customers.synthetic import simulate_dealer

AS_OF = pd.Timestamp("2024-12-31")
AWKWARD = pd.DataFrame(
    [
        # two rows of one order on one day, then a service visit with unknown gross
        ("A1", "2023-03-01", 30_000.0, 2_000.0, "vehicle"),
        ("A1", "2023-03-01", 1_000.0, None, "Vehicle "),
        ("A1", "2023-03-01", 250.0, None, "service"),
        ("A1", "2024-06-10", 400.0, None, " SERVICE"),
        # a missing amount counts as 0; rows without a customer or a day are left out
        ("A2", "2024-01-05", None, 100.0, "service"),
        ("A2", "2024-02-05", 300.0, 50.0, "service"),
        (None, "2024-02-05", 999.0, 1.0, "service"),
        ("A3", None, 999.0, 1.0, "vehicle"),
        # a one-time buyer on the as-of day
        ("A4", "2024-12-31", 25_000.0, 1_500.0, "vehicle"),
    ],
    columns=["customer_id", "date", "amount", "gross", "kind"],
)


def customer_history() -> pd.DataFrame:
    """A simulated dealer's transactions with AWKWARD's rows."""
    tx, _ = simulate_dealer(n_customers=300, months=36, seed=3)
    # cents, as the mart stores them; service gross unknown, as in the DMS feed
    tx = tx.assign(amount=tx["amount"].round(2),
                   gross=tx["gross"].round(2).where(tx["kind"] == "vehicle"))
    both = pd.concat([tx.assign(date=tx["date"].dt.strftime("%Y-%m-%d")), AWKWARD])
    return both.reset_index(drop=True)


def customer_mart() -> pd.DataFrame:
    """marts.customer_rfm of customer_history's dealer, with the awkward customers: A1's type
    in capitals; without transactions, one who bought before the as-of day, one with no first
    purchase (starts on the as-of day), one who buys after it (left out), one without a type."""
    _, rfm = simulate_dealer(n_customers=300, months=36, seed=3)
    extra = pd.DataFrame(
        [
            ("A1", "FLEET", "2023-03-01"),
            ("R1", "retail", "2022-01-01"),
            ("R2", "retail", None),
            ("R3", "retail", "2025-03-01"),
            ("R4", None, "2023-01-01"),
        ],
        columns=["customer_id", "customer_type", "first_purchase_date"],
    ).astype({"first_purchase_date": "datetime64[ns]"})
    return pd.concat([rfm, extra.assign(as_of_date=rfm["as_of_date"].max())],
                     ignore_index=True)


def pandas_totals(transactions, through) -> pd.DataFrame:
    tx = prepare_transactions(transactions)
    return customer_totals(tx[tx["date"] <= pd.Timestamp(through)])


def assert_same_totals(warehouse: pd.DataFrame, frame: pd.DataFrame) -> None:
    warehouse = warehouse.sort_values("customer_id").reset_index(drop=True)
    frame = frame.sort_values("customer_id").reset_index(drop=True)
    assert list(warehouse.columns) == list(frame.columns)
    assert warehouse["customer_id"].tolist() == frame["customer_id"].tolist()
    for column in ("birth", "last"):
        assert (warehouse[column] == frame[column]).all(), column
    if "group" in frame.columns:
        assert warehouse["group"].tolist() == frame["group"].tolist()
    numbers = [c for c in frame.columns if c not in ("customer_id", "birth", "last", "group")]
    np.testing.assert_allclose(warehouse[numbers].to_numpy(float),
                               frame[numbers].to_numpy(float), rtol=1e-9, atol=1e-6)

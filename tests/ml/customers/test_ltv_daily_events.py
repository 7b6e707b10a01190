"""An order itemised into many rows is one purchase to the lifetime value model."""

from __future__ import annotations

import pandas as pd
import pytest

from ml.customers import predict_ltv
from tests.ml.customers.synthetic import regular_history


def test_an_order_split_into_unit_rows_is_valued_like_one_row_per_order():
    orders = pd.concat(
        [regular_history(f"C{i}", "2023-01-15", 24, kind="vehicle", amount=1_000.0,
                         gross=200.0) for i in range(10)],
        ignore_index=True,
    )
    units = pd.concat([orders.assign(amount=100.0, gross=20.0)] * 10, ignore_index=True)
    by_order = predict_ltv(orders, as_of="2024-12-31").set_index("customer_id")
    by_unit = predict_ltv(units, as_of="2024-12-31").set_index("customer_id")
    assert by_unit["p_alive"].to_numpy() == pytest.approx(by_order["p_alive"].to_numpy())
    assert by_unit["predicted_revenue"].to_numpy() == pytest.approx(
        by_order["predicted_revenue"].to_numpy(), rel=1e-6
    )
    assert by_order["predicted_revenue"].min() > 10_000  # a monthly buyer stays valuable

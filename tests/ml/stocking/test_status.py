"""Status rules at their boundaries, through the plan and directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.stocking import StockingParams, stock_status, stocking_plan
from tests.ml.stocking.helpers import AS_OF, DEALERS, stock, weekly_sales

# z = 0 makes safety stock 0 and the reorder point exactly 3 weeks x 2 a week = 6 units;
# 25 units are 25 / (2/7) = 87.5 days of supply.
NO_SAFETY = StockingParams(history_weeks=4, service_level=0.5, overstock_days_supply=87.5)


@pytest.mark.parametrize(
    ("on_hand", "status", "buy"),
    [
        (0, "critical", 13),  # nothing on hand, demand 2 a week, target 13
        (1, "low", 12),  # above safety stock (0), under the reorder point (6)
        (5, "low", 8),
        (6, "ok", 0),  # at the reorder point is not below it
        (25, "ok", 0),  # 87.5 days supply is not above 87.5
        (26, "overstock", 0),  # 91 days
    ],
)
def test_status_boundaries_through_the_plan(on_hand, status, buy):
    sales = weekly_sales("D01", "Honda", "Civic", [1, 3, 1, 3])
    inventory = stock("D01", "Honda", "Civic", on_hand)
    plan = stocking_plan(inventory, sales, None, None, DEALERS, NO_SAFETY, as_of=AS_OF)
    r = plan.loc[plan["dealer_id"] == "D01"].iloc[0]
    assert r["reorder_point"] == pytest.approx(6.0)
    assert r["status"] == status
    assert r["recommended_units"] == buy


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_on_hand_equal_to_safety_stock_is_critical_and_just_above_is_low():
    params = StockingParams()
    plan = frame(
        units_on_hand=[3, 3, 5],
        weekly_demand=[2.0, 2.0, 2.0],
        safety_stock=[3.0, 2.99, 2.0],
        reorder_point=[5.0, 5.0, 5.0],
        days_supply=[10.5, 10.5, 17.5],
    )
    assert list(stock_status(plan, params)) == ["critical", "low", "ok"]


def test_immaterial_demand_is_never_critical_or_low():
    params = StockingParams(min_weekly_demand=0.1)
    plan = frame(
        units_on_hand=[0, 0],
        weekly_demand=[0.099, 0.1],
        safety_stock=[0.0, 0.0],
        reorder_point=[0.3, 0.3],
        days_supply=[0.0, 0.0],
    )
    assert list(stock_status(plan, params)) == ["ok", "critical"]


def test_zero_demand_zero_stock_is_ok_and_zero_demand_with_stock_is_overstock():
    plan = frame(
        units_on_hand=[0, 2],
        weekly_demand=[0.0, 0.0],
        safety_stock=[0.0, 0.0],
        reorder_point=[0.0, 0.0],
        days_supply=[0.0, np.inf],
    )
    assert list(stock_status(plan, StockingParams())) == ["ok", "overstock"]


def test_immaterial_demand_gets_no_buy_even_with_nothing_on_hand():
    # One sale in 26 weeks: 0.04 a week, under the 0.1 default.
    sales = weekly_sales("D02", "Jeep", "Wrangler", [1] + [0] * 25)
    plan = stocking_plan(None, sales, None, None, DEALERS, as_of=AS_OF)
    r = plan.iloc[0]
    assert r["weekly_demand"] == pytest.approx(1 / 26)
    assert (r["status"], r["recommended_units"], r["target_stock"]) == ("ok", 0, 0)

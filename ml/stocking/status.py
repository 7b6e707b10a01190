"""Stocking status of a plan row: critical, low, overstock or ok."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.stocking.params import StockingParams

STATUSES = ("critical", "low", "overstock", "ok")


def stock_status(plan: pd.DataFrame, params: StockingParams) -> pd.Series:
    """The status of each row, the first rule that holds, in this order.

    Demand is *material* when ``weekly_demand >= params.min_weekly_demand``.

    1. 'critical': material demand and ``units_on_hand <= safety_stock`` (this includes no
       stock at all, since safety stock is never negative).
    2. 'low': material demand and ``units_on_hand < reorder_point``.
    3. 'overstock': ``units_on_hand > 0`` and ``days_supply > overstock_days_supply`` (stock
       without demand has infinite days supply, so it lands here).
    4. 'ok': everything else.
    """
    material = plan["weekly_demand"] >= params.min_weekly_demand
    on_hand = plan["units_on_hand"]
    conditions = [
        material & (on_hand <= plan["safety_stock"]),
        material & (on_hand < plan["reorder_point"]),
        (on_hand > 0) & (plan["days_supply"] > params.overstock_days_supply),
    ]
    return pd.Series(np.select(conditions, list(STATUSES[:3]), default="ok"), index=plan.index)

"""The stock-out outlook: expected sales before the next delivery against stock on hand."""

import numpy as np
import pandas as pd
import pytest

from ml.stocking.stockout import stockout_outlook

PLAN_DATE = pd.Timestamp("2025-03-03")  # a Monday


def plan(rows):
    return pd.DataFrame(
        [{"dealer_id": d, "group_key": g, "units_on_hand": on_hand, "weekly_demand": weekly,
          "plan_date": PLAN_DATE} for d, g, on_hand, weekly in rows])


def dealer_forecast(dealer="D01", shape=(1, 1, 1, 1, 1, 2, 0)):
    days = pd.date_range(PLAN_DATE, periods=14, freq="D")
    return pd.DataFrame({"unique_id": f"dealer={dealer}", "level": "dealer", "ds": days,
                         "yhat": np.tile(shape, 2).astype(float)})


def test_a_fast_seller_with_little_stock_runs_out_before_the_delivery():
    out = stockout_outlook(plan([("D01", "Ford F-150", 2, 7.0), ("D01", "Kia Rio", 9, 1.0)]),
                           dealer_forecast(), lead_time_days=7)
    fast, slow = out.iloc[0], out.iloc[1]
    assert fast["status"] == "stockout_before_delivery"
    # 7 a week spread 1,1,1,1,1,2,0 over 7/7: two units are likely gone on the second day
    assert fast["stockout_date"] == PLAN_DATE + pd.Timedelta(days=1)
    assert fast["expected_units_before_delivery"] == pytest.approx(7.0)
    assert slow["status"] == "covered" and pd.isna(slow["stockout_date"])
    assert slow["next_delivery_date"] == PLAN_DATE + pd.Timedelta(days=7)


def test_the_dealer_daily_shape_moves_the_stockout_day():
    # 1 unit, 1 a week: the flat rate reaches 0.69 expected units on day 5 (index 4); with no
    # sales on Monday to Friday and all on Saturday it is Saturday
    rows = plan([("D01", "Ford F-150", 1, 1.0)])
    flat = stockout_outlook(rows, None, lead_time_days=14)
    weekend = stockout_outlook(rows, dealer_forecast(shape=(0, 0, 0, 0, 0, 1, 0)), 14)
    assert flat.loc[0, "days_to_stockout"] == 4
    assert weekend.loc[0, "stockout_date"].day_name() == "Saturday"


def test_empty_and_slow_groups_are_labelled_not_alerted():
    out = stockout_outlook(plan([("D01", "A B", 0, 2.0), ("D01", "C D", 1, 0.1)]), None)
    assert list(out["status"]) == ["out_of_stock", "slow_mover"]


def test_a_lead_time_past_the_forecast_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="lead_time_days=21"):
        stockout_outlook(plan([("D01", "A B", 1, 1.0)]), None, lead_time_days=21)

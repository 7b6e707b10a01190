"""Stocking arithmetic against numbers worked out by hand in each test."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from ml.stocking import PLAN_COLUMNS, StockingParams, aged_units, stocking_plan
from tests.ml.stocking.helpers import AS_OF, DEALERS, forecast, stock, weekly_sales

FOUR_WEEKS = StockingParams(history_weeks=4)
Z95 = NormalDist().inv_cdf(0.95)


def row(plan: pd.DataFrame, dealer: str, group: str) -> pd.Series:
    hit = plan.loc[(plan["dealer_id"] == dealer) & (plan["group_key"] == group)]
    assert len(hit) == 1, f"expected one row for {dealer} {group}, got {len(hit)}"
    return hit.iloc[0]


def test_own_sales_rate_gives_textbook_safety_stock_reorder_point_and_buy():
    sales = weekly_sales("D01", "Honda", "Civic", [1, 3, 1, 3])
    market = pd.DataFrame(
        {
            "region": ["North"],
            "make": ["Honda"],
            "model": ["Civic"],
            "listings": [100],
            "median_asking_price": [22_000.0],
            "sold_rate_per_day": [2.5],
        }
    )
    plan = stocking_plan(
        stock("D01", "Honda", "Civic", 5), sales, None, market, DEALERS, FOUR_WEEKS, as_of=AS_OF
    )
    r = row(plan, "D01", "Honda Civic")

    weekly = (1 + 3 + 1 + 3) / 4  # 2 a week
    std = math.sqrt(((1 - 2) ** 2 * 2 + (3 - 2) ** 2 * 2) / 3)  # sample std of weekly sales
    safety = Z95 * std * math.sqrt(2 + 1)  # = 2 z, since std^2 x 3 = 4
    reorder = weekly * 3 + safety  # 6 + 3.29 = 9.29
    target = math.ceil(max(weekly / 7 * 45, reorder))  # 45 days of 2/7 a day = 12.86 -> 13
    assert r["weekly_demand"] == pytest.approx(weekly)
    assert r["demand_over_lead_time"] == pytest.approx(6.0)
    assert r["demand_std_weekly"] == pytest.approx(std)
    assert r["safety_stock"] == pytest.approx(safety)
    assert r["reorder_point"] == pytest.approx(reorder)
    assert r["target_stock"] == target == 13
    assert r["recommended_units"] == 13 - 5
    assert r["days_supply"] == pytest.approx(5 / (2 / 7))  # 17.5 days
    assert r["market_value"] == 22_000.0
    assert r["max_buy_cost"] == pytest.approx(22_000 * 0.85)
    assert r["market_days_supply"] == pytest.approx(100 / 2.5)
    assert r["status"] == "low"
    assert r["demand_source"] == "history"
    assert list(plan.columns) == PLAN_COLUMNS


def test_target_stock_never_sits_below_the_reorder_point():
    sales = weekly_sales("D01", "Honda", "Civic", [0, 6, 0, 6])  # mean 3, std sqrt(12)
    params = StockingParams(history_weeks=4, target_days_supply=30)
    plan = stocking_plan(None, sales, None, None, DEALERS, params, as_of=AS_OF)
    r = row(plan, "D01", "Honda Civic")
    reorder = 3 * 3 + Z95 * math.sqrt(12) * math.sqrt(3)  # 9 + 6 z = 18.87
    assert reorder > 3 / 7 * 30  # 12.9 units of days supply would sit under the reorder point
    assert r["target_stock"] == math.ceil(reorder) == 19
    assert r["recommended_units"] == 19
    assert r["status"] == "critical"


def test_group_forecast_is_split_by_smoothed_sales_share_over_the_next_weeks():
    sales = pd.concat(
        [
            weekly_sales("D01", "Toyota", "Camry", [3, 3, 3, 3]),
            weekly_sales("D03", "Toyota", "Camry", [1, 1, 1, 1]),
        ]
    )
    # Past weeks and weeks beyond lead time + review (3 weeks) must not count.
    fc = pd.concat(
        [
            forecast("Toyota", "Camry", [100.0, 100.0], start="2024-06-10"),
            forecast("Toyota", "Camry", [8.0, 10.0, 12.0, 50.0]),
        ]
    )
    plan = stocking_plan(None, sales, fc, None, DEALERS, FOUR_WEEKS, as_of=AS_OF)
    group_weekly = (8 + 10 + 12) / 3
    denominator = 16 + 0.5 * 3  # 16 group sales, 0.5 pseudo-sales for each of 3 dealers
    expected = {"D01": 12.5 / denominator, "D02": 0.5 / denominator, "D03": 4.5 / denominator}
    for dealer, share in expected.items():
        r = row(plan, dealer, "Toyota Camry")
        assert r["weekly_demand"] == pytest.approx(group_weekly * share)
        assert r["demand_source"] == "forecast"
    assert plan["weekly_demand"].sum() == pytest.approx(group_weekly)
    assert row(plan, "D02", "Toyota Camry")["demand_std_weekly"] == 0.0


def test_stale_or_missing_forecast_falls_back_to_own_sales_rate():
    sales = weekly_sales("D01", "Toyota", "Camry", [2, 2, 2, 2])
    stale = forecast("Toyota", "Camry", [40.0, 40.0], start="2024-05-06")
    for fc in (stale, None, pd.DataFrame()):
        r = row(
            stocking_plan(None, sales, fc, None, DEALERS, FOUR_WEEKS, as_of=AS_OF),
            "D01",
            "Toyota Camry",
        )
        assert r["weekly_demand"] == pytest.approx(2.0)
        assert r["demand_source"] == "history"


def test_stock_without_demand_is_overstock_with_infinite_days_supply():
    plan = stocking_plan(
        stock("D02", "Ford", "F-150", 3), None, None, None, DEALERS, FOUR_WEEKS, as_of=AS_OF
    )
    r = row(plan, "D02", "Ford F-150")
    assert r["weekly_demand"] == 0.0 and r["recommended_units"] == 0
    assert np.isinf(r["days_supply"])
    assert r["status"] == "overstock"
    assert r["region"] == "South"


def test_demand_without_stock_is_listed_as_critical():
    plan = stocking_plan(
        None, None, forecast("Toyota", "RAV4", [6.0] * 4), None, DEALERS, FOUR_WEEKS, as_of=AS_OF
    )
    assert set(plan["dealer_id"]) == {"D01", "D02", "D03"}  # no sales: an even split
    assert plan["weekly_demand"].to_numpy() == pytest.approx([2.0] * 3)
    assert (plan["units_on_hand"] == 0).all() and (plan["days_supply"] == 0).all()
    assert (plan["status"] == "critical").all()
    assert (plan["recommended_units"] == math.ceil(2 / 7 * 45)).all()  # 12.86 -> 13


def test_market_falls_back_to_national_and_to_days_on_market():
    market = pd.DataFrame(
        {
            "region": ["North", "East"],
            "make": "Honda",
            "model": "Civic",
            "listings": [100, 300],
            "median_asking_price": [22_000.0, 20_000.0],
            "avg_days_on_market": [50.0, 30.0],
            "sold_rate_per_day": [2.5, np.nan],
        }
    )
    inventory = pd.concat([stock(d, "Honda", "Civic", 1) for d in ("D01", "D02", "D03")])
    plan = stocking_plan(inventory, None, None, market, DEALERS, FOUR_WEEKS, as_of=AS_OF)
    east = row(plan, "D03", "Honda Civic")
    assert east["market_days_supply"] == pytest.approx(30.0)  # 300 / (300 / 30): Little's law
    south = row(plan, "D02", "Honda Civic")  # no South listings: national figures
    assert south["market_value"] == pytest.approx((100 * 22_000 + 300 * 20_000) / 400)
    assert south["market_days_supply"] == pytest.approx(400 / (2.5 + 300 / 30))
    assert south["max_buy_cost"] == pytest.approx(20_500 * 0.85)


def test_nothing_at_all_gives_an_empty_plan_with_the_columns():
    plan = stocking_plan(None, None, None, None, None)
    assert plan.empty and list(plan.columns) == PLAN_COLUMNS


def test_recommendations_are_non_negative_integers_on_random_data():
    rng = np.random.default_rng(3)
    models = [("Toyota", "Camry"), ("Honda", "Civic"), ("Ford", "F-150"), ("Jeep", "Wrangler")]
    sales = pd.concat(
        [
            weekly_sales(d, mk, md, list(rng.poisson(rng.uniform(0, 4), 26)))
            for d in DEALERS["dealer_id"]
            for mk, md in models
        ]
    )
    sizes = rng.integers(0, 30, (len(DEALERS), len(models)))
    inventory = pd.concat(
        [
            stock(d, mk, md, n, list(rng.integers(0, 120, n)))
            for d, counts in zip(DEALERS["dealer_id"], sizes, strict=True)
            for (mk, md), n in zip(models, counts, strict=True)
            if mk != "Toyota"
        ]
    )
    fc = forecast("Toyota", "Camry", [9.0, 11.0, 10.0])
    plan = stocking_plan(inventory, sales, fc, None, DEALERS, as_of=AS_OF)
    assert plan["recommended_units"].dtype.kind == "i"
    assert (plan["recommended_units"] >= 0).all()
    short = plan["status"].isin(["critical", "low"])
    assert (plan.loc[short, "recommended_units"] >= 1).all()
    assert (plan.loc[~short, "recommended_units"] == 0).all()
    buys = plan["recommended_units"] > 0
    assert (
        plan.loc[buys, "units_on_hand"] + plan.loc[buys, "recommended_units"]
        >= plan.loc[buys, "reorder_point"]
    ).all()


def test_ymmt_grain_splits_a_make_model_forecast_across_trims_seen():
    sales = pd.concat(
        [
            weekly_sales("D01", "Honda", "Civic", [2, 2, 2, 2], trim="EX"),
            weekly_sales("D01", "Honda", "Civic", [1, 1, 1, 1], trim="LX"),
        ]
    )
    plan = stocking_plan(
        None,
        sales,
        forecast("Honda", "Civic", [12.0] * 3),
        None,
        DEALERS,
        FOUR_WEEKS,
        grain="ymmt",
        as_of=AS_OF,
    )
    ex = row(plan, "D01", "2021 Honda Civic EX")
    # 12 sales, 3 dealers x 2 trims share 0.5 pseudo-sales each.
    assert ex["weekly_demand"] == pytest.approx(12 * 8.5 / (12 + 0.5 * 6))
    assert {"model_year", "trim"} <= set(plan.columns)
    assert plan["weekly_demand"].sum() == pytest.approx(12.0)


def test_aged_units_are_strictly_over_the_threshold():
    inventory = stock("D01", "Honda", "Civic", 4, days=[59, 60, 61, 90])
    aged = aged_units(inventory, aged_days=60)
    assert list(aged["days_in_stock"]) == [90, 61]
    assert list(aged["days_over"]) == [30, 1]
    plan = stocking_plan(inventory, None, None, None, DEALERS, FOUR_WEEKS, as_of=AS_OF)
    assert row(plan, "D01", "Honda Civic")["aged_units"] == 2


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(ValueError, match="grain"):
        stocking_plan(None, None, None, None, DEALERS, grain="vin")
    with pytest.raises(ValueError, match=r"sales is missing columns \['sale_date'\]"):
        stocking_plan(
            None,
            pd.DataFrame({"dealer_id": ["D01"], "make": ["Honda"], "model": ["Civic"]}),
            None,
            None,
            DEALERS,
        )
    with pytest.raises(ValueError, match="service_level"):
        StockingParams(service_level=1.0)

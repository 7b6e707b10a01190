"""Price-to-market, the age ladder, the gross floor, comps and holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.pricing import PricingPolicy, price_recommendations


def units(
    days: list[int], list_price: float = 20_000.0, cost: float = 15_000.0, **extra
) -> pd.DataFrame:
    n = len(days)
    frame = pd.DataFrame(
        {
            "stock_number": [f"D01-{i:04d}" for i in range(n)],
            "dealer_id": "D01",
            "region": "North",
            "make": "Toyota",
            "model": "Camry",
            "model_year": 2021,
            "days_in_stock": days,
            "list_price": list_price,
            "total_cost": cost,
        }
    )
    return frame.assign(**extra)


def test_age_bands_set_the_price_to_market_target():
    stock = units([0, 30, 31, 45, 46, 60, 61, 200], list_price=25_000.0)
    recs = price_recommendations(stock, [20_000.0] * 8)
    assert list(recs["age_bucket"].astype(str)) == [
        "0-30",
        "0-30",
        "31-45",
        "31-45",
        "46-60",
        "46-60",
        "60+",
        "60+",
    ]
    expected = [20_000, 20_000, 19_600, 19_600, 19_000, 19_000, 18_400, 18_400]
    assert list(recs["recommended_price"]) == expected
    assert list(recs["markdown"]) == [25_000 - p for p in expected]
    assert (recs["action"] == "markdown").all()
    assert recs["price_to_market"].tolist() == pytest.approx([1.25] * 8)
    assert recs["cost_to_market"].tolist() == pytest.approx([0.75] * 8)


def test_price_never_goes_under_cost_plus_minimum_gross():
    rng = np.random.default_rng(0)
    n = 500
    stock = units(
        list(rng.integers(0, 150, n)),
        list_price=rng.uniform(10_000, 40_000, n),
        cost=rng.uniform(8_000, 38_000, n),
    )
    recs = price_recommendations(stock, rng.uniform(9_000, 41_000, n), min_gross=750)
    assert (recs["recommended_price"] >= recs["total_cost"] + 750 - 1e-9).all()
    assert recs["floor_applied"].any() and not recs["floor_applied"].all()


def test_the_floor_overrides_the_ladder_and_is_flagged():
    stock = units([90, 90], list_price=[19_000.0, 18_000.0], cost=18_000.0)
    recs = price_recommendations(stock, [19_000.0] * 2, min_gross=500)  # ladder: 0.92 x 19k = 17.5k
    assert recs["floor_applied"].all() and (recs["recommended_price"] == 18_500).all()
    assert list(recs["action"]) == ["markdown", "raise"]
    assert list(recs["markdown"]) == [500, -500]


def test_prices_within_tolerance_are_held_and_cheap_units_are_raised():
    stock = units([10, 10], list_price=[19_900.0, 18_000.0])
    recs = price_recommendations(stock, [20_000.0, 20_000.0])
    assert list(recs["action"]) == ["hold", "raise"]
    assert list(recs["recommended_price"]) == [19_900, 20_000]
    assert list(recs["markdown"]) == [0, -2_000]


def test_policy_is_configurable():
    policy = PricingPolicy(bands=((20, 1.02), (None, 0.90)), round_to=0, hold_tolerance=0)
    recs = price_recommendations(units([5, 21]), [20_003.0, 20_003.0], policy=policy)
    assert list(recs["age_bucket"].astype(str)) == ["0-20", "20+"]
    assert recs["recommended_price"].tolist() == pytest.approx([20_003 * 1.02, 20_003 * 0.90])
    with pytest.raises(ValueError, match="open band"):
        PricingPolicy(bands=((30, 1.0), (60, 0.9)))


def test_comps_are_same_region_make_model_within_a_model_year():
    stock = units([10], list_price=21_000.0)
    comps = pd.DataFrame(
        {
            "region": ["North", "North", "North", "North", "South"],
            "make": "Toyota",
            "model": ["Camry", "Camry", "Camry", "Corolla", "Camry"],
            "model_year": [2020, 2022, 2023, 2021, 2021],
            "asking_price": [19_000.0, 21_000.0, 30_000.0, 15_000.0, 1.0],
        }
    )
    r = price_recommendations(stock, [20_000.0], comps).iloc[0]
    assert r["comp_count"] == 2 and r["comp_median_price"] == 20_000
    assert r["price_to_comps"] == pytest.approx(21_000 / 20_000)


def test_missing_comps_and_market_value_do_not_raise():
    stock = units([10, 50, 70], list_price=20_000.0)
    comps = pd.DataFrame(
        {
            "region": ["North"],
            "make": ["Toyota"],
            "model": ["Camry"],
            "model_year": [2021],
            "asking_price": [18_000.0],
        }
    )
    for c in (None, pd.DataFrame(), comps):
        recs = price_recommendations(stock, [np.nan, 20_000.0, np.nan], c)
        assert len(recs) == 3
    assert list(recs["price_basis"]) == ["comps", "market_value", "comps"]
    assert recs.iloc[2]["recommended_price"] == 16_600  # 18,000 comps x 0.92 = 16,560, rounded
    none = price_recommendations(stock, [np.nan] * 3, None)
    assert (none["price_basis"] == "list_price").all() and (none["action"] == "hold").all()
    assert none["comp_median_price"].isna().all() and (none["comp_count"] == 0).all()


def test_market_value_can_be_keyed_by_stock_number():
    stock = units([10, 10])
    table = pd.DataFrame(
        {"stock_number": ["D01-0001", "D01-0000"], "market_value": [30_000.0, 10_000.0]}
    )
    recs = price_recommendations(stock, table)
    assert list(recs["market_value"]) == [10_000, 30_000]


def test_stock_with_repeated_index_labels_keeps_one_row_per_unit():
    stock = pd.concat([units([10]), units([70])])  # both rows carry index label 0
    comps = pd.DataFrame(
        {
            "region": ["North"],
            "make": ["Toyota"],
            "model": ["Camry"],
            "model_year": [2021],
            "asking_price": [19_000.0],
        }
    )
    recs = price_recommendations(stock, [20_000.0, 20_000.0], comps)
    assert len(recs) == 2 and list(recs["comp_count"]) == [1, 1]
    assert list(recs["age_bucket"].astype(str)) == ["0-30", "60+"]

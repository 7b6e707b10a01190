"""Price sensitivity recovers a planted elasticity and reports a binned table."""

from __future__ import annotations

import numpy as np

from ml.pricing import price_sensitivity
from ml.pricing.synthetic import sensitivity_sales


def test_planted_elasticity_is_inside_the_confidence_interval():
    result = price_sensitivity(sensitivity_sales(elasticity=4.0, random_state=0))
    assert result["ci_low"] < 4.0 < result["ci_high"]
    assert result["ci_low"] > 0
    assert result["controls"] == ["make", "region"]
    assert result["n"] == 3000


def test_no_elasticity_gives_an_interval_around_zero():
    result = price_sensitivity(sensitivity_sales(elasticity=0.0, random_state=1))
    assert result["ci_low"] < 0 < result["ci_high"]


def test_binned_table_rises_with_price_to_market_when_elasticity_is_positive():
    bins = price_sensitivity(sensitivity_sales(elasticity=4.0))["bins"]
    assert bins["units"].sum() == 3000
    assert np.all(np.diff(bins["mean_days_to_sale"].to_numpy()) > 0)
    assert (bins["ci_low"] <= bins["mean_days_to_sale"]).all()


def test_price_to_market_is_derived_from_list_price_and_market_value():
    sold = sensitivity_sales(n=400).rename(columns={"price_to_market": "list_price"})
    sold["market_value"] = 1.0
    assert price_sensitivity(sold)["n"] == 400


def test_too_few_units_give_nan_not_an_error():
    result = price_sensitivity(sensitivity_sales(n=3))
    assert np.isnan(result["elasticity"]) and result["n"] == 3

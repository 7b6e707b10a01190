"""Price sensitivity recovers a planted elasticity and reports a binned table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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
    planted = sensitivity_sales(n=2000, elasticity=4.0, random_state=3)
    market_value = np.random.default_rng(3).uniform(12_000, 45_000, len(planted))
    sold = planted.drop(columns="price_to_market").assign(
        list_price=planted["price_to_market"] * market_value, market_value=market_value
    )
    result = price_sensitivity(sold)
    # The same fit done by hand: log(1 + days) on log(list / market) and the controls' dummies
    controls = pd.get_dummies(planted[["make", "region"]], drop_first=True, dtype=float)
    X = np.column_stack([np.ones(len(sold)), np.log(list_price_over_market(sold)), controls])
    beta = np.linalg.lstsq(X, np.log1p(sold["days_to_sale"].to_numpy()), rcond=None)[0]
    assert result["n"] == 2000 and result["controls"] == ["make", "region"]
    assert result["elasticity"] == pytest.approx(beta[1], rel=1e-9)
    assert result["ci_low"] < 4.0 < result["ci_high"]  # the planted value, with list over market


def list_price_over_market(sold: pd.DataFrame) -> np.ndarray:
    return sold["list_price"].to_numpy() / sold["market_value"].to_numpy()


def test_too_few_units_give_nan_not_an_error():
    result = price_sensitivity(sensitivity_sales(n=3))
    assert np.isnan(result["elasticity"]) and result["n"] == 3

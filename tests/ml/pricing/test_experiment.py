"""The experiment readout recovers planted effects, and says so with honest intervals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ml.pricing import READOUT_COLUMNS, experiment_readout
from ml.pricing.synthetic import experiment_sales


def by_metric(readout):
    return readout.set_index("metric")


@pytest.mark.parametrize("method", ["welch", "bootstrap"])
def test_a_large_planted_effect_is_inside_a_ci_that_excludes_zero(method):
    sold = experiment_sales(gross_effect=-400, days_effect=-10, random_state=1)
    readout = by_metric(experiment_readout(sold, method=method))
    for metric, effect in (("gross_per_unit", -400), ("days_to_sale", -10)):
        r = readout.loc[metric]
        assert r["ci_low"] <= effect <= r["ci_high"]
        assert r["ci_high"] < 0 and r["significant"]
        assert r["n_control"] == r["n_treatment"] == 800


@pytest.mark.parametrize("method", ["welch", "bootstrap"])
def test_no_planted_effect_gives_a_ci_that_includes_zero(method):
    readout = by_metric(experiment_readout(experiment_sales(random_state=2), method=method))
    assert (readout["ci_low"] < 0).all() and (readout["ci_high"] > 0).all()
    assert not readout["significant"].any()


def test_welch_interval_matches_scipy_and_relative_effect_is_against_control():
    sold = experiment_sales(gross_effect=-300, random_state=3)
    r = by_metric(experiment_readout(sold)).loc["gross_per_unit"]
    gross = sold["sale_price"] - sold["total_cost"]
    treated, control = (
        gross[sold["pricing_strategy"] == arm] for arm in ("aggressive", "standard")
    )
    ci = stats.ttest_ind(treated, control, equal_var=False).confidence_interval(0.95)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert r["difference"] == pytest.approx(treated.mean() - control.mean())
    assert r["relative_effect"] == pytest.approx(r["difference"] / control.mean())


def test_bootstrap_is_deterministic_for_a_seed():
    sold = experiment_sales(gross_effect=-100, random_state=4)
    first = experiment_readout(sold, method="bootstrap", random_state=5)
    again = experiment_readout(sold, method="bootstrap", random_state=5)
    assert first.equals(again)
    assert list(first.columns) == READOUT_COLUMNS


def test_tiny_arms_give_nan_intervals_not_errors():
    sold = experiment_sales(n_per_arm=1)
    readout = experiment_readout(sold)
    assert readout["ci_low"].isna().all() and not readout["significant"].any()
    with pytest.raises(ValueError, match="arm column"):
        experiment_readout(sold, arm_col="arm")
    assert np.isfinite(readout["difference"]).all()

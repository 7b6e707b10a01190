"""The lifetime value verdict: every method against zero and the naive average, per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.customers import compare_methods, ltv_holdout, ltv_verdict, publish_ltv
from tests.ml.customers.synthetic import simulate_dealer


def holdout_frame(actual, model, naive) -> pd.DataFrame:
    return pd.DataFrame({"actual": actual, "model": model, "naive_average": naive, "zero": 0.0})


def test_a_model_worse_than_zero_on_mae_is_not_said_to_beat_it():
    # Most customers buy nothing; the model spreads value over everyone (the demo's failure).
    actual = np.r_[np.zeros(90), np.full(10, 1_000.0)]
    table = compare_methods(holdout_frame(actual, np.full(100, 150.0), np.full(100, 400.0)))
    rows = table.set_index("method")
    assert rows.loc["model", "mae"] > rows.loc["zero", "mae"]
    assert not rows.loc["model", "mae_beats_zero"]
    assert rows.loc["model", "mae_beats_naive"]
    assert rows.loc["model", "bias"] == pytest.approx(15_000 - 10_000)
    assert rows.loc["model", "bias_share"] == pytest.approx(0.5)


def test_no_baseline_beats_itself_and_ties_are_no_win():
    table = compare_methods(holdout_frame(np.zeros(20), np.zeros(20), np.full(20, 5.0)))
    rows = table.set_index("method")
    beats = [c for c in table.columns if "_beats_" in c]
    assert len(beats) == 6
    assert not rows.loc["zero", [c for c in beats if c.endswith("zero")]].any()
    assert not rows.loc["naive_average", [c for c in beats if c.endswith("naive")]].any()
    assert not rows.loc["model", [c for c in beats if c.endswith("zero")]].any()  # tie with zero
    assert rows.loc["zero", ["mae_beats_naive", "rmse_beats_naive"]].all()


def test_the_model_is_published_only_when_it_beats_both_baselines_on_the_metric():
    actual = np.r_[np.zeros(90), np.full(10, 1_000.0)]
    table = compare_methods(holdout_frame(actual, np.full(100, 150.0), np.full(100, 400.0)))
    by_rmse = ltv_verdict(table, repeat_customers=10)
    assert (by_rmse.status, by_rmse.published, by_rmse.metric) == ("model", "model", "rmse")
    by_mae = ltv_verdict(table, repeat_customers=10, metric="mae")
    assert (by_mae.status, by_mae.published) == ("fallback", "zero")
    assert "does not beat" in by_mae.reason


def test_a_source_without_repeat_purchases_is_not_estimable():
    table = compare_methods(holdout_frame(np.zeros(50), np.zeros(50), np.full(50, 9.0)))
    verdict = ltv_verdict(table, repeat_customers=0)
    assert verdict.status == "not estimable" and verdict.published is None
    assert ltv_verdict(None, repeat_customers=3).status == "not measured"


def test_one_purchase_each_gives_a_not_estimable_holdout_and_empty_ltv():
    dates = pd.date_range("2023-01-01", periods=400, freq="D")
    tx = pd.DataFrame({"customer_id": [f"c{i}" for i in range(400)], "date": dates,
                       "amount": 30_000.0, "gross": 2_000.0, "kind": "vehicle"})
    result = ltv_holdout(tx, "2023-10-01", horizon_months=3)
    assert result.repeat_customers == 0
    verdict = result.verdict()
    assert verdict.status == "not estimable"
    ltv = publish_ltv(tx, verdict, as_of="2024-02-04")
    assert ltv["predicted_ltv"].isna().all() and (ltv["ltv_status"] == "not estimable").all()
    assert (ltv["model_predicted_ltv"] == 0).all()


def test_a_fallback_publishes_the_better_baseline_and_keeps_the_models_values():
    tx, rfm = simulate_dealer(n_customers=120, seed=2)
    table = compare_methods(holdout_frame(np.full(10, 100.0), np.full(10, 300.0),
                                          np.full(10, 80.0)))
    verdict = ltv_verdict(table, repeat_customers=5)
    assert (verdict.status, verdict.published) == ("fallback", "naive_average")
    ltv = publish_ltv(tx, verdict, rfm)
    assert (ltv["predicted_ltv"] == ltv["naive_predicted_ltv"]).all()
    assert (ltv["ltv_method"] == "naive_average").all()
    assert (ltv["model_predicted_ltv"] != ltv["predicted_ltv"]).any()


def test_on_a_simulated_dealer_the_model_beats_both_baselines_on_rmse_and_is_published():
    tx, rfm = simulate_dealer(n_customers=300, seed=1)
    result = ltv_holdout(tx, "2023-01-01", horizon_months=24, rfm=rfm)
    rows = result.summary.set_index("method")
    assert rows.loc["model", "rmse_beats_zero"] and rows.loc["model", "rmse_beats_naive"]
    assert result.verdict().published == "model"
    assert rows.loc["model", "bias_beats_zero"] and rows.loc["model", "bias_beats_naive"]

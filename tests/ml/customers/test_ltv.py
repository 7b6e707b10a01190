"""Lifetime value: history, the gamma-Poisson projection, discounting, and the holdout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.customers import GammaPoissonLtv, historical_ltv, ltv_holdout, predict_ltv
from tests.ml.customers.synthetic import regular_history, simulate_dealer

AS_OF = pd.Timestamp("2024-12-31")


def regulars(
    n: int,
    every_months: int,
    kind: str,
    prefix: str,
    months: int = 48,
    end: pd.Timestamp = AS_OF,
    **kwargs,
) -> pd.DataFrame:
    """``n`` identical customers with one event every ``every_months``, the last on ``end``."""
    events = months // every_months
    start = end - pd.Timedelta(days=(events - 1) * every_months * 30.4375)
    frames = []
    for i in range(n):
        h = regular_history(f"{prefix}{i}", str(start.date()), events, kind=kind, **kwargs)
        h["date"] = start + (h["date"] - h["date"].iloc[0]) * every_months
        frames.append(h)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize(
    ("kind", "every", "column"),
    [
        ("service", 1, "expected_service_visits"),
        ("service", 6, "expected_service_visits"),
        ("vehicle", 2, "expected_purchases"),
    ],
)
def test_a_customer_with_a_regular_rate_is_expected_to_keep_it(kind, every, column):
    tx = regulars(12, every, kind, "C")
    ltv = predict_ltv(tx, horizon_months=24, as_of=AS_OF)
    assert ltv[column].to_numpy() == pytest.approx(24 / every, rel=0.08)
    other = (
        "expected_purchases" if column == "expected_service_visits" else "expected_service_visits"
    )
    assert (ltv[other] == 0).all()


def test_faster_customers_are_expected_to_buy_more_even_after_shrinkage():
    tx = pd.concat([regulars(10, 1, "service", "M"), regulars(10, 3, "service", "Q")])
    ltv = predict_ltv(tx, horizon_months=24, as_of=AS_OF).set_index("customer_id")
    monthly, quarterly = ltv.loc[["M0", "Q0"], "expected_service_visits"]
    assert monthly == pytest.approx(24, rel=0.15) and quarterly == pytest.approx(8, rel=0.25)
    assert monthly > 2 * quarterly


def test_a_long_lapsed_customer_is_worth_less_than_an_identical_recent_one():
    crowd = regulars(20, 1, "service", "C")
    recent = regulars(1, 1, "service", "recent", months=24)
    lapsed = regulars(1, 1, "service", "lapsed", months=24, end=AS_OF - pd.Timedelta(days=540))
    ltv = predict_ltv(pd.concat([crowd, recent, lapsed]), as_of=AS_OF).set_index("customer_id")
    assert ltv.loc["lapsed0", "predicted_ltv"] < 0.2 * ltv.loc["recent0", "predicted_ltv"]
    assert ltv.loc["lapsed0", "p_alive"] < 0.05 < 0.9 < ltv.loc["recent0", "p_alive"]


def test_discounting_lowers_value_by_the_monthly_factor():
    # A near-endless customer lifetime leaves discounting as the only difference.
    tx = regulars(10, 1, "service", "C", amount=500.0, gross=250.0)
    model = GammaPoissonLtv(prior_lifetime_months=1e9).fit(tx, as_of=AS_OF)
    flat = model.predict(24, discount_rate_annual=0.0)
    discounted = model.predict(24, discount_rate_annual=0.10)
    factor = np.mean(1.10 ** (-np.arange(1, 25) / 12))
    ratio = discounted["predicted_ltv"] / flat["predicted_ltv"]
    assert ratio.to_numpy() == pytest.approx(factor, rel=1e-3)
    assert flat["predicted_revenue"].to_numpy() == pytest.approx(24 * 500.0, rel=0.05)
    assert flat["predicted_ltv"].to_numpy() == pytest.approx(24 * 250.0, rel=0.05)


def test_a_longer_horizon_is_worth_more():
    tx = regulars(5, 1, "service", "C")
    short = predict_ltv(tx, horizon_months=12, as_of=AS_OF)["predicted_ltv"]
    long = predict_ltv(tx, horizon_months=36, as_of=AS_OF)["predicted_ltv"]
    assert (long > 2.5 * short).all()


def test_history_sums_revenue_and_the_gross_that_is_known():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "date": ["2024-01-05", "2024-03-01", "2025-02-01", "2024-02-01"],
            "amount": [30_000.0, 400.0, 999.0, 25_000.0],
            "gross": [2_500.0, None, 1.0, None],
            "kind": ["vehicle", "service", "service", "Vehicle"],
        }
    )
    hist = historical_ltv(tx, as_of=AS_OF).set_index("customer_id")
    assert hist.loc["a", "historical_revenue"] == 30_400.0  # the 2025 row is after as_of
    assert hist.loc["a", "historical_gross"] == 2_500.0
    assert hist.loc["a", ["n_purchases", "n_service_visits"]].tolist() == [1, 1]
    assert np.isnan(hist.loc["b", "historical_gross"])


def test_unknown_gross_falls_back_to_the_default_margin():
    tx = regulars(5, 1, "service", "C", gross=None)
    ltv = predict_ltv(tx, as_of=AS_OF, default_margins={"service": 0.4})
    ratio = ltv["predicted_ltv"] / ltv["predicted_revenue"]
    assert ratio.to_numpy() == pytest.approx(0.4)


def test_a_brand_new_customer_borrows_the_group_rate():
    tx = pd.concat([regulars(10, 1, "service", "C"), regulars(1, 1, "service", "new", months=1)])
    ltv = predict_ltv(tx, as_of=AS_OF).set_index("customer_id")
    assert ltv.loc["new0", "service_rate_month"] == pytest.approx(1.0, rel=0.1)


def test_unknown_transaction_kinds_are_reported_with_their_rows():
    tx = regulars(1, 1, "service", "C", months=3).assign(kind=["service", "parts", "service"])
    with pytest.raises(ValueError, match=r"'parts'.*rows \[1\]"):
        predict_ltv(tx)


def test_the_model_beats_the_naive_baseline_on_a_simulated_dealer():
    tx, rfm = simulate_dealer(n_customers=300, seed=1)
    result = ltv_holdout(tx, "2023-01-01", horizon_months=24, rfm=rfm, value="gross")
    summary = result.summary.set_index("method")
    assert result.model_beats_naive
    assert summary.loc["model", "mae"] < summary.loc["zero", "mae"]
    total = summary.loc["model", "total_predicted"] / summary.loc["model", "total_actual"]
    assert 0.7 < total < 1.3
    assert len(result.per_customer) == summary.loc["model", "customers"]


def test_a_holdout_longer_than_the_data_is_refused():
    tx, _ = simulate_dealer(n_customers=50)
    with pytest.raises(ValueError, match="incomplete actuals"):
        ltv_holdout(tx, "2024-06-01", horizon_months=24)


def test_customers_alike_are_estimated_once_with_the_rates_each_would_get_alone():
    # The rate loop runs over each kind of customer (group, repeats, tenure, recency) once,
    # weighted by how many customers it stands for; customer by customer gives the same.
    tx, rfm = simulate_dealer(n_customers=400, months=36, seed=5)
    model = GammaPoissonLtv().fit(tx, rfm)
    c = model.customers_
    assert model.kinds_ < len(c)  # some customers are alike: the weights are exercised
    alone = GammaPoissonLtv()
    rates, alive = alone._estimate(
        c[["x_vehicle", "x_service"]].assign(tenure=c["tenure_months"],
                                             recency=c["recency_months"]),
        {group: (c["group"] == group).to_numpy() for group in c["group"].unique()},
        np.ones(len(c)),
    )
    assert alone.mu_ == pytest.approx(model.mu_, rel=1e-12)
    assert alone.iterations_ == model.iterations_
    np.testing.assert_allclose(rates["vehicle"], c["rate_vehicle"], rtol=1e-10)
    np.testing.assert_allclose(rates["service"], c["rate_service"], rtol=1e-10)
    np.testing.assert_allclose(alive, c["p_alive"], rtol=1e-10)
    pd.testing.assert_frame_equal(alone.priors_, model.priors_, rtol=1e-10)

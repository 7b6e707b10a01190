"""Tiny, empty, constant and repeat-free data sets flow through every step without raising."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.customers import (
    SINGLE_SEGMENT,
    CustomerSegmenter,
    acquisition_spend_guide,
    ltv_holdout,
    predict_ltv,
    segment_profiles,
    vip_vs_rest,
)
from tests.ml.customers.synthetic import planted_rfm

RFM_COLUMNS = [
    "customer_id",
    "customer_type",
    "gender",
    "annual_income",
    "recency_days",
    "frequency",
    "service_visits",
    "monetary",
    "service_revenue",
]


def one_purchase_each(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "customer_id": range(n),
            "customer_type": "retail",
            "gender": "Male",
            "annual_income": rng.normal(60_000, 9_000, n),
            "recency_days": rng.integers(0, 730, n),
            "frequency": 1,
            "service_visits": 0,
            "monetary": rng.uniform(12_000, 60_000, n),
            "service_revenue": 0.0,
        }
    )


DEGENERATE = {
    "empty": pd.DataFrame(columns=RFM_COLUMNS),
    "no columns at all": pd.DataFrame(),
    "one customer": planted_rfm(1, per_group=1),
    "two customers": planted_rfm(2, per_group=1),
    "fewer customers than k": planted_rfm(3, per_group=1),
    "all identical": pd.concat([planted_rfm(1, per_group=1)] * 12, ignore_index=True),
    "all frequency 1": one_purchase_each(),
    "only the core columns": planted_rfm(3)[
        ["customer_id", "recency_days", "frequency", "monetary"]
    ],
    "nulls everywhere": planted_rfm(2)
    .astype(object)
    .where(np.random.default_rng(1).random((80, 10)) > 0.3),
}


@pytest.mark.parametrize("rfm", DEGENERATE.values(), ids=DEGENERATE.keys())
def test_degenerate_customer_frames_never_raise(rfm):
    segmenter = CustomerSegmenter().fit(rfm)
    segments = segmenter.predict(rfm)
    assert len(segments) == len(rfm) and segments.notna().all()
    assert segments.nunique() <= segmenter.k_  # clusters with one name are one segment
    with_segments = rfm.assign(segment=segments)
    profiles = segment_profiles(with_segments)
    assert profiles["customers"].sum() == len(rfm)
    vip = vip_vs_rest(with_segments).set_index("metric")
    top_segment = vip["top_segment"].iloc[0]
    top_customers = int((segments == top_segment).sum()) if len(rfm) else 0
    assert (vip.loc["customers", "top"], vip.loc["customers", "rest"]) == (
        top_customers,
        len(rfm) - top_customers,
    )
    assert top_segment in set(segments) or rfm.empty
    guide = acquisition_spend_guide(profiles.assign(avg_predicted_ltv=1.0))
    assert guide["segment"].tolist() == profiles["segment"].tolist()
    assert np.allclose(guide["max_acquisition_spend"], 1.0 / 3.0)
    assert all(isinstance(text, str) and text for text in guide["explanation"])


@pytest.mark.parametrize("name", ["one customer", "two customers", "all identical"])
def test_too_little_variety_makes_one_segment(name):
    segments = CustomerSegmenter().fit_predict(DEGENERATE[name])
    assert set(segments) == {SINGLE_SEGMENT}


def test_one_time_buyers_split_by_recency_and_spend_not_frequency():
    rfm = one_purchase_each()
    segments = CustomerSegmenter().fit_predict(rfm)
    assert segments.nunique() >= 2
    assert not set(segments) & {"Loyal", "Active"}  # nobody has shown repeat behaviour


TRANSACTIONS = {
    "empty": pd.DataFrame(columns=["customer_id", "date", "amount", "gross", "kind"]),
    "no columns at all": pd.DataFrame(),
    "one transaction": pd.DataFrame(
        {
            "customer_id": ["a"],
            "date": ["2024-05-01"],
            "amount": [30_000.0],
            "gross": [None],
            "kind": ["vehicle"],
        }
    ),
    "everyone bought once on one day": pd.DataFrame(
        {"customer_id": list("abcdef"), "date": "2024-05-01", "amount": 25_000.0, "kind": "vehicle"}
    ),
    "all frequency 1": pd.DataFrame(
        {
            "customer_id": range(50),
            "date": pd.date_range("2022-01-01", periods=50, freq="14D"),
            "amount": 20_000.0,
            "gross": 1_500.0,
            "kind": "vehicle",
        }
    ),
}


@pytest.mark.parametrize("tx", TRANSACTIONS.values(), ids=TRANSACTIONS.keys())
def test_degenerate_histories_give_finite_ltv(tx):
    ltv = predict_ltv(tx)
    assert len(ltv) == tx["customer_id"].nunique() if len(tx) else ltv.empty
    numbers = ltv.select_dtypes("number").drop(columns=["historical_gross"], errors="ignore")
    assert np.isfinite(numbers.to_numpy(dtype=float)).all()
    assert (ltv["predicted_ltv"] >= 0).all()


def test_one_time_buyers_are_expected_to_buy_nothing_more():
    ltv = predict_ltv(TRANSACTIONS["all frequency 1"])
    assert (ltv["expected_purchases"] == 0).all() and (ltv["predicted_ltv"] == 0).all()
    # Recency still says who is more likely to still be around.
    assert ltv["p_alive"].iloc[-1] > ltv["p_alive"].iloc[0]


def test_customers_known_only_from_rfm_are_valued_from_their_group():
    tx = TRANSACTIONS["all frequency 1"]
    rfm = pd.DataFrame(
        {"customer_id": [999], "customer_type": ["retail"], "first_purchase_date": ["2023-06-01"]}
    )
    ltv = predict_ltv(tx, rfm).set_index("customer_id")
    assert ltv.loc[999, "historical_revenue"] == 0.0 and ltv.loc[999, "tenure_months"] > 0


def test_a_holdout_without_any_history_before_the_cutoff_says_so():
    with pytest.raises(ValueError, match="No transactions before the cutoff"):
        ltv_holdout(TRANSACTIONS["all frequency 1"], "2000-01-01", 12)

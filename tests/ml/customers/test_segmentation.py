"""CustomerSegmenter: deterministic, finds planted structure, names clusters by value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from ml.customers import CustomerSegmenter, name_clusters
from ml.customers.naming import base_name, segment_sort_key
from tests.ml.customers.synthetic import planted_rfm


def test_the_same_seed_gives_the_same_segments_and_scores():
    rfm = planted_rfm(4, seed=3)
    first = CustomerSegmenter(random_state=7).fit(rfm)
    second = CustomerSegmenter(random_state=7).fit(rfm)
    pd.testing.assert_series_equal(first.predict(rfm), second.predict(rfm))
    pd.testing.assert_frame_equal(first.scores_, second.scores_)


def test_silhouette_on_a_sample_is_deterministic_for_a_seed():
    rfm = planted_rfm(5, per_group=30)
    scores = [CustomerSegmenter(silhouette_sample_size=40).fit(rfm).scores_ for _ in range(2)]
    pd.testing.assert_frame_equal(*scores)


@pytest.mark.parametrize("n_groups", [3, 4, 5])
def test_k_selection_recovers_planted_clusters(n_groups):
    rfm = planted_rfm(n_groups)
    segmenter = CustomerSegmenter().fit(rfm)
    # The value leaders (group 0 when it is at most a fifth) are peeled off before k-means.
    assert segmenter.leaders_.found_ == (n_groups == 5)
    assert segmenter.k_ + segmenter.leaders_.found_ == n_groups
    assert adjusted_rand_score(rfm["group"], segmenter.predict(rfm)) == 1.0
    assert list(segmenter.scores_.columns) == ["k", "silhouette", "inertia"]
    assert segmenter.scores_["inertia"].is_monotonic_decreasing


def test_structureless_customers_get_a_low_silhouette_unlike_planted_ones():
    rng = np.random.default_rng(0)
    noise = pd.DataFrame(
        {
            "recency_days": rng.uniform(0, 700, 200),
            "frequency": rng.integers(1, 4, 200),
            "monetary": rng.uniform(10_000, 60_000, 200),
            "service_visits": rng.integers(0, 6, 200),
            "service_revenue": rng.uniform(0, 3_000, 200),
        }
    )
    assert CustomerSegmenter().fit(noise).scores_["silhouette"].max() < 0.5
    assert CustomerSegmenter().fit(planted_rfm(4)).scores_["silhouette"].max() > 0.8


def test_a_k_range_that_excludes_the_planted_k_picks_by_silhouette_and_merges_groups():
    rfm = planted_rfm(5)
    segmenter = CustomerSegmenter(k_range=range(2, 4)).fit(rfm)
    scores = segmenter.scores_.set_index("k")["silhouette"]
    assert scores.index.tolist() == [2, 3]  # only the range was searched
    # The rule: the smallest k whose silhouette is within the tolerance of the best
    near_best = scores[scores >= scores.max() - segmenter.silhouette_tolerance]
    assert segmenter.k_ == near_best.index.min()
    assert scores[segmenter.k_] > 0.5  # far from structureless
    labels = segmenter.predict(rfm)
    assert labels.nunique() == segmenter.k_ + segmenter.leaders_.found_
    # Fewer clusters than planted groups: groups are merged whole, never split
    assert (pd.crosstab(rfm["group"], labels) > 0).sum(axis=1).eq(1).all()


def test_segment_naming_puts_the_highest_value_cluster_as_vip():
    rfm = planted_rfm(5)  # the big spenders are a fifth of customers
    segments = CustomerSegmenter().fit_predict(rfm)
    assert set(segments[rfm["group"] == 0]) == {"VIP"}  # recent, frequent, big spenders
    assert set(segments[rfm["group"] == 1]) == {"Lapsed"}  # gone for years, one purchase
    assert set(segments[rfm["group"] == 3]) == {"At risk"}  # valuable but not seen lately


def test_new_customers_are_assigned_the_fitted_names():
    segmenter = CustomerSegmenter().fit(planted_rfm(4, seed=0))
    fresh = planted_rfm(4, seed=1)
    trained = segmenter.predict(planted_rfm(4, seed=0))
    assert (segmenter.predict(fresh).to_numpy() == trained.to_numpy()).all()


@pytest.mark.parametrize(
    ("r", "f", "m", "repeat_buyers", "serviced", "name"),
    [
        (0.5, 0.5, 0.5, 0.8, 0.9, "Loyal"),
        # Frequent through the workshop, one vehicle each: loyal to service, not repeat buyers
        (0.5, 0.5, 0.5, 0.0, 1.0, "Service loyal"),
        (0.5, 0.5, 0.5, 0.3, 0.4, "Potential"),
        (0.5, 0.5, -0.5, 0.0, 1.0, "Active"),
        (0.5, -0.5, 0.9, 0.0, 0.0, "Potential"),
        (-0.5, 0.2, 0.4, 0.6, 0.5, "At risk"),
        (-0.5, -0.6, 0.4, 0.0, 0.0, "Lapsed"),
        # One-time buyers (F = 0 for all) whose spend is a few dollars above the rest's
        (-0.5, 0.0, 0.001, 0.0, 0.0, "Lapsed"),
    ],
)
def test_non_top_clusters_are_named_by_recency_frequency_spend_and_repeat_buying(
    r, f, m, repeat_buyers, serviced, name
):
    assert base_name(r, f, m, repeat_buyers, serviced) == name


def test_name_clusters_returns_unique_names_best_first():
    rfm = planted_rfm(5)
    table = name_clusters(rfm, rfm["group"].to_numpy(), leaders=0)
    assert table["segment"].is_unique
    assert table.iloc[0]["segment"] == "VIP" and table.iloc[0]["cluster"] == 0
    assert table["rfm_score"].is_monotonic_decreasing


def test_segments_sort_in_business_order():
    names = ["Lapsed", "Loyal 2", "VIP", "Other", "Loyal", "At risk"]
    assert sorted(names, key=segment_sort_key) == [
        "VIP",
        "Loyal",
        "Loyal 2",
        "At risk",
        "Lapsed",
        "Other",
    ]


def test_customers_seen_within_half_a_year_are_never_called_lapsed_on_a_short_history():
    # 200 days of history: one-time buyers last seen ~75 days ago, against buyers who came back
    # for service ~45 days ago. A relative recency score alone called the first group "Lapsed".
    rng = np.random.default_rng(0)
    n = 400
    serviced = rng.random(n) < 0.35
    rfm = pd.DataFrame({
        "recency_days": np.where(serviced, rng.integers(0, 100, n), rng.integers(0, 150, n)),
        "frequency": 1,
        "monetary": rng.lognormal(np.log(23_000), 0.25, n),
        "service_visits": np.where(serviced, 1 + rng.poisson(0.5, n), 0),
        "service_revenue": np.where(serviced, rng.lognormal(np.log(350), 0.3, n), 0.0),
    })
    segments = CustomerSegmenter().fit_predict(rfm)
    assert not set(segments) & {"Lapsed", "At risk", "VIP"}
    assert set(segments[~serviced]) == {"Potential"}

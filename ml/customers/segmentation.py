"""Customer segmentation: value leaders peeled off, k-means on the rest, named by behaviour."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from ml.customers.features import FEATURES, prepare_rfm, segmentation_features
from ml.customers.leaders import VIP_MAX_SHARE, ValueLeaders
from ml.customers.naming import SINGLE_SEGMENT, name_clusters

SCORE_COLUMNS = ["k", "silhouette", "inertia"]
# Customers placed by rule, not by k-means; their cluster label is k_ + the group number.
LEADERS, SERVICE_ONLY, NO_PURCHASES = 0, 1, 2
# R, F and M weigh the same: F and M have two features each (vehicle and service), R one.
FEATURE_WEIGHTS = np.array([np.sqrt(2.0) if f == "log_recency" else 1.0 for f in FEATURES])
RULE_NAMES = {LEADERS: "VIP", SERVICE_ONLY: "Service only", NO_PURCHASES: "No purchases"}


class CustomerSegmenter:
    """Split customers into a handful of named segments that marketing can act on.

    First the value leaders are peeled off (``ml.customers.leaders.ValueLeaders``: a minority
    of at most ``vip_max_share`` of customers, a fifth by default, clearly ahead on both vehicle
    purchases and spend, found by bisecting 2-means with a silhouette and effect-size test).
    k-means alone cannot find them: a 1% fleet group barely moves its objective, so it was
    split among the big clusters. They form their own cluster (label ``k_``), the only one
    that can be called VIP. Customers who bought no vehicle are set apart by rule too (see
    ``rule_groups``): Service only (label ``k_ + 1``) and No purchases (``k_ + 2``). The other
    customers, the vehicle buyers, are clustered as follows.

    Features (see ``segmentation_features``): log1p of recency days, vehicle purchases,
    vehicle revenue, service visits and service revenue, standardised; recency is then scaled
    by sqrt(2) so that R, F (vehicles, visits) and M (vehicle, service revenue) weigh the same
    in the squared distance (without it recency weighed a fifth, and valuable customers gone
    for a year merged with recent ones). For each k in
    ``k_range`` a KMeans (fixed ``n_init`` and ``random_state``) is fitted and scored by its
    silhouette, on a deterministic sample of ``silhouette_sample_size`` customers when there
    are more. The chosen k is the smallest whose silhouette is within ``silhouette_tolerance``
    of the best: smaller differences are within sampling and local-optimum noise, and fewer
    segments are easier to act on (set it to 0 for the plain maximum). Among those, a k whose
    clusters all get different names (by the rule in ``ml.customers.naming``: VIP, Loyal,
    Service loyal, Active, Potential, Service only, At risk, Lapsed, No purchases) is
    preferred, since two clusters with one name are one segment to whoever acts on them; if no
    such k is within the tolerance, same-named clusters are reported as one segment.
    The inertia is kept for the elbow plot.

    Degenerate inputs never raise: with no customers, fewer than three customers, fewer than
    two distinct ones, or constant features, every customer lands in one segment, "All customers".

    Fitted attributes: ``leaders_`` (the fitted ValueLeaders, with its ``splits_``),
    ``scores_`` (k, silhouette, inertia of the k-means part), ``distinct_names_`` (k -> whether
    its clusters all got different names), ``k_`` (k-means clusters), ``kmeans_`` (None when
    there was nothing to fit), ``scaler_``, ``segments_`` (one row per cluster: cluster,
    segment, rank, customers, share, r/f/m/value/rfm scores, shares without a vehicle),
    ``segment_names_`` (cluster -> name), ``labels_`` (cluster of each training row).
    ``n_threads`` caps the threads k-means and the silhouette use (None: no cap).

    Beyond ``fit_sample_size`` customers (None: no limit) the leaders, k and the clusters are
    fitted on a deterministic sample of that many, and every customer is then placed by
    ``predict``'s rule; ``labels_`` and ``segments_`` (sizes, shares, names) are those of all
    customers. Fitting k-means for every k on every customer took 904 s at 10M customers
    (bench/results_issue16_full_1824.json); centres and names from a 200,000-customer sample
    differ from the whole set's by sampling noise only.
    """

    def __init__(
        self,
        k_range: Iterable[int] = range(2, 9),
        random_state: int = 0,
        n_init: int = 10,
        silhouette_sample_size: int = 5000,
        silhouette_tolerance: float = 0.02,
        n_threads: int | None = 1,
        vip_max_share: float = VIP_MAX_SHARE,
        fit_sample_size: int | None = 200_000,
    ) -> None:
        self.k_range = k_range
        self.random_state = random_state
        self.n_init = n_init
        self.silhouette_sample_size = silhouette_sample_size
        self.silhouette_tolerance = silhouette_tolerance
        self.n_threads = n_threads
        self.vip_max_share = vip_max_share
        self.fit_sample_size = fit_sample_size

    def fit(self, rfm: pd.DataFrame, y: object = None) -> Self:
        """Choose k, fit the clustering and name the clusters."""
        # One thread by default: at dealer sizes OpenMP start-up and contention with other
        # work on the machine cost more than they save (results do not depend on it).
        with threadpool_limits(limits=self.n_threads):
            sample = self._fit_sample(rfm)
            self._fit(sample)
            if len(sample) < len(rfm):
                self.labels_ = self._clusters(rfm)
                self._name(rfm)
        return self

    def _fit_sample(self, rfm: pd.DataFrame) -> pd.DataFrame:
        if self.fit_sample_size is None or len(rfm) <= self.fit_sample_size:
            return rfm
        return rfm.sample(n=self.fit_sample_size, random_state=self.random_state).sort_index()

    def _fit(self, rfm: pd.DataFrame) -> Self:
        self.leaders_ = ValueLeaders(
            max_share=self.vip_max_share, random_state=self.random_state, n_init=self.n_init,
            silhouette_sample_size=self.silhouette_sample_size,
        ).fit(rfm)
        group = rule_groups(rfm, self.leaders_.leaders_)
        features = segmentation_features(rfm[group < 0])
        n = len(features)
        self.feature_names_in_ = list(FEATURES)
        self.scaler_ = StandardScaler().fit(features.to_numpy()) if n else None
        x = self._scale(features)
        n_distinct = len(np.unique(x.round(9), axis=0)) if n else 0
        # Silhouette needs 2 <= k <= n - 1, and k-means cannot place more centres than points.
        candidates = sorted({int(k) for k in self.k_range if 2 <= int(k) <= min(n_distinct, n - 1)})
        rows, models, self.distinct_names_ = [], {}, {}
        for k in candidates:
            model = KMeans(n_clusters=k, n_init=self.n_init, random_state=self.random_state)
            model.fit(x)
            models[k] = model
            names = name_clusters(rfm, _labels(group, model.labels_, k), k)["segment"]
            self.distinct_names_[k] = bool(names.is_unique)
            rows.append((k, self._silhouette(x, model.labels_), float(model.inertia_)))
        self.scores_ = pd.DataFrame(rows, columns=SCORE_COLUMNS).astype(
            {"k": int, "silhouette": float, "inertia": float}
        )
        valid = self.scores_.dropna(subset=["silhouette"])
        if len(valid):
            good = valid[valid["silhouette"] >= valid["silhouette"].max()
                         - self.silhouette_tolerance]
            named = good[good["k"].map(self.distinct_names_).astype(bool)]
            self.k_ = int((named if len(named) else good)["k"].min())
            self.kmeans_ = models[self.k_]
        elif n:
            self.k_ = 1
            self.kmeans_ = KMeans(n_clusters=1, n_init=1, random_state=self.random_state).fit(x)
        else:
            self.k_, self.kmeans_ = 0, None
        rest_labels = self.kmeans_.labels_ if self.kmeans_ is not None else np.zeros(0, int)
        self.labels_ = _labels(group, rest_labels, self.k_)
        self._name(rfm)
        return self

    def _name(self, rfm: pd.DataFrame) -> None:
        """Name the clusters from the customers of ``rfm`` and their ``labels_``."""
        self.segments_ = name_clusters(rfm, self.labels_, self.k_ + LEADERS)
        self.segment_names_ = dict(
            zip(self.segments_["cluster"].astype(int), self.segments_["segment"], strict=True)
        )

    def predict(self, rfm: pd.DataFrame) -> pd.Series:
        """The segment name of each customer, a Series aligned with ``rfm``'s index."""
        if not len(self.segment_names_) or len(rfm) == 0:
            fill = SINGLE_SEGMENT if len(rfm) else None
            return pd.Series([fill] * len(rfm), index=rfm.index, name="segment", dtype=object)
        with threadpool_limits(limits=self.n_threads):
            clusters = self._clusters(rfm)
        # A rule group unseen in training still has its own name.
        names = [self.segment_names_.get(int(c), RULE_NAMES.get(int(c) - self.k_, SINGLE_SEGMENT))
                 for c in clusters]
        return pd.Series(names, index=rfm.index, name="segment", dtype=object)

    def _clusters(self, rfm: pd.DataFrame) -> np.ndarray:
        """The cluster of each customer: by rule, else the nearest k-means centre."""
        group = rule_groups(rfm, self.leaders_.predict(rfm))
        pool = group < 0
        clusters = self.k_ + group
        if self.kmeans_ is not None and pool.any():
            clusters[pool] = self.kmeans_.predict(self._scale(segmentation_features(rfm[pool])))
        return clusters

    def fit_predict(self, rfm: pd.DataFrame, y: object = None) -> pd.Series:
        """Fit on ``rfm`` and return the segment name of each of its customers."""
        self.fit(rfm)
        names = [self.segment_names_.get(int(c), SINGLE_SEGMENT) for c in self.labels_]
        return pd.Series(names, index=rfm.index, name="segment", dtype=object)

    def _scale(self, features: pd.DataFrame) -> np.ndarray:
        if self.scaler_ is None or len(features) == 0:
            return np.zeros((len(features), len(FEATURES)))
        return self.scaler_.transform(features.to_numpy()) * FEATURE_WEIGHTS

    def _silhouette(self, x: np.ndarray, labels: np.ndarray) -> float:
        sample = self.silhouette_sample_size if len(x) > self.silhouette_sample_size else None
        try:
            return float(
                silhouette_score(x, labels, sample_size=sample, random_state=self.random_state)
            )
        except ValueError:
            # A sample can miss all but one cluster; that k is then simply not comparable.
            return float("nan")


def rule_groups(rfm: pd.DataFrame, leaders: np.ndarray) -> np.ndarray:
    """LEADERS, SERVICE_ONLY (no vehicle, some service), NO_PURCHASES, or -1 for k-means.

    Customers who bought no vehicle are set apart before k-means: they differ from buyers by
    the whole vehicle spend, so with them in, the best silhouette was the split "bought a
    vehicle or not", which left most buyers in one big cluster with one name.
    """
    r = prepare_rfm(rfm)
    no_vehicle = r["frequency"].to_numpy() <= 0
    serviced = r["service_visits"].to_numpy() > 0
    group = np.full(len(rfm), -1, dtype=int)
    group[no_vehicle & serviced] = SERVICE_ONLY
    group[no_vehicle & ~serviced] = NO_PURCHASES
    group[np.asarray(leaders, dtype=bool)] = LEADERS
    return group


def _labels(group: np.ndarray, pool_labels: np.ndarray, k: int) -> np.ndarray:
    """k-means labels for the pool, ``k`` + group for customers placed by rule."""
    labels = k + group
    labels[group < 0] = pool_labels
    return labels

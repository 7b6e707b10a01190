"""Value leaders: the small group of customers far ahead of the rest on spend and purchases.

k-means with k chosen by silhouette serves the bulk of customers well, but a group of 1% (the
fleet accounts of a dealer) barely moves its objective, so it is split among the big clusters
and no cluster can honestly be called VIP. The value leaders are therefore peeled off before
k-means, by a rule that only looks at value:

* Features: log1p(vehicle purchases) and log1p(revenue, vehicle + service), standardised over
  the customers who bought a vehicle (customers who bought none are never leaders).
* Bisect: split the pool in two with 2-means; the *upper* half is the one whose centre is
  higher on both features. If no half is higher on both, the data has no value leader (e.g.
  one-time buyers: higher spend, same frequency). While the upper half is more than
  ``max_share`` of all customers (a fifth by default), it becomes the pool and is split again.
* The first upper half of at most ``max_share`` is accepted only if the split is clear on both
  counts: silhouette >= ``min_silhouette`` (0.5, the usual bar for "reasonable structure") and
  an effect size >= ``min_effect`` on *each* feature (difference of the centres over the pooled
  within-half standard deviation; 1 by default). The second test rejects splits that cut one
  homogeneous group along a single noisy or integer feature (6 vs 7 purchases at equal spend).
  Otherwise there are no value leaders: a name the data cannot back is left out.

The fitted splits are kept, so new customers are leaders exactly when every split puts them in
the upper half. ``splits_`` records each split (pool size, upper size and share, silhouette,
effect sizes, accepted) for the asset metadata.
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from ml.customers.features import prepare_rfm

VIP_MAX_SHARE = 0.2
SPLIT_COLUMNS = ["step", "pool", "upper", "upper_share", "silhouette", "effect_frequency",
                 "effect_spend", "accepted"]


def value_features(rfm: pd.DataFrame) -> pd.DataFrame:
    """log1p of vehicle purchases and of revenue (vehicle + service), one row per customer."""
    r = prepare_rfm(rfm)
    return pd.DataFrame(
        {"log_frequency": np.log1p(r["frequency"]),
         "log_revenue": np.log1p(r["monetary"] + r["service_revenue"])},
        index=rfm.index,
    )


class ValueLeaders:
    """Find the minority that leads on value, if the data has one (see the module docstring).

    Fitted attributes: ``mean_`` and ``scale_`` (standardisation), ``steps_`` (the 2-means
    models and the index of their upper centre, in order), ``found_``, ``leaders_`` (boolean
    array over the training rows) and ``splits_``.
    """

    def __init__(
        self,
        max_share: float = VIP_MAX_SHARE,
        min_silhouette: float = 0.5,
        min_effect: float = 1.0,
        random_state: int = 0,
        n_init: int = 10,
        silhouette_sample_size: int = 5000,
    ) -> None:
        self.max_share = max_share
        self.min_silhouette = min_silhouette
        self.min_effect = min_effect
        self.random_state = random_state
        self.n_init = n_init
        self.silhouette_sample_size = silhouette_sample_size

    def fit(self, rfm: pd.DataFrame, y: object = None) -> Self:
        features = value_features(rfm)
        buyers = prepare_rfm(rfm)["frequency"].to_numpy() > 0
        pool = features[buyers].to_numpy()
        self.mean_ = pool.mean(axis=0) if len(pool) else np.zeros(2)
        scale = pool.std(axis=0) if len(pool) else np.ones(2)
        self.scale_ = np.where(scale > 1e-9, scale, 1.0)
        x_all = (features.to_numpy() - self.mean_) / self.scale_
        member = buyers.copy()
        self.steps_, rows, self.found_ = [], [], False
        while member.sum() >= 4:
            x = x_all[member]
            if len(np.unique(x.round(9), axis=0)) < 2:
                break
            model = KMeans(n_clusters=2, n_init=self.n_init, random_state=self.random_state)
            labels = model.fit_predict(x)
            top = int(np.argmax(model.cluster_centers_.sum(axis=1)))
            effect = _effect_sizes(x, labels == top)
            upper = member.copy()
            upper[member] = labels == top
            share = upper.sum() / len(x_all)
            silhouette = self._silhouette(x, labels)
            final = share <= self.max_share or not (effect > 0).all()
            accepted = bool(final and (effect > 0).all() and silhouette >= self.min_silhouette
                            and (effect >= self.min_effect).all())
            rows.append((len(rows) + 1, int(member.sum()), int(upper.sum()), float(share),
                         silhouette, float(effect[0]), float(effect[1]), accepted))
            self.steps_.append((model, top))
            member = upper
            if final:
                self.found_ = accepted
                break
        self.leaders_ = member if self.found_ else np.zeros(len(x_all), dtype=bool)
        self.splits_ = pd.DataFrame(rows, columns=SPLIT_COLUMNS)
        return self

    def predict(self, rfm: pd.DataFrame) -> np.ndarray:
        """Whether each customer of ``rfm`` is a value leader (every split puts them on top)."""
        member = prepare_rfm(rfm)["frequency"].to_numpy() > 0
        if not self.found_ or not len(rfm):
            return np.zeros(len(rfm), dtype=bool)
        x = (value_features(rfm).to_numpy() - self.mean_) / self.scale_
        for model, top in self.steps_:
            member = member & (model.predict(x) == top)
        return member

    def _silhouette(self, x: np.ndarray, labels: np.ndarray) -> float:
        sample = self.silhouette_sample_size if len(x) > self.silhouette_sample_size else None
        try:
            return float(
                silhouette_score(x, labels, sample_size=sample, random_state=self.random_state)
            )
        except ValueError:  # a sample that holds one half only: no evidence of a split
            return float("nan")


def _effect_sizes(x: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Per feature: (upper centre - lower centre) / pooled within-half standard deviation."""
    hi, lo = x[upper], x[~upper]
    within = np.sqrt((((hi - hi.mean(0)) ** 2).sum(0) + ((lo - lo.mean(0)) ** 2).sum(0)) / len(x))
    return (hi.mean(0) - lo.mean(0)) / np.maximum(within, 1e-6)

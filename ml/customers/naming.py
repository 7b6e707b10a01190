"""Name customer clusters so that each name says what its customers have in common.

The rule reads three customer scores, each a z-score (mean 0, standard deviation 1 over all
customers) of a log1p-scaled quantity, so the heavy tail of fleet buyers does not set the scale
and a column where everyone is equal scores 0 everywhere:

* R = minus the z-score of recency days (more recent is better),
* F = z-score of engagement events (vehicle purchases + service visits),
* M = z-score of total revenue (vehicle + service).

Each cluster takes the mean scores of its customers, its share of all customers, its mean
recency in days, the share of its customers who bought no vehicle, the share who bought two
or more (repeat buyers) and the share who came in for service at least once. A cluster is *recent*
when R > 0 or its customers were seen on average within ``RECENT_DAYS`` (180 days, about one
service interval): on a short history (the demo's 200 days) a relative score alone called
customers last seen 75 days ago "Lapsed". Then, in this order:

* A single cluster is **All customers**.
* Most customers bought no vehicle: **Service only** when most of those came in for service,
  else **No purchases** (known to the DMS, nothing bought or serviced).
* **VIP** is earned, not given to the top cluster: only the value leaders peeled off before
  k-means (``ml.customers.leaders``: a minority of at most a fifth of customers, clearly ahead
  on both purchases and spend) can be VIP, and only if they are also above the customer
  average on frequency and spend (F, M > 0) and recent; value leaders not seen lately are
  **At risk**. Where the data has no value leaders there is no VIP segment.
* Every other cluster, where "high" means above the customer average (score > 0):
  - recent, frequent (F > 0) and high spend (M > 0): **Loyal** only when most of its
    customers (more than half) bought two or more vehicles, since a sales manager reads
    Loyal as repeat buyers; else **Service loyal** when most of them came back for service
    (one-time buyers loyal to the workshop: their F is service visits); else **Potential**
  - recent and frequent, lower spend (e.g. service regulars): **Active**
  - recent, infrequent (F <= 0), e.g. new and one-time buyers: **Potential**
  - not recent, value (F + M) / 2 > 0 and clearly ahead on F or M (by more than a tenth of
    a standard deviation), they used to be good: **At risk** (one-time buyers whose average
    spend differs from the rest by a few dollars are not)
  - not recent, low value: **Lapsed**
* Clusters that get the same name are one segment: names never carry a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.customers.features import prepare_rfm

NAME_ORDER = ("VIP", "Loyal", "Service loyal", "Active", "Potential", "Service only", "At risk",
              "Lapsed", "No purchases")
SINGLE_SEGMENT = "All customers"
RECENT_DAYS = 180
HIGH = 0.1  # what "clearly above average" means for At risk: a tenth of a standard deviation


def _z(values: pd.Series) -> pd.Series:
    std = float(values.std(ddof=0)) if len(values) else 0.0
    # Guard against float noise turning a constant column into +-1 scores.
    if not std > 1e-9 * max(1.0, abs(float(values.mean()))):
        return values * 0.0
    return (values - values.mean()) / std


def customer_scores(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per-customer R, F and M z-scores (on a log scale), the inputs of the naming rule."""
    r = prepare_rfm(rfm)
    recency = r["recency_days"].clip(lower=0.0)
    recency = recency.fillna(recency.max()).fillna(0.0)
    return pd.DataFrame(
        {
            "r_score": -_z(np.log1p(recency)),
            "f_score": _z(np.log1p(r["frequency"] + r["service_visits"])),
            "m_score": _z(np.log1p(r["monetary"] + r["service_revenue"])),
            "recency_days": recency,
            "no_vehicle": (r["frequency"] <= 0).astype(float),
            "service_only": ((r["frequency"] <= 0) & (r["service_visits"] > 0)).astype(float),
            "repeat_buyer": (r["frequency"] >= 2).astype(float),
            "serviced": (r["service_visits"] > 0).astype(float),
        },
        index=rfm.index,
    )


def base_name(
    r: float, f: float, m: float, repeat_buyer_share: float, serviced_share: float
) -> str:
    """The segment name of a buying cluster that is not VIP (see the module docstring).

    ``repeat_buyer_share``: share of the cluster who bought two or more vehicles;
    ``serviced_share``: share who came in for service at least once.
    """
    if r > 0:
        if f > 0 and m > 0:
            if repeat_buyer_share > 0.5:
                return "Loyal"
            return "Service loyal" if serviced_share > 0.5 else "Potential"
        return "Active" if f > 0 else "Potential"
    return "At risk" if (f + m) / 2 > 0 and max(f, m) > HIGH else "Lapsed"


def name_clusters(
    rfm: pd.DataFrame, labels: np.ndarray, leaders: int | None = None
) -> pd.DataFrame:
    """One row per cluster: its scores, share, rank and segment name, best cluster first.

    ``leaders`` is the label of the value leaders' cluster, if any (the only one that can be
    VIP). Several clusters can share a name; they then form one segment.
    """
    scores = customer_scores(rfm).assign(cluster=np.asarray(labels, dtype=int))
    table = scores.groupby("cluster").agg(
        customers=("r_score", "size"),
        r_score=("r_score", "mean"),
        f_score=("f_score", "mean"),
        m_score=("m_score", "mean"),
        avg_recency_days=("recency_days", "mean"),
        no_vehicle_share=("no_vehicle", "mean"),
        service_only_share=("service_only", "mean"),
        repeat_buyer_share=("repeat_buyer", "mean"),
        serviced_share=("serviced", "mean"),
    )
    table["share"] = table["customers"] / max(len(scores), 1)
    table["value_score"] = (table["f_score"] + table["m_score"]) / 2
    table["rfm_score"] = (table["r_score"] + table["f_score"] + table["m_score"]) / 3
    table = table.reset_index().sort_values(
        ["rfm_score", "value_score", "cluster"], ascending=[False, False, True], kind="stable"
    )
    table["rank"] = np.arange(len(table))
    table["segment"] = _names(table, leaders)
    return table.reset_index(drop=True)


def _names(table: pd.DataFrame, leaders: int | None) -> list[str]:
    if len(table) <= 1:
        return [SINGLE_SEGMENT] * len(table)
    names = []
    for _, row in table.iterrows():
        if row.no_vehicle_share > 0.5:
            names.append("Service only" if row.service_only_share > row.no_vehicle_share / 2
                         else "No purchases")
            continue
        # base_name reads only the sign of R: +1 stands for "recent" as defined above.
        r = 1.0 if row.r_score > 0 or row.avg_recency_days <= RECENT_DAYS else -1.0
        if row.cluster == leaders and min(r, row.f_score, row.m_score) > 0:
            names.append("VIP")
        else:
            names.append(base_name(r, row.f_score, row.m_score, row.repeat_buyer_share,
                                   row.serviced_share))
    return names


def segment_sort_key(segment: object) -> tuple[int, int, str]:
    """Order segments as in ``NAME_ORDER``, then anything else (a trailing number sorts last)."""
    text = str(segment)
    base, _, suffix = text.rpartition(" ")
    if not (base and suffix.isdigit()):
        base, suffix = text, "1"
    order = NAME_ORDER.index(base) if base in NAME_ORDER else len(NAME_ORDER)
    return order, int(suffix), text

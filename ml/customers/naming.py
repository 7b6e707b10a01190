"""Name customer clusters from their recency, frequency and monetary profile.

The rule works on three customer scores, each a z-score (mean 0, standard deviation 1 over all
customers) of a log1p-scaled quantity, so the heavy tail of fleet buyers does not set the scale
and a column where everyone is equal scores 0 everywhere:

* R = minus the z-score of recency days (more recent is better),
* F = z-score of engagement events (vehicle purchases + service visits),
* M = z-score of total revenue (vehicle + service).

Each cluster takes the mean scores of its customers. Then:

* Clusters are ranked by the RFM score (R + F + M) / 3, ties broken by (F + M) / 2.
* The top-ranked cluster is **VIP**: the best group this data has.
* Every other cluster, where "high" means above the customer average (score > 0):
  - recent (R > 0), frequent (F > 0) and high spend (M > 0): **Loyal**
  - recent and frequent, lower spend (e.g. service regulars): **Active**
  - recent, infrequent (F <= 0), e.g. new and one-time buyers: **Potential**
  - not recent, value (F + M) / 2 > 0, they used to be good: **At risk**
  - not recent, low value: **Lapsed**
* Names are unique: the second cluster (in rank order) with the same name becomes "Loyal 2".
* A single cluster is called "All customers".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.customers.features import prepare_rfm

NAME_ORDER = ("VIP", "Loyal", "Active", "Potential", "At risk", "Lapsed")
SINGLE_SEGMENT = "All customers"


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
        },
        index=rfm.index,
    )


def base_name(r: float, f: float, m: float) -> str:
    """The segment name of a cluster that is not the top one (see the module docstring)."""
    if r > 0:
        if f > 0:
            return "Loyal" if m > 0 else "Active"
        return "Potential"
    return "At risk" if (f + m) / 2 > 0 else "Lapsed"


def name_clusters(rfm: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """One row per cluster: its scores, rank and unique segment name, best cluster first."""
    scores = customer_scores(rfm).assign(cluster=np.asarray(labels, dtype=int))
    table = scores.groupby("cluster").agg(
        customers=("r_score", "size"),
        r_score=("r_score", "mean"),
        f_score=("f_score", "mean"),
        m_score=("m_score", "mean"),
    )
    table["value_score"] = (table["f_score"] + table["m_score"]) / 2
    table["rfm_score"] = (table["r_score"] + table["f_score"] + table["m_score"]) / 3
    table = table.reset_index().sort_values(
        ["rfm_score", "value_score", "cluster"], ascending=[False, False, True], kind="stable"
    )
    table["rank"] = np.arange(len(table))
    if len(table) <= 1:
        names = [SINGLE_SEGMENT] * len(table)
    else:
        names = ["VIP"] + [
            base_name(row.r_score, row.f_score, row.m_score)
            for row in table.iloc[1:].itertuples()
        ]
    table["segment"] = unique_names(names)
    return table.reset_index(drop=True)


def unique_names(names: list[str]) -> list[str]:
    """Suffix repeated names with their occurrence number: Loyal, Loyal 2, Loyal 3."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out


def segment_sort_key(segment: object) -> tuple[int, int, str]:
    """Order segments as VIP, Loyal, Active, Potential, At risk, Lapsed, then anything else."""
    text = str(segment)
    base, _, suffix = text.rpartition(" ")
    if not (base and suffix.isdigit()):
        base, suffix = text, "1"
    order = NAME_ORDER.index(base) if base in NAME_ORDER else len(NAME_ORDER)
    return order, int(suffix), text

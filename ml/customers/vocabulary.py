"""The customer vocabularies of the reference analyses, as columns beside the segment names.

Two earlier analyses named customers in their own words, and analysts still ask in them:

* **lifecycle_stage** (loyal / active / potential, the daily-sales analysis), read from the
  segment: VIP and Loyal (repeat vehicle buyers) are *loyal*; Active and Service loyal
  (one-time buyers who keep coming in for service: engaged, but not repeat buyers, so not
  *loyal* in a sales sense) are *active*; Potential (new and one-time buyers),
  Service only (a sales prospect) and No purchases are *potential*; At risk and Lapsed are
  *inactive*; a single segment ("All customers") is *unsegmented*.
* **engagement_tier** (VIP / regular / less engaged, Mint Classics), per customer, by the rule
  of ``marts.mintclassics_customer_value``: the percent rank of lifetime revenue (vehicle +
  service) among customers with any, (rank - 1) / (n - 1) with ties sharing the lower rank;
  the top tenth (>= 0.9) *VIP*, the bottom quarter (< 0.25) *less engaged*, the rest
  *regular*; no revenue *no orders*.

The tier's VIP is a revenue percentile and exists in every data set; the segment VIP is a
behavioural group and exists only where the data has one (see ``ml.customers.naming``).
Beside the labels ``ml.customer_segments`` keeps the figures they rest on (``label_figures``),
and the views ``ml.customer_lifecycle`` and ``ml.customer_engagement`` show each vocabulary
with its figures (``orchestration/assets/customers.py``).
"""

from __future__ import annotations

import pandas as pd

from ml.customers.features import prepare_rfm

LIFECYCLE_STAGES = {
    "VIP": "loyal",
    "Loyal": "loyal",
    "Service loyal": "active",
    "Active": "active",
    "Potential": "potential",
    "Service only": "potential",
    "No purchases": "potential",
    "At risk": "inactive",
    "Lapsed": "inactive",
    "All customers": "unsegmented",
}
ENGAGEMENT_TIERS = ("VIP", "regular", "less engaged", "no orders")


def lifecycle_stage(segment: pd.Series) -> pd.Series:
    """The loyal / active / potential / inactive stage of each segment name."""
    return segment.map(LIFECYCLE_STAGES).fillna("unsegmented").rename("lifecycle_stage")


def revenue_percent_rank(rfm: pd.DataFrame) -> pd.Series:
    """Percent rank of lifetime revenue among customers with any (NaN for those without)."""
    r = prepare_rfm(rfm)
    revenue = r["monetary"] + r["service_revenue"]
    buying = revenue > 0
    rank = revenue[buying].rank(method="min")
    n = int(buying.sum())
    pct = (rank - 1) / (n - 1) if n > 1 else rank * 0.0
    return pct.reindex(rfm.index).rename("revenue_percent_rank")


def engagement_tier(rfm: pd.DataFrame) -> pd.Series:
    """VIP / regular / less engaged / no orders per customer (the Mint Classics rule)."""
    pct = revenue_percent_rank(rfm)
    tier = pd.Series("no orders", index=rfm.index, name="engagement_tier", dtype=object)
    tier[pct.notna()] = "regular"
    tier[pct >= 0.9] = "VIP"
    tier[pct < 0.25] = "less engaged"
    return tier


def label_figures(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per customer, the figures the labels rest on: recency_days, vehicle_purchases,
    service_visits, revenue (vehicle + service) and revenue_percent_rank."""
    r = prepare_rfm(rfm)
    return pd.DataFrame(
        {
            "recency_days": r["recency_days"],
            # Counts in the marts; prepare_rfm made them floats (and nulls 0).
            "vehicle_purchases": r["frequency"].round().astype("int64"),
            "service_visits": r["service_visits"].round().astype("int64"),
            "revenue": r["monetary"] + r["service_revenue"],
            "revenue_percent_rank": revenue_percent_rank(rfm),
        },
        index=rfm.index,
    )


def seed_vocabularies(rfm: pd.DataFrame, segment: pd.Series) -> pd.DataFrame:
    """lifecycle_stage and engagement_tier of each customer, then the figures they rest on
    (`label_figures`), aligned with ``rfm``."""
    return pd.concat(
        [lifecycle_stage(segment.reindex(rfm.index)), engagement_tier(rfm), label_figures(rfm)],
        axis=1,
    )

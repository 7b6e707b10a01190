"""Clean customer RFM frames and turn them into the features that segmentation clusters on."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Columns the customer models read, with the value a missing column stands for.
RFM_DEFAULTS: dict[str, object] = {
    "customer_type": "unknown",
    "gender": None,
    "annual_income": np.nan,
    "recency_days": np.nan,
    "frequency": 0,
    "service_visits": 0,
    "monetary": 0.0,
    "service_revenue": 0.0,
    "gross_profit": np.nan,
    "tenure_days": np.nan,
}
NUMERIC = ("annual_income", "recency_days", "frequency", "service_visits", "monetary",
           "service_revenue", "gross_profit", "tenure_days")
# Counts and revenue: a null means "none recorded", and refunds must not make log1p undefined.
NON_NEGATIVE = ("frequency", "service_visits", "monetary", "service_revenue")

FEATURES = ("log_recency", "log_frequency", "log_monetary", "log_service_visits",
            "log_service_revenue")


def prepare_rfm(rfm: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of an RFM frame with every column the customer models read, typed.

    Missing columns get neutral defaults so that data sets without service history (a
    model-car retailer, a one-purchase car sales log) flow through the same code.
    """
    out = rfm.copy()
    for col, default in RFM_DEFAULTS.items():
        if col not in out.columns:
            out[col] = default
    for col in NUMERIC:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in NON_NEGATIVE:
        out[col] = out[col].fillna(0.0).clip(lower=0.0)
    out["customer_type"] = out["customer_type"].fillna("unknown").astype(str).str.lower()
    return out


def segmentation_features(rfm: pd.DataFrame) -> pd.DataFrame:
    """The log-scaled recency, frequency, monetary and service features, one row per customer.

    log1p tames the heavy tail of fleet and repeat buyers, which would otherwise own the
    k-means distances; recency is logged too, since 30 vs 60 days matters more than 900 vs 930.
    """
    r = prepare_rfm(rfm)
    recency = r["recency_days"].clip(lower=0.0)
    # An unknown recency is treated as the longest seen: no evidence of recent activity.
    recency = recency.fillna(recency.max() if recency.notna().any() else 0.0)
    features = pd.DataFrame(
        {
            "log_recency": np.log1p(recency),
            "log_frequency": np.log1p(r["frequency"]),
            "log_monetary": np.log1p(r["monetary"]),
            "log_service_visits": np.log1p(r["service_visits"]),
            "log_service_revenue": np.log1p(r["service_revenue"]),
        },
        index=rfm.index,
    )
    return features.astype(float)


def normalise_gender(gender: pd.Series) -> pd.Series:
    """Map free-text gender to F, M or U (unknown), as the profile's gender mix reports it."""
    first = gender.astype("string").str.strip().str.upper().str[:1]
    return first.where(first.isin(["F", "M"]), "U").fillna("U").astype(str)

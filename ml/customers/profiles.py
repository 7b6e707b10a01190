"""Describe customer segments: who they are, what they are worth, and VIP against the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.customers.features import normalise_gender, prepare_rfm
from ml.customers.naming import segment_sort_key

# LTV columns (from predict_ltv) that profiles average when a caller has joined them on.
LTV_COLUMNS = ("historical_revenue", "historical_gross", "expected_purchases",
               "expected_service_visits", "p_alive", "predicted_revenue", "predicted_ltv")
PROFILE_COLUMNS = [
    "segment", "customers", "share", "avg_recency_days", "avg_frequency", "avg_monetary",
    "avg_service_visits", "avg_service_revenue", "revenue", "revenue_share",
    "avg_annual_income", "share_female", "share_male", "share_unknown_gender", "fleet_share",
    "repeat_share", "repeat_buyer_share", "note",
]
NO_REPEAT_NOTE = (
    "No customer in this data bought twice or came back for service: segments differ by "
    "recency and spend only, and loyalty cannot be measured."
)
SERVICE_ONLY_NOTE = "Bought no vehicle here: known from service visits only (a sales prospect)."
SERVICE_LOYAL_NOTE = (
    "Mostly one-time vehicle buyers who keep coming back for service: loyal to the workshop, "
    "not repeat vehicle buyers (see repeat_buyer_share)."
)


def _prepared(rfm_with_segments: pd.DataFrame, segment_col: str) -> pd.DataFrame:
    if segment_col not in rfm_with_segments.columns:
        raise ValueError(
            f"The customer frame has no {segment_col!r} column (columns: "
            f"{list(rfm_with_segments.columns)}). Add one first, e.g. "
            f"rfm.assign({segment_col}=CustomerSegmenter().fit_predict(rfm))."
        )
    df = prepare_rfm(rfm_with_segments)
    df["segment"] = df[segment_col].astype(object).fillna("Unassigned").astype(str)
    df["revenue"] = df["monetary"] + df["service_revenue"]
    df["gender_code"] = normalise_gender(df["gender"])
    df["is_fleet"] = (df["customer_type"] == "fleet").astype(float)
    # Came back: a second purchase, or a service visit besides a purchase (or a second visit).
    df["is_repeat"] = ((df["frequency"] + df["service_visits"]) >= 2).astype(float)
    df["is_repeat_buyer"] = (df["frequency"] >= 2).astype(float)
    return df


def _note(segment: str, any_repeat: bool) -> str:
    if not any_repeat:
        return NO_REPEAT_NOTE
    return {"Service only": SERVICE_ONLY_NOTE, "Service loyal": SERVICE_LOYAL_NOTE}.get(segment, "")


def segment_profiles(rfm_with_segments: pd.DataFrame, segment_col: str = "segment") -> pd.DataFrame:
    """One row per segment: size, average RFM and service behaviour, revenue share, who they are.

    Columns: segment, customers, share, avg_recency_days, avg_frequency, avg_monetary,
    avg_service_visits, avg_service_revenue, revenue (vehicle + service), revenue_share,
    avg_annual_income, share_female, share_male, share_unknown_gender, fleet_share,
    repeat_share (bought twice, or bought and came back for service, or two visits),
    repeat_buyer_share (bought two or more vehicles: what "Loyal" rests on), note
    (what the segment cannot claim: every row says so when no customer came back at all),
    and ``avg_<col>`` for each LTV column of ``predict_ltv`` present (e.g. avg_predicted_ltv).
    Rows run in the order of ``ml.customers.naming.NAME_ORDER``, then any other names.
    """
    df = _prepared(rfm_with_segments, segment_col)
    ltv_cols = [c for c in LTV_COLUMNS if c in df.columns]
    if df.empty:
        return pd.DataFrame(columns=PROFILE_COLUMNS + [f"avg_{c}" for c in ltv_cols])
    for col in ltv_cols:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    g = df.groupby("segment", sort=False)
    total_revenue = df["revenue"].sum()
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "share": g.size() / len(df),
            "avg_recency_days": g["recency_days"].mean(),
            "avg_frequency": g["frequency"].mean(),
            "avg_monetary": g["monetary"].mean(),
            "avg_service_visits": g["service_visits"].mean(),
            "avg_service_revenue": g["service_revenue"].mean(),
            "revenue": g["revenue"].sum(),
            "revenue_share": g["revenue"].sum() / total_revenue if total_revenue else np.nan,
            "avg_annual_income": g["annual_income"].mean(),
            "share_female": g["gender_code"].apply(lambda s: (s == "F").mean()),
            "share_male": g["gender_code"].apply(lambda s: (s == "M").mean()),
            "share_unknown_gender": g["gender_code"].apply(lambda s: (s == "U").mean()),
            "fleet_share": g["is_fleet"].mean(),
            "repeat_share": g["is_repeat"].mean(),
            "repeat_buyer_share": g["is_repeat_buyer"].mean(),
        }
    )
    out["note"] = [_note(str(seg), bool(df["is_repeat"].any())) for seg in out.index]
    for col in ltv_cols:
        out[f"avg_{col}"] = g[col].mean()
    out = out.rename_axis("segment").reset_index()
    order = sorted(out["segment"], key=segment_sort_key)
    return out.set_index("segment").loc[order].reset_index()


def _metrics(group: pd.DataFrame, n_total: int, revenue_total: float) -> dict[str, float]:
    metrics = {
        "customers": float(len(group)),
        "share": len(group) / n_total if n_total else np.nan,
        "avg_recency_days": group["recency_days"].mean(),
        "avg_frequency": group["frequency"].mean(),
        "avg_monetary": group["monetary"].mean(),
        "avg_service_visits": group["service_visits"].mean(),
        "avg_service_revenue": group["service_revenue"].mean(),
        "avg_revenue": group["revenue"].mean(),
        "revenue_share": group["revenue"].sum() / revenue_total if revenue_total else np.nan,
        "avg_annual_income": group["annual_income"].mean(),
        "fleet_share": group["is_fleet"].mean(),
    }
    for col in LTV_COLUMNS:
        if col in group.columns:
            metrics[f"avg_{col}"] = pd.to_numeric(group[col], errors="coerce").mean()
    return {k: float(v) for k, v in metrics.items()}


def vip_vs_rest(
    rfm_with_segments: pd.DataFrame, segment_col: str = "segment", top_segment: str | None = None
) -> pd.DataFrame:
    """Compare the top segment with everyone else, metric by metric.

    The top segment is ``top_segment`` if given, else "VIP" if present, else the segment with
    the highest revenue per customer. Columns: metric, top, rest, difference (top - rest),
    ratio (top / rest, NaN when rest is 0 or empty), top_segment.
    """
    df = _prepared(rfm_with_segments, segment_col)
    if top_segment is None and len(df):
        names = set(df["segment"])
        top_segment = "VIP" if "VIP" in names else str(
            df.groupby("segment")["revenue"].mean().sort_index().idxmax()
        )
    is_top = df["segment"] == top_segment
    n, revenue = len(df), float(df["revenue"].sum())
    top = _metrics(df[is_top], n, revenue)
    rest = _metrics(df[~is_top], n, revenue)
    out = pd.DataFrame({"metric": list(top), "top": list(top.values()),
                        "rest": [rest[k] for k in top]})
    out["difference"] = out["top"] - out["rest"]
    out["ratio"] = out["top"] / out["rest"].where(out["rest"] != 0)
    out["top_segment"] = top_segment
    return out


def acquisition_spend_guide(
    profiles_with_ltv: pd.DataFrame, target_ltv_to_cac: float = 3.0
) -> pd.DataFrame:
    """How much to spend, at most, to win one more customer like each segment.

    max_acquisition_spend = average predicted LTV on a gross-profit basis (``avg_predicted_ltv``
    from ``segment_profiles`` on a frame joined with ``predict_ltv``, or ``predicted_ltv``)
    divided by the target LTV:CAC ratio, floored at 0. It is conservative: the predicted LTV of
    existing customers leaves out the gross of the purchase that wins a new customer.
    Columns: segment, customers (if given), avg_predicted_ltv, target_ltv_to_cac,
    max_acquisition_spend, explanation.
    """
    if not target_ltv_to_cac > 0:
        raise ValueError(
            f"target_ltv_to_cac must be a positive ratio (3.0 is the usual rule of thumb), "
            f"got {target_ltv_to_cac!r}."
        )
    ltv_col = next((c for c in ("avg_predicted_ltv", "predicted_ltv")
                    if c in profiles_with_ltv.columns), None)
    if ltv_col is None or "segment" not in profiles_with_ltv.columns:
        raise ValueError(
            "acquisition_spend_guide needs 'segment' and 'avg_predicted_ltv' columns; got "
            f"{list(profiles_with_ltv.columns)}. Join predict_ltv(...) onto the customer frame "
            "before calling segment_profiles."
        )
    keep = ["segment"] + (["customers"] if "customers" in profiles_with_ltv.columns else [])
    out = profiles_with_ltv[keep].copy()
    ltv = pd.to_numeric(profiles_with_ltv[ltv_col], errors="coerce").astype(float)
    out["avg_predicted_ltv"] = ltv
    out["target_ltv_to_cac"] = float(target_ltv_to_cac)
    out["max_acquisition_spend"] = ltv.clip(lower=0.0) / target_ltv_to_cac
    out["explanation"] = [
        _explain(seg, v, target_ltv_to_cac) for seg, v in zip(out["segment"], ltv, strict=True)
    ]
    return out.reset_index(drop=True)


def _explain(segment: object, ltv: float, target: float) -> str:
    if np.isnan(ltv):
        return f"{segment}: no predicted LTV, so no LTV-based spend limit."
    if ltv <= 0:
        return (f"{segment}: predicted gross LTV {ltv:,.0f} is not positive; "
                "do not pay to acquire these customers on LTV grounds.")
    return (f"{segment}: predicted gross LTV {ltv:,.0f} / target LTV:CAC {target:g} = "
            f"spend at most {ltv / target:,.0f} to acquire one such customer.")

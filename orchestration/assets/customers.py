"""Customer segments and lifetime value (group ``customers``): thin wrappers over ml.customers."""

from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.outputs import (
    figure_markdown,
    preview,
    replace_table,
    table_exists,
    table_metadata,
)
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

CUSTOMER_RFM = dg.AssetKey(["marts", "customer_rfm"])
CUSTOMER_TRANSACTIONS = dg.AssetKey(["marts", "customer_transactions"])
OWNERS = ["team:data-science"]
KINDS = {"scikitlearn", "duckdb"}


class SegmentationConfig(dg.Config):
    k_min: int = 2
    k_max: int = 8
    random_state: int = 0


class LifetimeValueConfig(dg.Config):
    horizon_months: int = 24
    discount_rate_annual: float = 0.10
    target_ltv_to_cac: float = 3.0
    max_holdout_months: int = 12


def _markdown(frame: "pd.DataFrame") -> dg.MetadataValue:
    return preview(frame, rows=len(frame) or 1)


def _read_rfm(warehouse: WarehouseResource) -> "pd.DataFrame":
    with warehouse.connect(read_only=True) as conn:
        return conn.execute("select * from marts.customer_rfm order by customer_id").df()


@dg.asset(
    key=["ml", "customer_segments"],
    group_name="customers",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[CUSTOMER_RFM],
    owners=OWNERS,
    description=(
        "Customers split by k-means on log-scaled recency, frequency, monetary and service "
        "features, k chosen by silhouette, clusters named VIP / Loyal / Active / Potential / "
        "At risk / Lapsed. Tables ml.customer_segments (one row per customer, with its "
        "features) and ml.segment_profiles (one row per segment)."
    ),
)
def customer_segments(
    context: dg.AssetExecutionContext, config: SegmentationConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.customers import (
        CustomerSegmenter,
        plot_k_selection,
        plot_segment_profiles,
        plot_segment_sizes,
        segment_profiles,
        segmentation_features,
    )

    rfm = _read_rfm(warehouse)
    segmenter = CustomerSegmenter(
        k_range=range(config.k_min, config.k_max + 1), random_state=config.random_state
    )
    segment = segmenter.fit_predict(rfm)
    segments = pd.concat(
        [
            rfm[["customer_id"]],
            segment.rename("segment"),
            pd.Series(segmenter.labels_, index=rfm.index, name="cluster", dtype="int64"),
            segmentation_features(rfm),
        ],
        axis=1,
    ).astype({"customer_id": str, "segment": str})
    profiles = segment_profiles(rfm.assign(segment=segment))
    with warehouse.connect() as conn:
        replace_table(conn, "ml.customer_segments", segments)
        replace_table(conn, "ml.segment_profiles", profiles)
    notes = []
    if rfm.empty:
        notes.append("marts.customer_rfm is empty: no customers to segment.")
    elif segmenter.scores_.empty:
        notes.append("Too few distinct customers to compare k: everyone is in one segment.")
    for note in notes:
        context.log.warning(note)
    sizes = profiles.set_index("segment")["customers"].astype(int).to_dict()
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.customer_segments",
            segments,
            k_chosen=segmenter.k_,
            silhouette_by_k=_markdown(segmenter.scores_),
            segment_sizes=dg.MetadataValue.json(sizes),
            segment_profiles=_markdown(profiles),
            k_selection_plot=figure_markdown(
                plot_k_selection(segmenter.scores_, segmenter.k_), "Choosing k: silhouette, elbow"
            ),
            segment_sizes_plot=figure_markdown(plot_segment_sizes(profiles), "Segment sizes"),
            segment_profiles_plot=figure_markdown(
                plot_segment_profiles(profiles), "Segment profiles"
            ),
            notes=dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_"),
        )
    )


HOLDOUT_COLUMNS = {
    "method": str,
    "mae": float,
    "rmse": float,
    "total_predicted": float,
    "total_actual": float,
    "customers": "int64",
    "cutoff": "datetime64[us]",
    "horizon_months": "int64",
    "value": str,
    "model_beats_naive": bool,
}


def _holdout(
    tx: "pd.DataFrame", rfm: "pd.DataFrame", max_months: int
) -> "tuple[pd.DataFrame, str]":
    """Backtest the LTV model on the last third of the history (at most ``max_months``)."""
    import pandas as pd

    from ml.customers import ltv_holdout
    from ml.customers.transactions import DAYS_PER_MONTH

    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in HOLDOUT_COLUMNS.items()})
    dates = pd.to_datetime(tx["date"])
    span_months = (dates.max() - dates.min()).days / DAYS_PER_MONTH if len(tx) else 0.0
    horizon = min(max_months, int(span_months // 3))
    if horizon < 1:
        return empty, (
            f"LTV holdout skipped: {span_months:.1f} months of transactions; it needs 3+ "
            "(two thirds to fit, one third to judge)."
        )
    cutoff = (dates.max() - pd.Timedelta(days=horizon * DAYS_PER_MONTH - 1)).normalize()
    try:
        result = ltv_holdout(tx, cutoff=cutoff, horizon_months=horizon, rfm=rfm)
    except ValueError as exc:
        return empty, f"LTV holdout skipped: {exc}"
    summary = result.summary.assign(
        cutoff=cutoff,
        horizon_months=horizon,
        value="revenue",
        model_beats_naive=result.model_beats_naive,
    )
    return summary[list(HOLDOUT_COLUMNS)], ""


@dg.asset(
    key=["ml", "customer_lifetime_value"],
    group_name="customers",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[CUSTOMER_RFM, CUSTOMER_TRANSACTIONS, customer_segments],
    owners=OWNERS,
    description=(
        "Historical and predicted (24-month, discounted) lifetime value per customer from a "
        "gamma-Poisson purchase and service model with recency-based survival "
        "(ml.customer_ltv); the most to spend acquiring a customer like each segment "
        "(ml.acquisition_spend_guide); a holdout against a naive run-rate baseline "
        "(ml.ltv_holdout); and the top segment against everyone else (ml.vip_vs_rest)."
    ),
)
def customer_lifetime_value(
    context: dg.AssetExecutionContext, config: LifetimeValueConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.customers import (
        acquisition_spend_guide,
        plot_segment_profiles,
        predict_ltv,
        segment_profiles,
        vip_vs_rest,
    )

    with warehouse.connect(read_only=True) as conn:
        rfm = conn.execute("select * from marts.customer_rfm order by customer_id").df()
        tx = conn.execute(
            "select customer_id, date, amount, gross, kind from marts.customer_transactions"
        ).df()
        segmented = table_exists(conn, "ml.customer_segments")
        segments = (
            conn.execute("select customer_id, segment from ml.customer_segments").df()
            if segmented
            else pd.DataFrame(
                {"customer_id": pd.Series(dtype=str), "segment": pd.Series(dtype=str)}
            )
        )
    notes = [] if segmented else ["ml.customer_segments is missing: materialize customer_segments."]
    ltv = predict_ltv(
        tx,
        rfm,
        horizon_months=config.horizon_months,
        discount_rate_annual=config.discount_rate_annual,
    )
    ltv = ltv.merge(segments, on="customer_id", how="left")
    ltv["segment"] = ltv["segment"].fillna("Unassigned")
    ltv["horizon_months"] = config.horizon_months
    ltv["as_of_date"] = rfm["as_of_date"].max() if len(rfm) else pd.NaT
    ltv = ltv.astype({"customer_id": str, "ltv_group": str, "segment": str})

    customers = rfm.merge(ltv.drop(columns=["as_of_date"]), on="customer_id", how="left")
    customers["segment"] = customers["segment"].fillna("Unassigned")
    profiles = segment_profiles(customers)
    guide = acquisition_spend_guide(profiles, target_ltv_to_cac=config.target_ltv_to_cac)
    vip = vip_vs_rest(customers)
    vip = vip if len(customers) else vip.iloc[:0]  # nobody to compare: no rows, not NaNs
    holdout, holdout_note = _holdout(tx, rfm, config.max_holdout_months)
    notes += [holdout_note] if holdout_note else []
    if tx.empty:
        notes.append("marts.customer_transactions is empty: historical and predicted LTV are 0.")
    with warehouse.connect() as conn:
        replace_table(conn, "ml.customer_ltv", ltv)
        replace_table(conn, "ml.acquisition_spend_guide", guide)
        replace_table(conn, "ml.ltv_holdout", holdout)
        replace_table(conn, "ml.vip_vs_rest", vip)
    for note in notes:
        context.log.warning(note)
    beats = bool(holdout["model_beats_naive"].iloc[0]) if len(holdout) else None
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.customer_ltv",
            ltv,
            horizon_months=config.horizon_months,
            total_predicted_ltv=float(ltv["predicted_ltv"].sum()),
            total_historical_revenue=float(ltv["historical_revenue"].sum()),
            holdout=_markdown(holdout),
            model_beats_naive=dg.MetadataValue.text(
                "not measured" if beats is None else str(beats)
            ),
            acquisition_spend_guide=_markdown(guide.drop(columns=["explanation"])),
            vip_vs_rest=_markdown(vip),
            segment_value_plot=figure_markdown(
                plot_segment_profiles(profiles), "Segment profiles with predicted LTV"
            ),
            notes=dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_"),
        )
    )


customer_assets = [customer_segments, customer_lifetime_value]

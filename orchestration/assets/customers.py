"""Customer segments and lifetime value (group ``customers``): thin wrappers over ml.customers."""

from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from orchestration.assets.customer_history import RFM, TransactionHistory
from orchestration.assets.outputs import (
    figure_markdown,
    preview,
    table_metadata,
    write_table,
    write_view,
)
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

    from ml.customers import LtvVerdict

CUSTOMER_RFM = dg.AssetKey(["marts", "customer_rfm"])
CUSTOMER_TRANSACTIONS = dg.AssetKey(["marts", "customer_transactions"])
OWNERS = ["team:data-science"]
KINDS = {"scikitlearn", "duckdb"}
# The reference analyses' vocabularies as views over ml.customer_segments (portable SQL: on
# Spark each is written as a table of its rows), each label beside the figures it rests on.
VOCABULARY_VIEWS = {
    "ml.customer_lifecycle": "select customer_id, lifecycle_stage, segment, recency_days, "
    "vehicle_purchases, service_visits, revenue from ml.customer_segments",
    "ml.customer_engagement": "select customer_id, engagement_tier, revenue, "
    "revenue_percent_rank, vehicle_purchases, service_visits from ml.customer_segments",
}


class SegmentationConfig(dg.Config):
    k_min: int = 2
    k_max: int = 8
    random_state: int = 0
    # Customers the clustering is fitted on (a deterministic sample); every customer is then
    # placed by the fitted rule. See ml.customers.segmentation.CustomerSegmenter. A sample
    # too small to hold every kind of customer would leave some without a cluster.
    fit_sample_size: int = Field(default=200_000, ge=1_000)


class LifetimeValueConfig(dg.Config):
    horizon_months: int = 24
    discount_rate_annual: float = 0.10
    target_ltv_to_cac: float = 3.0
    max_holdout_months: int = 12
    # The holdout measure that decides publication (see ml.customers.ltv_verdict).
    selection_metric: str = "rmse"


def _markdown(frame: "pd.DataFrame") -> dg.MetadataValue:
    return preview(frame, rows=len(frame) or 1)


def _read_rfm(warehouse: WarehouseResource) -> "pd.DataFrame":
    return warehouse.read_frame(f"select * from {RFM} order by customer_id")


def _segments_of(customer_ids: "pd.Series", warehouse: WarehouseResource, segmented: bool
                 ) -> "pd.Series":
    """Each customer's segment ('Unassigned' without one), in the order of ``customer_ids``.

    The lifetime values and ml.customer_segments both come ordered by customer_id from the
    warehouse. When they list the same customers (every day after customer_segments ran) the
    segments are taken by position: a lookup by 10M customer ids costs minutes.
    """
    import pandas as pd

    if not segmented:
        return pd.Series("Unassigned", index=customer_ids.index, dtype=str)
    segments = warehouse.read_frame(
        "select customer_id, segment from ml.customer_segments order by customer_id")
    segments["customer_id"] = segments["customer_id"].astype(str)
    if segments["customer_id"].reset_index(drop=True).equals(
            customer_ids.astype(str).reset_index(drop=True)):
        segment = pd.Series(segments["segment"].to_numpy(), index=customer_ids.index)
    else:
        by_id = segments.drop_duplicates("customer_id").set_index("customer_id")["segment"]
        segment = customer_ids.astype(str).map(by_id)
    return segment.fillna("Unassigned").astype(str)


def _customers_with_ltv(warehouse: WarehouseResource) -> "pd.DataFrame":
    """The customers' mart with what the segment profiles read of ml.customer_ltv: its LTV
    columns and segment ('Unassigned' for a customer without one), joined in the warehouse."""
    from ml.customers.features import RFM_DEFAULTS
    from ml.customers.profiles import LTV_COLUMNS

    mart = warehouse.read_frame(f"select * from {RFM} limit 0").columns
    columns = [f"rfm.{c}" for c in mart if c in RFM_DEFAULTS]
    columns += [f"ltv.{c}" for c in LTV_COLUMNS]
    return warehouse.read_frame(
        f"select {', '.join(columns)}, coalesce(ltv.segment, 'Unassigned') as segment "
        f"from {RFM} as rfm left join ml.customer_ltv as ltv "
        "on cast(rfm.customer_id as string) = ltv.customer_id"
    )


@dg.asset(
    key=["ml", "customer_segments"],
    group_name="customers",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[CUSTOMER_RFM],
    owners=OWNERS,
    description=(
        "Customers segmented in two steps: first the value leaders are peeled off "
        "(ml.customers.leaders: bisecting 2-means on log vehicle purchases and log revenue, "
        "accepted only as a minority of at most a fifth, clearly apart by silhouette >= 0.5 and "
        "an effect size >= 1 on both; absent when the data has none), then k-means on the rest's "
        "log-scaled recency, frequency, monetary and service features, k chosen by silhouette "
        "(preferring a k whose clusters get different names). Named by ml.customers.naming: VIP "
        "(the value leaders, when recent), Loyal (most bought two or more vehicles), Service "
        "loyal (one-time buyers who keep coming back for service), Active, Potential, Service "
        "only (bought no vehicle), At risk, Lapsed, No purchases; never a numbered name. Tables "
        "ml.customer_segments (one row per customer: segment, cluster, features, and the "
        "reference vocabularies lifecycle_stage = loyal / active / "
        "potential / inactive, mapped from the segment, and engagement_tier = VIP / regular / "
        "less engaged / no orders, the Mint Classics revenue-percentile rule; see "
        "ml.customers.vocabulary), the views ml.customer_lifecycle and ml.customer_engagement "
        "(each vocabulary with the figures it rests on) and ml.segment_profiles (one row per "
        "segment, with its lifecycle_stage, repeat_share, repeat_buyer_share and a note saying "
        "what the name cannot claim)."
    ),
)
def customer_segments(
    context: dg.AssetExecutionContext, config: SegmentationConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.customers import (
        CustomerSegmenter,
        lifecycle_stage,
        plot_k_selection,
        plot_segment_profiles,
        plot_segment_sizes,
        seed_vocabularies,
        segment_profiles,
        segmentation_features,
    )
    from ml.customers.profiles import NO_REPEAT_NOTE
    from ml.customers.segmentation import LEADERS

    rfm = _read_rfm(warehouse)
    segmenter = CustomerSegmenter(
        k_range=range(config.k_min, config.k_max + 1),
        random_state=config.random_state,
        fit_sample_size=config.fit_sample_size,
    )
    segment = segmenter.fit_predict(rfm)
    segments = pd.concat(
        [
            rfm[["customer_id"]],
            segment.rename("segment"),
            pd.Series(segmenter.labels_, index=rfm.index, name="cluster", dtype="int64"),
            seed_vocabularies(rfm, segment),
            segmentation_features(rfm),
        ],
        axis=1,
    ).astype({"customer_id": str, "segment": str})
    profiles = segment_profiles(rfm.assign(segment=segment))
    profiles.insert(1, "lifecycle_stage", lifecycle_stage(profiles["segment"]))
    write_table(warehouse, "ml.customer_segments", segments)
    for name, select_sql in VOCABULARY_VIEWS.items():
        write_view(warehouse, name, select_sql)
    write_table(warehouse, "ml.segment_profiles", profiles)
    sizes = profiles.set_index("segment")["customers"].astype(int).to_dict()
    notes = []
    if rfm.empty:
        notes.append("marts.customer_rfm is empty: no customers to segment.")
    elif segmenter.scores_.empty:
        notes.append("Too few distinct customers to compare k: everyone is in one segment.")
    if len(rfm) > config.fit_sample_size:
        notes.append(
            f"Fitted on a sample of {config.fit_sample_size:,} of {len(rfm):,} customers "
            "(fit_sample_size): vip_splits and silhouette_by_k describe the sample; every "
            "customer is placed by the fitted clusters and the sizes count them all."
        )
    if (profiles["note"] == NO_REPEAT_NOTE).any():
        notes.append(NO_REPEAT_NOTE)
    if len(rfm) and "VIP" not in sizes:
        notes.append("No VIP segment: no minority of at most a fifth of customers is clearly "
                     "ahead on both vehicle purchases and spend (see vip_splits).")
    for note in notes:
        context.log.warning(note)
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.customer_segments",
            segments,
            k_chosen=segmenter.k_,
            vip_customers=int((segmenter.labels_ == segmenter.k_ + LEADERS).sum()),
            vip_splits=_markdown(segmenter.leaders_.splits_),
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
    "bias": float,
    "bias_share": float,
    "customers": "int64",
    **{f"{m}_beats_{b}": bool for m in ("mae", "rmse", "bias") for b in ("naive", "zero")},
    "published": bool,
    "cutoff": "datetime64[us]",
    "horizon_months": "int64",
    "value": str,
}


def _holdout(
    history: TransactionHistory, group_col: str | None, max_months: int, metric: str
) -> "tuple[pd.DataFrame, LtvVerdict, int, str]":
    """Backtest the LTV model on the last third of the history (at most ``max_months``).

    Returns the per-method comparison, the verdict, the number of customers who came back
    (transactions on two or more days) and a note (empty when the holdout ran).
    """
    import pandas as pd

    from ml.customers import ltv_verdict
    from ml.customers.ltv import ltv_holdout_from_data
    from ml.customers.transactions import DAYS_PER_MONTH

    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in HOLDOUT_COLUMNS.items()})
    first, last = history.span()
    span_months = (last - first).days / DAYS_PER_MONTH if first else 0.0
    horizon = min(max_months, int(span_months // 3))
    result, note = None, ""
    if horizon < 1:
        note = (f"LTV holdout skipped: {span_months:.1f} months of transactions; it needs 3+ "
                "(two thirds to fit, one third to judge).")
    else:
        cutoff = (pd.Timestamp(last) - pd.Timedelta(days=horizon * DAYS_PER_MONTH - 1)).normalize()
        try:
            data = history.holdout_data(cutoff, horizon, group_col=group_col)
            result = ltv_holdout_from_data(data, cutoff=cutoff, horizon_months=horizon)
        except ValueError as exc:
            note = f"LTV holdout skipped: {exc}"
    if result is None:
        repeat = history.repeat_customers()
        return empty, ltv_verdict(None, repeat, metric), repeat, note
    verdict = result.verdict(metric)
    summary = result.summary.assign(
        published=result.summary["method"] == verdict.published,
        cutoff=cutoff,
        horizon_months=horizon,
        value="revenue",
    )[list(HOLDOUT_COLUMNS)]
    return summary, verdict, result.repeat_customers, note


@dg.asset(
    key=["ml", "customer_lifetime_value"],
    group_name="customers",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[CUSTOMER_RFM, CUSTOMER_TRANSACTIONS, customer_segments],
    owners=OWNERS,
    description=(
        "Historical and predicted (24-month, discounted) lifetime value per customer "
        "(ml.customer_ltv). A holdout (ml.ltv_holdout) compares a gamma-Poisson purchase and "
        "service model with recency-based survival against predicting zero and against each "
        "customer's naive run rate, on MAE, RMSE and total bias, per row. The model is "
        "published in predicted_revenue / predicted_ltv only where it beats both baselines on "
        "the documented metric (RMSE by default, config selection_metric); otherwise the better "
        "baseline is, and where no customer came back at all LTV is 'not estimable' (empty). "
        "ml.ltv_verdict says which and why; ltv_method / ltv_status on every row, the model's "
        "own values in model_predicted_*. Also the most to spend acquiring a customer like each "
        "segment (ml.acquisition_spend_guide) and the top segment against everyone else "
        "(ml.vip_vs_rest)."
    ),
)
def customer_lifetime_value(
    context: dg.AssetExecutionContext, config: LifetimeValueConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.customers import (
        GammaPoissonLtv,
        acquisition_spend_guide,
        plot_segment_profiles,
        segment_profiles,
        vip_vs_rest,
    )
    from ml.customers.ltv import publish_fitted_ltv

    # Per-customer totals computed in the warehouse: the transactions themselves (every sale
    # and service visit) do not fit in memory at a large group's size.
    history = TransactionHistory(warehouse)
    history.check_kinds()
    model = GammaPoissonLtv()
    segmented = warehouse.table_exists("ml.customer_segments")
    notes = [] if segmented else ["ml.customer_segments is missing: materialize customer_segments."]
    holdout, verdict, repeat, holdout_note = _holdout(
        history, model.group_col, config.max_holdout_months, config.selection_metric
    )
    notes += [holdout_note] if holdout_note else []
    verdict_row = pd.DataFrame([{"status": verdict.status, "published": verdict.published or
                                 "none", "metric": verdict.metric, "reason": verdict.reason,
                                 "repeat_customers": repeat}])
    if verdict.status != "model":
        notes.append(verdict.reason)
    # As GammaPoissonLtv.fit: the customers' as-of day, else the last transaction's.
    first, last = history.span()
    rfm_as_of = warehouse.read_frame(f"select max(as_of_date) from {RFM}").iloc[0, 0]
    as_of = pd.Timestamp(last or "1970-01-01") if pd.isna(rfm_as_of) else pd.Timestamp(rfm_as_of)
    model.fit_customers(history.customers_to_fit(through=as_of, group_col=model.group_col), as_of)
    ltv = publish_fitted_ltv(model, verdict, config.horizon_months, config.discount_rate_annual)
    del model  # its per-customer frame: 10M customers' worth of columns
    ltv["segment"] = _segments_of(ltv["customer_id"], warehouse, segmented)
    ltv["horizon_months"] = config.horizon_months
    ltv["as_of_date"] = pd.NaT if pd.isna(rfm_as_of) else rfm_as_of
    ltv = ltv.astype({"customer_id": str, "ltv_group": str, "segment": str})
    write_table(warehouse, "ml.customer_ltv", ltv)

    customers = _customers_with_ltv(warehouse)
    profiles = segment_profiles(customers)
    guide = acquisition_spend_guide(profiles, target_ltv_to_cac=config.target_ltv_to_cac)
    vip = vip_vs_rest(customers)
    vip = vip if len(customers) else vip.iloc[:0]  # nobody to compare: no rows, not NaNs
    del customers
    if first is None:
        notes.append("marts.customer_transactions is empty: historical and predicted LTV are 0.")
    write_table(warehouse, "ml.acquisition_spend_guide", guide)
    write_table(warehouse, "ml.ltv_holdout", holdout)
    write_table(warehouse, "ml.ltv_verdict", verdict_row)
    write_table(warehouse, "ml.vip_vs_rest", vip)
    for note in notes:
        context.log.warning(note)
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.customer_ltv",
            ltv,
            horizon_months=config.horizon_months,
            total_predicted_ltv=float(ltv["predicted_ltv"].sum()),
            ltv_verdict=dg.MetadataValue.text(verdict.status),
            ltv_published=dg.MetadataValue.text(verdict.published or "none"),
            ltv_verdict_reason=dg.MetadataValue.md(verdict.reason),
            total_historical_revenue=float(ltv["historical_revenue"].sum()),
            holdout=_markdown(holdout),
            acquisition_spend_guide=_markdown(guide.drop(columns=["explanation"])),
            vip_vs_rest=_markdown(vip),
            segment_value_plot=figure_markdown(
                plot_segment_profiles(profiles), "Segment profiles with predicted LTV"
            ),
            notes=dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_"),
        )
    )


customer_assets = [customer_segments, customer_lifetime_value]

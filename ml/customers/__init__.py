"""Customer analytics: segmentation, lifetime value, and what they imply for marketing spend.

Pure functions and estimators on DataFrames (no Dagster, no I/O); see each module's docstring.
"""

from ml.customers.features import prepare_rfm, segmentation_features
from ml.customers.ltv import LtvHoldout, ltv_holdout, predict_ltv, publish_ltv
from ml.customers.ltv_model import GammaPoissonLtv
from ml.customers.ltv_verdict import LtvVerdict, compare_methods, ltv_verdict
from ml.customers.naming import NAME_ORDER, SINGLE_SEGMENT, name_clusters
from ml.customers.plots import plot_k_selection, plot_segment_profiles, plot_segment_sizes
from ml.customers.profiles import acquisition_spend_guide, segment_profiles, vip_vs_rest
from ml.customers.segmentation import CustomerSegmenter
from ml.customers.transactions import historical_ltv, prepare_transactions, repeat_customers
from ml.customers.vocabulary import engagement_tier, lifecycle_stage, seed_vocabularies

__all__ = [
    "NAME_ORDER",
    "SINGLE_SEGMENT",
    "CustomerSegmenter",
    "GammaPoissonLtv",
    "LtvHoldout",
    "LtvVerdict",
    "acquisition_spend_guide",
    "compare_methods",
    "engagement_tier",
    "historical_ltv",
    "lifecycle_stage",
    "ltv_holdout",
    "ltv_verdict",
    "name_clusters",
    "plot_k_selection",
    "plot_segment_profiles",
    "plot_segment_sizes",
    "predict_ltv",
    "prepare_rfm",
    "prepare_transactions",
    "publish_ltv",
    "repeat_customers",
    "seed_vocabularies",
    "segment_profiles",
    "segmentation_features",
    "vip_vs_rest",
]

"""Customer analytics: segmentation, lifetime value, and what they imply for marketing spend.

Pure functions and estimators on DataFrames (no Dagster, no I/O); see each module's docstring.
"""

from ml.customers.features import prepare_rfm, segmentation_features
from ml.customers.ltv import LtvHoldout, ltv_holdout, predict_ltv
from ml.customers.ltv_model import GammaPoissonLtv
from ml.customers.naming import NAME_ORDER, SINGLE_SEGMENT, name_clusters
from ml.customers.plots import plot_k_selection, plot_segment_profiles, plot_segment_sizes
from ml.customers.profiles import acquisition_spend_guide, segment_profiles, vip_vs_rest
from ml.customers.segmentation import CustomerSegmenter
from ml.customers.transactions import historical_ltv, prepare_transactions

__all__ = [
    "NAME_ORDER",
    "SINGLE_SEGMENT",
    "CustomerSegmenter",
    "GammaPoissonLtv",
    "LtvHoldout",
    "acquisition_spend_guide",
    "historical_ltv",
    "ltv_holdout",
    "name_clusters",
    "plot_k_selection",
    "plot_segment_profiles",
    "plot_segment_sizes",
    "predict_ltv",
    "prepare_rfm",
    "prepare_transactions",
    "segment_profiles",
    "segmentation_features",
    "vip_vs_rest",
]

"""Pricing: market value, price-to-market, age-based markdowns, price sensitivity, experiments."""

from ml.pricing.evaluation import (
    cross_val_and_fit,
    cross_val_predictions,
    evaluate,
    score_predictions,
)
from ml.pricing.experiment import READOUT_COLUMNS, experiment_readout
from ml.pricing.market_value import FEATURES, MarketValueModel, MedianPriceBaseline
from ml.pricing.plots import (
    plot_days_to_sale_by_price,
    plot_predicted_vs_actual,
    plot_price_to_market,
)
from ml.pricing.recommendations import UNIT_COLUMNS, PricingPolicy, price_recommendations
from ml.pricing.sensitivity import binned_days_to_sale, price_sensitivity

__all__ = [
    "FEATURES",
    "READOUT_COLUMNS",
    "UNIT_COLUMNS",
    "MarketValueModel",
    "MedianPriceBaseline",
    "PricingPolicy",
    "binned_days_to_sale",
    "cross_val_and_fit",
    "cross_val_predictions",
    "evaluate",
    "experiment_readout",
    "plot_days_to_sale_by_price",
    "plot_predicted_vs_actual",
    "plot_price_to_market",
    "price_recommendations",
    "price_sensitivity",
    "score_predictions",
]

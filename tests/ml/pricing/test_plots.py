"""Plot helpers return Figures that render to PNG without a display."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ml.pricing import (
    plot_days_to_sale_by_price,
    plot_predicted_vs_actual,
    plot_price_to_market,
    price_sensitivity,
)
from ml.pricing.synthetic import sensitivity_sales


def renders(fig: Figure) -> bool:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue().startswith(b"\x89PNG")


def test_plots_are_figures_that_render():
    rng = np.random.default_rng(0)
    actual = rng.uniform(10_000, 40_000, 100)
    recs = pd.DataFrame(
        {
            "price_to_market": rng.normal(1.0, 0.05, 100),
            "age_bucket": rng.choice(["0-30", "31-45", "60+"], 100),
        }
    )
    bins = price_sensitivity(sensitivity_sales(n=500))["bins"]
    figures = [
        plot_predicted_vs_actual(actual, actual * rng.normal(1, 0.05, 100)),
        plot_price_to_market(recs),
        plot_price_to_market(recs["price_to_market"]),
        plot_price_to_market(recs.iloc[:0]),
        plot_days_to_sale_by_price(bins),
    ]
    assert all(isinstance(f, Figure) and renders(f) for f in figures)

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


def test_predicted_vs_actual_plots_the_pairs_and_their_errors():
    actual = np.array([10_000.0, 20_000.0, 30_000.0, np.nan])
    predicted = np.array([11_000.0, 19_000.0, 33_000.0, 5_000.0])
    (ax,) = plot_predicted_vs_actual(actual, predicted).axes
    np.testing.assert_allclose(ax.collections[0].get_offsets(), [[1e4, 1.1e4], [2e4, 1.9e4],
                                                                 [3e4, 3.3e4]])  # fmt: skip
    assert ax.get_xlabel() == "actual price" and ax.get_ylabel() == "predicted market value"
    # MAE (1000 + 1000 + 3000) / 3, MAPE (10% + 5% + 10%) / 3; the pair with no actual is left out
    assert ax.get_legend().get_title().get_text() == "MAE 1,667  MAPE 8.3%  n=3"


def test_price_to_market_histogram_counts_every_unit_in_its_age_bucket():
    recs = pd.DataFrame(
        {"price_to_market": [0.9, 1.0, 1.1, 1.2, np.inf], "age_bucket": ["0-30"] * 3 + ["60+"] * 2}
    )
    (ax,) = plot_price_to_market(recs).axes
    assert sum(p.get_height() for p in ax.patches) == 4  # each finite unit counted once
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0-30", "60+"]
    assert ax.get_title() == "Price to market (median 105.0%)"
    (ax,) = plot_price_to_market(recs["price_to_market"]).axes
    assert sum(p.get_height() for p in ax.patches) == 4


def test_days_to_sale_plot_shows_each_bands_mean_and_interval():
    bins = pd.DataFrame(
        {
            "ptm_band": ["<0.97", "0.97-1.03", ">=1.03"],
            "mean_days_to_sale": [20.0, 30.0, 45.0],
            "ci_low": [18.0, 21.0, np.nan],  # one unit in the last band: no interval
            "ci_high": [26.0, 33.0, np.nan],
        }
    )
    (ax,) = plot_days_to_sale_by_price(bins).axes
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), bins["mean_days_to_sale"])
    assert [t.get_text() for t in ax.get_xticklabels()] == bins["ptm_band"].tolist()
    (bars,) = ax.collections
    ends = [sorted([low[1], high[1]]) for low, high in bars.get_segments()]
    assert ends == [[18.0, 26.0], [21.0, 33.0], [45.0, 45.0]]

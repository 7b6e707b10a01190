"""Figures for asset metadata and reviews: matplotlib Figures, no pyplot state, Agg-safe."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def plot_predicted_vs_actual(
    actual: object, predicted: object, title: str = "Market value: predicted vs sold price"
) -> Figure:
    """Scatter of predicted against actual prices, with the diagonal and the MAE and MAPE."""
    y, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    ok = np.isfinite(y) & np.isfinite(p)
    y, p = y[ok], p[ok]
    fig = Figure(figsize=(6, 6))
    ax = fig.add_subplot()
    ax.scatter(y, p, s=8, alpha=0.4)
    if len(y):
        lo, hi = float(min(y.min(), p.min())), float(max(y.max(), p.max()))
        ax.plot([lo, hi], [lo, hi], color="black", linewidth=1, label="predicted = actual")
        mae = np.abs(p - y).mean()
        mape = (np.abs(p - y) / np.abs(y)).mean()
        ax.legend(title=f"MAE {mae:,.0f}  MAPE {mape:.1%}  n={len(y)}", loc="upper left")
    ax.set_xlabel("actual price")
    ax.set_ylabel("predicted market value")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_price_to_market(
    recommendations: pd.DataFrame | pd.Series, by: str | None = "age_bucket", bins: int = 30
) -> Figure:
    """Histogram of price-to-market, stacked by ``by`` (e.g. age bucket) when present."""
    frame = (
        recommendations.to_frame("price_to_market")
        if isinstance(recommendations, pd.Series)
        else recommendations
    )
    ptm = pd.to_numeric(frame["price_to_market"], errors="coerce")
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    finite = ptm[np.isfinite(ptm)]
    if by in frame.columns and len(finite):
        groups = frame.loc[finite.index].groupby(by, observed=True)["price_to_market"]
        labels, data = zip(*[(str(k), v.to_numpy(float)) for k, v in groups], strict=True)
        ax.hist(list(data), bins=bins, stacked=True, label=list(labels))
        ax.legend(title=by)
    elif len(finite):
        ax.hist(finite.to_numpy(float), bins=bins)
    ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("list price / market value")
    ax.set_ylabel("units")
    ax.set_title(
        f"Price to market (median {finite.median():.1%})"
        if len(finite)
        else "Price to market (no units)"
    )
    fig.tight_layout()
    return fig


def plot_days_to_sale_by_price(bins: pd.DataFrame) -> Figure:
    """Mean days to sale per price-to-market band with CIs, from ``price_sensitivity()["bins"]``."""
    fig = Figure(figsize=(7, 4))
    ax = fig.add_subplot()
    x = np.arange(len(bins))
    mean = bins["mean_days_to_sale"].to_numpy(float)
    err = np.vstack([mean - bins["ci_low"].to_numpy(float), bins["ci_high"].to_numpy(float) - mean])
    ax.errorbar(x, mean, yerr=np.nan_to_num(err), fmt="o-", capsize=3)
    ax.set_xticks(x, bins["ptm_band"].astype(str))
    ax.set_xlabel("price to market at listing")
    ax.set_ylabel("mean days to sale")
    ax.set_title("Days to sale by price to market")
    fig.tight_layout()
    return fig

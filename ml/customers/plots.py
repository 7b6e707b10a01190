"""Figures for customer segmentation: choosing k, segment sizes, and segment profiles.

Figures are built with the object API on the Agg canvas, so they never touch pyplot's global
state or need a display; callers save them (``fig.savefig``) or hand them to Dagster metadata.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PROFILE_METRICS = {
    "avg_recency_days": "Recency (days)",
    "avg_frequency": "Vehicle purchases",
    "avg_monetary": "Vehicle revenue",
    "avg_service_visits": "Service visits",
    "avg_service_revenue": "Service revenue",
    "avg_predicted_ltv": "Predicted LTV",
}


def _figure(width: float, height: float, ncols: int = 1) -> tuple[Figure, list]:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]


def _no_data(ax, message: str = "no data") -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def plot_k_selection(scores: pd.DataFrame, chosen_k: int | None = None) -> Figure:
    """Silhouette (higher is better) and inertia (the elbow) for each k tried.

    ``scores`` is ``CustomerSegmenter.scores_``; ``chosen_k`` (its ``k_``) is marked.
    """
    fig, (left, right) = _figure(10, 4, ncols=2)
    if scores.empty:
        _no_data(left, "too few distinct customers to compare k")
        _no_data(right)
        return fig
    for ax, col, title in ((left, "silhouette", "Silhouette by k"),
                           (right, "inertia", "Inertia by k (elbow)")):
        ax.plot(scores["k"], scores[col], marker="o")
        ax.set_title(title)
        ax.set_xlabel("number of segments k")
        ax.set_ylabel(col)
        ax.set_xticks(list(scores["k"]))
        if chosen_k is not None and chosen_k in set(scores["k"]):
            ax.axvline(chosen_k, color="tab:red", linestyle="--", label=f"chosen k = {chosen_k}")
            ax.legend()
    return fig


def plot_segment_sizes(profiles: pd.DataFrame) -> Figure:
    """Customers per segment as bars, labelled with each segment's share of customers."""
    fig, (ax,) = _figure(7, 4)
    if profiles.empty:
        _no_data(ax)
        return fig
    bars = ax.bar(profiles["segment"].astype(str), profiles["customers"], color="tab:blue")
    ax.bar_label(bars, labels=[f"{s:.0%}" for s in profiles["share"]])
    ax.set_title("Customers per segment")
    ax.set_ylabel("customers")
    ax.tick_params(axis="x", rotation=30)
    return fig


def plot_segment_profiles(profiles: pd.DataFrame) -> Figure:
    """Heatmap of each segment's averages, standardised across segments, raw values written in.

    Colour shows how a segment compares with the others on each metric (z-score across
    segments, so days, counts and money share one scale), signed so that red is always
    better: fewer days since the last visit count as better.
    """
    metrics = [m for m in PROFILE_METRICS if m in profiles.columns]
    fig, (ax,) = _figure(1.6 * max(len(metrics), 3) + 2, 0.6 * max(len(profiles), 2) + 1.5)
    if profiles.empty or not metrics:
        _no_data(ax)
        return fig
    raw = profiles[metrics].astype(float)
    std = raw.std(ddof=0).replace(0.0, np.nan)
    z = ((raw - raw.mean()) / std).fillna(0.0)
    if "avg_recency_days" in z:
        z["avg_recency_days"] = -z["avg_recency_days"]
    image = ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-2, vmax=2, aspect="auto")
    ax.set_xticks(range(len(metrics)), [PROFILE_METRICS[m] for m in metrics], rotation=30,
                  ha="right")
    ax.set_yticks(range(len(profiles)), profiles["segment"].astype(str))
    for (i, j), value in np.ndenumerate(raw.to_numpy()):
        ax.text(j, i, "" if np.isnan(value) else f"{value:,.0f}" if abs(value) >= 10
                else f"{value:.1f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="z across segments (red = better)")
    ax.set_title("Segment profiles")
    return fig

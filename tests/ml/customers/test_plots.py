"""Plot helpers return Figures, also when there is nothing to show."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ml.customers import (
    CustomerSegmenter,
    plot_k_selection,
    plot_segment_profiles,
    plot_segment_sizes,
    segment_profiles,
)
from ml.customers.plots import PROFILE_METRICS
from tests.ml.customers.synthetic import planted_rfm


def test_plots_show_k_selection_sizes_and_profiles(tmp_path):
    rfm = planted_rfm(4, per_group=15)
    segmenter = CustomerSegmenter().fit(rfm)
    profiles = segment_profiles(rfm.assign(segment=segmenter.predict(rfm)))
    k_fig = plot_k_selection(segmenter.scores_, segmenter.k_)
    sizes = plot_segment_sizes(profiles)
    heat = plot_segment_profiles(profiles)

    scores = segmenter.scores_
    assert [a.get_title() for a in k_fig.axes] == ["Silhouette by k", "Inertia by k (elbow)"]
    for ax, column in zip(k_fig.axes, ("silhouette", "inertia"), strict=True):
        curve, chosen = ax.get_lines()
        np.testing.assert_allclose(curve.get_xdata(), scores["k"])
        np.testing.assert_allclose(curve.get_ydata(), scores[column])
        assert list(chosen.get_xdata()) == [segmenter.k_] * 2

    (bars_ax,) = sizes.axes
    assert [p.get_height() for p in bars_ax.patches] == profiles["customers"].tolist()
    assert [t.get_text() for t in bars_ax.get_xticklabels()] == profiles["segment"].tolist()
    shown = [t.get_text() for t in bars_ax.texts]
    assert shown == [f"{share:.0%}" for share in profiles["share"]]

    # Colour: each metric standardised across segments, fewer days since a visit is better
    metrics = [m for m in PROFILE_METRICS if m in profiles.columns]
    raw = profiles[metrics].astype(float)
    expected = ((raw - raw.mean()) / raw.std(ddof=0)).fillna(0.0)
    expected["avg_recency_days"] *= -1
    heat_ax = heat.axes[0]
    np.testing.assert_allclose(heat_ax.images[0].get_array(), expected.to_numpy())
    assert [t.get_text() for t in heat_ax.get_yticklabels()] == profiles["segment"].tolist()
    written = [float(t.get_text().replace(",", "")) for t in heat_ax.texts]
    np.testing.assert_allclose(written, raw.to_numpy().ravel(), atol=0.5)  # as rounded
    for i, fig in enumerate((k_fig, sizes, heat)):
        fig.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 0


def test_plots_of_nothing_are_still_figures():
    empty = segment_profiles(pd.DataFrame(columns=["segment"]))
    for fig in (
        plot_k_selection(pd.DataFrame(columns=["k", "silhouette", "inertia"])),
        plot_segment_sizes(empty),
        plot_segment_profiles(empty),
    ):
        assert isinstance(fig, Figure)
        texts = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert texts and all("no data" in t or "too few" in t for t in texts)
        assert not any(ax.patches or ax.images or ax.get_lines() for ax in fig.axes)

"""Plot helpers return Figures, also when there is nothing to show."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ml.customers import (
    CustomerSegmenter,
    plot_k_selection,
    plot_segment_profiles,
    plot_segment_sizes,
    segment_profiles,
)
from tests.ml.customers.synthetic import planted_rfm


def test_plots_show_k_selection_sizes_and_profiles(tmp_path):
    rfm = planted_rfm(4, per_group=15)
    segmenter = CustomerSegmenter().fit(rfm)
    profiles = segment_profiles(rfm.assign(segment=segmenter.predict(rfm)))
    k_fig = plot_k_selection(segmenter.scores_, segmenter.k_)
    sizes = plot_segment_sizes(profiles)
    heat = plot_segment_profiles(profiles)
    assert len(k_fig.axes) == 2
    assert [a.get_title() for a in k_fig.axes] == ["Silhouette by k", "Inertia by k (elbow)"]
    assert len(sizes.axes[0].patches) == 4
    assert len(heat.axes[0].get_yticklabels()) == 4
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

"""The plot helper draws history, forecast and both bands for one series."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from ml.forecasting import plot_actual_vs_forecast


def test_plot_shows_history_forecast_and_two_bands(hierarchy, hierarchy_forecast):
    fig = plot_actual_vs_forecast(hierarchy, hierarchy_forecast, "total")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    assert ax.get_title() == "total"


def test_plot_of_an_unknown_series_says_so(hierarchy, hierarchy_forecast):
    with pytest.raises(ValueError, match="nope"):
        plot_actual_vs_forecast(hierarchy, hierarchy_forecast, "nope")

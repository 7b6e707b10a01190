"""Reconciled forecasts add up in both hierarchies, and the split follows base forecasts."""

from __future__ import annotations

import numpy as np
import pytest

from ml.forecasting.reconcile import coherence_gap, top_down


def test_children_are_split_by_their_base_forecast_shares():
    ids = np.array(["total", "a", "b"], dtype=object)
    parents = np.array([None, "total", "total"], dtype=object)
    levels = np.array(["total", "region", "region"], dtype=object)
    out = top_down(np.array([[10.0], [1.0], [3.0]]), ids, parents, levels)
    assert out[:, 0].tolist() == pytest.approx([10.0, 2.5, 7.5])


def test_two_hierarchies_under_one_total_each_add_up_to_it():
    ids = np.array(["total", "r1", "r2", "m1", "m2", "m3"], dtype=object)
    parents = np.array([None, "total", "total", "total", "total", "total"], dtype=object)
    levels = np.array(["total", "region", "region", "make", "make", "make"], dtype=object)
    base = np.array([[12.0], [5.0], [5.0], [1.0], [1.0], [2.0]])
    out = top_down(base, ids, parents, levels)[:, 0]
    assert out[1:3].sum() == pytest.approx(12.0) and out[3:].sum() == pytest.approx(12.0)


def test_siblings_with_zero_forecasts_split_by_recent_sales_then_evenly():
    ids = np.array(["m", "t1", "t2", "n", "u1", "u2"], dtype=object)
    parents = np.array([None, "m", "m", None, "n", "n"], dtype=object)
    levels = np.array(["model", "trim", "trim", "model", "trim", "trim"], dtype=object)
    base = np.array([[8.0], [0.0], [0.0], [4.0], [0.0], [0.0]])
    weights = np.array([0.0, 3.0, 1.0, 0.0, 0.0, 0.0])
    out = top_down(base, ids, parents, levels, weights)[:, 0]
    assert out.tolist() == pytest.approx([8.0, 6.0, 2.0, 4.0, 2.0, 2.0])


def test_forecasts_are_coherent_in_both_hierarchies(hierarchy, hierarchy_forecast):
    f = hierarchy_forecast
    parent_of = hierarchy.drop_duplicates("unique_id").set_index("unique_id")["parent_id"]
    assert coherence_gap(f, parent_of.to_dict()) < 1e-6
    total = f[f["level"] == "total"].set_index("ds")["yhat"]
    for level in ("region", "dealer", "make", "model", "trim"):
        sums = f[f["level"] == level].groupby("ds")["yhat"].sum()
        np.testing.assert_allclose(sums, total.loc[sums.index], atol=1e-6)


def test_the_coherence_check_notices_a_broken_sum(hierarchy, hierarchy_forecast):
    parent_of = hierarchy.drop_duplicates("unique_id").set_index("unique_id")["parent_id"]
    broken = hierarchy_forecast.copy()
    broken.loc[broken["level"] == "trim", "yhat"] += 1.0
    assert coherence_gap(broken, parent_of.to_dict()) >= 1.0

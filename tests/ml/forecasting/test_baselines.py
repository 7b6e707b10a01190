"""Croston, TSB and the naive methods, checked against arithmetic done by hand."""

from __future__ import annotations

import numpy as np
import pytest

from ml.forecasting import baselines as bl

NAN = np.nan


def test_croston_divides_smoothed_size_by_smoothed_interval():
    # Demands 3 (interval 2) and 6 (interval 3): size 3 -> 4.5, interval 2 -> 2.5 with alpha 0.5.
    values = np.array([[0.0, 3.0, 0.0, 0.0, 6.0]])
    assert bl.croston(values, alpha=0.5)[0] == pytest.approx(4.5 / 2.5)


def test_tsb_multiplies_smoothed_probability_by_smoothed_size():
    # Start: p = 2/5, z = 4.5. p: .2, .6, .3, .15, .575; z: 3.75 (after 3), 4.875 (after 6).
    values = np.array([[0.0, 3.0, 0.0, 0.0, 6.0]])
    assert bl.tsb(values, alpha=0.5, beta=0.5)[0] == pytest.approx(0.575 * 4.875)


def test_intermittent_methods_work_on_many_series_of_different_lengths_at_once():
    values = np.array([[0.0, 3.0, 0.0, 0.0, 6.0], [NAN, NAN, 2.0, 0.0, 2.0], [NAN] * 5])
    croston = bl.croston(values, alpha=0.5)
    tsb = bl.tsb(values, alpha=0.5, beta=0.5)
    assert croston[0] == pytest.approx(1.8)
    assert croston[1] == pytest.approx(2.0 / 1.5)  # intervals 1 then 2: 1 -> 1.5
    assert croston[2] == 0.0 and tsb[2] == 0.0
    assert tsb[0] == pytest.approx(bl.tsb(values[:1], alpha=0.5, beta=0.5)[0])


def test_tsb_decays_through_a_run_of_zeros_while_croston_does_not():
    active = np.array([[2.0, 0.0, 2.0, 0.0, 2.0, 0.0]])
    faded = np.hstack([active, np.zeros((1, 12))])
    assert bl.tsb(faded)[0] < 0.5 * bl.tsb(active)[0]
    assert bl.croston(faded)[0] == pytest.approx(bl.croston(active)[0])


def test_seasonal_naive_repeats_the_value_one_season_before_each_target():
    values = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])  # season 3: ... 4, 5, 6
    steps = np.array([[1, 2, 3, 4]])
    assert bl.seasonal_naive(values, steps, season=3).tolist() == [[4.0, 5.0, 6.0, 4.0]]


def test_seasonal_naive_falls_back_to_naive_without_a_full_season():
    values = np.array([[NAN, NAN, NAN, 7.0, 9.0]])
    steps = np.array([[1, 2]])
    assert bl.seasonal_naive(values, steps, season=4).tolist() == [[9.0, 9.0]]


def test_naive_and_window_mean_read_the_end_of_each_series():
    values = np.array([[1.0, 2.0, 3.0, 5.0], [NAN, NAN, NAN, 4.0]])
    assert bl.naive(values, np.ones((2, 3), dtype=int))[:, 0].tolist() == [5.0, 4.0]
    assert bl.window_mean(values, window=2).tolist() == [4.0, 4.0]


def test_spreads_grow_with_the_step_and_are_unknown_for_one_point():
    values = np.array([[1.0, 3.0, 2.0, 4.0], [NAN, NAN, NAN, 4.0]])
    sd = bl.naive_sd(values, np.array([[1, 4], [1, 4]]))
    assert sd[0, 1] == pytest.approx(2 * sd[0, 0])
    assert np.isnan(sd[1]).all()

"""`forecast`: its output table, degenerate inputs, intervals, determinism, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.forecasting import forecast

from .conftest import weekly

COLUMNS = [
    "unique_id",
    "level",
    "ds",
    "yhat",
    "yhat_lower",
    "yhat_upper",
    "yhat_lower_95",
    "yhat_upper_95",
    "method",
]


def degenerate_series() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    seasonal = 10 + 5 * np.sin(np.arange(90) * 2 * np.pi / 52) + rng.normal(0, 1, 90)
    with_nan = seasonal.copy()
    with_nan[[5, 40, 89]] = np.nan
    gappy = weekly("gappy", seasonal).drop(index=range(10, 30))
    return pd.concat(
        [
            weekly("no_points", [np.nan, np.nan]),
            weekly("one_point", [4.0]),
            weekly("two_points", [0.0, 3.0], start="2024-06-03"),
            weekly("constant", [5.0] * 70),
            weekly("all_zero", [0.0] * 70),
            weekly("negative", [-2.0, 1.0, 0.0, 3.0]),
            gappy,
            weekly("with_nan", with_nan),
        ],
        ignore_index=True,
    )


def test_output_has_one_row_per_series_and_period_with_the_documented_columns(
    hierarchy, hierarchy_forecast
):
    assert list(hierarchy_forecast.columns) == COLUMNS
    assert len(hierarchy_forecast) == hierarchy["unique_id"].nunique() * 8
    last = hierarchy["ds"].max()
    expected = pd.date_range(last + pd.Timedelta(weeks=1), periods=8, freq="W-MON")
    assert sorted(hierarchy_forecast["ds"].unique()) == list(expected)


def test_degenerate_series_never_raise_and_give_finite_non_negative_forecasts():
    out = forecast(degenerate_series(), horizon=6, n_jobs=1)
    assert set(out["unique_id"]) == set(degenerate_series()["unique_id"])
    numbers = out[COLUMNS[3:8]].to_numpy(dtype=float)
    assert np.isfinite(numbers).all() and (numbers >= 0).all()
    by_series = out.groupby("unique_id")["yhat"].mean()
    assert by_series["constant"] == pytest.approx(5.0)
    assert by_series["one_point"] == pytest.approx(4.0)
    assert by_series["no_points"] == 0.0 and by_series["all_zero"] == 0.0


def test_gaps_between_observations_count_as_zero_sales():
    gappy = weekly("g", [6.0] * 40).drop(index=range(10, 30))
    mean = forecast(gappy, horizon=2, n_jobs=1)
    complete = forecast(weekly("g", [6.0] * 10 + [0.0] * 20 + [6.0] * 10), horizon=2, n_jobs=1)
    pd.testing.assert_frame_equal(mean, complete)


def test_intervals_are_ordered_nested_and_non_negative(hierarchy_forecast):
    f = hierarchy_forecast
    assert (f["yhat_lower_95"] >= 0).all()
    assert (f["yhat_lower_95"] <= f["yhat_lower"] + 1e-12).all()
    assert (f["yhat_lower"] <= f["yhat"] + 1e-12).all()
    assert (f["yhat"] <= f["yhat_upper"] + 1e-12).all()
    assert (f["yhat_upper"] <= f["yhat_upper_95"] + 1e-12).all()
    assert ((f["yhat_upper_95"] - f["yhat_lower_95"]) > 0).mean() > 0.9


def test_results_are_deterministic_for_a_fixed_random_state(hierarchy, hierarchy_forecast):
    again = forecast(hierarchy, horizon=8, n_jobs=2, random_state=0)
    in_process = forecast(hierarchy, horizon=8, n_jobs=1, random_state=0)
    pd.testing.assert_frame_equal(hierarchy_forecast, again)
    pd.testing.assert_frame_equal(hierarchy_forecast, in_process)


def test_every_kind_of_method_shows_up_in_a_realistic_hierarchy(hierarchy_forecast):
    methods = set(hierarchy_forecast["method"])
    assert {"prophet", "croston"} <= methods
    assert set(hierarchy_forecast.loc[hierarchy_forecast["level"] == "total", "method"]) == {
        "prophet"
    }


QUIET_SCRIPT = """
from ml.forecasting import forecast
from ml.forecasting.synthetic import make_hierarchy
upper = make_hierarchy(30, 104).query("level in ['total', 'region', 'dealer', 'make']")
for n_jobs in (1, 2):  # in this process, then in worker processes
    assert (forecast(upper, horizon=2, n_jobs=n_jobs)["method"] == "prophet").sum() >= 8
"""


def test_forecasting_prints_no_stan_or_prophet_logs():
    # A fresh interpreter: under pytest, log records go to its capture, not to the terminal.
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", QUIET_SCRIPT], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cmdstanpy" not in done.stderr + done.stdout
    assert "INFO" not in done.stderr + done.stdout


def test_a_constant_history_still_gets_count_noise_in_its_intervals():
    out = forecast(weekly("flat", [5.0] * 70), horizon=2, n_jobs=1)
    assert (out["yhat"] == 5.0).all()
    assert (out["yhat_upper"] > 5.0).all() and (out["yhat_lower"] < 5.0).all()


def test_daily_grain_is_supported():
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    y = 5 + 3 * (days.day_of_week >= 5) + np.random.default_rng(0).poisson(2, 120)
    out = forecast(
        pd.DataFrame({"unique_id": "d", "ds": days, "y": y}), horizon=7, freq="D", n_jobs=1
    )
    assert len(out) == 7 and out["method"].iloc[0] == "prophet"
    assert out["yhat"].iloc[5] > out["yhat"].iloc[2]  # the weekend peak is kept


def test_bad_input_is_reported_with_what_to_do():
    with pytest.raises(ValueError, match="missing column"):
        forecast(pd.DataFrame({"unique_id": ["a"], "ds": ["2024-01-01"]}))
    with pytest.raises(ValueError, match="freq='M'"):
        forecast(weekly("a", [1.0, 2.0]), freq="M")
    with pytest.raises(ValueError, match="interval_levels"):
        forecast(weekly("a", [1.0, 2.0]), interval_levels=(95, 80))

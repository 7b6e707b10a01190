"""The fast Prophet path gives Prophet's own numbers, in parallel and without log noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecasting.data import calendar_for
from ml.forecasting.prophet_batch import (
    _point_and_sd,
    fit_predict_many,
    prophet_settings,
    quiet_logs,
    sequential_default_prophet,
)
from ml.forecasting.synthetic import make_seasonal


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return make_seasonal(n_series=1, weeks=104, random_state=2)[["ds", "y"]]


def test_point_forecast_equals_prophet_predict(history):
    with quiet_logs():
        from prophet import Prophet

        model = Prophet(**prophet_settings(calendar_for("W-MON"), 104)).fit(history)
        targets = pd.date_range(
            history["ds"].max() + pd.Timedelta(weeks=1), periods=8, freq="W-MON"
        )
        expected = model.predict(pd.DataFrame({"ds": targets}))["yhat"].to_numpy()
        yhat, sd = _point_and_sd(model, targets.to_numpy(), np.arange(1, 9))
    np.testing.assert_allclose(yhat, expected, rtol=1e-9)
    assert (np.diff(sd) >= 0).all()  # trend uncertainty only grows


def test_analytic_spread_matches_prophets_simulated_interval(history):
    with quiet_logs():
        from prophet import Prophet

        model = Prophet(**prophet_settings(calendar_for("W-MON"), 104)).fit(history)
        targets = pd.date_range(
            history["ds"].max() + pd.Timedelta(weeks=1), periods=8, freq="W-MON"
        )
        _, sd = _point_and_sd(model, targets.to_numpy(), np.arange(1, 9))
        model.uncertainty_samples, model.interval_width = 3000, 0.8
        np.random.seed(0)
        simulated = model.predict(pd.DataFrame({"ds": targets}))
    half_width = (simulated["yhat_upper"] - simulated["yhat_lower"]).to_numpy() / 2
    np.testing.assert_allclose(1.2816 * sd, half_width, rtol=0.15)


def test_parallel_batches_return_results_in_task_order(history):
    calendar = calendar_for("W-MON")
    targets = pd.date_range(history["ds"].max() + pd.Timedelta(weeks=1), periods=4, freq="W-MON")
    tasks = [
        (
            history["ds"].to_numpy(),
            history["y"].to_numpy() * k,
            targets.to_numpy(),
            np.arange(1, 5),
            prophet_settings(calendar, 104),
            0,
        )
        for k in (1, 2, 3, 4, 5)
    ]
    parallel = fit_predict_many(tasks, n_jobs=2, batches_per_job=2)
    serial = fit_predict_many(tasks, n_jobs=1)
    for k, (p, s) in enumerate(zip(parallel, serial, strict=True), start=1):
        np.testing.assert_allclose(p[0], s[0])
        np.testing.assert_allclose(p[0], parallel[0][0] * k, rtol=1e-3)


def test_reference_loop_forecasts_every_series_with_default_prophet():
    frame = make_seasonal(n_series=2, weeks=60)
    frame = pd.concat(
        [frame, pd.DataFrame({"unique_id": ["tiny"], "ds": [frame["ds"].max()], "y": [2.0]})]
    )
    out = sequential_default_prophet(frame, horizon=3)
    assert len(out) == 9 and (out["yhat"] >= 0).all() and out["yhat"].notna().all()
    assert (out.loc[out["unique_id"] == "tiny", "yhat"] == 2.0).all()

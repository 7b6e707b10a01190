"""FastProphet (ml/forecasting/prophet_fast.py) fits exactly what Prophet fits."""

from __future__ import annotations

import numpy as np

from ml.forecasting.data import calendar_for
from ml.forecasting.prophet_batch import prophet_settings, quiet_logs
from ml.forecasting.prophet_fast import fast_prophet_class
from ml.forecasting.synthetic import make_seasonal


def test_fast_prophet_fits_the_same_parameters_and_components_as_prophet_series_after_series():
    panel = make_seasonal(n_series=3, weeks=104, random_state=5)
    fast = fast_prophet_class()
    before = set(fast._component_cache)
    with quiet_logs():
        from prophet import Prophet

        for settings in (prophet_settings(calendar_for("W-MON"), 104),
                         prophet_settings(calendar_for("D"), 500)):
            for _, series in panel.groupby("unique_id"):
                history = series[["ds", "y"]]
                stock = Prophet(**settings).fit(history, seed=1, algorithm="LBFGS")
                ours = fast(**settings).fit(history, seed=1, algorithm="LBFGS")
                for name, value in stock.params.items():
                    np.testing.assert_array_equal(ours.params[name], value, err_msg=name)
                assert ours.train_component_cols.equals(stock.train_component_cols)
                assert ours.component_modes == stock.component_modes
                future = stock.make_future_dataframe(periods=4, freq="W-MON")
                np.testing.assert_array_equal(ours.predict(future)["yhat"],
                                              stock.predict(future)["yhat"])
    assert len(set(fast._component_cache) - before) <= 2  # one entry per configuration

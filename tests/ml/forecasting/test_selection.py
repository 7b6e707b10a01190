"""The method rule routes each kind of series to the method written in its docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecasting import forecast
from ml.forecasting.data import prepare_panel
from ml.forecasting.selection import MethodRule, choose_methods, series_features
from ml.forecasting.synthetic import make_seasonal

from .conftest import weekly


def methods_of(frame: pd.DataFrame) -> dict[str, str]:
    panel = prepare_panel(frame)
    return dict(zip(panel.ids, choose_methods(panel), strict=True))


def test_sparse_series_fall_back_to_croston():
    sparse = [0, 0, 3, 0, 0, 0, 1, 0, 0, 2] * 8
    assert methods_of(weekly("trim=A", sparse))["trim=A"] == "croston"


def test_sparse_series_that_stopped_selling_go_to_tsb():
    fading = [0, 2, 0, 0, 1, 0, 3, 0] * 8 + [0] * 20
    assert methods_of(weekly("trim=B", fading))["trim=B"] == "tsb"


def test_all_zero_series_are_forecast_as_zero_and_recorded_so():
    out = forecast(weekly("trim=Z", [0.0] * 60), horizon=4, n_jobs=1)
    assert set(out["method"]) == {"zero"}
    assert (out[["yhat", "yhat_upper", "yhat_upper_95"]] == 0).all().all()


def test_short_and_constant_series_get_a_window_mean():
    frame = pd.concat(
        [weekly("model=New", [4, 5, 6, 5, 4, 6, 5, 7, 6, 5]), weekly("model=Flat", [3.0] * 80)]
    )
    assert methods_of(frame) == {"model=Flat": "mean", "model=New": "mean"}


def test_long_seasonal_series_go_to_prophet_and_a_single_year_to_seasonal_naive():
    long = make_seasonal(n_series=1, weeks=104)
    one_year = make_seasonal(n_series=1, weeks=56).assign(unique_id="one_year")
    assert methods_of(pd.concat([long, one_year])) == {
        "series=0": "prophet",
        "one_year": "seasonal_naive",
    }


def test_thresholds_can_be_changed_through_the_rule():
    panel = prepare_panel(make_seasonal(n_series=1, weeks=104))
    assert choose_methods(panel, MethodRule(min_prophet_mean=1e6))[0] == "seasonal_naive"


def test_features_explain_the_choice():
    features = series_features(prepare_panel(weekly("trim=A", [0, 0, 4, 0, 0, 2, 0, 0])))
    row = features.iloc[0]
    assert (row["n"], row["adi"], row["trailing_zeros"]) == (8, 4.0, 2)
    assert row["zero_share"] == np.float64(0.75)

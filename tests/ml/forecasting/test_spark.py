"""Forecasts on Spark equal the local path's: same series, same methods, same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecasting import forecast
from ml.forecasting.spark import forecast_on_spark
from ml.forecasting.synthetic import make_hierarchy
from tests.spark_local import spark  # noqa: F401  (the session fixture)

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:.*pandas >= 3.0.0.*:FutureWarning")]


@pytest.fixture(scope="module")
def twenty_series() -> pd.DataFrame:
    series = make_hierarchy(n_series=20, weeks=104, random_state=3)
    assert 15 <= series["unique_id"].nunique() <= 30
    return series


def _same(local: pd.DataFrame, remote: pd.DataFrame) -> None:
    assert list(remote.columns) == list(local.columns)
    assert remote[["unique_id", "level", "method"]].equals(local[["unique_id", "level", "method"]])
    assert (pd.to_datetime(remote["ds"]) == pd.to_datetime(local["ds"])).all()
    numbers = [c for c in local.columns if c.startswith("yhat")]
    np.testing.assert_allclose(remote[numbers], local[numbers], rtol=0, atol=1e-6)


def test_spark_forecasts_equal_the_local_path_on_twenty_series(spark, twenty_series):  # noqa: F811
    local = forecast(twenty_series, horizon=8, n_jobs=2, random_state=0)
    assert "prophet" in set(local["method"]), "the check must cover the Prophet fits too"
    _same(local, forecast_on_spark(spark, twenty_series, horizon=8, random_state=0))


def test_methods_chosen_by_a_backtest_are_honoured_on_spark(spark, twenty_series):  # noqa: F811
    ids = sorted(twenty_series["unique_id"].unique())
    chosen = {ids[0]: "theta", ids[1]: "holt", ids[2]: "naive"}
    local = forecast(twenty_series, horizon=6, n_jobs=1, methods=chosen)
    remote = forecast_on_spark(spark, twenty_series, horizon=6, methods=chosen, partitions=3)
    _same(local, remote)
    assert remote.drop_duplicates("unique_id").set_index("unique_id")["method"][ids[1]] == "holt"


def test_a_series_without_one_observation_still_gets_its_forecast(spark):  # noqa: F811
    ds = pd.date_range("2023-01-02", periods=60, freq="W-MON")
    sold = pd.DataFrame({"unique_id": "sold", "ds": ds, "y": np.arange(60) % 5})
    never = pd.DataFrame({"unique_id": "never", "ds": ds[:3], "y": np.nan})
    series = pd.concat([sold, never], ignore_index=True)
    _same(forecast(series, horizon=4, n_jobs=1), forecast_on_spark(spark, series, horizon=4))

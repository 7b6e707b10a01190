"""Rolling-origin backtest: our forecast beats seasonal naive where it should, metrics are sane."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecasting import accuracy_by_level, backtest
from ml.forecasting.synthetic import make_seasonal

from .conftest import weekly

COLUMNS = [
    "level",
    "unique_id",
    "model",
    "method",
    "chosen_method",
    "mae",
    "rmse",
    "smape",
    "mase",
    "folds",
    "n_obs",
]


@pytest.fixture(scope="module")
def seasonal_scores() -> pd.DataFrame:
    return backtest(make_seasonal(n_series=4, weeks=130, random_state=1), horizon=12, folds=3)


def test_our_forecast_beats_seasonal_naive_on_seasonal_series_with_trend(seasonal_scores):
    mase = seasonal_scores.pivot(index="unique_id", columns="model", values="mase")
    # Each scored fold's method was chosen on the folds before it, so one series may miss.
    assert mase["forecourt"].mean() < mase["seasonal_naive"].mean(), mase
    assert (mase["forecourt"] < mase["seasonal_naive"]).sum() >= 3, mase
    assert set(seasonal_scores.loc[seasonal_scores["model"] == "forecourt", "chosen_method"]) == {
        "prophet"
    }


def test_backtest_reports_every_model_for_every_series_over_the_scored_folds(seasonal_scores):
    # Three origins: the oldest only chooses the methods, the two later ones are scored.
    assert list(seasonal_scores.columns) == COLUMNS
    assert len(seasonal_scores) == 4 * 3
    assert (seasonal_scores["folds"] == 2).all() and (seasonal_scores["n_obs"] == 24).all()
    assert (seasonal_scores["rmse"] >= seasonal_scores["mae"]).all()
    assert seasonal_scores["smape"].between(0, 200).all()


def test_accuracy_by_level_summarises_ours_against_seasonal_naive(seasonal_scores):
    table = accuracy_by_level(seasonal_scores)
    assert table["level"].tolist() == ["model", "all"]
    row = table.iloc[-1]
    assert row["n_series"] == 4 and row["share_beats_seasonal_naive"] >= 0.75
    assert row["mase_ratio"] == pytest.approx(row["mase_forecourt"] / row["mase_seasonal_naive"])


def test_mase_is_scaled_by_in_sample_seasonal_naive_error():
    noisy = 10 + np.random.default_rng(0).normal(0, 2, 120)
    scores = backtest(weekly("noisy", noisy), horizon=4, folds=1, n_jobs=1).set_index("model")
    train = noisy[:-4]
    scale = np.mean(np.abs(train[52:] - train[:-52]))
    assert scores.loc["naive", "mase"] == pytest.approx(scores.loc["naive", "mae"] / scale)


def test_mase_falls_back_to_naive_one_when_seasonal_naive_is_perfect_in_sample():
    # A pure 52-week ramp: seasonal naive has 0 in-sample error, so the naive-1 MAE scales.
    cycle = np.tile(np.arange(52, dtype=float), 3)
    scores = backtest(weekly("cycle", cycle), horizon=4, folds=1, n_jobs=1).set_index("model")
    scale = np.mean(np.abs(np.diff(cycle[:-4])))
    assert scores.loc["seasonal_naive", "mase"] == 0.0
    assert scores.loc["naive", "mase"] == pytest.approx(scores.loc["naive", "mae"] / scale)


def test_constant_history_gives_nan_mase_instead_of_dividing_by_zero():
    scores = backtest(weekly("flat", [4.0] * 60), horizon=4, folds=2, n_jobs=1)
    assert scores["mase"].isna().all()
    assert (scores["mae"] == 0).all() and (scores["smape"] == 0).all()


def test_series_absent_at_a_folds_origin_are_not_scored_in_that_fold():
    # "new" sells for the last 6 weeks only: just the latest of three 4-week folds has history.
    frame = pd.concat(
        [weekly("old", [5.0, 6.0] * 40), weekly("new", [3.0] * 6, start="2024-06-03")]
    )
    scores = backtest(frame, horizon=4, folds=3, n_jobs=1)
    new = scores[scores["unique_id"] == "new"]
    assert (new["folds"] == 1).all() and (new["n_obs"] == 4).all()
    assert (scores.loc[scores["unique_id"] == "old", "folds"] == 2).all()

"""The market-value model against the median baseline, on prices with a known structure."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.pricing import (
    MarketValueModel,
    MedianPriceBaseline,
    cross_val_and_fit,
    cross_val_predictions,
    evaluate,
    score_predictions,
)
from ml.pricing.synthetic import sold_units

# The reference data sits beside the repo: <root>/../shared/data.
CAR_SALES = Path(__file__).resolve().parents[4] / "shared" / "data" / "car_sales" / "car_sales.csv"


@pytest.fixture(scope="module")
def sold() -> tuple[pd.DataFrame, np.ndarray]:
    return sold_units(n=2500, random_state=0)


@pytest.fixture(scope="module")
def scores(sold) -> pd.DataFrame:
    X, y = sold
    return evaluate(lambda: MarketValueModel(random_state=0), X, y, n_splits=5, random_state=0)


def test_model_beats_the_median_baseline_on_held_out_units(scores):
    model, baseline = (
        scores.set_index("model")
        .loc[["MarketValueModel", "MedianPriceBaseline"]]
        .itertuples(index=False)
    )
    # Trim, mileage, condition and region move prices by tens of percent; medians ignore them.
    assert model.mae < 0.6 * baseline.mae
    assert model.mape < 0.6 * baseline.mape
    assert model.mape < 0.08  # the planted noise alone is about 4% MAPE


def test_evaluate_reports_both_estimators_with_fold_counts(scores):
    assert list(scores.columns) == ["model", "mae", "mape", "folds"]
    assert list(scores["folds"]) == [5, 5]


def test_fit_returns_self_and_repeats_exactly_for_a_seed(sold):
    X, y = sold
    first = MarketValueModel(random_state=7)
    assert first.fit(X, y) is first
    second = MarketValueModel(random_state=7).fit(X, y)
    np.testing.assert_array_equal(first.predict(X.head(50)), second.predict(X.head(50)))


def test_unseen_categories_missing_values_and_missing_columns_do_not_raise(sold):
    X, y = sold
    model = MarketValueModel().fit(X, y)
    new = X.head(4).copy()
    new.loc[new.index[0], "make"] = "Tesla"
    new.loc[new.index[1], "model"] = "Cybertruck"
    new.loc[new.index[2], ["trim", "mileage", "condition_grade"]] = [None, np.nan, np.nan]
    prices = model.predict(new.drop(columns=["region"]))
    assert np.isfinite(prices).all() and (prices > 0).all()


def test_baseline_falls_back_from_year_to_model_to_make_to_all():
    X = pd.DataFrame(
        {
            "make": ["Ford", "Ford", "Ford", "Honda"],
            "model": ["Escape", "Escape", "F-150", "Civic"],
            "model_year": [2020, 2021, 2020, 2020],
        }
    )
    y = [20_000, 22_000, 40_000, 18_000]
    baseline = MedianPriceBaseline().fit(X, y)
    query = pd.DataFrame(
        {
            "make": ["Ford", "Ford", "Ford", "Kia"],
            "model": ["Escape", "Escape", "Ranger", "Rio"],
            "model_year": [2021, 2019, 2020, 2020],
        }
    )
    expected = [22_000, (20_000 + 22_000) / 2, 22_000, np.median(y)]
    np.testing.assert_allclose(baseline.predict(query), expected)


def test_out_of_fold_predictions_cover_every_unit_once(sold):
    X, y = sold
    X, y = X.head(300), y[:300]
    predictions = cross_val_predictions(MedianPriceBaseline, X, y, n_splits=3)
    assert predictions["fold"].between(0, 2).all()
    assert predictions[["model", "baseline"]].notna().all().all()
    assert len(score_predictions(predictions)) == 2


def test_the_folds_and_the_whole_fit_in_two_processes_equal_them_in_one(sold):
    X, y = sold
    X, y = X.head(800), y[:800]
    factory = functools.partial(MarketValueModel, random_state=0, max_iter=40)
    one, one_model = cross_val_and_fit(factory, X, y, n_splits=4, n_jobs=1, n_threads=1)
    two, two_model = cross_val_and_fit(factory, X, y, n_splits=4, n_jobs=2, n_threads=1)
    pd.testing.assert_frame_equal(one, two)
    names = {"model": "MarketValueModel", "baseline": "MedianPriceBaseline"}
    assert one.attrs["names"] == two.attrs["names"] == names
    pd.testing.assert_frame_equal(one, cross_val_predictions(factory, X, y, n_splits=4))
    # The whole fit is the model fitted on every row, whichever process fitted it.
    expected = factory().fit(X, y).predict(X)
    np.testing.assert_array_equal(one_model.predict(X), expected)
    np.testing.assert_array_equal(two_model.predict(X), expected)
    assert one["fold"].value_counts().sort_index().tolist() == [200, 200, 200, 200]
    # The workers end with the batch: they do not linger beside the run's later steps.
    assert _loky_workers() == []


def _loky_workers() -> list[int]:
    """This process's children that are joblib (loky) workers, not loky's resource tracker (one
    small process that lives as long as this one)."""
    workers = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"loky" in command and b"resource_tracker" not in command:
            workers.append(int(entry.name))
    return workers


def test_non_positive_prices_are_rejected_with_the_row():
    X = pd.DataFrame({"make": ["Ford", "Ford"], "model": ["Escape", "Escape"]})
    with pytest.raises(ValueError, match="row 1"):
        MarketValueModel().fit(X, [20_000, 0])


@pytest.mark.skipif(not CAR_SALES.exists(), reason="reference data set not beside the repo")
def test_model_beats_the_baseline_on_the_reference_car_sales_data():
    sales = pd.read_csv(CAR_SALES).sample(5000, random_state=0)
    X = pd.DataFrame(
        {
            "make": sales["Company"],
            "model": sales["Model"],
            "body_style": sales["Body_Style"],
            "region": sales["Dealer_Region"],
            "engine": sales["Engine"],
            "transmission": sales["Transmission"],
            "color": sales["Color"],
            "sale_date": pd.to_datetime(sales["Date"], format="%m/%d/%Y"),
        }
    )
    scores = evaluate(MarketValueModel, X, sales["Price$"], n_splits=3).set_index("model")
    assert scores.loc["MarketValueModel", "mae"] < 0.85 * scores.loc["MedianPriceBaseline", "mae"]

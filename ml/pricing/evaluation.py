"""Cross-validated error of a market-value model next to the median baseline."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.base import RegressorMixin
from sklearn.model_selection import KFold

from ml.pricing.market_value import MedianPriceBaseline

EstimatorFactory = Callable[[], RegressorMixin]


def cross_val_predictions(
    model_factory: EstimatorFactory,
    X: pd.DataFrame,
    y: object,
    n_splits: int = 5,
    random_state: int = 0,
    baseline_factory: EstimatorFactory = MedianPriceBaseline,
) -> pd.DataFrame:
    """Out-of-fold predictions of the model and the baseline, one row per unit of ``X``.

    Columns: fold, actual, model, baseline. Both see the same shuffled folds, so their errors
    are compared on identical held-out units. The factories build fresh, unfitted estimators.
    """
    X = pd.DataFrame(X).reset_index(drop=True)
    actual = np.asarray(y, dtype=float)
    if len(X) != len(actual):
        raise ValueError(f"X has {len(X)} rows but y has {len(actual)}; they must match.")
    if len(X) < n_splits:
        raise ValueError(f"{n_splits}-fold evaluation needs {n_splits}+ rows, got {len(X)}.")
    out = pd.DataFrame({"fold": -1, "actual": actual, "model": np.nan, "baseline": np.nan})
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for fold, (train, test) in enumerate(folds.split(X)):
        for column, factory in (("model", model_factory), ("baseline", baseline_factory)):
            estimator = factory().fit(X.iloc[train], actual[train])
            out.loc[test, column] = estimator.predict(X.iloc[test])
        out.loc[test, "fold"] = fold
    out.attrs["names"] = {
        "model": type(model_factory()).__name__,
        "baseline": type(baseline_factory()).__name__,
    }
    return out


def score_predictions(predictions: pd.DataFrame) -> pd.DataFrame:
    """MAE and MAPE per estimator, averaged over folds, from :func:`cross_val_predictions`."""
    names = predictions.attrs.get("names", {})
    rows = []
    for column in ("model", "baseline"):
        error = (predictions[column] - predictions["actual"]).abs()
        per_fold = (
            pd.DataFrame(
                {
                    "fold": predictions["fold"],
                    "ae": error,
                    "ape": error / predictions["actual"].abs(),
                }
            )
            .groupby("fold")[["ae", "ape"]]
            .mean()
        )
        rows.append(
            {
                "model": names.get(column, column),
                "mae": float(per_fold["ae"].mean()),
                "mape": float(per_fold["ape"].mean()),
                "folds": len(per_fold),
            }
        )
    return pd.DataFrame(rows, columns=["model", "mae", "mape", "folds"])


def evaluate(
    model_factory: EstimatorFactory,
    X: pd.DataFrame,
    y: object,
    n_splits: int = 5,
    random_state: int = 0,
    baseline_factory: EstimatorFactory = MedianPriceBaseline,
) -> pd.DataFrame:
    """K-fold MAE and MAPE of the model (first row) and the baseline (second row).

    ``model_factory`` builds a fresh estimator, e.g. ``lambda: MarketValueModel(random_state=0)``.
    Returns columns model (the estimator's class name), mae, mape (a fraction: 0.08 = 8%), folds.
    """
    predictions = cross_val_predictions(
        model_factory,
        X,
        y,
        n_splits=n_splits,
        random_state=random_state,
        baseline_factory=baseline_factory,
    )
    return score_predictions(predictions)

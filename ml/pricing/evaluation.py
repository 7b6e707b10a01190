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
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Out-of-fold predictions of the model and the baseline, one row per unit of ``X``.

    Columns: fold, actual, model, baseline. Both see the same shuffled folds, so their errors
    are compared on identical held-out units. The factories build fresh, unfitted estimators;
    ``n_jobs`` folds are fitted at once (see :func:`cross_val_and_fit`).
    """
    predictions, _ = _cross_val(
        model_factory, X, y, n_splits, random_state, baseline_factory, n_jobs, None, fit_whole=False
    )
    return predictions


def cross_val_and_fit(
    model_factory: EstimatorFactory,
    X: pd.DataFrame,
    y: object,
    n_splits: int = 5,
    random_state: int = 0,
    baseline_factory: EstimatorFactory = MedianPriceBaseline,
    n_jobs: int = 1,
    n_threads: int | None = None,
) -> tuple[pd.DataFrame, RegressorMixin]:
    """:func:`cross_val_predictions` and the model fitted on every row of ``X``.

    The ``n_splits`` fold fits and the whole fit are independent, so they run as one batch of
    ``n_splits + 1`` tasks in ``n_jobs`` worker processes (joblib's loky), each fit on
    ``n_threads`` BLAS/OpenMP threads (all, when None). Processes and not the boosting's own
    threads: on a busy machine OpenMP threads spin-wait and run many times slower, while one
    thread per process only shares the cores. Each estimator gets the ``random_state`` its
    factory gives it, so the result does not depend on ``n_jobs``.
    """
    return _cross_val(
        model_factory,
        X,
        y,
        n_splits,
        random_state,
        baseline_factory,
        n_jobs,
        n_threads,
        fit_whole=True,
    )


def _fit_task(
    model_factory: EstimatorFactory,
    baseline_factory: EstimatorFactory,
    X: pd.DataFrame,
    y: np.ndarray,
    test: np.ndarray | None,
    n_threads: int | None,
) -> tuple[RegressorMixin | None, np.ndarray | None, np.ndarray | None]:
    """The model fitted on every row when ``test`` is None; else the model's and the
    baseline's predictions for the ``test`` rows, each fitted on the other rows (a fold's
    model stays in its worker: only its predictions are needed)."""
    from threadpoolctl import threadpool_limits

    train = np.ones(len(X), dtype=bool)
    if test is not None:
        train[test] = False
    with threadpool_limits(limits=n_threads):
        model = model_factory().fit(X.iloc[train], y[train])
        if test is None:
            return model, None, None
        baseline = baseline_factory().fit(X.iloc[train], y[train])
        return None, model.predict(X.iloc[test]), baseline.predict(X.iloc[test])


def _cross_val(
    model_factory: EstimatorFactory,
    X: pd.DataFrame,
    y: object,
    n_splits: int,
    random_state: int,
    baseline_factory: EstimatorFactory,
    n_jobs: int,
    n_threads: int | None,
    fit_whole: bool,
) -> tuple[pd.DataFrame, RegressorMixin | None]:
    from joblib import Parallel, delayed

    X = pd.DataFrame(X).reset_index(drop=True)
    actual = np.asarray(y, dtype=float)
    if len(X) != len(actual):
        raise ValueError(f"X has {len(X)} rows but y has {len(actual)}; they must match.")
    if len(X) < n_splits:
        raise ValueError(f"{n_splits}-fold evaluation needs {n_splits}+ rows, got {len(X)}.")
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    tests = [test for _, test in folds.split(X)]
    # The whole fit first: it is the longest, so the folds fill the other workers meanwhile.
    tasks = ([None] if fit_whole else []) + tests
    n_jobs = min(n_jobs, len(tasks))
    try:
        results = Parallel(n_jobs=n_jobs)(
            delayed(_fit_task)(model_factory, baseline_factory, X, actual, test, n_threads)
            for test in tasks
        )
    finally:
        if n_jobs > 1:
            # joblib keeps its workers for reuse, idle with the fits' memory, for minutes; the
            # run's later steps share this process and should not share the machine with them.
            from joblib.externals.loky import get_reusable_executor

            get_reusable_executor().shutdown(wait=True)
    whole = results.pop(0)[0] if fit_whole else None
    out = pd.DataFrame({"fold": -1, "actual": actual, "model": np.nan, "baseline": np.nan})
    for fold, (test, (_, model, baseline)) in enumerate(zip(tests, results, strict=True)):
        out.loc[test, ["model", "baseline"]] = np.column_stack([model, baseline])
        out.loc[test, "fold"] = fold
    out.attrs["names"] = {
        "model": type(model_factory()).__name__,
        "baseline": type(baseline_factory()).__name__,
    }
    return out, whole


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

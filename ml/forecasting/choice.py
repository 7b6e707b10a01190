"""Choose each series' method from its rolling-origin backtest errors.

The rule. Every candidate of `candidates.CANDIDATES` a series may have (intermittent methods
only for intermittent series, Prophet only with enough history and volume, `zero` only for a
series that never sold) is forecast from each backtest origin. A candidate's score is its MASE
averaged over the selection folds (each fold scaled by its own in-sample seasonal-naive MAE, as
in `backtest`); a candidate missing from a fold where the series was scored (Prophet before it
had enough history) is not compared. The series gets the candidate with the lowest score; ties
go to the simpler method (the order of `CANDIDATES`). A series with no scored fold (it is newer
than the oldest origin) gets the history rule of `selection` instead.

Honest holdout. `backtest` scores fold k (k = 1 is the latest) with a method chosen on folds
k+1..K only, whose targets all lie before fold k's origin, so no forecast is scored on the
periods that chose it; the oldest fold, having nothing before it, only chooses. The method of
the next forecast (`ml.demand_forecast`) is chosen on all K folds.
"""

from __future__ import annotations

import numpy as np


def choose(
    errors: np.ndarray, allowed: np.ndarray, names: tuple[str, ...], fallback: np.ndarray
) -> np.ndarray:
    """Per series, the allowed candidate with the least mean MASE over the given folds.

    `errors` is (folds, series, candidates) of per-fold MASE, NaN where a candidate has no
    forecast or the series was not scored; `allowed` is (series, candidates); `fallback` the
    method of each series without any scored fold.
    """
    if errors.shape[0] == 0:
        return np.asarray(fallback, dtype=object).copy()
    scored = ~np.isnan(errors).all(axis=2)
    complete = np.all(~np.isnan(errors) | ~scored[:, :, None], axis=0)
    usable = np.where(scored[:, :, None], errors, np.nan)
    count = np.sum(~np.isnan(usable), axis=0)
    mean = np.divide(np.nansum(usable, axis=0), count, out=np.full(count.shape, np.nan),
                     where=count > 0)
    mean = np.where(complete & allowed & ~np.isnan(mean), mean, np.inf)
    best = np.argmin(mean, axis=1)
    has_evidence = np.isfinite(mean[np.arange(len(best)), best])
    picked = np.asarray(names, dtype=object)[best]
    return np.where(has_evidence, picked, fallback).astype(object)

"""Choose each series' method from its rolling-origin backtest errors.

The rule. Every candidate of `candidates.CANDIDATES` a series may have (intermittent methods
only for intermittent series, Prophet only with enough history and volume, `zero` only for a
series that never sold) is forecast from each backtest origin. A candidate's score is its MASE
averaged over the selection folds (each fold scaled by its own in-sample seasonal-naive MAE, as
in `backtest`); a candidate missing from a fold where the series was scored (Prophet before it
had enough history) is not compared, and candidates are compared on the folds where all of
them were forecast. One to three folds of 12 weeks are too few to choose per series: the choice
is made per level. Each candidate's score is its mean over the level's series (all trims, all
dealers, ...), and every series of the level gets the best candidate it may have (a dealer too
short for Prophet gets the level's best other method). The method the history rule of
`selection` gives the series is the incumbent: another candidate replaces it only with a score
at least `MARGIN` (10%) lower, so a level keeps a method that has worked unless the folds say
clearly otherwise. Ties go to the simpler method (the order of `CANDIDATES`). A series with no
scored fold (newer than the oldest origin) keeps the history rule's method.

Measured with 3 origins (2 scored folds), MASE ratio to seasonal naive, all series: per-level
choice 0.875 on the 4-dealer x 400-day home (per series 0.914, per series pooled with the level
0.905), 0.905 on car_sales (0.940, 0.942), 0.864 on the demo with 4 origins (0.878, 0.880).
Mint Classics is the exception: no variant stays under 1 below the total (1.27 per level, 1.24
per series), nor does the history rule (1.25), on its last two folds.

Honest holdout. `backtest` scores fold k (k = 1 is the latest) with a method chosen on folds
k+1..K only, whose targets all lie before fold k's origin, so no forecast is scored on the
periods that chose it; the oldest fold, having nothing before it, only chooses. The method of
the next forecast (`ml.demand_forecast`) is chosen on all K folds.
"""

from __future__ import annotations

import numpy as np

MARGIN = 0.1


def choose(
    errors: np.ndarray,
    allowed: np.ndarray,
    names: tuple[str, ...],
    fallback: np.ndarray,
    groups: np.ndarray | None = None,
    pooling: float | None = None,
    margin: float = MARGIN,
) -> np.ndarray:
    """Per series, the allowed candidate with the least (pooled) mean MASE over the folds given.

    `errors` is (folds, series, candidates) of per-fold MASE, NaN where a candidate has no
    forecast or the series was not scored; `allowed` is (series, candidates); `fallback` the
    method of each series without any scored fold and the incumbent that a challenger must beat
    by `margin` (a share of its score); `groups` (e.g. the level) the series whose
    errors are pooled, with `pooling` the weight of the group mean in folds (see the module).
    """
    if errors.shape[0] == 0:
        return np.asarray(fallback, dtype=object).copy()
    present = ~np.isnan(errors)
    scored = present.any(axis=2)
    # Compare like with like: the folds where every candidate the series may have was there.
    usable = scored & np.all(present | ~allowed[None], axis=2)
    own = _mean(np.where(usable[:, :, None], errors, np.nan), axis=0)
    # No such fold (Prophet became possible only now): the candidates present in all folds.
    complete = np.all(present | ~scored[:, :, None], axis=0)
    every_fold = _mean(np.where(scored[:, :, None], errors, np.nan), axis=0)
    fallback_own = np.where(complete, every_fold, np.nan)
    own = np.where(usable.any(axis=0)[:, None], own, fallback_own)
    scored = np.where(usable.any(axis=0)[None, :], usable, scored)
    if groups is not None:
        pooled = np.full(own.shape, np.nan)
        for group in np.unique(groups):
            rows = groups == group
            pooled[rows] = _mean(own[rows], axis=0)[None, :]
        if pooling is None:
            own = np.where(np.isnan(pooled), own, pooled)
        else:
            n_folds = scored.sum(axis=0)[:, None].astype(float)
            blend = (n_folds * own + pooling * pooled) / (n_folds + pooling)
            own = np.where(np.isnan(pooled), own, blend)
    score = np.where(allowed & ~np.isnan(own), own, np.inf)
    # The history rule's method is the incumbent: a challenger must beat it by `margin`.
    column = {name: j for j, name in enumerate(names)}
    incumbent = np.array([column.get(method, -1) for method in fallback], dtype=int)
    rows = np.flatnonzero(incumbent >= 0)
    score[rows, incumbent[rows]] *= 1 - margin
    best = np.argmin(score, axis=1)
    has_evidence = np.isfinite(score[np.arange(len(best)), best])
    picked = np.asarray(names, dtype=object)[best]
    return np.where(has_evidence, picked, fallback).astype(object)


def _mean(a: np.ndarray, axis: int) -> np.ndarray:
    count = np.sum(~np.isnan(a), axis=axis)
    return np.divide(np.nansum(a, axis=axis), count, out=np.full(count.shape, np.nan),
                     where=count > 0)

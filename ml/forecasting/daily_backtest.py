"""Rolling-origin backtest of the daily methods (`daily.candidate_forecasts`), and the choice of
one method per level, scored as an honest holdout.

`evaluate_daily` forecasts from `folds` origins, each a Sunday, one `step` apart, the latest
`horizon` days before the data's last complete week ends; the weekly forecast of each origin
comes from `weekly_at(origin)`, made from the weeks before it. Each method is scored against the
daily actuals (MAE, sMAPE, MASE scaled by each fold's in-sample seasonal-naive-7 MAE, as in
`scores`). The choice (`choice.choose`): per level, the method with the lowest mean MASE over
the level's series, where seasonal naive is the incumbent that a method of the weekly forecast
must beat by `MARGIN` (2%), so the daily model is kept only where it beats both baselines.
Without the margin, near-ties flip the choice from fold to fold and the honest published score
ended above seasonal naive's: model level of the 200-day e2e home, 1.007 x seasonal naive with
margin 0, 0.997 with 2%, 1.000 with 5% (5% also gave up the demo's model level, 0.965 -> 1.000,
and 2% costs Car Sales' total 0.86 -> 0.92, all with 8 folds).

Honest holdout, as the weekly `backtest`: fold k (k = 1 is the latest) publishes, per level,
the method chosen on folds k+1..folds only, whose targets all end before fold k's origin, so no
forecast is scored on the days that chose it (the `published` rows). The oldest fold only
chooses: no model is scored on it, so every row compares the same days. The method of the next
forecast (`chosen_method`, read by `ml.demand_forecast_daily`) is chosen on all folds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecasting.choice import choose
from ml.forecasting.daily import DAILY_METHODS, candidate_forecasts
from ml.forecasting.data import Panel, prepare_panel
from ml.forecasting.scores import mase_scale, score
from ml.forecasting.selection import MethodRule

MARGIN = 0.02


@dataclass
class DailyEvaluation:
    """The scores of the scored folds, and the method each series' next forecast uses."""

    scores: pd.DataFrame
    chosen: dict[str, str]


def _actuals(actuals: pd.DataFrame, panel: Panel, days: pd.DatetimeIndex) -> np.ndarray:
    wide = actuals.pivot(index="unique_id", columns="ds", values="y")
    return wide.reindex(index=panel.ids, columns=days).to_numpy(dtype=float)


def _frame(panel: Panel, days: pd.DatetimeIndex, yhat: np.ndarray, model: str,
           methods: np.ndarray, fold: int) -> pd.DataFrame:
    return pd.DataFrame({
        "unique_id": np.repeat(panel.ids, len(days)), "ds": np.tile(days, len(panel.ids)),
        "yhat": yhat.ravel(), "model": model, "method": np.repeat(methods, len(days)),
        "fold": fold})


def evaluate_daily(
    series: pd.DataFrame,
    holidays: pd.DataFrame,
    weekly_at: Callable[[pd.Timestamp], pd.DataFrame | None],
    horizon: int = 14,
    folds: int = 8,
    step: int = 7,
    rule: MethodRule | None = None,
    margin: float = MARGIN,
) -> DailyEvaluation:
    """Backtest the three methods from `folds` Sunday origins, score the honestly chosen one."""
    full = prepare_panel(series, "D")
    actuals = full.to_frame()
    last_sunday = full.end - pd.Timedelta(days=(full.end.dayofweek - 6) % 7)
    cutoffs = [last_sunday - pd.Timedelta(days=horizon + step * k) for k in range(folds)]
    position = {uid: i for i, uid in enumerate(full.ids)}
    # (fold, series of the full panel, method) MASE: the evidence every choice reads.
    errors = np.full((folds, len(full.ids), len(DAILY_METHODS)), np.nan)
    found = {}
    for k, cutoff in enumerate(cutoffs):
        past = actuals[actuals["ds"] <= cutoff]
        if past.empty:
            continue
        panel = prepare_panel(past, "D", end=cutoff)
        found[k] = candidate_forecasts(panel, weekly_at(cutoff), holidays, horizon, rule)
        truth = _actuals(actuals, panel, found[k].days)
        count, scale = (~np.isnan(truth)).sum(axis=1), mase_scale(panel)
        rows = [position[uid] for uid in panel.ids]
        for j, name in enumerate(DAILY_METHODS):
            mae = np.divide(np.nansum(np.abs(truth - found[k].forecasts[name]), axis=1), count,
                            out=np.full(len(count), np.nan), where=count > 0)
            errors[k, rows, j] = mae / scale
    allowed = np.ones((len(full.ids), len(DAILY_METHODS)), dtype=bool)
    # seasonal naive is the incumbent: a method of the weekly forecast must beat it by `margin`
    incumbent = np.full(len(full.ids), "seasonal_naive_7", dtype=object)

    def choice(evidence: np.ndarray) -> np.ndarray:
        return choose(evidence, allowed, DAILY_METHODS, incumbent, groups=full.levels,
                      margin=margin)

    predictions, scales = [], []
    for k, fold in found.items():
        if k == folds - 1 and folds > 1:
            continue  # the oldest fold has no older one to choose from: it only chooses
        panel, days = fold.panel, fold.days
        picked = choice(errors[k + 1:])[[position[uid] for uid in panel.ids]]
        published = np.zeros((len(panel.ids), horizon))
        for name in DAILY_METHODS:
            forecast = fold.forecasts[name]
            published[picked == name] = forecast[picked == name]
            predictions.append(_frame(panel, days, forecast, name,
                                      np.full(len(panel.ids), name), k + 1))
        predictions.append(_frame(panel, days, published, "published", picked, k + 1))
        scales.append(pd.DataFrame({"unique_id": panel.ids, "scale": mase_scale(panel),
                                    "fold": k + 1}))
    chosen = dict(zip(full.ids, choice(errors), strict=True))
    return DailyEvaluation(score(predictions, scales, actuals, chosen), chosen)


def daily_by_level(scores: pd.DataFrame) -> pd.DataFrame:
    """Per level: mean MAE, sMAPE and MASE of each method and of the published forecast."""
    columns = ["level", "n_series", "scored_folds", "chosen_method"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for level, part in scores.groupby("level", sort=False):
        row = {"level": level, "n_series": part["unique_id"].nunique(),
               "scored_folds": int(part["folds"].max()),
               "chosen_method": part["chosen_method"].mode().iloc[0]}
        for model in (*DAILY_METHODS, "published"):
            mine = part[part["model"] == model]
            for metric in ("mae", "smape", "mase"):
                row[f"{metric}_{model}"] = mine[metric].mean()
        rows.append(row)
    table = pd.DataFrame(rows)
    table["mase_ratio_to_seasonal_naive"] = (
        table["mase_published"] / table["mase_seasonal_naive_7"])
    table["published_beats_seasonal_naive"] = (
        table["mase_published"] < table["mase_seasonal_naive_7"])
    return table


__all__ = ["DailyEvaluation", "daily_by_level", "evaluate_daily"]

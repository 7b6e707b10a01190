"""Scores of a backtest: MASE scale, per-series metrics and the summary per level.

Metrics per series and model, pooled over the scored folds: MAE, RMSE, sMAPE (0-200, with
0/0 = 0) and MASE. MASE divides each fold's absolute errors by that fold's in-sample MAE of
seasonal naive, or of naive-1 when the training history is shorter than a season plus one
period or its seasonal MAE is 0; when both are 0 (a constant history) MASE is NaN rather than
infinite.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecasting.data import LEVEL_ORDER, Panel

MODELS = ("forecourt", "seasonal_naive", "naive")
COLUMNS = ["level", "unique_id", "model", "method", "chosen_method", "mae", "rmse", "smape",
           "mase", "folds", "n_obs"]


def mase_scale(panel: Panel) -> np.ndarray:
    """In-sample MAE of seasonal naive per series, naive-1 where that is missing or 0."""
    values, season = panel.values, panel.calendar.season_length

    def mae(diffs: np.ndarray) -> np.ndarray:
        count = np.sum(~np.isnan(diffs), axis=1)
        total = np.nansum(np.abs(diffs), axis=1)
        return np.divide(total, count, out=np.full(len(count), np.nan), where=count > 0)

    seasonal = mae(values[:, season:] - values[:, :-season]) if values.shape[1] > season else None
    one_step = mae(np.diff(values, axis=1))
    scale = one_step if seasonal is None else np.where(seasonal > 0, seasonal, one_step)
    return np.where(scale > 0, scale, np.nan)


def score(predictions: list[pd.DataFrame], scales: list[pd.DataFrame], actuals: pd.DataFrame,
           chosen: dict[str, str]) -> pd.DataFrame:
    predictions = [frame for frame in predictions if len(frame)]
    if not predictions:
        return pd.DataFrame(columns=COLUMNS)
    scored = (
        pd.concat(predictions, ignore_index=True)
        .merge(actuals[["unique_id", "level", "ds", "y"]], on=["unique_id", "ds"])
        .merge(pd.concat(scales), on=["unique_id", "fold"], how="left")
    )
    if scored.empty:
        return pd.DataFrame(columns=COLUMNS)
    error = scored["y"] - scored["yhat"]
    denominator = scored["y"].abs() + scored["yhat"].abs()
    scored = scored.assign(
        abs_error=error.abs(),
        sq_error=error**2,
        smape=np.where(denominator > 0, 200 * error.abs() / denominator.where(denominator > 0, 1),
                       0.0),
        scaled=error.abs() / scored["scale"],
    )
    grouped = scored.groupby(["level", "unique_id", "model"], sort=False)
    out = grouped.agg(
        mae=("abs_error", "mean"), rmse=("sq_error", "mean"), smape=("smape", "mean"),
        mase=("scaled", "mean"), folds=("fold", "nunique"), n_obs=("y", "size"),
    ).reset_index()
    out["rmse"] = np.sqrt(out["rmse"])
    # The method most used across folds; ties go to the latest fold.
    method = (scored.sort_values("fold", ascending=True)
              .groupby(["unique_id", "model"])["method"].agg(lambda m: m.value_counts().idxmax()))
    out = out.merge(method.reset_index(), on=["unique_id", "model"])
    out["chosen_method"] = out["unique_id"].map(chosen)
    return _ordered(out)[COLUMNS]


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    model_rank = {model: i for i, model in enumerate(MODELS)}
    keys = frame.assign(_l=frame["level"].map(rank).fillna(len(rank)),
                        _m=frame["model"].map(model_rank))
    return keys.sort_values(["_l", "unique_id", "_m"]).drop(columns=["_l", "_m"]).reset_index(
        drop=True)


def accuracy_by_level(scores: pd.DataFrame) -> pd.DataFrame:
    """Per level and overall: mean MASE of each model and how often ours beats seasonal naive.

    `mase_ratio` is our mean MASE over seasonal naive's (below 1 is better);
    `share_beats_seasonal_naive` counts series where our MASE is strictly lower.
    """
    wide = scores.pivot_table(index=["level", "unique_id"], columns="model",
                              values=["mase", "smape", "mae"], aggfunc="first")
    wide.columns = [f"{metric}_{model}" for metric, model in wide.columns]
    wide = wide.reset_index()
    both = wide.dropna(subset=["mase_forecourt", "mase_seasonal_naive"])
    wide["beats"] = np.nan
    wide.loc[both.index, "beats"] = (both["mase_forecourt"] < both["mase_seasonal_naive"]).astype(
        float)
    rows = [(level, part) for level, part in wide.groupby("level", sort=False)]
    rows.append(("all", wide))
    table = pd.DataFrame([
        {
            "level": level,
            "n_series": part["unique_id"].nunique(),
            **{f"mase_{m}": part.get(f"mase_{m}", pd.Series(dtype=float)).mean() for m in MODELS},
            "share_beats_seasonal_naive": part["beats"].mean(),
            "smape_forecourt": part.get("smape_forecourt", pd.Series(dtype=float)).mean(),
            "smape_seasonal_naive": part.get("smape_seasonal_naive", pd.Series(dtype=float)).mean(),
        }
        for level, part in rows
    ])
    table.insert(5, "mase_ratio", table["mase_forecourt"] / table["mase_seasonal_naive"])
    rank = {level: i for i, level in enumerate((*LEVEL_ORDER, "all"))}
    order = table["level"].map(rank).fillna(len(LEVEL_ORDER) - 0.5)
    return table.assign(_r=order).sort_values("_r").drop(columns="_r").reset_index(drop=True)

"""Daily forecasts, 14 days ahead per series, chosen per level by a rolling-origin backtest.

Three methods per series (`candidate_forecasts`), simplest first:
- `seasonal_naive_7`: the same weekday a week earlier;
- `weekly_split`: the weekly forecast split by the series' plain day-of-week profile;
- `daily_profile`: ours, the weekly forecast split by a holiday-aware, hierarchically shrunk
  profile (`daily_profile` module, where the reconciliation to the weekly forecast is stated).

The backtest (`evaluate_daily`) forecasts from `folds` origins, each a Sunday, one `step` apart,
the latest `horizon` days before the data's last complete week ends; the weekly forecast of each
origin comes from `weekly_at(origin)`, made from the weeks before it. Each method is scored
against the daily actuals (MAE, sMAPE, MASE scaled by each fold's in-sample seasonal-naive-7
MAE, as in `scores`). The choice (`choice.choose`, margin 0): per level, the method with the
lowest mean MASE over the level's series; ties go to the simpler method, so the daily model is
kept only where it beats both baselines. It is chosen and scored on the same folds: the
`published` rows say which method was best in hindsight, not an honest holdout of the choice.
Where seasonal naive is published its days do not sum to the weekly forecast (`reconciled`).
The published forecast itself is `daily_publish.forecast_daily`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecasting import baselines as bl
from ml.forecasting import smoothing as sm
from ml.forecasting.choice import choose
from ml.forecasting.daily_profile import (
    holiday_factors,
    plain_profiles,
    shrunk_profiles,
    split_weekly,
)
from ml.forecasting.data import Panel, prepare_panel
from ml.forecasting.scores import mase_scale, score
from ml.forecasting.selection import MethodRule, series_features

DAILY_METHODS = ("seasonal_naive_7", "weekly_split", "daily_profile")
BASELINES = DAILY_METHODS[:2]


@dataclass
class DailyCandidates:
    """Every method's (series, horizon) forecast from one origin, and where the level came from."""

    panel: Panel
    days: pd.DatetimeIndex
    forecasts: dict[str, np.ndarray]
    weekly: np.ndarray
    level_source: np.ndarray


@dataclass
class DailyEvaluation:
    scores: pd.DataFrame
    chosen: dict[str, str]


def _weekly_per_day(weekly: pd.DataFrame, ids: np.ndarray, days: pd.DatetimeIndex) -> np.ndarray:
    """(series, days) weekly forecast of the week of each day; NaN where there is none."""
    if weekly is None or weekly.empty:
        return np.full((len(ids), len(days)), np.nan)
    wide = weekly.assign(week_start=pd.to_datetime(weekly["week_start"])).pivot_table(
        index="unique_id", columns="week_start", values="yhat", aggfunc="sum")
    monday = days - pd.to_timedelta(days.dayofweek, unit="D")
    return wide.reindex(index=ids, columns=monday).to_numpy(dtype=float)


def candidate_forecasts(panel: Panel, weekly: pd.DataFrame | None, holidays: pd.DataFrame,
                        horizon: int = 14, rule: MethodRule | None = None) -> DailyCandidates:
    """The three methods for every series of a daily `panel` (see the module)."""
    rule = rule or MethodRule()
    days, steps = panel.future(horizon), panel.steps_ahead(horizon)
    values = panel.values
    level = _weekly_per_day(weekly, panel.ids, days)
    intermittent = (series_features(panel)["adi"].to_numpy() >= rule.intermittent_adi)
    own_rate = np.where(intermittent[:, None], bl.tsb(values)[:, None], sm.ses(values, steps)[0])
    missing = np.isnan(level)
    level = np.where(missing, 7 * np.clip(own_rate, 0, None), level)
    source = np.where(missing.any(axis=1), np.where(intermittent, "daily_tsb", "daily_ses"),
                      "weekly_forecast").astype(object)
    holidays = holidays.assign(ds=pd.to_datetime(holidays["ds"]))
    total_rows = np.flatnonzero(panel.levels == "total")
    history = pd.Series(dtype=float)
    if len(total_rows):
        i = int(total_rows[0])
        history = pd.Series(panel.history(i), index=panel.dates(i))
    factors = holiday_factors(history, holidays[holidays["ds"] <= panel.end])
    by_day = dict(zip(holidays["ds"], holidays["holiday_name"], strict=True))
    day_factor = np.array([factors.get(by_day.get(d), 1.0) for d in days])
    forecasts = {
        "seasonal_naive_7": np.clip(bl.seasonal_naive(values, steps, 7), 0, None),
        "weekly_split": split_weekly(level, plain_profiles(panel), days),
        "daily_profile": split_weekly(
            level, shrunk_profiles(panel, set(holidays["ds"])), days, day_factor),
    }
    return DailyCandidates(panel, days, forecasts, level, source)


def _actuals(actuals: pd.DataFrame, panel: Panel, days: pd.DatetimeIndex) -> np.ndarray:
    wide = actuals.pivot(index="unique_id", columns="ds", values="y")
    return wide.reindex(index=panel.ids, columns=days).to_numpy(dtype=float)


def evaluate_daily(
    series: pd.DataFrame,
    holidays: pd.DataFrame,
    weekly_at: Callable[[pd.Timestamp], pd.DataFrame | None],
    horizon: int = 14,
    folds: int = 6,
    step: int = 7,
    rule: MethodRule | None = None,
) -> DailyEvaluation:
    """Backtest the three methods from `folds` Sunday origins and choose one per level."""
    full = prepare_panel(series, "D")
    actuals = full.to_frame()
    last_sunday = full.end - pd.Timedelta(days=(full.end.dayofweek - 6) % 7)
    cutoffs = [last_sunday - pd.Timedelta(days=horizon + step * k) for k in range(folds)]
    position = {uid: i for i, uid in enumerate(full.ids)}
    errors = np.full((folds, len(full.ids), len(DAILY_METHODS)), np.nan)
    predictions, scales = [], []
    for k, cutoff in enumerate(cutoffs):
        past = actuals[actuals["ds"] <= cutoff]
        if past.empty:
            continue
        panel = prepare_panel(past, "D", end=cutoff)
        found = candidate_forecasts(panel, weekly_at(cutoff), holidays, horizon, rule)
        truth = _actuals(actuals, panel, found.days)
        scale = mase_scale(panel)
        count = (~np.isnan(truth)).sum(axis=1)
        rows = [position[uid] for uid in panel.ids]
        for j, name in enumerate(DAILY_METHODS):
            yhat = found.forecasts[name]
            mae = np.divide(np.nansum(np.abs(truth - yhat), axis=1), count,
                            out=np.full(len(count), np.nan), where=count > 0)
            errors[k, rows, j] = mae / scale
            predictions.append(pd.DataFrame({
                "unique_id": np.repeat(panel.ids, horizon),
                "ds": np.tile(found.days, len(panel.ids)), "yhat": yhat.ravel(),
                "model": name, "method": name, "fold": k + 1}))
        scales.append(pd.DataFrame({"unique_id": panel.ids, "scale": scale, "fold": k + 1}))
    allowed = np.ones((len(full.ids), len(DAILY_METHODS)), dtype=bool)
    fallback = np.full(len(full.ids), "daily_profile", dtype=object)
    picked = choose(errors, allowed, DAILY_METHODS, fallback, groups=full.levels, margin=0.0)
    chosen = dict(zip(full.ids, picked, strict=True))
    published = [
        frame[frame["unique_id"].map(chosen) == frame["model"].iloc[0]].assign(model="published")
        for frame in predictions if len(frame)
    ]
    return DailyEvaluation(score(predictions + published, scales, actuals, chosen), chosen)


def daily_by_level(scores: pd.DataFrame) -> pd.DataFrame:
    """Per level: mean MAE, sMAPE and MASE of each method and of the published forecast."""
    columns = ["level", "n_series", "chosen_method"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for level, part in scores.groupby("level", sort=False):
        row = {"level": level, "n_series": part["unique_id"].nunique(),
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


__all__ = ["BASELINES", "DAILY_METHODS", "DailyEvaluation", "candidate_forecasts",
           "daily_by_level", "evaluate_daily"]

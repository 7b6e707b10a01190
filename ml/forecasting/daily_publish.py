"""The published daily forecast: each series by the method its level chose in the daily
backtest (`daily`), with 80% and 95% intervals, and the check that its weeks add up to the
weekly forecast (`week_gaps`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ml.forecasting.daily import DAILY_METHODS, candidate_forecasts
from ml.forecasting.data import prepare_panel
from ml.forecasting.intervals import bound_columns, check_levels, nest, normal_bounds
from ml.forecasting.selection import MethodRule, series_features


def forecast_daily(
    series: pd.DataFrame,
    holidays: pd.DataFrame,
    weekly: pd.DataFrame | None,
    chosen: Mapping[str, str] | None = None,
    spread: Mapping[str, float] | None = None,
    horizon: int = 14,
    interval_levels: Sequence[int] = (80, 95),
    rule: MethodRule | None = None,
) -> pd.DataFrame:
    """The published daily forecast: each series by its chosen method, with intervals.

    `spread` maps a series to its backtest RMSE (normal bounds scaled by the square root of the
    day's share of the mean level, never narrower than Poisson);
    intermittent series and series without one get Poisson bounds.
    """
    levels, rule = check_levels(interval_levels), rule or MethodRule()
    chosen, spread = chosen or {}, spread or {}
    panel = prepare_panel(series, "D")
    found = candidate_forecasts(panel, weekly, holidays, horizon, rule)
    methods = np.array([chosen.get(uid, "daily_profile") for uid in panel.ids], dtype=object)
    yhat = np.zeros((len(panel.ids), horizon))
    for name in DAILY_METHODS:
        yhat[methods == name] = found.forecasts[name][methods == name]
    sd = np.array([spread.get(uid, np.nan) for uid in panel.ids], dtype=float)
    intermittent = series_features(panel)["adi"].to_numpy() >= rule.intermittent_adi
    # the backtest RMSE is an average day's: errors grow with the day's level (count noise),
    # so a Saturday's band is wider and a closed holiday's is empty
    mean = yhat.mean(axis=1, keepdims=True)
    relative = np.sqrt(np.divide(yhat, mean, out=np.ones(yhat.shape), where=mean > 0))
    sd = np.where(intermittent, np.nan, sd)[:, None] * relative
    bounds = nest(yhat, [normal_bounds(yhat, sd, level) for level in levels])
    n = len(panel.ids)
    out = pd.DataFrame({
        "unique_id": np.repeat(panel.ids, horizon), "level": np.repeat(panel.levels, horizon),
        "ds": np.tile(found.days, n), "yhat": yhat.ravel()})
    for (lo, hi), (lower, upper) in zip(bound_columns(levels), bounds, strict=True):
        out[lo], out[hi] = lower.ravel(), upper.ravel()
    out["method"] = np.repeat(methods, horizon)
    out["weekly_forecast"] = found.weekly.ravel()
    out["level_source"] = np.repeat(found.level_source, horizon)
    out["reconciled"] = (out["method"] != "seasonal_naive_7") & (
        out["level_source"] == "weekly_forecast")
    out["forecast_origin"] = panel.end
    return out


def week_gaps(daily: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """Per series and complete week of a daily forecast: its sum against the weekly forecast."""
    frame = daily.assign(week_start=daily["ds"] - pd.to_timedelta(daily["ds"].dt.dayofweek, "D"))
    sums = frame.groupby(["unique_id", "week_start"]).agg(
        daily_sum=("yhat", "sum"), days=("yhat", "size")).reset_index()
    sums = sums[sums["days"] == 7].merge(
        weekly.assign(week_start=pd.to_datetime(weekly["week_start"]))[
            ["unique_id", "week_start", "yhat"]], on=["unique_id", "week_start"])
    return sums.assign(gap=sums["daily_sum"] - sums["yhat"])

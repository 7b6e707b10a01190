"""Daily forecasts, 14 days ahead per series, chosen per level by a rolling-origin backtest.

Three methods per series (`candidate_forecasts`), simplest first:
- `seasonal_naive_7`: the same weekday a week earlier;
- `weekly_split`: the weekly forecast split by the series' plain day-of-week profile;
- `daily_profile`: ours, the weekly forecast split by a holiday-aware, hierarchically shrunk
  profile (`daily_profile` module, where the reconciliation to the weekly forecast is stated).

The rolling-origin backtest that chooses one method per level is `daily_backtest`; the
published forecast itself is `daily_publish.forecast_daily`. Where seasonal naive is published
its days do not sum to the weekly forecast (`reconciled`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecasting import baselines as bl
from ml.forecasting import smoothing as sm
from ml.forecasting.daily_profile import (
    holiday_factors,
    plain_profiles,
    shrunk_profiles,
    split_weekly,
)
from ml.forecasting.data import Panel
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


__all__ = ["BASELINES", "DAILY_METHODS", "DailyCandidates", "candidate_forecasts"]

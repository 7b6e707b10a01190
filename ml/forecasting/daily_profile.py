"""Daily shape of demand: day-of-week profiles and holiday factors, and the split of a weekly
forecast into days.

The daily model ("daily_profile") is a weekly level times a daily shape:
- the level is the weekly forecast of the same series (`ml.demand_forecast`, chosen by the
  weekly backtest among Prophet, Theta, Holt, SES ... for dense series and Croston, TSB, ADIDA
  for intermittent ones); without one, seven times the daily panel's own SES rate (dense) or
  TSB rate (intermittent, ADI >= 1.32);
- the shape is the series' day-of-week profile over its last `PROFILE_WEEKS` weeks of ordinary
  days (holidays left out), shrunk towards its parent's profile with a prior of
  `PRIOR_UNITS` units: a dealer selling 40 cars in the window keeps mostly its own Saturday
  peak, a model selling 3 takes its make's. Weekdays a series never sells on (a closed Sunday,
  the data's own closures) keep a share of 0;
- holidays multiply the day's share by a factor per holiday name, estimated on the total from
  every earlier occurrence (sales that day over the mean of the same weekday in the 4 ordinary
  weeks before), shrunk by one pseudo-occurrence towards the calendar: 0 for a closure
  (`is_closed`), 1 for any other special day.

Reconciliation to the weekly forecast, by proportional scaling: a day gets the week's forecast
times its weight over the sum of the weights of its whole Monday-to-Sunday week. A week inside
the horizon therefore sums exactly to the weekly forecast; the first week, when the data ends
mid-week, gets the days' share of it (the elapsed days keep their actuals).

The "weekly_split" baseline is the same split with the series' own plain profile (last 8 weeks,
holidays not treated, uniform when it sold nothing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecasting.data import LEVEL_ORDER, Panel

PROFILE_WEEKS = 26
PLAIN_WEEKS = 8
PRIOR_UNITS = 20.0
HOLIDAY_BASE_WEEKS = 4


def weekday_index(days: pd.DatetimeIndex) -> np.ndarray:
    """0 = Monday .. 6 = Sunday."""
    return np.asarray(days.dayofweek)


def _window(panel: Panel, weeks: int, ordinary: np.ndarray | None = None):
    """The last `weeks` weeks of every series, and the weekday of each column."""
    days = pd.date_range(end=panel.end, periods=panel.values.shape[1], freq="D")
    width = min(weeks * 7, len(days))
    values = np.nan_to_num(panel.values[:, -width:])
    if ordinary is not None:
        values = values * ordinary[-width:][None, :]
    return values, weekday_index(days[-width:])


def _sums(values: np.ndarray, weekdays: np.ndarray) -> np.ndarray:
    return np.stack([values[:, weekdays == d].sum(axis=1) for d in range(7)], axis=1)


def plain_profiles(panel: Panel, weeks: int = PLAIN_WEEKS) -> np.ndarray:
    """(series, 7) shares of each weekday in the last `weeks` weeks; uniform without sales."""
    sums = _sums(*_window(panel, weeks))
    total = sums.sum(axis=1, keepdims=True)
    return np.divide(sums, total, out=np.full(sums.shape, 1 / 7), where=total > 0)


def shrunk_profiles(panel: Panel, holiday_days: set[pd.Timestamp], weeks: int = PROFILE_WEEKS,
                    prior_units: float = PRIOR_UNITS) -> np.ndarray:
    """(series, 7) ordinary-day profiles shrunk towards the parent's (see the module)."""
    days = pd.date_range(end=panel.end, periods=panel.values.shape[1], freq="D")
    ordinary = np.array([d not in holiday_days for d in days], dtype=float)
    sums = _sums(*_window(panel, weeks, ordinary))
    units = sums.sum(axis=1)
    own = np.divide(sums, units[:, None], out=np.full(sums.shape, 1 / 7), where=units[:, None] > 0)
    row = {uid: i for i, uid in enumerate(panel.ids)}
    out = own.copy()
    rank = {level: k for k, level in enumerate(LEVEL_ORDER)}
    # parents before children, so a child shrinks towards its parent's shrunk profile
    for i in sorted(range(len(panel.ids)), key=lambda i: rank.get(panel.levels[i], 99)):
        parent = row.get(panel.parents[i])
        if parent is not None:
            out[i] = (units[i] * own[i] + prior_units * out[parent]) / (units[i] + prior_units)
    return out


def holiday_factors(total: pd.Series, holidays: pd.DataFrame) -> dict[str, float]:
    """Per holiday name, sales on the day over an ordinary same weekday (see the module).

    `total` is daily total units indexed by day; `holidays` has ds, holiday_name, is_closed.
    """
    known = holidays.drop_duplicates("holiday_name").set_index("holiday_name")["is_closed"]
    special = set(pd.to_datetime(holidays["ds"]))
    stats: dict[str, list[float]] = {name: [0.0, 0.0, 0] for name in known.index}
    for day, name in zip(pd.to_datetime(holidays["ds"]), holidays["holiday_name"], strict=True):
        if day not in total.index:
            continue
        before = [day - pd.Timedelta(weeks=k) for k in range(1, HOLIDAY_BASE_WEEKS + 1)]
        base = [total[b] for b in before if b in total.index and b not in special]
        if not base:
            continue
        stats[name][0] += float(total[day])
        stats[name][1] += float(np.mean(base))
        stats[name][2] += 1
    factors = {}
    for name, (sold, expected, n) in stats.items():
        prior = 0.0 if bool(known[name]) else 1.0
        typical = expected / n if n else 0.0
        factors[name] = (sold + prior * typical) / (expected + typical) if typical > 0 else prior
    return factors


def split_weekly(weekly: np.ndarray, profiles: np.ndarray, days: pd.DatetimeIndex,
                 day_factor: np.ndarray | None = None) -> np.ndarray:
    """(series, days) forecasts: each day's share of its week's forecast (see the module).

    `weekly` is (series, days): the forecast of the week each target day lies in; `day_factor`
    (days,) the holiday factor of each day (1 on ordinary days).
    """
    factor = np.ones(len(days)) if day_factor is None else np.asarray(day_factor, float)
    weekday = weekday_index(days)
    weights = profiles[:, weekday] * factor[None, :]
    # the weight of each target's whole week: its 7 days, holidays of the horizon included
    monday = days - pd.to_timedelta(weekday, unit="D")
    week_weight = np.zeros(weights.shape)
    for week in monday.unique():
        in_week = np.asarray(monday == week)
        full = profiles.sum(axis=1) - profiles[:, weekday[in_week]].sum(axis=1)
        week_weight[:, in_week] = (weights[:, in_week].sum(axis=1) + full)[:, None]
    share = np.divide(weights, week_weight, out=np.full(weights.shape, 1 / 7),
                      where=week_weight > 0)
    return np.clip(weekly, 0, None) * share

"""The short-horizon stock-out outlook: per dealer and stocking group, the units expected to sell
before the next possible delivery against the units on hand, and the day a stock-out is likely.

Daily demand of a group at a dealer is the plan's weekly demand of that group (`weekly_demand`,
from the weekly forecast) spread over the days as the dealer's daily forecast is
(`ml.demand_forecast_daily`, level dealer): rate(day) = weekly_demand / 7 x dealer
forecast(day) / the dealer's mean daily forecast over the horizon, so a closed Sunday sells
nothing and a Saturday more. Without a dealer forecast the rate is flat.

A stock-out is likely on the first day the chance that cumulative demand reaches the units on
hand is at least `LIKELY` (demand as Poisson counts with the cumulative expected units as mean:
for one unit on hand, from 0.69 expected units). The next delivery is `lead_time_days` after
the plan date; `status` is:
- `out_of_stock`: nothing on hand and demand expected (the plan's low/critical alert covers it);
- `stockout_before_delivery`: a stock-out is likely before the next delivery (alerted);
- `slow_mover`: weekly demand under `min_weekly_demand`, bought to order, never alerted;
- `covered`: otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LIKELY = 0.5
OUTLOOK_COLUMNS = [
    "dealer_id", "group_key", "units_on_hand", "weekly_demand", "plan_date", "lead_time_days",
    "next_delivery_date", "expected_units_before_delivery", "expected_units_14d",
    "stockout_date", "days_to_stockout", "status",
]


def _dealer_shapes(daily: pd.DataFrame, days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Per dealer id, each day's forecast over the mean daily forecast of the horizon."""
    dealers = daily[daily["level"] == "dealer"]
    wide = dealers.pivot_table(index="unique_id", columns="ds", values="yhat", aggfunc="sum")
    wide = wide.reindex(columns=days).fillna(0.0)
    shapes = {}
    for uid, row in wide.iterrows():
        mean = row.to_numpy().mean()
        if mean > 0:
            shapes[str(uid).removeprefix("dealer=")] = row.to_numpy() / mean
    return shapes


def stockout_outlook(plan: pd.DataFrame, daily: pd.DataFrame | None, lead_time_days: int = 7,
                     horizon: int = 14, min_weekly_demand: float = 0.25) -> pd.DataFrame:
    """One row per plan row (dealer and group) with `OUTLOOK_COLUMNS` (see the module)."""
    from scipy import stats

    if not 1 <= lead_time_days <= horizon:
        raise ValueError(
            f"lead_time_days={lead_time_days} must be between 1 and the daily forecast's "
            f"horizon ({horizon} days): the outlook reads no further than the forecast.")
    if plan.empty:
        return pd.DataFrame(columns=OUTLOOK_COLUMNS)
    plan_date = pd.Timestamp(plan["plan_date"].iloc[0]).normalize()
    days = pd.date_range(plan_date, periods=horizon, freq="D")
    shapes = _dealer_shapes(daily, days) if daily is not None and len(daily) else {}
    flat = np.ones(horizon)
    shape = np.stack([shapes.get(d, flat) for d in plan["dealer_id"].astype(str)])
    weekly = plan["weekly_demand"].clip(lower=0).to_numpy(dtype=float)
    cumulative = np.cumsum(weekly[:, None] / 7 * shape, axis=1)
    on_hand = plan["units_on_hand"].to_numpy(dtype=float)
    # chance that demand up to each day reaches the stock on hand: P(N >= on_hand)
    chance = stats.poisson.sf(np.maximum(on_hand, 1)[:, None] - 1, cumulative)
    likely = chance >= LIKELY
    first = np.where(likely.any(axis=1), likely.argmax(axis=1), -1)
    out = plan[["dealer_id", "group_key", "units_on_hand", "weekly_demand"]].copy()
    out["plan_date"] = plan_date
    out["lead_time_days"] = lead_time_days
    out["next_delivery_date"] = plan_date + pd.Timedelta(days=lead_time_days)
    out["expected_units_before_delivery"] = cumulative[:, lead_time_days - 1]
    out["expected_units_14d"] = cumulative[:, -1]
    out["stockout_date"] = pd.to_datetime(
        [days[i] if i >= 0 else pd.NaT for i in first])
    out["days_to_stockout"] = np.where(first >= 0, first, np.nan)
    status = np.where(first >= 0, np.where(first < lead_time_days, "stockout_before_delivery",
                                           "covered"), "covered")
    status = np.where((on_hand <= 0) & (weekly > 0), "out_of_stock", status)
    status = np.where(weekly < min_weekly_demand, "slow_mover", status)
    out["status"] = status
    return out[OUTLOOK_COLUMNS].reset_index(drop=True)

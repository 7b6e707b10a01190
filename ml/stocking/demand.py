"""Dealer-level weekly demand: the group forecast split by sales share, or the dealer's own rate."""

from __future__ import annotations

import numpy as np
import pandas as pd

GRAINS: dict[str, list[str]] = {
    "make_model": ["make", "model"],
    "ymmt": ["model_year", "make", "model", "trim"],
}


def grain_keys(grain: str) -> list[str]:
    """The columns that define a stocking group at ``grain`` ('make_model' or 'ymmt')."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {sorted(GRAINS)}, got {grain!r}.")
    return list(GRAINS[grain])


def resolve_as_of(as_of: object, sales: pd.DataFrame, forecast: pd.DataFrame) -> pd.Timestamp:
    """The plan date: given, else the day after the last sale, else the first forecast week."""
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    if len(sales):
        return pd.Timestamp(sales["sale_date"].max()).normalize() + pd.Timedelta(days=1)
    if len(forecast):
        return pd.Timestamp(forecast["ds"].min()).normalize()
    # Nothing has demand, so the date cannot change the plan; the epoch keeps it reproducible.
    return pd.Timestamp("1970-01-01")


def sales_history(
    sales: pd.DataFrame, keys: list[str], as_of: pd.Timestamp, weeks: int
) -> pd.DataFrame:
    """Units sold, mean and standard deviation of weekly unit sales per dealer and group.

    Weeks are counted back from ``as_of`` (week 0 = the seven days before it); weeks without a
    sale count as zero, which is what makes the standard deviation honest for slow sellers.
    """
    cols = ["dealer_id", *keys, "hist_units", "hist_weekly", "hist_std"]
    age = (as_of - pd.to_datetime(sales["sale_date"])).dt.days
    recent = sales.loc[(age >= 1) & (age <= weeks * 7)].assign(week=(age - 1) // 7)
    if recent.empty:
        return recent[["dealer_id", *keys]].assign(hist_units=0.0, hist_weekly=0.0, hist_std=0.0)
    counts = (
        recent.groupby(["dealer_id", *keys, "week"])
        .size()
        .unstack("week", fill_value=0)
        .reindex(columns=range(weeks), fill_value=0)
    )
    out = pd.DataFrame(
        {
            "hist_units": counts.sum(axis=1).astype(float),
            "hist_weekly": counts.mean(axis=1),
            "hist_std": counts.std(axis=1, ddof=1),
        }
    )
    return out.reset_index()[cols]


def group_weekly_forecast(
    forecast: pd.DataFrame, keys: list[str], as_of: pd.Timestamp, horizon_weeks: int
) -> tuple[pd.DataFrame, list[str]]:
    """Mean weekly group demand over the next ``horizon_weeks`` forecast weeks, per group.

    Returns the table and the keys it is at: the grain's keys the forecast carries (make and
    model at least); finer forecast columns are summed away. Weeks count from the one holding
    ``as_of``; a group whose forecast ended before that is treated as missing (stale), not used.
    """
    fkeys = [
        k
        for k in keys
        if k in ("make", "model") or (k in forecast.columns and forecast[k].notna().any())
    ]
    if forecast.empty:
        return forecast[fkeys].assign(group_weekly=0.0), fkeys
    fc = forecast.dropna(subset=["yhat"]).assign(ds=lambda d: pd.to_datetime(d["ds"]))
    fc = fc.loc[fc["ds"] > as_of - pd.Timedelta(days=7)]
    weekly = fc.groupby([*fkeys, "ds"], as_index=False)["yhat"].sum().sort_values("ds")
    weekly = weekly.groupby(fkeys, as_index=False).head(horizon_weeks)
    weekly["yhat"] = weekly["yhat"].clip(lower=0.0)
    out = weekly.groupby(fkeys, as_index=False)["yhat"].mean()
    return out.rename(columns={"yhat": "group_weekly"}), fkeys


def dealer_demand(
    history: pd.DataFrame,
    forecast_weekly: pd.DataFrame,
    fkeys: list[str],
    keys: list[str],
    dealer_ids: list[str],
    observed: pd.DataFrame,
    smoothing: float,
) -> pd.DataFrame:
    """Weekly demand per dealer and group, with where it came from.

    Forecast groups are split across every dealer by smoothed sales share:
    ``(dealer units + a) / (group units + a * cells)``, where ``a`` is ``smoothing`` and
    ``cells`` counts dealers times the stocking groups under one forecast group (1 at the
    forecast's own grain). Groups without a forecast use the dealer's own weekly sales rate.
    ``observed`` lists groups seen in sales or stock, the only way to reach a grain finer
    than the forecast's.
    """
    if set(fkeys) == set(keys):
        subgroups = forecast_weekly
    else:
        subgroups = observed[keys].drop_duplicates().merge(forecast_weekly, on=fkeys)
    dealers = pd.DataFrame({"dealer_id": pd.Series(sorted(set(dealer_ids)), dtype=str)})
    cells = dealers.merge(subgroups, how="cross")
    cells = cells.merge(
        history[["dealer_id", *keys, "hist_units"]], on=["dealer_id", *keys], how="left"
    )
    cells["hist_units"] = cells["hist_units"].fillna(0.0)
    by_group = cells.groupby(fkeys)["hist_units"]
    total, n_cells = by_group.transform("sum"), by_group.transform("size")
    denom = total + smoothing * n_cells
    # With no smoothing and no sales the shares are undefined; split evenly rather than divide by 0.
    share = np.where(
        denom > 0, (cells["hist_units"] + smoothing) / denom.where(denom > 0, 1.0), 1.0 / n_cells
    )
    cells["weekly_demand"] = share * cells["group_weekly"]
    cells["demand_source"] = "forecast"
    from_forecast = cells[["dealer_id", *keys, "weekly_demand", "demand_source"]]

    own = history.merge(
        forecast_weekly[fkeys].drop_duplicates(), on=fkeys, how="left", indicator=True
    )
    own = own.loc[own["_merge"] == "left_only"]
    from_history = pd.DataFrame(
        {
            "dealer_id": own["dealer_id"],
            **{k: own[k] for k in keys},
            "weekly_demand": own["hist_weekly"].astype(float),
            "demand_source": "history",
        }
    )
    parts = [p for p in (from_forecast, from_history) if len(p)] or [from_history]
    return pd.concat(parts, ignore_index=True)

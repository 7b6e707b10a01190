"""The stocking plan: what each rooftop should buy, what it may pay, and where it is overstocked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ml.stocking.demand import (
    dealer_demand,
    grain_keys,
    group_weekly_forecast,
    resolve_as_of,
    sales_history,
)
from ml.stocking.market import attach_market
from ml.stocking.params import StockingParams
from ml.stocking.status import stock_status

PLAN_COLUMNS = [
    "dealer_id",
    "region",
    "group_key",
    "make",
    "model",
    "units_on_hand",
    "weekly_demand",
    "demand_over_lead_time",
    "demand_std_weekly",
    "safety_stock",
    "reorder_point",
    "target_stock",
    "recommended_units",
    "max_buy_cost",
    "market_value",
    "days_supply",
    "market_days_supply",
    "aged_units",
    "status",
    "demand_source",
]


def _frame(df: pd.DataFrame | None, name: str, required: list[str]) -> pd.DataFrame:
    """A copy of an input with its key columns in one dtype; None or empty reads as no rows."""
    missing = [] if df is None else [c for c in required if c not in df.columns]
    if df is None or (df.empty and missing):
        df = pd.DataFrame({c: pd.Series(dtype="float64") for c in required})
    elif missing:
        raise ValueError(
            f"{name} is missing columns {missing} (has {list(df.columns)}); "
            f"the stocking plan needs {required}."
        )
    out = df.copy()
    if "sale_date" in out.columns:
        out["sale_date"] = pd.to_datetime(out["sale_date"])
    for col in ("dealer_id", "make", "model", "trim"):
        if col in out.columns:
            # Merges across inputs need one key dtype; a missing trim is its own (blank) trim.
            out[col] = out[col].astype(object).where(out[col].notna(), "").astype(str)
    if "model_year" in out.columns:
        out["model_year"] = pd.to_numeric(out["model_year"], errors="coerce").astype("Int64")
    return out


def _arithmetic(plan: pd.DataFrame, params: StockingParams) -> pd.DataFrame:
    """Safety stock, reorder point, target, buy quantity and days supply (see stocking_plan)."""
    weekly, on_hand = plan["weekly_demand"], plan["units_on_hand"]
    daily = weekly / 7.0
    material = weekly >= params.min_weekly_demand
    plan["demand_over_lead_time"] = weekly * params.cover_weeks
    plan["safety_stock"] = params.z * plan["demand_std_weekly"] * np.sqrt(params.cover_weeks)
    plan["reorder_point"] = plan["demand_over_lead_time"] + plan["safety_stock"]
    # The small epsilon keeps 13.000000001 (float noise) from becoming 14 units.
    target = np.ceil(np.maximum(daily * params.target_days_supply, plan["reorder_point"]) - 1e-9)
    plan["target_stock"] = np.where(material, target, 0).astype(int)
    buy = material & (on_hand < plan["reorder_point"])
    plan["recommended_units"] = np.where(
        buy, np.maximum(plan["target_stock"] - on_hand, 0), 0
    ).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.where(on_hand == 0, 0.0, on_hand / daily.where(daily > 0, 0.0))
    plan["days_supply"] = np.where((on_hand > 0) & (daily <= 0), np.inf, days)
    return plan


def stocking_plan(
    inventory: pd.DataFrame | None,
    sales: pd.DataFrame | None,
    group_forecast: pd.DataFrame | None,
    market: pd.DataFrame | None,
    dealers: pd.DataFrame | None,
    params: StockingParams | None = None,
    grain: str = "make_model",
    as_of: object = None,
) -> pd.DataFrame:
    """What each rooftop should stock, per stocking group, for the next buying cycle.

    Inputs (``None`` is read as empty):
        inventory: one row per unit in stock: dealer_id, stock_number, make, model, trim,
            model_year, days_in_stock, list_price, total_cost.
        sales: one row per sale: dealer_id, sale_date, make, model, trim, model_year,
            sale_price. Only the ``history_weeks`` before ``as_of`` are read.
        group_forecast: weekly demand for the whole dealer group: make, model (trim and
            model_year optional), ds (week start), yhat (yhat_upper is accepted, not read:
            safety stock uses each dealer's own variability). Groups it lacks, or whose
            forecast ended before ``as_of``, use the dealer's own recent weekly sales rate.
        market: competitor supply per region, make and model: region, make, model, listings,
            median_asking_price, and optionally avg_days_on_market, sold_rate_per_day, and a
            week (or snapshot_date) column, of which the latest is read. Market days supply
            is listings / sold_rate_per_day, else avg_days_on_market (Little's law: listings /
            (listings / days on market)); regions without a row use national figures.
        dealers: dealer_id, region.
        grain: 'make_model' or 'ymmt' (model_year + make + model + trim; the market is still
            matched on make and model).
        as_of: plan date; default the day after the last sale.

    Rules (L = lead time, R = review period, in weeks; see :class:`StockingParams`):
        weekly_demand = the mean forecast over the next ceil(L + R) weeks x the dealer's
        smoothed share of the group's sales (``dealer_demand``); demand_over_lead_time =
        weekly_demand x (L + R); demand_std_weekly = standard deviation of the dealer's weekly
        unit sales over ``history_weeks`` (zero weeks included); safety_stock = z x std x
        sqrt(L + R); reorder_point = demand_over_lead_time + safety_stock; target_stock =
        ceil(max(daily demand x target_days_supply, reorder_point)), 0 for immaterial demand;
        recommended_units = target_stock - units_on_hand when units_on_hand < reorder_point
        and demand is material, else 0; days_supply = units_on_hand / daily demand (0 with no
        stock, inf with stock and no demand); max_buy_cost = market_value x
        cost_to_market_target; aged_units counts units over ``aged_days``; status: see
        :func:`stock_status`.

    Returns one row per dealer and group that has demand or stock, with ``PLAN_COLUMNS``
    (plus model_year and trim at the 'ymmt' grain), sorted by dealer and group.
    """
    params = params or StockingParams()
    keys = grain_keys(grain)
    inventory = _frame(inventory, "inventory", ["dealer_id", *keys, "days_in_stock"])
    sales = _frame(sales, "sales", ["dealer_id", "sale_date", *keys])
    forecast = _frame(group_forecast, "group_forecast", ["make", "model", "ds", "yhat"])
    dealers = _frame(dealers, "dealers", ["dealer_id", "region"])
    as_of = resolve_as_of(as_of, sales, forecast)

    history = sales_history(sales, keys, as_of, params.history_weeks)
    fc_weekly, fkeys = group_weekly_forecast(forecast, keys, as_of, params.horizon_weeks)
    stock = (
        inventory.assign(aged=inventory["days_in_stock"] > params.aged_days)
        .groupby(["dealer_id", *keys], as_index=False)
        .agg(units_on_hand=("aged", "size"), aged_units=("aged", "sum"))
    )
    observed = pd.concat([history[keys], stock[keys]], ignore_index=True)
    dealer_ids = [*dealers["dealer_id"], *sales["dealer_id"], *inventory["dealer_id"]]
    demand = dealer_demand(
        history, fc_weekly, fkeys, keys, dealer_ids, observed, params.share_smoothing
    )

    plan = demand.merge(stock, on=["dealer_id", *keys], how="outer")
    plan = plan.merge(
        history[["dealer_id", *keys, "hist_std"]], on=["dealer_id", *keys], how="left"
    )
    plan = plan.fillna(
        {
            "units_on_hand": 0,
            "aged_units": 0,
            "weekly_demand": 0.0,
            "hist_std": 0.0,
            "demand_source": "none",
        }
    )
    plan = plan.loc[(plan["weekly_demand"] > 0) | (plan["units_on_hand"] > 0)]
    plan = plan.astype(
        {"units_on_hand": int, "aged_units": int, "weekly_demand": float, "hist_std": float}
    ).rename(columns={"hist_std": "demand_std_weekly"})
    plan = plan.merge(
        dealers[["dealer_id", "region"]].drop_duplicates("dealer_id"), on="dealer_id", how="left"
    )
    plan = _arithmetic(plan.reset_index(drop=True), params)
    plan["status"] = stock_status(plan, params)
    plan = attach_market(plan, market)
    plan["max_buy_cost"] = plan["market_value"] * params.cost_to_market_target
    text = [plan[k].astype(str) for k in keys]
    plan["group_key"] = text[0].str.cat(text[1:], sep=" ").str.strip()
    columns = PLAN_COLUMNS[:5] + [k for k in keys if k not in ("make", "model")]
    columns += PLAN_COLUMNS[5:]
    return plan[columns].sort_values(["dealer_id", "group_key"]).reset_index(drop=True)


def aged_units(inventory: pd.DataFrame, aged_days: int = 60) -> pd.DataFrame:
    """Units in stock longer than ``aged_days`` (strictly), oldest first, with days over."""
    if "days_in_stock" not in inventory.columns:
        raise ValueError(
            f"inventory needs a days_in_stock column to find aged units (has "
            f"{list(inventory.columns)})."
        )
    aged = inventory.loc[inventory["days_in_stock"] > aged_days].copy()
    aged["days_over"] = aged["days_in_stock"] - aged_days
    order = [c for c in ("days_in_stock", "dealer_id", "stock_number") if c in aged.columns]
    ascending = [c != "days_in_stock" for c in order]
    return aged.sort_values(order, ascending=ascending).reset_index(drop=True)

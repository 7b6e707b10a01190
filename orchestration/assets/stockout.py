"""The stock-out outlook (group ``stocking``): a thin wrapper over ml.stocking.stockout.

Like the plan, the outlook is also written as Parquet under FORECOURT_HOME/alerts, so the
low-stock sensor alerts on it without opening the warehouse.
"""

import dagster as dg

from landing.home import ForecourtHome
from orchestration.assets.outputs import table_metadata, write_table
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource


class StockoutConfig(dg.Config):
    # Days until the next possible delivery: what sells before it must come from stock on hand.
    lead_time_days: int = 7
    # As the stocking plan's: groups selling less are bought to order and never alerted.
    min_weekly_demand: float = 0.25


@dg.asset(
    key=["ml", "stockout_outlook"],
    group_name="stocking",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[dg.AssetKey(["ml", "stocking_plan"]), dg.AssetKey(["ml", "demand_forecast_daily"])],
    owners=["team:used-car-management"],
    description=(
        "Per dealer and stocking group: units expected to sell before the next possible "
        "delivery (lead time in days, configurable) from the daily forecast, against units on "
        "hand, and the day a stock-out is likely. The low-stock sensor alerts on "
        "stockout_before_delivery. Table ml.stockout_outlook."
    ),
)
def stockout_outlook(
    context: dg.AssetExecutionContext, config: StockoutConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    from ml.stocking.stockout import stockout_outlook as build_outlook

    plan = warehouse.read_frame(
        "select dealer_id, group_key, units_on_hand, weekly_demand, plan_date "
        "from ml.stocking_plan")
    daily = None
    if warehouse.table_exists("ml.demand_forecast_daily"):
        daily = warehouse.read_frame(
            "select unique_id, level, date as ds, units_forecast as yhat "
            "from ml.demand_forecast_daily where level = 'dealer'")
    if daily is None:
        context.log.warning("No ml.demand_forecast_daily yet: daily demand is flat.")
    outlook = build_outlook(plan, daily, config.lead_time_days,
                            min_weekly_demand=config.min_weekly_demand)
    write_table(warehouse, "ml.stockout_outlook", outlook)
    snapshot = ForecourtHome.from_env().stockout_snapshot
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    outlook.to_parquet(snapshot.with_suffix(".tmp"), index=False)
    snapshot.with_suffix(".tmp").replace(snapshot)  # atomic: the sensor never reads half a file
    at_risk = outlook[outlook["status"] == "stockout_before_delivery"].sort_values(
        "stockout_date")
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.stockout_outlook", outlook,
            statuses=dg.MetadataValue.json(outlook["status"].value_counts().to_dict()),
            lead_time_days=config.lead_time_days,
            snapshot=dg.MetadataValue.path(str(snapshot)),
            soonest_stockouts=dg.MetadataValue.md(
                at_risk.head(15)[["dealer_id", "group_key", "units_on_hand",
                                  "expected_units_before_delivery", "stockout_date"]]
                .to_markdown(index=False, floatfmt=".1f") if len(at_risk) else "_none_"),
        )
    )


stockout_assets = [stockout_outlook]

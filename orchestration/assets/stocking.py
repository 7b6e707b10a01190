"""The stocking plan and aged stock (group ``stocking``): thin wrappers over ml.stocking.

The plan is also written as Parquet under FORECOURT_HOME/alerts, so the low-stock sensor reads
it without opening the warehouse (DuckDB would block a reader while a run writes).
"""

from typing import TYPE_CHECKING

import dagster as dg

from landing.home import ForecourtHome
from orchestration.assets.outputs import table_metadata, write_table
from orchestration.assets.stock_inputs import StockInputs, stock_inputs
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd



class StockingConfig(dg.Config):
    # The knobs of ml.stocking.StockingParams, shown in the launchpad. Importing them here would
    # load pandas with the Definitions, so the defaults are repeated; a test keeps them equal.
    grain: str = "make_model"  # or "ymmt": model year, make, model and trim
    lead_time_weeks: float = 2.0
    review_period_weeks: float = 1.0
    service_level: float = 0.95
    target_days_supply: float = 45.0
    cost_to_market_target: float = 0.85
    overstock_days_supply: float = 90.0
    aged_days: int = 60
    history_weeks: int = 26
    share_smoothing: float = 0.5
    # Below a unit a month a model is bought to order, not stocked: such groups are never low
    # or critical, which keeps the alerts to what a used-car manager would act on.
    min_weekly_demand: float = 0.25


INVENTORY_SQL = """
    select dealer_id, stock_number, make, model, trim, model_year, days_in_stock,
           current_list_price as list_price, total_cost
    from marts.dim_vehicles where status = 'in_stock'
"""
# Only the sales the plan reads: the history_weeks before the day after the last sale (with a
# week to spare; ml.stocking.demand.sales_history cuts exactly), not the whole history (11.2M
# rows at 10M sales). Every dealer that ever sold is still listed, as when all sales were read.
SALES_SQL = """
    select dealer_id, sale_date, make, model, trim, model_year, sale_price from marts.fct_sales
    where sale_date > (select max(sale_date) from marts.fct_sales) - interval {days} day
"""
DEALERS_SQL = """
    select dealer_id, region from marts.dim_dealers
    union all
    select distinct dealer_id, null from marts.fct_sales
    where dealer_id not in (select dealer_id from marts.dim_dealers where dealer_id is not null)
"""
# Forecast series of level 'model' are named 'model=<make> <model>'; map them back to the pair.
MODEL_FORECAST_SQL = """
    with models as (
        select distinct make, model, 'model=' || make || ' ' || model as unique_id
        from marts.fct_sales
    )
    select m.make, m.model, f.week_start as ds, f.units_forecast as yhat,
           f.units_upper_80 as yhat_upper
    from ml.demand_forecast f join models m using (unique_id)
    where f.level = 'model'
"""
MARKET_SQL = """
    select week_start as week, region, make, model, listings, median_asking_price,
           median_days_on_market as avg_days_on_market
    from marts.market_listings_weekly
"""


def _inputs(
    warehouse: WarehouseResource, history_weeks: int
) -> "tuple[dict[str, pd.DataFrame | None], StockInputs]":
    stock = stock_inputs(warehouse, INVENTORY_SQL)
    frames = {
        "inventory": stock.inventory,
        "sales": warehouse.read_frame(SALES_SQL.format(days=int(history_weeks + 1) * 7)),
        "market": warehouse.read_frame(MARKET_SQL),
        "dealers": warehouse.read_frame(DEALERS_SQL),
        "group_forecast": None,
    }
    if warehouse.table_exists("ml.demand_forecast"):
        frames["group_forecast"] = warehouse.read_frame(MODEL_FORECAST_SQL)
    return frames, stock


@dg.asset(
    key=["ml", "stocking_plan"],
    group_name="stocking",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[
        dg.AssetKey(["marts", "dim_vehicles"]),
        dg.AssetKey(["marts", "fct_sales"]),
        dg.AssetKey(["marts", "market_listings_weekly"]),
        dg.AssetKey(["marts", "stock_on_hand_snapshot"]),
        dg.AssetKey(["ml", "demand_forecast"]),
    ],
    owners=["team:used-car-management"],
    description=(
        "What each rooftop should buy, per make/model: units on hand, forecast demand over lead "
        "time and review period, safety stock, reorder point, recommended units, buying cost "
        "ceiling, days supply, market days supply and a status (ok, low, critical, overstock). "
        "Table ml.stocking_plan."
    ),
)
def stocking_plan(
    context: dg.AssetExecutionContext, config: StockingConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.stocking import StockingParams
    from ml.stocking import stocking_plan as build_plan

    params = StockingParams(**{k: v for k, v in config.model_dump().items() if k != "grain"})
    inputs, stock = _inputs(warehouse, params.history_weeks)
    plan_date = pd.Timestamp(inputs["sales"]["sale_date"].max()) + pd.Timedelta(days=1)
    if stock.kind == "none":  # no stock to plan from: an empty plan, not one of all-critical
        inputs.update(sales=inputs["sales"].iloc[0:0], group_forecast=None)
    elif inputs["group_forecast"] is None:
        context.log.warning("No ml.demand_forecast yet: demand comes from each dealer's history.")
    if stock.note:
        context.log.warning(stock.note)
    plan = build_plan(**inputs, params=params, grain=config.grain)
    plan["plan_date"] = plan_date
    write_table(warehouse, "ml.stocking_plan", plan)
    snapshot = ForecourtHome.from_env().plan_snapshot
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    plan.to_parquet(snapshot.with_suffix(".tmp"), index=False)
    snapshot.with_suffix(".tmp").replace(snapshot)  # atomic: the sensor never reads half a file
    statuses = plan["status"].value_counts().to_dict()
    urgent = plan[plan["status"].isin(["critical", "low"])].sort_values(
        ["status", "recommended_units"], ascending=[True, False]
    )
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.stocking_plan",
            plan,
            statuses=dg.MetadataValue.json(statuses),
            recommended_units_total=int(plan["recommended_units"].sum()),
            stock_source=stock.kind,
            notes=dg.MetadataValue.md(f"- {stock.note}" if stock.note else "_none_"),
            snapshot=dg.MetadataValue.path(str(snapshot)),
            most_urgent=dg.MetadataValue.md(
                urgent.head(15)[
                    [
                        "dealer_id",
                        "group_key",
                        "status",
                        "units_on_hand",
                        "reorder_point",
                        "recommended_units",
                        "max_buy_cost",
                    ]
                ].to_markdown(index=False, floatfmt=".0f")
                if not urgent.empty
                else "_nothing low or critical_"
            ),
        )
    )


@dg.asset(
    key=["ml", "aged_inventory"],
    group_name="stocking",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[dg.AssetKey(["marts", "dim_vehicles"]), dg.AssetKey(["marts", "stock_on_hand_snapshot"])],
    owners=["team:used-car-management"],
    description="Units in stock longer than the aged threshold (60 days), oldest first.",
)
def aged_inventory(config: StockingConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    from ml.stocking import aged_units

    stock = stock_inputs(warehouse, INVENTORY_SQL)
    aged = aged_units(stock.inventory, aged_days=config.aged_days)
    write_table(warehouse, "ml.aged_inventory", aged)
    note = f"- {stock.note}" if stock.note else "_none_"
    return dg.MaterializeResult(
        metadata=table_metadata("ml.aged_inventory", aged, notes=dg.MetadataValue.md(note))
    )


stocking_assets = [stocking_plan, aged_inventory]

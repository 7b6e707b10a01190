"""Which stock a home's data can show the stocking plan: units, a one-time count, or none.

A DMS reports units taken into stock, so the plan counts units in stock (dim_vehicles). An
export with a one-time stock count per product (Mint Classics) gives the plan that count
(marts.stock_on_hand_snapshot, a reference mart: only homes with that import have the table),
one row per unit as the plan expects, with no ages. An export of sales only (Car Sales) has no
stock at all: planning on it would call every group critical, so the plan is skipped with a
note instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded where used: the Definitions import this module
    import pandas as pd

    from orchestration.resources import WarehouseResource

SNAPSHOT_TABLE = "marts.stock_on_hand_snapshot"
SNAPSHOT_SQL = f"""
    select dealer_id, make, model, trim, units_on_hand, unit_cost, unit_list_price, as_of_date
    from {SNAPSHOT_TABLE} where units_on_hand > 0
"""
NO_STOCK_NOTE = (
    "Skipped: this data has no stock (no unit in stock, no acquisition dates, no stock "
    "snapshot), like a sales-only export such as Car Sales: no stocking plan (it would call "
    "every group critical), no aged units, no low-stock alert."
)


@dataclass
class StockInputs:
    inventory: pd.DataFrame
    kind: str  # "units", "snapshot" or "none"
    note: str = ""


def _expand(snapshot: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    units = snapshot.loc[snapshot.index.repeat(snapshot["units_on_hand"])]
    return pd.DataFrame(
        {
            "dealer_id": units["dealer_id"].to_numpy(),
            "stock_number": None,
            "make": units["make"].to_numpy(),
            "model": units["model"].to_numpy(),
            "trim": units["trim"].to_numpy(),
            "model_year": pd.array([pd.NA] * len(units), dtype="Int64"),
            "days_in_stock": float("nan"),
            "list_price": units["unit_list_price"].astype(float).to_numpy(),
            "total_cost": units["unit_cost"].astype(float).to_numpy(),
        }
    )


def stock_inputs(warehouse: WarehouseResource, inventory_sql: str) -> StockInputs:
    """The inventory for the stocking plan, and a note on where it came from."""
    units = warehouse.read_frame(inventory_sql)
    if len(units):
        return StockInputs(units, "units")
    if warehouse.table_exists(SNAPSHOT_TABLE):
        snapshot = warehouse.read_frame(SNAPSHOT_SQL)
        if len(snapshot):
            units_counted = int(snapshot["units_on_hand"].sum())
            note = (
                f"Stock is a one-time count ({SNAPSHOT_TABLE}: {units_counted:,} units in "
                f"{len(snapshot)} groups, as of {snapshot['as_of_date'].max():%Y-%m-%d}); its "
                "ages are unknown, so no unit counts as aged."
            )
            return StockInputs(_expand(snapshot), "snapshot", note)
    history = warehouse.read_frame(
        "select count(*) as n from marts.dim_vehicles where acquired_date is not null"
    )["n"].iloc[0]
    if history == 0:
        return StockInputs(units, "none", NO_STOCK_NOTE)
    return StockInputs(units, "units")

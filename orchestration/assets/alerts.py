"""The record of low-stock alerts in the warehouse (group ``alerts``): ops.low_stock_alerts."""

import json
from typing import TYPE_CHECKING

import dagster as dg

from landing.home import ForecourtHome
from orchestration.assets.outputs import table_metadata, write_table
from orchestration.resources import ALERTS_FILE, WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

ALERT_COLUMNS = [
    "alert_key",
    "dealer_id",
    "group_key",
    "severity",
    "title",
    "created_at",
    "status",
    "current_status",
    "units_on_hand",
    "recommended_units",
    "max_buy_cost",
]


def alerts_table(alert_lines: list[dict], plan: "pd.DataFrame") -> "pd.DataFrame":
    """Every low-stock alert sent, marked open while its group is still low or critical."""
    import pandas as pd

    rows = [a for a in alert_lines if a.get("kind") == "low_stock"]
    if not rows:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    frame = pd.DataFrame(
        {
            "alert_key": [a["key"] for a in rows],
            "dealer_id": [a["details"].get("dealer_id") for a in rows],
            "group_key": [a["details"].get("group_key") for a in rows],
            "severity": [a["severity"] for a in rows],
            "title": [a["title"] for a in rows],
            "created_at": pd.to_datetime([a["created_at"] for a in rows]),
            "units_on_hand": [a["details"].get("units_on_hand") for a in rows],
            "recommended_units": [a["details"].get("recommended_units") for a in rows],
            "max_buy_cost": [a["details"].get("max_buy_cost") for a in rows],
        }
    )
    current = dict(zip(plan["dealer_id"] + "|" + plan["group_key"], plan["status"], strict=True))
    frame["current_status"] = frame["alert_key"].map(current).fillna("not in plan")
    latest = frame.groupby("alert_key")["created_at"].transform("max") == frame["created_at"]
    still_urgent = frame["current_status"].isin(["low", "critical"])
    frame["status"] = "resolved"
    frame.loc[latest & still_urgent, "status"] = "open"
    return frame[ALERT_COLUMNS].sort_values("created_at", ascending=False).reset_index(drop=True)


def read_alert_lines(home: ForecourtHome) -> list[dict]:
    path = home.alerts / ALERTS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dg.asset(
    key=["ops", "low_stock_alerts"],
    group_name="alerts",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[dg.AssetKey(["ml", "stocking_plan"])],
    owners=["team:used-car-management"],
    description=(
        "Every low-stock alert the low_stock_sensor sent, with status open (the group is still "
        "low or critical in the latest plan) or resolved. Listed by `forecourt alerts`."
    ),
)
def low_stock_alerts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    import pandas as pd

    home = ForecourtHome.from_env()
    snapshot = home.plan_snapshot
    plan = (
        pd.read_parquet(snapshot)
        if snapshot.exists()
        else pd.DataFrame(columns=["dealer_id", "group_key", "status"])
    )
    table = alerts_table(read_alert_lines(home), plan)
    write_table(warehouse, "ops.low_stock_alerts", table)
    open_alerts = table[table["status"] == "open"]
    return dg.MaterializeResult(
        metadata=table_metadata("ops.low_stock_alerts", table, open_alerts=len(open_alerts))
    )


alert_assets = [low_stock_alerts]

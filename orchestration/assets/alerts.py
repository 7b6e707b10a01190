"""The record of the alerts the low_stock_sensor sent (group ``alerts``): ops.low_stock_alerts.

One table for both kinds the sensor sends, low-stock and stock-out, told apart by ``kind``: they
are one alert stream to the people reading it (`forecourt alerts`, the dashboard), and the
stock-out figures are a few columns left empty on low-stock rows (and the reverse).
"""

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

# The alert's figures as the sensor sent them (its ``details``), by column type.
COUNTS = ["units_on_hand", "recommended_units", "lead_time_days"]
AMOUNTS = ["max_buy_cost", "expected_units_before_delivery", "days_to_stockout"]
DAYS = ["next_delivery_date", "stockout_date"]
ALERT_COLUMNS = [
    "alert_key",
    "kind",
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
    "expected_units_before_delivery",
    "next_delivery_date",
    "stockout_date",
    "days_to_stockout",
    "lead_time_days",
]
# Per kind: the statuses (in the latest plan, or the latest stock-out outlook) under which the
# latest alert of a dealer and group stays open. A stock-out alert resolves when the outlook no
# longer expects one before the delivery: restocked (the outlook reads the plan's units on hand),
# demand fell, or the shelf is empty, which the group's low-stock alert (critical) then carries.
OPEN_WHILE = {"low_stock": {"low", "critical"}, "stockout": {"stockout_before_delivery"}}


def alerts_table(
    alert_lines: list[dict], plan: "pd.DataFrame", outlook: "pd.DataFrame | None" = None
) -> "pd.DataFrame":
    """Every alert the low_stock_sensor sent, one row per send, the latest of each dealer, group
    and kind marked open while the latest plan (low-stock) or outlook (stock-out) still says so.

    Lines of other kinds in the file (failed-check alerts) are not this table's."""
    import pandas as pd

    rows = [_row(a) for a in alert_lines if a.get("kind") in OPEN_WHILE]
    frame = pd.DataFrame(rows, columns=[c for c in ALERT_COLUMNS if c not in {"status"}])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    for column in DAYS:
        frame[column] = pd.to_datetime(frame[column])
    frame[COUNTS] = frame[COUNTS].astype("Int64")
    frame[AMOUNTS] = frame[AMOUNTS].astype("float64")
    latest_by_kind = {"low_stock": _latest_status(plan), "stockout": _latest_status(outlook)}
    pair = frame["dealer_id"] + "|" + frame["group_key"]
    missing = {"low_stock": "not in plan", "stockout": "not in outlook"}
    frame["current_status"] = pd.Series(
        [
            latest_by_kind[kind].get(key, missing[kind])
            for kind, key in zip(frame["kind"], pair, strict=True)
        ],
        index=frame.index,
        dtype=object,  # text even when no alert was sent yet
    )
    latest = frame.groupby("alert_key")["created_at"].transform("max") == frame["created_at"]
    still = pd.Series(
        [s in OPEN_WHILE[k] for k, s in zip(frame["kind"], frame["current_status"], strict=True)],
        index=frame.index,
        dtype=bool,
    )
    frame["status"] = "resolved"
    frame.loc[latest & still, "status"] = "open"
    frame = frame.sort_values(["created_at", "alert_key"], ascending=[False, True])
    return frame[ALERT_COLUMNS].reset_index(drop=True)


def _row(alert: dict) -> dict:
    details = alert.get("details") or {}
    return {
        "alert_key": alert["key"],
        "kind": alert["kind"],
        "dealer_id": details.get("dealer_id"),
        "group_key": details.get("group_key"),
        "severity": alert["severity"],
        "title": alert["title"],
        "created_at": alert["created_at"],
        # alerts sent before a figure was added to the details leave it empty
        **{column: details.get(column) for column in COUNTS + AMOUNTS + DAYS},
    }


def _latest_status(table: "pd.DataFrame | None") -> dict[str, str]:
    if table is None or table.empty:
        return {}
    keys = table["dealer_id"] + "|" + table["group_key"]
    return dict(zip(keys, table["status"], strict=True))


def read_alert_lines(home: ForecourtHome) -> list[dict]:
    path = home.alerts / ALERTS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _snapshot(path) -> "pd.DataFrame | None":
    import pandas as pd

    return pd.read_parquet(path) if path.exists() else None


@dg.asset(
    key=["ops", "low_stock_alerts"],
    group_name="alerts",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[dg.AssetKey(["ml", "stocking_plan"]), dg.AssetKey(["ml", "stockout_outlook"])],
    owners=["team:used-car-management"],
    description=(
        "Every alert the low_stock_sensor sent, by kind: low_stock (open while the group is "
        "still low or critical in the latest plan) and stockout (open while the latest outlook "
        "still expects a stock-out before the next delivery); else resolved. Listed by "
        "`forecourt alerts`."
    ),
)
def low_stock_alerts(warehouse: WarehouseResource) -> dg.MaterializeResult:
    home = ForecourtHome.from_env()
    table = alerts_table(
        read_alert_lines(home), _snapshot(home.plan_snapshot), _snapshot(home.stockout_snapshot)
    )
    write_table(warehouse, "ops.low_stock_alerts", table)
    open_alerts = table[table["status"] == "open"]
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ops.low_stock_alerts",
            table,
            open_alerts=len(open_alerts),
            open_stockout_alerts=int((open_alerts["kind"] == "stockout").sum()),
        )
    )


alert_assets = [low_stock_alerts]

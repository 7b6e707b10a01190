"""Which low-stock alerts to send, given the latest plan and what was already said.

The state (kept in the home's alert ledger, ``serving.alerts.ledger``, which the CLI and the
daemon share) maps each dealer and group to the severity last alerted and when. An alert goes
out when a group becomes low or critical, when its severity worsens, or when it is still
low/critical after the quiet period; a group back to ok or overstock is forgotten, so a later
relapse alerts again.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from serving.alerts.sinks import Alert

if TYPE_CHECKING:  # pandas loads where a plan is read: the Definitions import this module
    import pandas as pd

SEVERITY_RANK = {"low": 1, "critical": 2}


def plan_cursor(plan_token: str) -> str:
    """A sensor's cursor: the plan it last read (what was sent lives in the ledger)."""
    return json.dumps({"plan": plan_token})


def plan_token_of(cursor: str | None) -> str | None:
    try:
        return json.loads(cursor).get("plan") if cursor else None
    except (json.JSONDecodeError, AttributeError):
        return None


def decide_alerts(
    plan: pd.DataFrame, state: dict[str, dict], now: dt.datetime, quiet_period_hours: float = 24
) -> tuple[list[Alert], dict[str, dict]]:
    """The alerts to send for this plan and the state to remember afterwards."""
    alerts, new_state = [], {}
    urgent = plan[plan["status"].isin(list(SEVERITY_RANK))]
    for row in urgent.itertuples(index=False):
        key = f"{row.dealer_id}|{row.group_key}"
        previous = state.get(key)
        severity = row.status
        last_sent = dt.datetime.fromisoformat(previous["sent_at"]) if previous else None
        due = (
            previous is None
            or SEVERITY_RANK[severity] > SEVERITY_RANK.get(previous["severity"], 0)
            or now - last_sent >= dt.timedelta(hours=quiet_period_hours)
        )
        if due:
            alerts.append(_alert(row, key, severity, now))
            new_state[key] = {"severity": severity, "sent_at": now.isoformat()}
        else:
            # Improved from critical to low without a new alert: remember the lower severity so
            # a relapse to critical alerts again.
            new_state[key] = {"severity": severity, "sent_at": previous["sent_at"]}
    return alerts, new_state


def _alert(row, key: str, severity: str, now: dt.datetime) -> Alert:
    import pandas as pd

    buy = int(row.recommended_units)
    return Alert(
        kind="low_stock",
        key=key,
        severity=severity,
        title=(
            f"{severity.upper()}: {row.dealer_id} {row.group_key}: {int(row.units_on_hand)} on "
            f"hand, reorder point {row.reorder_point:.1f}; buy {buy} at most "
            f"${row.max_buy_cost:,.0f} each"
            if pd.notna(row.max_buy_cost)
            else f"{severity.upper()}: {row.dealer_id} {row.group_key}: {int(row.units_on_hand)} "
            f"on hand, reorder point {row.reorder_point:.1f}; buy {buy}"
        ),
        details={
            "dealer_id": row.dealer_id,
            "group_key": row.group_key,
            "units_on_hand": int(row.units_on_hand),
            "reorder_point": float(row.reorder_point),
            "safety_stock": float(row.safety_stock),
            "recommended_units": buy,
            "max_buy_cost": None if pd.isna(row.max_buy_cost) else float(row.max_buy_cost),
            "weekly_demand": float(row.weekly_demand),
        },
        created_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )

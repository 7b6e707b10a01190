"""Which stock-out alerts to send, given the latest outlook (``ml.stockout_outlook``) and what
was already said: the rules of the low-stock alerts (``low_stock``). A dealer and group alerts
when a stock-out becomes likely before the next delivery, again when it is still likely after
the quiet period; a group no longer at risk is forgotten, so a relapse alerts again. The state
lives in the alert ledger's ``stockout`` table, decided inside its exclusive transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from serving.alerts.sinks import Alert

if TYPE_CHECKING:  # pandas loads where an outlook is read: the Definitions import this module
    import pandas as pd

AT_RISK = "stockout_before_delivery"


def decide_stockout_alerts(
    outlook: pd.DataFrame, state: dict[str, dict], now: dt.datetime,
    quiet_period_hours: float = 24,
) -> tuple[list[Alert], dict[str, dict]]:
    """The alerts to send for this outlook and the state to remember afterwards."""
    alerts, new_state = [], {}
    for row in outlook[outlook["status"] == AT_RISK].itertuples(index=False):
        key = f"stockout|{row.dealer_id}|{row.group_key}"
        previous = state.get(key)
        last_sent = dt.datetime.fromisoformat(previous["sent_at"]) if previous else None
        if previous is None or now - last_sent >= dt.timedelta(hours=quiet_period_hours):
            alerts.append(_alert(row, key, now))
            new_state[key] = {"sent_at": now.isoformat()}
        else:
            new_state[key] = previous
    return alerts, new_state


def _alert(row, key: str, now: dt.datetime) -> Alert:
    day = row.stockout_date.date().isoformat()
    # every figure ops.low_stock_alerts records for the alert travels in its details
    return Alert(
        kind="stockout",
        key=key,
        severity="warn",
        title=(
            f"STOCK-OUT LIKELY: {row.dealer_id} {row.group_key}: {int(row.units_on_hand)} on "
            f"hand, {row.expected_units_before_delivery:.1f} expected to sell before the next "
            f"delivery ({row.next_delivery_date.date().isoformat()}); likely out on {day}"
        ),
        details={
            "dealer_id": row.dealer_id,
            "group_key": row.group_key,
            "units_on_hand": int(row.units_on_hand),
            "expected_units_before_delivery": float(row.expected_units_before_delivery),
            "stockout_date": day,
            "days_to_stockout": float(row.days_to_stockout),
            "next_delivery_date": row.next_delivery_date.date().isoformat(),
            "lead_time_days": int(row.lead_time_days),
        },
        created_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )

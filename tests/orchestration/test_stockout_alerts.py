"""Stock-out alerts: the low-stock sensor alerts once per dealer and group likely to run out
before the next delivery, through the same ledger as the low-stock alerts."""

import datetime as dt
import json

import dagster as dg
import pandas as pd

from orchestration.resources import AlertSinksResource
from orchestration.sensors import evaluate_low_stock, low_stock_sensor
from serving.alerts.ledger import AlertLedger
from serving.alerts.stockout import decide_stockout_alerts

NOW = dt.datetime(2025, 3, 3, 7, 0)


def outlook_row(dealer="D01", group="Ford F-150", status="stockout_before_delivery"):
    return {
        "dealer_id": dealer, "group_key": group, "units_on_hand": 2, "weekly_demand": 7.0,
        "plan_date": pd.Timestamp("2025-03-03"), "lead_time_days": 7,
        "next_delivery_date": pd.Timestamp("2025-03-10"),
        "expected_units_before_delivery": 7.0, "expected_units_14d": 14.0,
        "stockout_date": pd.Timestamp("2025-03-04"), "days_to_stockout": 1.0, "status": status,
    }


def write_snapshots(home, outlook_rows):
    folder = home / "alerts"
    folder.mkdir(parents=True, exist_ok=True)
    plan = {"dealer_id": "D01", "group_key": "Ford F-150", "status": "ok", "units_on_hand": 2,
            "reorder_point": 1.0, "safety_stock": 0.5, "recommended_units": 0,
            "max_buy_cost": 20000.0, "weekly_demand": 7.0}
    pd.DataFrame([plan]).to_parquet(folder / "stocking_plan.parquet", index=False)
    pd.DataFrame(outlook_rows).to_parquet(folder / "stockout_outlook.parquet", index=False)


def stockout_lines(home):
    path = home / "alerts" / "alerts.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [line for line in lines if line["kind"] == "stockout"]


def test_a_likely_stockout_alerts_once_then_after_the_quiet_period():
    outlook = pd.DataFrame([outlook_row(), outlook_row("D02", status="covered")])
    alerts, state = decide_stockout_alerts(outlook, {}, NOW)
    assert [a.key for a in alerts] == ["stockout|D01|Ford F-150"]
    assert "likely out on 2025-03-04" in alerts[0].title
    again, state = decide_stockout_alerts(outlook, state, NOW + dt.timedelta(hours=2))
    assert again == []
    later, _ = decide_stockout_alerts(outlook, state, NOW + dt.timedelta(hours=25))
    assert len(later) == 1


def test_a_group_no_longer_at_risk_is_forgotten_so_a_relapse_alerts():
    at_risk = pd.DataFrame([outlook_row()])
    _, state = decide_stockout_alerts(at_risk, {}, NOW)
    _, state = decide_stockout_alerts(pd.DataFrame([outlook_row(status="covered")]), state, NOW)
    assert state == {}
    relapse, _ = decide_stockout_alerts(at_risk, state, NOW + dt.timedelta(hours=1))
    assert len(relapse) == 1


def test_the_sensor_evaluated_twice_sends_one_stockout_alert(forecourt_home):
    write_snapshots(forecourt_home, [outlook_row(), outlook_row("D02", status="covered")])
    sinks = AlertSinksResource(backoff_seconds=0.01)
    context = dg.build_sensor_context(cursor=None, resources={"alert_sinks": sinks})
    first = low_stock_sensor(context)
    assert isinstance(first, dg.RunRequest)
    # the same context again (cursor advanced), then a fresh evaluator without a cursor
    assert isinstance(low_stock_sensor(context), dg.SkipReason)
    sent, _, summary = evaluate_low_stock(None, sinks)
    assert sent == [] and "0 stock-out alert(s)" in summary
    assert [a["key"] for a in stockout_lines(forecourt_home)] == ["stockout|D01|Ford F-150"]
    with AlertLedger(forecourt_home / "alerts").session() as ledger:
        assert set(ledger.stockout) == {"stockout|D01|Ford F-150"}

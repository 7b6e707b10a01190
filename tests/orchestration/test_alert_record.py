"""ops.low_stock_alerts records every alert the low_stock_sensor sent, stock-out ones too: each
send is a row with its kind and figures, open while the latest outlook still expects the
stock-out, and re-materializing rewrites the same rows."""

import datetime as dt
import json

import dagster as dg
import duckdb
import pandas as pd

from orchestration.assets.alerts import alerts_table, low_stock_alerts
from orchestration.cli.main import main as forecourt
from orchestration.resources import AlertSinksResource, WarehouseResource
from orchestration.sensors import evaluate_low_stock
from tests.orchestration.test_stockout_alerts import NOW, outlook_row, write_snapshots

FIGURES = ("kind, status, current_status, units_on_hand, expected_units_before_delivery, "
           "next_delivery_date, stockout_date, days_to_stockout, lead_time_days, severity")


def record(home) -> pd.DataFrame:
    result = dg.materialize([low_stock_alerts], resources={"warehouse": WarehouseResource()})
    assert result.success
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(
            f"select alert_key, created_at, {FIGURES} from ops.low_stock_alerts "
            "order by created_at, alert_key"
        ).df()


def send(at: dt.datetime) -> int:
    sent, _, _ = evaluate_low_stock(None, AlertSinksResource(backoff_seconds=0.01), now=at)
    return len(sent)


def test_a_sent_stockout_alert_is_a_row_with_its_kind_and_figures(forecourt_home, capsys):
    write_snapshots(forecourt_home, [outlook_row(), outlook_row("D02", status="covered")])
    assert send(NOW) == 1
    table = record(forecourt_home)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["alert_key"] == "stockout|D01|Ford F-150"
    assert (row["kind"], row["status"], row["severity"]) == ("stockout", "open", "warn")
    assert row["current_status"] == "stockout_before_delivery"
    assert (row["units_on_hand"], row["lead_time_days"]) == (2, 7)
    assert (row["expected_units_before_delivery"], row["days_to_stockout"]) == (7.0, 1.0)
    assert row["stockout_date"] == pd.Timestamp("2025-03-04")
    assert row["next_delivery_date"] == pd.Timestamp("2025-03-10")
    # materialized again (the sensor's run and the CLI's both may): the same rows, no more
    pd.testing.assert_frame_equal(record(forecourt_home), table)
    assert forecourt(["alerts"]) == 0
    listed = capsys.readouterr().out
    assert "stockout" in listed and "STOCK-OUT LIKELY: D01 Ford F-150" in listed


def test_an_alert_sent_again_after_the_quiet_period_is_two_rows_one_open(forecourt_home):
    write_snapshots(forecourt_home, [outlook_row()])
    assert send(NOW) == 1
    assert send(NOW + dt.timedelta(hours=2)) == 0  # within the quiet period: nothing
    assert send(NOW + dt.timedelta(hours=25)) == 1
    table = record(forecourt_home)
    assert list(table["alert_key"]) == ["stockout|D01|Ford F-150"] * 2
    assert list(table["status"]) == ["resolved", "open"]  # the later send supersedes
    assert table["created_at"].is_unique
    assert table[["units_on_hand", "stockout_date", "next_delivery_date"]].nunique().max() == 1
    pd.testing.assert_frame_equal(record(forecourt_home), table)


def test_a_stockout_alert_resolves_when_the_outlook_no_longer_expects_it(forecourt_home):
    write_snapshots(forecourt_home, [outlook_row(), outlook_row("D02")])
    assert send(NOW) == 2
    # D01 restocked (the outlook reads the plan's units on hand), D02 ran out: neither is a
    # stock-out still to come; D02's shelf is the plan's low-stock alert's business now
    restocked = {**outlook_row(status="covered"), "units_on_hand": 9}
    write_snapshots(forecourt_home, [restocked, outlook_row("D02", status="out_of_stock")])
    assert send(NOW + dt.timedelta(minutes=30)) == 0  # and the ledger forgets both groups
    table = record(forecourt_home).set_index("alert_key")
    assert table.loc["stockout|D01|Ford F-150", ["status", "current_status"]].tolist() == [
        "resolved", "covered"]
    assert table.loc["stockout|D02|Ford F-150", ["status", "current_status"]].tolist() == [
        "resolved", "out_of_stock"]
    assert table.loc["stockout|D01|Ford F-150", "units_on_hand"] == 2  # as sent
    # at risk again: the relapse alerts again and its row is open
    write_snapshots(forecourt_home, [outlook_row()])
    assert send(NOW + dt.timedelta(hours=1)) == 1
    table = record(forecourt_home)
    d01 = table[table["alert_key"] == "stockout|D01|Ford F-150"]
    assert list(d01["status"]) == ["resolved", "open"]


def test_both_kinds_of_the_sensor_are_recorded_and_other_alerts_are_not():
    low = {"kind": "low_stock", "key": "D01|Toyota Camry", "severity": "low", "title": "t",
           "created_at": "2025-03-03T07:00:00Z",
           "details": {"dealer_id": "D01", "group_key": "Toyota Camry", "units_on_hand": 1,
                       "recommended_units": 3, "max_buy_cost": 20000.0}}
    # a stock-out alert sent before its details carried days_to_stockout and the delivery day
    old_stockout = {"kind": "stockout", "key": "stockout|D01|Ford F-150", "severity": "warn",
                    "title": "t", "created_at": "2025-03-03T07:00:00Z",
                    "details": {"dealer_id": "D01", "group_key": "Ford F-150",
                                "units_on_hand": 2, "expected_units_before_delivery": 7.0,
                                "stockout_date": "2025-03-04", "lead_time_days": 7}}
    check = {"kind": "check_failed", "key": "raw.sales:rows", "severity": "error",
             "title": "t", "created_at": "2025-03-03T07:00:00Z", "details": {"run_id": "r"}}
    plan = pd.DataFrame([{"dealer_id": "D01", "group_key": "Toyota Camry", "status": "low"}])
    table = alerts_table([low, old_stockout, check], plan, pd.DataFrame([outlook_row()]))
    assert sorted(table["kind"]) == ["low_stock", "stockout"]
    assert set(table["status"]) == {"open"}
    stockout = table[table["kind"] == "stockout"].iloc[0]
    assert pd.isna(stockout["days_to_stockout"]) and pd.isna(stockout["next_delivery_date"])
    assert pd.isna(stockout["recommended_units"])
    assert json.dumps(int(table[table["kind"] == "low_stock"]["recommended_units"].iloc[0]))


def test_no_outlook_snapshot_leaves_stockout_alerts_resolved_not_in_outlook():
    line = {"kind": "stockout", "key": "stockout|D01|Ford F-150", "severity": "warn",
            "title": "t", "created_at": "2025-03-03T07:00:00Z",
            "details": {"dealer_id": "D01", "group_key": "Ford F-150"}}
    table = alerts_table([line], None, None)
    assert table[["status", "current_status"]].values.tolist() == [["resolved", "not in outlook"]]


def test_every_column_of_the_alert_record_is_described():
    from orchestration.assets.alerts import ALERT_COLUMNS
    from orchestration.assets.descriptions import TABLES

    assert list(TABLES["ops.low_stock_alerts"]["columns"]) == ALERT_COLUMNS


def test_forecourt_alerts_on_a_record_older_than_the_kinds_says_how_to_rebuild(
    forecourt_home, capsys
):
    with duckdb.connect(str(forecourt_home / "warehouse.duckdb")) as conn:
        conn.execute("create schema ops")
        conn.execute("create table ops.low_stock_alerts as select 'D01|x' as alert_key, "
                     "'open' as status, now() as created_at")
    assert forecourt(["alerts"]) == 2
    assert "forecourt materialize --select 'key:ops/low_stock_alerts+'" in capsys.readouterr().err


def test_a_home_without_alerts_records_an_empty_table_with_every_column(forecourt_home):
    from orchestration.assets.alerts import ALERT_COLUMNS

    table = dg.materialize([low_stock_alerts], resources={"warehouse": WarehouseResource()})
    assert table.success
    with duckdb.connect(str(forecourt_home / "warehouse.duckdb"), read_only=True) as conn:
        frame = conn.execute("select * from ops.low_stock_alerts").df()
    assert frame.empty and list(frame.columns) == ALERT_COLUMNS

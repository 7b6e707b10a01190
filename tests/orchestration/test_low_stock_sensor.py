"""The low-stock sensor: once per state change, cursors that survive restarts, real webhooks."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import dagster as dg
import pandas as pd
import pytest

from orchestration.assets.alerts import alerts_table
from orchestration.resources import AlertSinksResource
from orchestration.sensors import low_stock_sensor
from serving.alerts.ledger import AlertLedger
from serving.alerts.low_stock import decide_alerts
from serving.alerts.sinks import Alert, deliver

NOW = dt.datetime(2025, 3, 3, 7, 0)


def plan_row(dealer="D01", group="Toyota Camry", status="low", on_hand=1):
    return {
        "dealer_id": dealer,
        "group_key": group,
        "status": status,
        "units_on_hand": on_hand,
        "reorder_point": 3.5,
        "safety_stock": 1.2,
        "recommended_units": 4,
        "max_buy_cost": 18000.0,
        "weekly_demand": 1.5,
    }


def write_plan(home, rows):
    folder = home / "alerts"
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(folder / "stocking_plan.parquet", index=False)


class Recorder(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    handler = type("Handler", (Recorder,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def evaluate(cursor=None, **sink_options):
    sinks = AlertSinksResource(backoff_seconds=0.01, **sink_options)
    context = dg.build_sensor_context(cursor=cursor, resources={"alert_sinks": sinks})
    return low_stock_sensor(context), context


def alert_lines(home):
    path = home / "alerts" / "alerts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_group_turning_low_alerts_once_and_not_again_while_unchanged():
    plan = pd.DataFrame([plan_row()])
    alerts, state = decide_alerts(plan, {}, NOW)
    assert [a.key for a in alerts] == ["D01|Toyota Camry"]
    again, _ = decide_alerts(plan, state, NOW + dt.timedelta(hours=2))
    assert again == []


def test_worsening_severity_alerts_again_before_the_quiet_period():
    _, state = decide_alerts(pd.DataFrame([plan_row(status="low")]), {}, NOW)
    worse, state = decide_alerts(pd.DataFrame([plan_row(status="critical", on_hand=0)]), state, NOW)
    assert [a.severity for a in worse] == ["critical"]


def test_a_still_low_group_alerts_again_after_the_quiet_period():
    plan = pd.DataFrame([plan_row()])
    _, state = decide_alerts(plan, {}, NOW)
    later, _ = decide_alerts(plan, state, NOW + dt.timedelta(hours=25), quiet_period_hours=24)
    assert len(later) == 1


def test_ok_and_overstock_groups_never_alert_and_a_relapse_alerts_again():
    _, state = decide_alerts(pd.DataFrame([plan_row()]), {}, NOW)
    calm, state = decide_alerts(pd.DataFrame([plan_row(status="ok", on_hand=6)]), state, NOW)
    assert calm == [] and state == {}
    relapse, _ = decide_alerts(pd.DataFrame([plan_row()]), state, NOW)
    assert len(relapse) == 1


def test_the_sensor_alerts_once_per_plan_and_its_cursor_advances(forecourt_home):
    write_plan(
        forecourt_home,
        [
            plan_row(),
            plan_row("D02", "Honda Civic", "critical", 0),
            plan_row("D03", "Ford F-150", "ok", 9),
        ],
    )
    result, context = evaluate()
    assert isinstance(result, dg.RunRequest)
    assert {a["key"] for a in alert_lines(forecourt_home)} == {
        "D01|Toyota Camry",
        "D02|Honda Civic",
    }
    cursor = context.cursor
    remembered = AlertLedger(forecourt_home / "alerts").low_stock_state()
    assert remembered.keys() == {"D01|Toyota Camry", "D02|Honda Civic"}

    unchanged, _ = evaluate(cursor)
    assert isinstance(unchanged, dg.SkipReason)
    write_plan(forecourt_home, [plan_row(), plan_row("D02", "Honda Civic", "critical", 0)])
    replanned, restarted = evaluate(cursor)  # a new plan, same states: a restart changes nothing
    assert isinstance(replanned, dg.SkipReason) and len(alert_lines(forecourt_home)) == 2
    assert restarted.cursor != cursor  # the new plan is remembered


def test_a_local_webhook_receives_the_alert_as_json(forecourt_home, webhook):
    handler, url = webhook
    write_plan(forecourt_home, [plan_row()])
    evaluate(webhook_url=url)
    assert len(handler.received) == 1
    payload = handler.received[0]
    assert payload["kind"] == "low_stock" and payload["details"]["recommended_units"] == 4


def test_a_failing_webhook_is_retried_recorded_and_does_not_stop_the_file(forecourt_home, webhook):
    handler, url = webhook
    handler.status = 500
    write_plan(forecourt_home, [plan_row()])
    result, _ = evaluate(webhook_url=url, retries=3)
    assert isinstance(result, dg.RunRequest)
    assert len(handler.received) == 3  # three attempts
    assert len(alert_lines(forecourt_home)) == 1  # the file sink still got it
    deliveries = [
        json.loads(line)
        for line in (forecourt_home / "alerts" / "deliveries.jsonl").read_text().splitlines()
    ]
    webhook_delivery = next(d for d in deliveries if d["sink"] == "webhook")
    assert not webhook_delivery["ok"] and webhook_delivery["attempts"] == 3
    assert "500" in webhook_delivery["error"]


def test_the_sensor_skips_when_no_plan_exists(forecourt_home):
    result, _ = evaluate()
    assert isinstance(result, dg.SkipReason) and "No stocking plan" in result.skip_message


def test_alerts_stay_open_while_the_group_is_still_short():
    sent = [
        {
            "kind": "low_stock",
            "key": "D01|Toyota Camry",
            "severity": "low",
            "title": "t",
            "created_at": "2025-03-03T07:00:00Z",
            "details": plan_row(),
        },
        {
            "kind": "low_stock",
            "key": "D02|Honda Civic",
            "severity": "low",
            "title": "t",
            "created_at": "2025-03-03T07:00:00Z",
            "details": plan_row("D02", "Honda Civic"),
        },
    ]
    plan = pd.DataFrame([plan_row(), plan_row("D02", "Honda Civic", "ok", 5)])
    table = alerts_table(sent, plan)
    status = dict(zip(table["alert_key"], table["status"], strict=True))
    assert status == {"D01|Toyota Camry": "open", "D02|Honda Civic": "resolved"}


def test_the_cli_then_the_daemon_then_the_cli_again_send_each_alert_once(forecourt_home):
    # The CLI keeps its cursor in a file, the daemon in the instance, a restarted daemon may
    # start with none: every evaluator starts here from a cursor of its own.
    from orchestration.sensors import evaluate_low_stock

    write_plan(forecourt_home, [plan_row(), plan_row("D02", "Honda Civic", "critical", 0)])
    cli_sent, _, _ = evaluate_low_stock(None, AlertSinksResource())
    daemon, _ = evaluate()
    restarted_daemon, _ = evaluate(None)
    cli_again, _, _ = evaluate_low_stock(None, AlertSinksResource())
    assert len(cli_sent) == 2
    assert isinstance(daemon, dg.SkipReason) and isinstance(restarted_daemon, dg.SkipReason)
    assert cli_again == []
    assert len(alert_lines(forecourt_home)) == 2
    deliveries = (forecourt_home / "alerts" / "deliveries.jsonl").read_text().splitlines()
    assert len(deliveries) == 2


def test_two_evaluators_at_once_send_each_alert_once(forecourt_home):
    from concurrent.futures import ThreadPoolExecutor

    from orchestration.sensors import evaluate_low_stock

    write_plan(forecourt_home, [plan_row(), plan_row("D02", "Honda Civic", "critical", 0)])
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: evaluate_low_stock(None, AlertSinksResource()), range(4)))
    assert sum(len(sent) for sent, _, _ in results) == 2
    assert len(alert_lines(forecourt_home)) == 2


def test_a_worse_severity_still_alerts_again_through_the_ledger(forecourt_home):
    write_plan(forecourt_home, [plan_row()])
    evaluate()
    write_plan(forecourt_home, [plan_row(status="critical", on_hand=0)])
    evaluate(None)
    assert [a["severity"] for a in alert_lines(forecourt_home)] == ["low", "critical"]


class Trickler(BaseHTTPRequestHandler):
    """Reads the alert, then answers one byte every 0.3 s, for as long as the client listens."""

    stop = threading.Event()

    def do_POST(self):  # noqa: N802 (the http.server API)
        self.rfile.read(int(self.headers["Content-Length"]))
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + b"X-Slow: " + b"." * 10_000
        for byte in answer:
            if type(self).stop.wait(0.3):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client hung up: what the deadline is for
                return

    def log_message(self, *args):
        pass


@pytest.fixture
def trickling_webhook():
    handler = type("Handler", (Trickler,), {"stop": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    handler.stop.set()
    server.shutdown()
    server.server_close()


def test_a_trickling_webhook_is_cut_off_at_the_deadline_and_recorded(
    forecourt_home, trickling_webhook
):
    write_plan(forecourt_home, [plan_row(), plan_row("D02", "Honda Civic", "critical", 0)])
    started = time.monotonic()
    result, _ = evaluate(
        webhook_url=trickling_webhook,
        retries=3,
        webhook_timeout_seconds=5.0,  # never reached: a byte comes every 0.3 s
        webhook_attempt_seconds=1.0,
        delivery_deadline_seconds=2.5,
    )
    elapsed = time.monotonic() - started
    assert isinstance(result, dg.RunRequest)
    assert len(alert_lines(forecourt_home)) == 2  # the file sink got both
    # without the deadlines this sensor never returns (the answer trickles for 50 minutes);
    # with them: one attempt of 1 s, then the URL rests and the second alert fails at once
    assert elapsed < 20
    deliveries = [
        json.loads(line)
        for line in (forecourt_home / "alerts" / "deliveries.jsonl").read_text().splitlines()
    ]
    webhook = [d for d in deliveries if d["sink"] == "webhook"]
    assert len(webhook) == 2 and not any(d["ok"] for d in webhook)
    assert "within 1 s" in webhook[0]["error"]
    assert "not tried" in webhook[1]["error"]


def test_a_delivery_stops_retrying_when_its_deadline_is_spent():
    calls = []

    class Slow:
        name = "slow"

        def send(self, alert):
            calls.append(alert)
            raise TimeoutError("slow")

    naps = []
    alert = Alert("low_stock", "k", "low", "t")
    (result,) = deliver(
        alert, [Slow()], retries=5, backoff_seconds=10, sleep=naps.append, deadline_seconds=15
    )
    assert not result.ok and result.attempts == 2 and naps == [10]
    assert "deadline" in result.error


def test_a_trickling_slack_never_stalls_the_sensor(forecourt_home, trickling_webhook):
    write_plan(forecourt_home, [plan_row(), plan_row("D02", "Honda Civic", "critical", 0)])
    started = time.monotonic()
    result, _ = evaluate(
        slack_token="xoxb-test",
        slack_api_url=trickling_webhook.replace("/hook", "/api/chat.postMessage"),
        webhook_attempt_seconds=1.0,
        delivery_deadline_seconds=2.5,
    )
    assert isinstance(result, dg.RunRequest) and time.monotonic() - started < 20
    deliveries = [
        json.loads(line)
        for line in (forecourt_home / "alerts" / "deliveries.jsonl").read_text().splitlines()
    ]
    slack = [d for d in deliveries if d["sink"] == "slack"]
    assert len(slack) == 2 and not any(d["ok"] for d in slack)
    assert "within 1 s" in slack[0]["error"] and "not tried" in slack[1]["error"]

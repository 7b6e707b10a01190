"""The soak's alert figures count alerts as the ledger does: the same shortage re-sent with
fresher numbers is a duplicate; a worse severity, or a failed check in another run, is not."""

from __future__ import annotations

import datetime as dt
import json

from landing.home import ForecourtHome
from orchestration.cli.soak_report import alert_figures


def low_stock(severity: str, on_hand: int, at: str) -> dict:
    return {"kind": "low_stock", "key": "D01|Audi A4", "severity": severity, "created_at": at,
            "details": {"units_on_hand": on_hand}}


def check_failed(run_id: str) -> dict:
    return {"kind": "check_failed", "key": "raw/sales:freshness_sales", "severity": "error",
            "created_at": "2026-12-05T10:00:00Z", "details": {"run_id": run_id}}


def figures(forecourt_home, alerts: list[dict]) -> dict:
    home = ForecourtHome.from_env()
    home.alerts.mkdir(parents=True, exist_ok=True)
    (home.alerts / "alerts.jsonl").write_text("".join(json.dumps(a) + "\n" for a in alerts))
    return alert_figures(home)


def test_a_shortage_sent_again_with_new_numbers_is_a_duplicate(forecourt_home):
    result = figures(forecourt_home, [
        low_stock("low", 2, "2026-12-05T10:00:00Z"),
        low_stock("low", 1, "2026-12-05T10:05:00Z"),
    ])
    assert (result["sent"], result["distinct"], result["duplicates"]) == (2, 1, 1)
    (repeat,) = result["repeated"]
    assert repeat["sent_at"] == ["2026-12-05T10:00:00Z", "2026-12-05T10:05:00Z"]


def test_a_worse_severity_and_a_check_failing_in_another_run_are_new_alerts(forecourt_home):
    result = figures(forecourt_home, [
        low_stock("low", 2, "2026-12-05T10:00:00Z"),
        low_stock("critical", 0, "2026-12-05T10:05:00Z"),
        check_failed("run-1"),
        check_failed("run-2"),
    ])
    assert (result["sent"], result["distinct"], result["duplicates"]) == (4, 4, 0)
    assert result["by_kind"] == {"low_stock": 2, "check_failed": 2}


def plan(written_at: str, audi_a4: str | None = None) -> dict:
    """A plan snapshot the soak saw: when it was written, and D01's Audi A4 if short."""
    stamp = dt.datetime.fromisoformat(written_at.replace("Z", "+00:00")).timestamp()
    return {"written_at": stamp, "urgent": {"D01|Audi A4": audi_a4} if audi_a4 else {}}


def test_a_shortage_that_recovered_in_between_is_a_new_alert_not_a_duplicate(forecourt_home):
    figures(forecourt_home, [
        low_stock("low", 2, "2026-12-05T10:00:30Z"),
        low_stock("low", 2, "2026-12-05T10:20:30Z"),
    ])
    home = ForecourtHome.from_env()
    relapse = [plan("2026-12-05T10:00:00Z", "low"),
               plan("2026-12-05T10:10:00Z"),  # a car bought: ok, and the ledger forgets it
               plan("2026-12-05T10:20:00Z", "low")]
    result = alert_figures(home, relapse)
    assert (result["sent"], result["distinct"], result["resent_after_recovery"]) == (2, 2, 1)
    still_short = [relapse[0], plan("2026-12-05T10:10:00Z", "low"), relapse[2]]
    result = alert_figures(home, still_short)
    assert (result["distinct"], result["duplicates"], result["resent_after_recovery"]) == (1, 1, 0)

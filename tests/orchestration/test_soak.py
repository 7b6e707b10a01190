"""The soak harness, three days on SQLite storage: webserver and daemon as real processes, the
landing sensor starting each day's run, the daemon killed and restarted once.

The same harness runs on Postgres storage in test_postgres_storage.py."""

from __future__ import annotations

import json

import pytest

from orchestration.cli.soak import SoakSettings, run_soak

pytestmark = pytest.mark.e2e

# Two weeks of history: marts.demand_weekly (a blocking check wants rows) needs full weeks.
SHORT = dict(dealers=1, history_days=14, sensor_interval_seconds=3, day_timeout_seconds=600,
             max_minutes=40)


def isolate_soak_environment(monkeypatch) -> None:
    """run_soak exports what the processes it starts read; the test gives them back after."""
    for name in ("FORECOURT_SENSOR_INTERVAL_SECONDS", "FORECOURT_WAREHOUSE", "DBT_PROFILES_DIR"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def assert_a_healthy_soak(report: dict, days: int) -> None:
    assert report["days_landed"] == days and not report["stopped_early"]
    assert report["daemon_restarts"] == 1
    assert report["idle_at_end"], report["runs"]  # the alert sensors' last run counted finished
    runs = report["runs"]
    daily = runs["by_job"]["daily_refresh_job"]
    assert daily == {"SUCCESS": days + 1}, runs  # the history's run, then one per day
    assert all(counts.keys() == {"SUCCESS"} for counts in runs["by_job"].values()), runs
    assert runs["failed"] == 0 and runs["unfinished"] == 0
    assert runs["duration_seconds"]["daily_refresh_job"]["p95"] is not None
    assert report["lock_errors"]["count"] == 0, report["lock_errors"]
    assert report["retrain"]["status"] == "SUCCESS", report["retrain"]  # forecasts, then alerts
    assert runs["by_job"]["weekly_forecast_job"] == {"SUCCESS": 1}
    alerts = report["alerts"]
    # Alerts flowed, and each went out exactly once, the daemon's kill and restart included.
    assert alerts["by_kind"].get("low_stock", 0) > 0, (alerts, report["ticks"])
    assert alerts["sent"] == alerts["distinct"], alerts["repeated"]
    rows = report["rows"]
    assert rows["checked"] > 0 and rows["mismatches"] == [] and rows["landed"] > 0
    assert report["analyst"]["answered"] > 0 and report["analyst"]["refused"] == 0
    assert report["graphql"]["polls_answered"] > 0
    assert report["graphql"]["last"]["assets_materialized"] > 0


def test_three_days_of_daily_operation_on_sqlite(forecourt_home, monkeypatch):
    isolate_soak_environment(monkeypatch)
    report = run_soak(SoakSettings(days=3, **SHORT))
    assert report["storage"] == "sqlite"
    assert_a_healthy_soak(report, days=3)
    saved = json.loads((forecourt_home / "soak" / "report.json").read_text())
    assert saved["runs"] == report["runs"]

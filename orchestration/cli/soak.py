"""The soak harness: the webserver and the daemon on a fresh home, driven day after day.

An operator tool, not part of the Definitions: ``make soak`` (14 days), or
``python -m orchestration.cli.soak --days 3 --dealers 1``. It generates the days (ending
yesterday) into a staging folder, starts ``dagster-webserver`` and ``dagster-daemon`` as two
processes, turns the daily schedule and the landing sensor on, then lands one day's files per tick
and waits for the run the landing sensor starts. Meanwhile an analyst thread queries the serving
copy and a poller reads the UI's GraphQL; the daemon is killed and restarted once, mid-way.
The report goes to FORECOURT_HOME/soak/report.json (see ``soak_report`` for each figure).
Dagster's storage is SQLite, or Postgres when FORECOURT_DAGSTER_PG_URL is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from landing.home import ForecourtHome
from orchestration.cli.soak_loops import AnalystLoop, GraphqlPoller, Processes
from orchestration.cli.soak_report import (
    FINISHED,
    alert_figures,
    lock_errors,
    rows_per_day,
    run_figures,
)
from orchestration.instance import ensure_manifest, postgres_url, prepare_home


@dataclass
class SoakSettings:
    days: int = 14
    history_days: int = 28  # landed at once before the daily ticks: weekly feeds, drift history
    dealers: int = 2
    seed: int = 42
    sensor_interval_seconds: int = 5
    day_timeout_seconds: float = 900
    max_minutes: float = 120
    port: int = 0  # 0: a free port
    # Retrain the forecasts once the history is loaded, as the weekly schedule would on a
    # Monday: without a forecast the stocking plan reads demand from the dealers' own thin
    # history, finds nothing low, and the alert path goes unexercised.
    retrain_after_history: bool = True


def _day_files(staging: Path, day: dt.date) -> list[Path]:
    return sorted(staging.glob(f"*/{day.isoformat()}.csv*"))


def _land(staging: Path, landing: Path, files: list[Path]) -> None:
    """Copy files into the landing zone under a temporary name, then rename: the sensor never
    sees half a file, and the copy's time is now (the sensor's cursor is a file time)."""
    for source in files:
        target = landing / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        shutil.copyfile(source, partial)
        partial.rename(target)


def _daily_run(instance, day: dt.date):
    """The daily run whose partition range covers the day, newest first, or None."""
    import dagster as dg

    records = instance.get_run_records(
        filters=dg.RunsFilter(job_name="daily_refresh_job"), limit=50
    )
    for record in records:
        tags = record.dagster_run.tags
        start = tags.get("dagster/asset_partition_range_start") or tags.get("dagster/partition")
        end = tags.get("dagster/asset_partition_range_end") or start
        if start and start <= day.isoformat() <= end:
            return record.dagster_run
    return None


def _wait_for_day(instance, day: dt.date, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = _daily_run(instance, day)
        if run is not None and run.status in FINISHED:
            return run.status.value
        time.sleep(1.0)
    return "TIMED_OUT"


def _wait_for_run(instance, run_id: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = instance.get_run_by_id(run_id)
        if run is not None and run.status in FINISHED:
            return run.status.value
        time.sleep(1.0)
    return "TIMED_OUT"


def _plan_seen(home: ForecourtHome, plans: list[dict]) -> dict[str, int]:
    """Remember the plan snapshot the alert sensor reads (when written, its low and critical
    groups by alert key) for ``alert_figures``; the counts by status."""
    if not home.plan_snapshot.exists():
        return {}
    import pandas as pd

    plan = pd.read_parquet(home.plan_snapshot, columns=["dealer_id", "group_key", "status"])
    urgent = plan[plan["status"].isin(["low", "critical"])]
    plans.append({
        "written_at": home.plan_snapshot.stat().st_mtime,
        "urgent": dict(zip(urgent["dealer_id"] + "|" + urgent["group_key"], urgent["status"],
                           strict=True)),
    })
    return {s: int(n) for s, n in urgent["status"].value_counts().items()}


def _wait_for_idle(instance, timeout: float) -> bool:
    import dagster as dg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = instance.get_run_records(
            filters=dg.RunsFilter(statuses=[s for s in dg.DagsterRunStatus if s not in FINISHED])
        )
        if not busy:
            return True
        time.sleep(1.0)
    return False


def _settle(instance, settings: SoakSettings) -> bool:
    """Wait until no run is in flight and a few more sensor ticks start none.

    The alert sensors act on the last day's plan after its run finished, and the run they
    launch (record_alerts_job) must be counted finished, not caught half-way."""
    timeout = max(300, settings.day_timeout_seconds)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _wait_for_idle(instance, timeout=deadline - time.monotonic()):
            return False
        before = len(instance.get_run_records())
        time.sleep(3 * settings.sensor_interval_seconds)  # the sensors see the last runs
        if len(instance.get_run_records()) == before and _wait_for_idle(instance, timeout=0.1):
            return True
    return False


def run_soak(settings: SoakSettings, home: ForecourtHome | None = None) -> dict:
    home = home or ForecourtHome.from_env()
    if home.root.exists() and any(home.root.iterdir()):
        raise SystemExit(f"{home.root} is not empty: the soak starts from a fresh home.")
    os.environ["FORECOURT_HOME"] = str(home.root)
    os.environ["FORECOURT_SENSOR_INTERVAL_SECONDS"] = str(settings.sensor_interval_seconds)
    prepare_home(home)
    ensure_manifest()
    soak = home.root / "soak"
    staging = soak / "staging"
    last = dt.date.today() - dt.timedelta(days=1)  # the last daily partition is yesterday
    total = settings.history_days + settings.days
    every_day = [last - dt.timedelta(days=total - 1 - i) for i in range(total)]
    history, days = every_day[: settings.history_days], every_day[settings.history_days :]
    from landing.generator import generate

    generate(staging, start=every_day[0], days=total, dealers=settings.dealers,
             seed=settings.seed)
    dated = {f for day in days for f in _day_files(staging, day)}
    # the reference files and the history land before the daemon starts: its first run loads them
    _land(staging, home.landing, [f for f in staging.rglob("*.csv*") if f not in dated])

    import dagster as dg

    started = time.monotonic()
    deadline = started + settings.max_minutes * 60
    restart_after = max(settings.days // 2, 1) - 1  # index of the day after which it restarts
    processes = Processes(soak, settings.port)
    ticks, restarted, retrain, alerts_before_restart = [], False, None, None
    plans: list[dict] = []
    with processes, dg.DagsterInstance.get() as instance:
        processes.start_webserver()
        processes.start_daemon()
        poller = GraphqlPoller(processes.graphql_url)
        poller.wait_until_up(timeout=300)
        poller.turn_on(schedules=["daily_refresh_schedule"], sensors=["landing_files_sensor"])
        with AnalystLoop(home) as analyst, poller.polling():
            if history:
                tick = time.monotonic()
                status = _wait_for_day(instance, history[-1], settings.day_timeout_seconds * 2)
                ticks.append({"day": f"{history[0]}..{history[-1]}", "status": status,
                              "seconds": round(time.monotonic() - tick, 1),
                              "urgent_groups": _plan_seen(home, plans)})
                print(f"soak: history {ticks[-1]['day']} {status}", flush=True)
                if settings.retrain_after_history:
                    tick = time.monotonic()
                    run_id = poller.launch_job("weekly_forecast_job")
                    status = _wait_for_run(instance, run_id, settings.day_timeout_seconds)
                    retrain = {"job": "weekly_forecast_job", "run_id": run_id, "status": status,
                               "seconds": round(time.monotonic() - tick, 1)}
                    print(f"soak: retrained the forecasts {status}", flush=True)
            for i, day in enumerate(days):
                if time.monotonic() > deadline:
                    break
                tick = time.monotonic()
                _land(staging, home.landing, _day_files(staging, day))
                status = _wait_for_day(instance, day, settings.day_timeout_seconds)
                ticks.append({"day": day.isoformat(), "status": status,
                              "seconds": round(time.monotonic() - tick, 1),
                              "urgent_groups": _plan_seen(home, plans)})
                print(f"soak: {day} {status} in {ticks[-1]['seconds']} s", flush=True)
                if i == restart_after and not restarted:
                    # Let the sensors act on the day first, so alerts go out on both sides of
                    # the kill: the new daemon must not send again what the old one sent.
                    time.sleep(2 * settings.sensor_interval_seconds)
                    # ... and let the run they launched finish: a run the kill catches while its
                    # worker starts fails with no step (seen in CI), which is Dagster's launcher,
                    # not what this restart is here to prove (alerts sent exactly once).
                    _wait_for_idle(instance, timeout=settings.day_timeout_seconds)
                    alerts_before_restart = alert_figures(home, plans)["sent"]
                    processes.restart_daemon()
                    restarted = True
            idle = _settle(instance, settings)
        report = {
            "settings": asdict(settings),
            "storage": "postgres" if postgres_url() else "sqlite",
            "days": [d.isoformat() for d in days],
            "history_days": [d.isoformat() for d in history],
            "ticks": ticks,
            "retrain": retrain,
            "days_landed": len(ticks) - bool(history),
            "stopped_early": len(ticks) - bool(history) < len(days),
            "daemon_restarts": processes.daemon_restarts,
            "idle_at_end": idle,
            "wall_seconds": round(time.monotonic() - started, 1),
            "runs": run_figures(instance),
            "lock_errors": lock_errors(instance, home.dagster_home),
            "alerts": {**alert_figures(home, plans), "sent_before_restart": alerts_before_restart},
            "plans": plans,  # what alert_figures judged repeats by: low/critical groups per tick
            "rows": rows_per_day(home, every_day),
            "analyst": analyst.figures(),
            "graphql": poller.figures(),
        }
    (soak / "report.json").write_text(json.dumps(report, indent=2, default=str))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.cli.soak", description=__doc__)
    defaults = SoakSettings()
    parser.add_argument("--days", type=int, default=defaults.days)
    parser.add_argument("--history-days", type=int, default=defaults.history_days,
                        help="days landed at once before the daily ticks")
    parser.add_argument("--dealers", type=int, default=defaults.dealers)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--sensor-interval", type=int, default=defaults.sensor_interval_seconds,
                        dest="sensor_interval_seconds", help="seconds between sensor ticks")
    parser.add_argument("--day-timeout", type=float, default=defaults.day_timeout_seconds,
                        dest="day_timeout_seconds", help="seconds to wait for a day's run")
    parser.add_argument("--max-minutes", type=float, default=defaults.max_minutes,
                        help="stop landing new days after this long")
    parser.add_argument("--port", type=int, default=0, help="webserver port (default: free)")
    parser.add_argument("--no-retrain", action="store_false", dest="retrain_after_history",
                        help="do not run weekly_forecast_job after the history")
    report = run_soak(SoakSettings(**vars(parser.parse_args(argv))))
    summary = {k: report[k] for k in ("storage", "days_landed", "daemon_restarts", "wall_seconds")}
    print(json.dumps({**summary, "runs": {k: v for k, v in report["runs"].items()
                                          if k not in ("by_job",)},
                      "retrain": report["retrain"],
                      "lock_errors": report["lock_errors"]["count"],
                      "alerts": report["alerts"], "rows": report["rows"],
                      "analyst": report["analyst"], "graphql": report["graphql"]}, indent=2))
    path = ForecourtHome.from_env().root / "soak" / "report.json"
    print(f"Report: {path}")
    healthy = (not report["lock_errors"]["count"] and not report["alerts"]["duplicates"]
               and not report["rows"]["mismatches"] and report["runs"]["failed"] == 0)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())

"""What a soak run measured: runs, lock errors, alerts, rows per day, analyst queries.

Read after the soak from the home itself (the Dagster instance, the warehouse, the landing
files and the alert file), so the figures are what an operator would find there.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import statistics
from collections import Counter
from pathlib import Path

import dagster as dg

from landing.contract import DAILY_FEEDS
from landing.home import ForecourtHome

# What DuckDB says when another process holds the file ("Could not set lock on file ...
# Conflicting lock is held in ...").
LOCK_MARKERS = ("could not set lock", "conflicting lock")
FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def run_figures(instance: dg.DagsterInstance) -> dict:
    """Runs by job and status, and durations of the finished ones."""
    records = instance.get_run_records()
    by_job: dict[str, Counter] = {}
    durations: dict[str, list[float]] = {}
    for record in records:
        run = record.dagster_run
        by_job.setdefault(run.job_name, Counter())[run.status.value] += 1
        if run.status in FINISHED and record.start_time and record.end_time:
            durations.setdefault(run.job_name, []).append(record.end_time - record.start_time)
    statuses = Counter(record.dagster_run.status for record in records)
    every = [d for values in durations.values() for d in values]
    return {
        "started": len(records),
        "succeeded": statuses[dg.DagsterRunStatus.SUCCESS],
        "failed": statuses[dg.DagsterRunStatus.FAILURE],
        "canceled": statuses[dg.DagsterRunStatus.CANCELED],
        "unfinished": sum(1 for r in records if r.dagster_run.status not in FINISHED),
        "by_job": {job: dict(counts) for job, counts in sorted(by_job.items())},
        "duration_seconds": {
            job: {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}
            for job, values in sorted({**durations, "all": every}.items())
        },
    }


def lock_errors(instance: dg.DagsterInstance, dagster_home: Path) -> dict:
    """DuckDB lock errors in the runs' events and in the captured step logs."""
    in_events = []
    for record in instance.get_run_records():
        run_id = record.dagster_run.run_id
        for entry in instance.all_logs(run_id):
            text = entry.user_message or ""
            if entry.dagster_event is not None:
                text += " " + str(entry.dagster_event.event_specific_data)
            if any(marker in text.lower() for marker in LOCK_MARKERS):
                in_events.append(run_id)
                break
    in_logs = []
    for path in (dagster_home / "storage").rglob("*.[eo][ru][rt]"):
        text = path.read_text(errors="replace").lower()
        if any(marker in text for marker in LOCK_MARKERS):
            in_logs.append(str(path.relative_to(dagster_home)))
    return {"runs_with_lock_errors": sorted(set(in_events)), "log_files": sorted(in_logs),
            "count": len(set(in_events)) + len(in_logs)}


RANK = {"low": 1, "critical": 2}  # any other status (ok, overstock, gone) ranks 0


def _recoveries(plans: list[dict]) -> list[dict[str, int]]:
    """Per plan seen, per alert key: how often the group had improved (critical to low, or out
    of low and critical) by then. The ledger forgets or lowers an improved group, so the next
    shortage is a new alert, not a repeat."""
    counts: dict[str, int] = {}
    out, previous = [], {}
    for plan in plans:
        urgent = plan["urgent"]
        for key, severity in previous.items():
            if RANK.get(urgent.get(key), 0) < RANK[severity]:
                counts[key] = counts.get(key, 0) + 1
        out.append(dict(counts))
        previous = urgent
    return out


def alert_identity(alert: dict, plans: list[dict] | None = None, recoveries=None) -> str:
    """What makes an alert one alert, as the ledger counts it: a low-stock alert is its dealer
    and group at a severity since the group last improved (in the plans the soak saw before the
    alert; no soak outlasts the 24 h quiet period), a failed check is its check in its run. The
    details (units on hand, the day's numbers) are not part of it: the same shortage re-sent
    with fresher numbers is still sent twice."""
    if alert["kind"] == "check_failed":
        return json.dumps([alert["kind"], alert["key"], alert["severity"],
                           (alert.get("details") or {}).get("run_id")])
    episode = 0
    if plans:
        sent = dt.datetime.fromisoformat(alert["created_at"].replace("Z", "+00:00")).timestamp()
        # the plan it was sent for: the last written before it (created_at has whole seconds)
        seen = [i for i, plan in enumerate(plans) if int(plan["written_at"]) <= sent]
        episode = recoveries[seen[-1]].get(alert["key"], 0) if seen else 0
    return json.dumps([alert["kind"], alert["key"], alert["severity"], episode])


def alert_figures(home: ForecourtHome, plans: list[dict] | None = None) -> dict:
    """Alerts in alerts.jsonl against distinct identities (``alert_identity``): equal when
    every alert went out exactly once. Identities sent more than once are listed, with when;
    ``resent_after_recovery`` counts the repeats of a dealer, group and severity that a recovery
    in between explains (they would be duplicates without the plans)."""
    path = home.alerts / "alerts.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    alerts = [json.loads(line) for line in lines if line.strip()]
    recoveries = _recoveries(plans or [])
    keyed = [(alert_identity(a, plans, recoveries), a) for a in alerts]
    identities = Counter(identity for identity, _ in keyed)
    without_plans = Counter(alert_identity(a) for a in alerts)
    repeated = [
        {"identity": identity, "sent_at": [a.get("created_at") for i, a in keyed if i == identity]}
        for identity, n in identities.items() if n > 1
    ]
    return {
        "sent": len(alerts),
        "distinct": len(identities),
        "duplicates": sum(n - 1 for n in identities.values()),
        "repeated": repeated[:20],
        "resent_after_recovery": len(identities) - len(without_plans),
        "by_kind": dict(Counter(a["kind"] for a in alerts)),
    }


def _data_rows(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def rows_per_day(home: ForecourtHome, days: list[dt.date]) -> dict:
    """Per feed and day: rows landed against rows in raw plus rows quarantined. A day loaded
    twice shows as more raw rows than landed ones; a day missed as fewer."""
    import duckdb

    if not home.warehouse.exists():
        return {"checked": 0, "mismatches": [{"error": f"no warehouse at {home.warehouse}"}]}
    checked, mismatches, totals = 0, [], Counter()
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        tables = {t for (t,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()}
        for feed in DAILY_FEEDS:
            for day in days:
                files = sorted((home.landing / feed).glob(f"{day.isoformat()}.csv*"))
                if not files:
                    continue
                landed = sum(_data_rows(f) for f in files)
                raw = rejected = 0
                if feed in tables:
                    raw = conn.execute(
                        f"select count(*) from raw.{feed} where _partition_date = ?", [day]
                    ).fetchone()[0]
                if "rejects" in tables:
                    rejected = conn.execute(
                        "select count(distinct (source_file, source_line)) from raw.rejects "
                        "where feed = ? and partition_date = ?",
                        [feed, day],
                    ).fetchone()[0]
                checked += 1
                totals["landed"] += landed
                totals["raw"] += raw
                totals["rejected"] += rejected
                if raw + rejected != landed:
                    mismatches.append({"feed": feed, "day": day.isoformat(), "landed": landed,
                                       "raw": raw, "rejected": rejected})
    return {"checked": checked, "mismatches": mismatches, **totals}

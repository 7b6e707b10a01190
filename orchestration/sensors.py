"""Sensors: new landing files start the daily refresh; new stocking plans and failed checks
send alerts.

A failed check does not fail its run, and open-source Dagster alerts only on failed runs, so
``failed_check_sensor`` reads the event log itself.
"""

import datetime as dt
import os
from pathlib import Path

import dagster as dg

from landing.contract import DAILY_FEEDS, REFERENCE_FEEDS
from landing.home import ForecourtHome
from landing.ingestion.inventory import file_day
from orchestration.jobs import daily_refresh_job, record_alerts_job
from orchestration.partitions import daily_partitions
from orchestration.resources import AlertSinksResource
from serving.alerts.ledger import AlertLedger
from serving.alerts.low_stock import decide_alerts, plan_cursor, plan_token_of
from serving.alerts.sinks import Alert
from serving.alerts.stockout import decide_stockout_alerts

# How often the daemon evaluates each sensor. A minute in production; the soak harness
# (orchestration/cli/soak.py) shortens it so a simulated day does not take minutes.
SENSOR_INTERVAL_SECONDS = int(os.environ.get("FORECOURT_SENSOR_INTERVAL_SECONDS") or 60)


def _dated_files(landing: Path) -> list[tuple[Path, dt.date, float]]:
    found = []
    for feed in DAILY_FEEDS:
        for path in (landing / feed).glob("*.csv*"):
            # Only YYYY-MM-DD.csv[.gz] files are deliveries: a stray folder or a misnamed copy
            # ("2019-01-01.old.csv") must not start a run for its day.
            day = file_day(path)
            if day is None or not path.is_file():
                continue
            found.append((path, day, path.stat().st_mtime))
    return found


def contiguous_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Group days into runs of consecutive days, so one run loads each stretch."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


@dg.sensor(
    name="landing_files_sensor",
    job=daily_refresh_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    description="Starts the daily refresh for the days whose landing files are new or changed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def landing_files_sensor(context: dg.SensorEvaluationContext):
    # Reads the file system only, never the warehouse, so it cannot block a running load.
    landing = ForecourtHome.from_env().landing
    last_seen = float(context.cursor or 0)
    files = _dated_files(landing)
    reference_changed = any(
        p.stat().st_mtime > last_seen for f in REFERENCE_FEEDS for p in (landing / f).glob("*.csv*")
    )
    fresh = [(p, d, m) for p, d, m in files if m > last_seen]
    if not fresh and not reference_changed:
        return dg.SkipReason(f"No new landing files under {landing}.")
    first, last = daily_partitions.start.date(), dt.date.today() - dt.timedelta(days=1)
    out_of_range = sorted({d for _, d, _ in fresh if not first <= d <= last})
    if out_of_range:
        context.log.warning(
            f"Ignoring files for days outside the partitions ({first}..{last}): {out_of_range[:10]}"
        )
    days = [d for _, d, _ in fresh if first <= d <= last]
    newest = max([m for _, _, m in fresh] + [last_seen])
    requests = []
    for start, end in contiguous_ranges(days):
        tags = {
            "dagster/asset_partition_range_start": start.isoformat(),
            "dagster/asset_partition_range_end": end.isoformat(),
            "forecourt/trigger": "landing_files_sensor",
        }
        requests.append(dg.RunRequest(run_key=f"landing:{start}:{end}:{newest}", tags=tags))
    context.update_cursor(str(newest))
    return requests or dg.SkipReason("New files only for days outside the partitions.")


def evaluate_low_stock(
    cursor: str | None, sinks: AlertSinksResource, now: dt.datetime | None = None
) -> tuple[list, str | None, str]:
    """Alerts sent for the latest plan snapshot, the new cursor, and a one-line summary.

    What was already alerted comes from the home's alert ledger, shared by the CLI and the
    daemon; the cursor only spares re-reading an unchanged plan."""
    home = ForecourtHome.from_env()
    snapshot = home.plan_snapshot
    if not snapshot.exists():
        return [], cursor, f"No stocking plan yet ({snapshot} missing)."
    stat = snapshot.stat()
    token = f"{stat.st_mtime_ns}-{stat.st_size}"
    outlook_path = home.stockout_snapshot
    if outlook_path.exists():  # a new stock-out outlook is a change too
        seen = outlook_path.stat()
        token += f"+{seen.st_mtime_ns}-{seen.st_size}"
    if token == plan_token_of(cursor):
        return [], cursor, "Stocking plan unchanged since the last evaluation."
    # The plan is read from its Parquet snapshot, never from the warehouse, so the sensor
    # cannot block (or be blocked by) a run writing to DuckDB. pandas is imported here, not at
    # the top, so that loading the Definitions does not pay for it.
    import pandas as pd

    plan = pd.read_parquet(snapshot)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with AlertLedger(home.alerts).session() as ledger:
        alerts, ledger.low_stock = decide_alerts(
            plan, ledger.low_stock, now, sinks.quiet_period_hours
        )
        stockouts = []
        if outlook_path.exists():
            stockouts, ledger.stockout = decide_stockout_alerts(
                pd.read_parquet(outlook_path), ledger.stockout, now, sinks.quiet_period_hours
            )
        sent = [(alert, sinks.send(alert)) for alert in alerts + stockouts]
    failed = sum(1 for _, deliveries in sent for d in deliveries if not d.ok)
    summary = (
        f"{len(alerts)} low-stock alert(s) and {len(stockouts)} stock-out alert(s) sent; "
        f"{failed} failed deliveries."
    )
    return sent, plan_cursor(token), summary


@dg.sensor(
    name="low_stock_sensor",
    job=record_alerts_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "On each new stocking plan, alerts once per dealer and group that turns low or "
        "critical (again when it worsens or after the quiet period), and once per dealer and "
        "group likely to run out before the next delivery (ml.stockout_outlook), to the JSONL "
        "file, the webhook and Slack when configured; then records them in ops.low_stock_alerts."
    ),
)
def low_stock_sensor(context: dg.SensorEvaluationContext, alert_sinks: AlertSinksResource):
    sent, cursor, summary = evaluate_low_stock(context.cursor, alert_sinks)
    if cursor != context.cursor:
        context.update_cursor(cursor)
    for alert, deliveries in sent:
        for d in deliveries:
            if not d.ok:
                context.log.warning(
                    f"{d.sink} failed for {alert.key} after {d.attempts}: {d.error}"
                )
    if not sent:
        return dg.SkipReason(summary)
    context.log.info(summary)
    return dg.RunRequest(run_key=f"alerts:{plan_token_of(cursor)}")


def is_notifiable(evaluation) -> bool:
    """Blocking checks that blocked (ERROR), freshness and skipped-files checks page people;
    warnings stay in the UI, among them a suite that did not run (not in the source, or an
    empty delivery)."""
    blocked = bool(evaluation.blocking) and evaluation.severity == dg.AssetCheckSeverity.ERROR
    return not evaluation.passed and (
        blocked or evaluation.check_name.startswith(("freshness", "skipped_files"))
    )


def check_alert(evaluation, run_id: str | None) -> Alert:
    key = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
    summary = {
        name: value.value
        for name, value in evaluation.metadata.items()
        if isinstance(value.value, int | float | str | bool) and len(str(value.value)) < 300
    }
    return Alert(
        kind="check_failed",
        key=key,
        severity="error" if evaluation.severity == dg.AssetCheckSeverity.ERROR else "warn",
        title=(
            f"Check {evaluation.check_name} failed on {evaluation.asset_key.to_user_string()}"
            + (" (blocking: downstream assets were not built)" if evaluation.blocking else "")
        ),
        details={"run_id": run_id, "blocking": bool(evaluation.blocking), **summary},
    )


FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]


@dg.sensor(
    name="failed_check_sensor",
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Sends an alert for every failed blocking or freshness check of finished runs.",
)
def failed_check_sensor(context: dg.SensorEvaluationContext, alert_sinks: AlertSinksResource):
    # Walk finished runs by update time (the cursor), then each run's check evaluations: this
    # works on the default run-sharded SQLite event log, where global event cursors do not.
    after = dt.datetime.fromisoformat(context.cursor) if context.cursor else None
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(statuses=FINISHED, updated_after=after), limit=100, ascending=True
    )
    if not records:
        return dg.SkipReason("No run finished since the last evaluation.")
    sent = 0
    now = dt.datetime.now(dt.UTC).isoformat()
    # The ledger, not the cursor, says what was sent: the CLI and the daemon each keep a cursor
    # of their own, and each failed check of a run alerts once whichever evaluates it first.
    with AlertLedger(ForecourtHome.from_env().alerts).session() as ledger:
        for record in records:
            run_id = record.dagster_run.run_id
            events = context.instance.get_records_for_run(
                run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            ).records
            for event in events:
                evaluation = event.event_log_entry.dagster_event.event_specific_data
                alert = check_alert(evaluation, run_id)
                if is_notifiable(evaluation) and ledger.claim(f"check:{run_id}:{alert.key}", now):
                    alert_sinks.send(alert)
                    sent += 1
    context.update_cursor(max(r.update_timestamp for r in records).isoformat())
    return dg.SkipReason(f"{sent} failed-check alert(s) sent for {len(records)} finished run(s).")

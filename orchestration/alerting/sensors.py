"""Sensors that push alerts: low stock from new stocking plans (failed checks: see checks)."""

import datetime as dt

import dagster as dg

from orchestration.alerting.low_stock import decide_alerts, dump_state, load_state, plan_token_of
from orchestration.alerting.resource import AlertSinksResource
from orchestration.assets.stocking import PLAN_SNAPSHOT
from orchestration.project import ForecourtHome

record_alerts_job = dg.define_asset_job(
    name="record_alerts_job",
    selection=dg.AssetSelection.assets(dg.AssetKey(["ops", "low_stock_alerts"])),
    description="Record the alerts sent so far in ops.low_stock_alerts, with open/resolved status.",
)


def evaluate_low_stock(
    cursor: str | None, sinks: AlertSinksResource, now: dt.datetime | None = None
) -> tuple[list, str | None, str]:
    """Alerts sent for the latest plan snapshot, the new cursor, and a one-line summary."""
    snapshot = ForecourtHome.from_env().alerts / PLAN_SNAPSHOT
    if not snapshot.exists():
        return [], cursor, f"No stocking plan yet ({snapshot} missing)."
    stat = snapshot.stat()
    token = f"{stat.st_mtime_ns}-{stat.st_size}"
    if token == plan_token_of(cursor):
        return [], cursor, "Stocking plan unchanged since the last evaluation."
    # The plan is read from its Parquet snapshot, never from the warehouse, so the sensor
    # cannot block (or be blocked by) a run writing to DuckDB. pandas is imported here, not at
    # the top, so that loading the Definitions does not pay for it.
    import pandas as pd

    plan = pd.read_parquet(snapshot)
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    alerts, state = decide_alerts(plan, load_state(cursor), now, sinks.quiet_period_hours)
    sent = [(alert, sinks.send(alert)) for alert in alerts]
    failed = sum(1 for _, deliveries in sent for d in deliveries if not d.ok)
    summary = f"{len(alerts)} low-stock alert(s) sent; {failed} failed deliveries."
    return sent, dump_state(state, token), summary


@dg.sensor(
    name="low_stock_sensor",
    job=record_alerts_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "On each new stocking plan, alerts once per dealer and group that turns low or "
        "critical (again when it worsens or after the quiet period), to the JSONL file, the "
        "webhook and Slack when configured; then records them in ops.low_stock_alerts."
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

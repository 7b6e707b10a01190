"""Notify on failed blocking and freshness checks: a failed check does not fail its run, and
open-source Dagster alerts only on failed runs, so this sensor reads the event log itself."""

import datetime as dt

import dagster as dg

from orchestration.alerting.resource import AlertSinksResource
from orchestration.alerting.sinks import Alert


def is_notifiable(evaluation) -> bool:
    """Blocking checks and freshness checks page people; warnings stay in the UI."""
    return not evaluation.passed and (
        bool(evaluation.blocking) or evaluation.check_name.startswith("freshness")
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
    minimum_interval_seconds=60,
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
    for record in records:
        events = context.instance.get_records_for_run(
            record.dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        for event in events:
            evaluation = event.event_log_entry.dagster_event.event_specific_data
            if is_notifiable(evaluation):
                alert_sinks.send(check_alert(evaluation, record.dagster_run.run_id))
                sent += 1
    context.update_cursor(max(r.update_timestamp for r in records).isoformat())
    return dg.SkipReason(f"{sent} failed-check alert(s) sent for {len(records)} finished run(s).")

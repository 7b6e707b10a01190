"""A failed blocking check reaches the alert sinks once; warnings and passes do not."""

import json

import dagster as dg

from orchestration.resources import AlertSinksResource
from orchestration.sensors import failed_check_sensor


@dg.asset
def deliveries():
    return 1


@dg.asset_check(asset=deliveries, blocking=True)
def no_negative_prices():
    return dg.AssetCheckResult(passed=False, metadata={"unexpected_count": 3})


@dg.asset_check(asset=deliveries)
def drift_warning():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


@dg.asset_check(asset=deliveries, blocking=True)
def suite_not_run():
    """A blocking suite that could not run: a warning in the UI, nobody paged."""
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.WARN, metadata={"status": "skipped"}
    )


@dg.asset(deps=[deliveries])
def forecast_from_deliveries():
    return 2


def test_a_failed_blocking_check_is_notified_once(forecourt_home):
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [
                deliveries,
                forecast_from_deliveries,
                no_negative_prices,
                drift_warning,
                suite_not_run,
            ],
            instance=instance,
            raise_on_error=False,
        )
        # The blocking check stopped the downstream asset in that run.
        materialized = {e.asset_key for e in result.get_asset_materialization_events()}
        assert dg.AssetKey("forecast_from_deliveries") not in materialized

        sinks = AlertSinksResource()
        context = dg.build_sensor_context(instance=instance, resources={"alert_sinks": sinks})
        failed_check_sensor(context)
        lines = (forecourt_home / "alerts" / "alerts.jsonl").read_text().splitlines()
        alerts = [json.loads(line) for line in lines]
        assert [a["key"] for a in alerts] == ["deliveries:no_negative_prices"]
        assert alerts[0]["details"]["unexpected_count"] == 3

        again = dg.build_sensor_context(
            instance=instance, cursor=context.cursor, resources={"alert_sinks": sinks}
        )
        assert isinstance(failed_check_sensor(again), dg.SkipReason)
        assert len((forecourt_home / "alerts" / "alerts.jsonl").read_text().splitlines()) == 1


def test_the_cli_and_the_daemon_notify_a_failed_check_once_between_them(forecourt_home):
    with dg.instance_for_test() as instance:
        dg.materialize(
            [deliveries, forecast_from_deliveries, no_negative_prices, drift_warning],
            instance=instance,
            raise_on_error=False,
        )
        sinks = AlertSinksResource()
        for _ in range(3):  # the CLI, the daemon, a restarted daemon: each without a cursor
            failed_check_sensor(
                dg.build_sensor_context(instance=instance, resources={"alert_sinks": sinks})
            )
        lines = (forecourt_home / "alerts" / "alerts.jsonl").read_text().splitlines()
        assert len(lines) == 1

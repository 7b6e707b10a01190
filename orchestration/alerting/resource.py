"""The alert sinks as a Dagster resource: the file always, webhook and Slack when configured."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg

from orchestration.alerting.sinks import (
    Alert,
    Delivery,
    JsonlFileSink,
    SlackSink,
    WebhookSink,
    deliver,
)
from orchestration.project import ForecourtHome

ALERTS_FILE = "alerts.jsonl"
DELIVERIES_FILE = "deliveries.jsonl"


class AlertSinksResource(dg.ConfigurableResource):
    """Where alerts go. URLs and tokens come from environment variables (see definitions)."""

    webhook_url: str | None = None
    webhook_timeout_seconds: float = 5.0
    slack_token: str | None = None
    slack_channel: str = "#forecourt-alerts"
    retries: int = 3
    backoff_seconds: float = 0.5
    quiet_period_hours: float = 24.0

    @classmethod
    def from_environment(cls) -> AlertSinksResource:
        """The same configuration the definitions give the daemon, for in-process use."""
        return cls(
            webhook_url=os.environ.get("FORECOURT_ALERT_WEBHOOK_URL") or None,
            slack_token=os.environ.get("FORECOURT_SLACK_TOKEN") or None,
            slack_channel=os.environ.get("FORECOURT_SLACK_CHANNEL", "#forecourt-alerts"),
        )

    @property
    def folder(self) -> Path:
        return ForecourtHome.from_env().alerts

    def sinks(self) -> list:
        sinks: list = [JsonlFileSink(self.folder / ALERTS_FILE)]
        if self.webhook_url:
            sinks.append(WebhookSink(self.webhook_url, self.webhook_timeout_seconds))
        if self.slack_token:
            sinks.append(SlackSink(self.slack_token, self.slack_channel))
        return sinks

    def send(self, alert: Alert) -> list[Delivery]:
        """Deliver to every sink and record each delivery (failures included) beside the alerts."""
        deliveries = deliver(alert, self.sinks(), self.retries, self.backoff_seconds)
        log = self.folder / DELIVERIES_FILE
        with log.open("a", encoding="utf-8") as handle:
            for d in deliveries:
                record = {"alert_key": alert.key, "kind": alert.kind, **d.__dict__}
                handle.write(json.dumps({**record, "at": alert.created_at}) + "\n")
        return deliveries

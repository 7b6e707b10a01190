"""Resources: the DuckDB warehouse (opened briefly, with explicit limits), the serving layer's
settings, the alert sinks, and dbt (``orchestration.platform.dbt_cli``)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from landing.home import ForecourtHome
from orchestration.platform.dbt_cli import ForecourtDbtCliResource
from serving.alerts.sinks import (
    Alert,
    Delivery,
    JsonlFileSink,
    SlackSink,
    WebhookSink,
    deliver,
)

__all__ = [
    "WAREHOUSE_POOL",
    "AlertSinksResource",
    "ForecourtDbtCliResource",
    "ServingResource",
    "WarehouseResource",
]

# The concurrency pool of every step that writes the warehouse (raw loads, dbt, ml and ops
# writers). The home's dagster.yaml gives each pool one slot, so writers take turns, across runs
# and processes, while steps that only read go ahead.
WAREHOUSE_POOL = "warehouse"

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse.

    DuckDB allows one writing process per file and a writer blocks readers in other processes,
    so connections are opened per step and closed at once; writing steps take turns through the
    `warehouse` pool (one slot), and a reader waits up to `lock_timeout_seconds` for the lock.
    """

    path: str | None = None  # default: FORECOURT_HOME/warehouse.duckdb, read when a step runs
    memory_limit: str = "4GB"
    threads: int = 2
    # Where DuckDB spills what exceeds memory_limit (default: <warehouse>.tmp beside the file),
    # so a long history spills to disk instead of failing with an out-of-memory error.
    temp_directory: str | None = None
    lock_timeout_seconds: float = 60.0

    @property
    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else ForecourtHome.from_env().warehouse

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection that is closed on exit; waits a while if another process holds the lock."""
        path = self.resolved_path
        if read_only and not path.exists():
            raise FileNotFoundError(
                f"Warehouse {path} does not exist yet: materialize the raw assets first "
                "(forecourt materialize)."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._open_with_retry(path, read_only)
        try:
            conn.execute(f"set memory_limit = '{self.memory_limit}'")
            conn.execute(f"set threads = {int(self.threads)}")
            if self.temp_directory and not read_only:
                conn.execute(f"set temp_directory = '{self.temp_directory}'")
            yield conn
        finally:
            conn.close()

    def _open_with_retry(self, path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
        import duckdb

        deadline = time.monotonic() + self.lock_timeout_seconds
        while True:
            try:
                return duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


class ServingResource(dg.ConfigurableResource):
    """Where the roles come from and the salt hashed identifiers use.

    ``pii_salt`` is a secret: set FORECOURT_PII_SALT (the Definitions pass it as an EnvVar).
    Without it a random salt is generated once per FORECOURT_HOME (see ``pii_salt``).
    """

    pii_salt: str | None = None
    roles_file: str | None = None  # default: FORECOURT_ROLES, else the packaged roles.toml


ALERTS_FILE = "alerts.jsonl"
DELIVERIES_FILE = "deliveries.jsonl"


class AlertSinksResource(dg.ConfigurableResource):
    """Where alerts go. URLs and tokens come from environment variables (see definitions)."""

    webhook_url: str | None = None
    webhook_timeout_seconds: float = 5.0  # each read
    webhook_attempt_seconds: float = 10.0  # one whole attempt, however the server trickles
    delivery_deadline_seconds: float = 20.0  # one alert to one sink, every retry included
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
            sinks.append(
                WebhookSink(
                    self.webhook_url, self.webhook_timeout_seconds, self.webhook_attempt_seconds
                )
            )
        if self.slack_token:
            sinks.append(SlackSink(self.slack_token, self.slack_channel))
        return sinks

    def send(self, alert: Alert) -> list[Delivery]:
        """Deliver to every sink and record each delivery (failures included) beside the alerts."""
        deliveries = deliver(
            alert,
            self.sinks(),
            self.retries,
            self.backoff_seconds,
            deadline_seconds=self.delivery_deadline_seconds,
        )
        log = self.folder / DELIVERIES_FILE
        with log.open("a", encoding="utf-8") as handle:
            for d in deliveries:
                record = {"alert_key": alert.key, "kind": alert.kind, **d.__dict__}
                handle.write(json.dumps({**record, "at": alert.created_at}) + "\n")
        return deliveries

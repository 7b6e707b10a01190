"""Resources: the warehouse (DuckDB opened briefly with explicit limits, or Spark), the serving
layer's settings, the alert sinks, and dbt (``orchestration.platform.dbt_cli``)."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from landing.home import ForecourtHome
from landing.home_lock import home_lock
from orchestration.platform.dbt_cli import ForecourtDbtCliResource
from serving.alerts.sinks import (
    SLACK_API,
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
    import pandas as pd

    from landing.warehouse import Warehouse
    from landing.warehouse.duck import DuckDBWarehouse


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse: the embedded DuckDB file by default, or Spark (``FORECOURT_ENGINE=spark``).

    The ML and ops assets read and write through `read_frame`, `table_exists` and `tables()`
    (``landing.warehouse``, the same calls on either engine). `connect` is the DuckDB file itself,
    for the code that needs DuckDB by name (the raw loader, dbt's metadata, checks, serving).

    DuckDB allows one writing process per file and a writer blocks readers in other processes,
    so connections are opened per call and closed at once; writing steps take turns through the
    `warehouse` pool (one slot), and a reader waits up to `lock_timeout_seconds` for the lock.
    """

    path: str | None = None  # default: FORECOURT_HOME/warehouse.duckdb, read when a step runs
    memory_limit: str = "4GB"
    threads: int = 2
    # Where DuckDB spills what exceeds memory_limit (default: <warehouse>.tmp beside the file),
    # so a long history spills to disk instead of failing with an out-of-memory error.
    temp_directory: str | None = None
    lock_timeout_seconds: float = 60.0
    engine: str | None = None  # duckdb or spark; default: FORECOURT_ENGINE, else duckdb
    home_lock_seconds: float = 3600.0  # how long a run waits for a CLI command on the home

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        """A run holds the home's lock (shared) while it executes, so a CLI command and a run
        of the daemon or the UI never write the home at once: whichever comes second waits,
        saying for whom (``landing.home_lock``). Sensors and schedules (no run) take nothing."""
        run = context.dagster_run
        if run is None:
            yield self
            return
        root = ForecourtHome.from_env().root if self.path is None else Path(self.path).parent
        root.mkdir(parents=True, exist_ok=True)
        command = f"Dagster run {run.run_id[:8]} ({run.job_name})"
        with home_lock(root, command, self.home_lock_seconds, context.log.warning, shared=True):
            yield self

    @property
    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else ForecourtHome.from_env().warehouse

    def _duckdb(self) -> DuckDBWarehouse:
        from landing.warehouse.duck import DuckDBWarehouse

        return DuckDBWarehouse(
            self.resolved_path, self.memory_limit, self.threads, self.lock_timeout_seconds,
            self.temp_directory,
        )

    def engine_name(self) -> str:
        """duckdb or spark: this resource's `engine`, else FORECOURT_ENGINE, else duckdb."""
        from landing.warehouse import engine_from_env

        return (self.engine or engine_from_env()).lower()

    def tables(self) -> Warehouse:
        """The engine's warehouse for reading frames and writing whole tables or partitions."""
        engine = self.engine_name()
        if engine == "duckdb":
            return self._duckdb()
        return _shared_warehouse(engine, ForecourtHome.from_env().root)

    def read_frame(self, sql_or_table: str) -> pd.DataFrame:
        return self.tables().read_frame(sql_or_table)

    def table_exists(self, qualified_name: str) -> bool:
        return self.tables().table_exists(qualified_name)

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A DuckDB connection closed on exit; waits a while if another process holds the lock."""
        with self._duckdb().connect(read_only) as conn:
            yield conn


@functools.cache
def _shared_warehouse(engine: str, root: Path) -> Warehouse:
    """One Spark warehouse per process and home: a SparkSession takes seconds to start."""
    from landing.warehouse import open_warehouse

    return open_warehouse(engine, root)


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
    slack_api_url: str = SLACK_API  # chat.postMessage; another URL for a test server
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
        bounds = {
            "timeout_seconds": self.webhook_timeout_seconds,
            "attempt_seconds": self.webhook_attempt_seconds,
        }
        if self.webhook_url:
            sinks.append(WebhookSink(self.webhook_url, **bounds))
        if self.slack_token:
            sinks.append(
                SlackSink(self.slack_token, self.slack_channel, self.slack_api_url, **bounds)
            )
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

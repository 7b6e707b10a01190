"""Dagster's SQLite event log, without reopening a database file for every event.

Dagster's `SqliteEventLogStorage` opens and closes a connection per event, and closing the last
connection to a WAL-mode SQLite file checkpoints it with an fsync: about 10 ms per event on an
ordinary disk, so a dbt build that reports ~1,000 events (a materialization per model, an asset
check per test, planned events) spent over half its time in the event log. This storage keeps
the files it writes open (the index and the few latest run files) and writes with
`synchronous=NORMAL`, SQLite's recommended setting in WAL mode: a commit is still atomic and
survives a crash of the process; only a power cut can lose the last commits, never corrupt the
file. A run file is checkpointed at most once a second and at every run status change, so the
web UI, which watches the run file's changes, keeps showing the run live.

Configured in the home's dagster.yaml by `orchestration.instance.prepare_home`, without a
`base_dir`: the files stay where Dagster's default storage keeps them, $DAGSTER_HOME/history/runs,
so a home keeps the runs it recorded before.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster._core.events import EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.engine import Connection, Engine

OPEN_RUN_FILES = 4  # run files kept open besides the index: the running ones and a spare
CHECKPOINT_SECONDS = 1.0


def _synchronous_normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("pragma synchronous=normal")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` (same files, same schema) with its connections kept open."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._checkpointed: dict[str, float] = {}
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": dg.Field(dg.StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        base_dir = config_value.get("base_dir")
        if base_dir is None:
            if not os.environ.get("DAGSTER_HOME"):
                raise dg.DagsterInvariantViolationError(
                    "PooledSqliteEventLogStorage without base_dir keeps its files under "
                    "$DAGSTER_HOME/history/runs, but DAGSTER_HOME is not set: set it, or give "
                    "event_log_storage.config.base_dir in dagster.yaml."
                )
            base_dir = str(Path(os.environ["DAGSTER_HOME"]) / "history" / "runs")
        return cls(base_dir=base_dir, inst_data=inst_data)

    def has_table(self, table_name: str) -> bool:
        # Asked before every asset check event; a table, once there, stays.
        if table_name not in self._tables:
            if not super().has_table(table_name):
                return False
            self._tables.add(table_name)
        return True

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(
                self.conn_string_for_shard(shard),
                pool_size=1,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            sqlalchemy_event.listen(engine, "connect", _synchronous_normal)
        self._engines[shard] = engine  # most recently used last
        while len(self._engines) > OPEN_RUN_FILES + 1:
            old_shard, old = self._engines.popitem(last=False)
            self._checkpointed.pop(old_shard, None)
            old.dispose()  # closing its last connection checkpoints the file
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn
                now = time.monotonic()
                if now - self._checkpointed.get(shard, 0.0) >= CHECKPOINT_SECONDS:
                    conn.exec_driver_sql("pragma wal_checkpoint(passive)")
                    self._checkpointed[shard] = now

    def store_event(self, event) -> None:
        if event.is_dagster_event and event.dagster_event_type in EVENT_TYPE_TO_PIPELINE_RUN_STATUS:
            self._checkpointed.pop(event.run_id, None)  # a run's start and end show at once
        super().store_event(event)

    def _close_all(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
            self._checkpointed.clear()

    def wipe(self) -> None:
        self._close_all()  # the run files are deleted
        super().wipe()

    def dispose(self) -> None:
        self._close_all()
        super().dispose()

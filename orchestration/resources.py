"""Resources: the DuckDB warehouse, opened briefly and with explicit limits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.project import ForecourtHome

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse.

    DuckDB allows one writing process per file and a writer blocks readers in other processes,
    so connections are opened per step and closed at once; runs are serialised by the run queue
    (see the instance's dagster.yaml) and steps by the in-process executor.
    """

    path: str | None = None  # default: FORECOURT_HOME/warehouse.duckdb, read when a step runs
    memory_limit: str = "4GB"
    threads: int = 2
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

"""The warehouse on the embedded DuckDB file: today's behaviour behind `Warehouse`.

DuckDB allows one writing process per file, and a writer blocks readers in other processes, so
every call opens its own connection and closes it at once; opening waits up to
`lock_timeout_seconds` while another process holds the lock. Tables and columns carry their
descriptions as DuckDB comments.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from landing.warehouse import Descriptions, Warehouse, is_table_name, split_name

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

FRAME = "_frame_to_write"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_exists_in(conn: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    schema, name = split_name(qualified_name)
    query = (
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    )
    return bool(conn.execute(query, [schema, name]).fetchone()[0])


def describe(
    conn: duckdb.DuckDBPyConnection, qualified_name: str, columns, descriptions, kind="table"
) -> list:
    """Write the descriptions as comments; return the columns they leave undescribed."""
    if descriptions is None:
        return list(columns)
    conn.execute(f"comment on {kind} {qualified_name} is {_quote(str(descriptions['table']))}")
    missing = []
    for column in columns:
        text = descriptions["columns"].get(column)
        if text is None:
            missing.append(column)
        else:
            conn.execute(f'comment on column {qualified_name}."{column}" is {_quote(text)}')
    return missing


def replace_in(conn, qualified_name: str, frame, descriptions: Descriptions | None) -> list[str]:
    """Swap a whole table for a DataFrame in one transaction on an open connection."""
    schema, _ = split_name(qualified_name)
    conn.execute(f"create schema if not exists {schema}")
    conn.register(FRAME, frame)
    try:
        conn.execute("begin transaction")
        conn.execute(f"create or replace table {qualified_name} as select * from {FRAME}")
        missing = describe(conn, qualified_name, [str(c) for c in frame.columns], descriptions)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister(FRAME)
    return missing


class DuckDBWarehouse(Warehouse):
    engine = "duckdb"

    def __init__(
        self,
        path: Path | str,
        memory_limit: str = "4GB",
        threads: int = 2,
        lock_timeout_seconds: float = 60.0,
        temp_directory: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.memory_limit, self.threads = memory_limit, int(threads)
        self.lock_timeout_seconds = lock_timeout_seconds
        # where what exceeds memory_limit spills (None: DuckDB's default, <warehouse>.tmp)
        self.temp_directory = temp_directory

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection that is closed on exit; waits a while if another process holds the lock."""
        if read_only and not self.path.exists():
            raise FileNotFoundError(
                f"Warehouse {self.path} does not exist yet: materialize the raw assets first "
                "(forecourt materialize)."
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._open_with_retry(read_only)
        try:
            conn.execute(f"set memory_limit = '{self.memory_limit}'")
            conn.execute(f"set threads = {self.threads}")
            if self.temp_directory and not read_only:
                conn.execute(f"set temp_directory = '{self.temp_directory}'")
            yield conn
        finally:
            conn.close()

    def _open_with_retry(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        import duckdb

        deadline = time.monotonic() + self.lock_timeout_seconds
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    @staticmethod
    def _query(sql_or_table: str) -> str:
        text = sql_or_table.strip()
        return f"select * from {text}" if is_table_name(text) else text

    def read_frame(self, sql_or_table: str) -> pd.DataFrame:
        with self.connect(read_only=True) as conn:
            return conn.execute(self._query(sql_or_table)).df()

    def read_arrow(self, sql_or_table: str) -> pa.Table:
        with self.connect(read_only=True) as conn:
            return conn.sql(self._query(sql_or_table)).to_arrow_table()

    def table_exists(self, qualified_name: str) -> bool:
        split_name(qualified_name)
        if not self.path.exists():
            return False
        with self.connect(read_only=True) as conn:
            return table_exists_in(conn, qualified_name)

    def replace_table(self, qualified_name, frame, descriptions=None, partition_by=()) -> list[str]:
        # DuckDB tables have no physical partitions: `partition_by` matters to Spark only.
        with self.connect() as conn:
            return replace_in(conn, qualified_name, frame, descriptions)

    def replace_partitions(self, qualified_name, frame, partition_by: Sequence[str]) -> int:
        if not partition_by:
            raise ValueError(f"{qualified_name}: replace_partitions needs partition columns.")
        schema, _ = split_name(qualified_name)
        match = " and ".join(f't."{c}" is not distinct from p."{c}"' for c in partition_by)
        keys = ", ".join(f'"{c}"' for c in partition_by)
        with self.connect() as conn:
            conn.execute(f"create schema if not exists {schema}")
            conn.register(FRAME, frame)
            try:
                conn.execute("begin transaction")
                conn.execute(
                    f"create table if not exists {qualified_name} as select * from {FRAME} limit 0"
                )
                conn.execute(
                    f"delete from {qualified_name} t where exists "
                    f"(select 1 from (select distinct {keys} from {FRAME}) p where {match})"
                )
                conn.execute(f"insert into {qualified_name} by name select * from {FRAME}")
                conn.execute("commit")
            except Exception:
                conn.execute("rollback")
                raise
            finally:
                conn.unregister(FRAME)
        return len(frame)

    def replace_view(self, qualified_name, select_sql, descriptions=None) -> list[str]:
        # A real view: it always shows its source tables as they are now, and costs no storage.
        schema, _ = split_name(qualified_name)
        with self.connect() as conn:
            conn.execute(f"create schema if not exists {schema}")
            conn.execute("begin transaction")
            try:
                conn.execute(f"create or replace view {qualified_name} as {select_sql}")
                columns = [d[0] for d in conn.execute(
                    f"select * from {qualified_name} limit 0").description]
                missing = describe(conn, qualified_name, columns, descriptions, kind="view")
                conn.execute("commit")
            except Exception:
                conn.execute("rollback")
                raise
        return missing

    @contextmanager
    def reading(self) -> Iterator[DuckDBWarehouse]:
        with self.connect(read_only=True) as conn:
            yield _OnConnection(self, conn)

    def comments(self, qualified_name: str) -> dict[str, str]:
        schema, name = split_name(qualified_name)
        with self.connect(read_only=True) as conn:
            table = conn.execute(
                "select comment from duckdb_tables() where schema_name = ? and table_name = ? "
                "union all select comment from duckdb_views() where schema_name = ? "
                "and view_name = ?",
                [schema, name, schema, name],
            ).fetchone()
            rows = conn.execute(
                "select column_name, comment from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index",
                [schema, name],
            ).fetchall()
        if table is None:
            raise LookupError(f"{qualified_name} does not exist in {self.path}.")
        return {"": table[0] or "", **{c: text or "" for c, text in rows}}


class _OnConnection(DuckDBWarehouse):
    """A DuckDBWarehouse whose reads use one already open connection (see `reading`)."""

    def __init__(self, parent: DuckDBWarehouse, conn: duckdb.DuckDBPyConnection) -> None:
        super().__init__(parent.path, parent.memory_limit, parent.threads,
                         parent.lock_timeout_seconds)
        self._conn = conn

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not read_only:
            raise RuntimeError(f"{self.path}: writes need their own connection, not `reading`.")
        yield self._conn

"""One warehouse interface for the Python side, on DuckDB (the default) or Apache Spark.

The ML and ops assets read marts and write ``ml.*`` / ``ops.*`` tables only through
`Warehouse`: `read_frame` (SQL or a table name, as pandas), `read_arrow`, `table_exists`,
`replace_table` (a whole table, optionally partitioned), `replace_partitions` (only the
partitions a frame holds), `replace_view` (a query over other tables, kept by name) and
`comments`. `open_warehouse` picks the implementation from
``FORECOURT_ENGINE`` (``duckdb`` or ``spark``):

- `duck.DuckDBWarehouse`: the embedded file ``FORECOURT_HOME/warehouse.duckdb``; each call opens
  a short connection (DuckDB allows one writing process per file) and waits for the lock.
- `spark.SparkWarehouse`: a SparkSession over Parquet tables in a warehouse directory
  (``FORECOURT_SPARK_WAREHOUSE``, default ``FORECOURT_HOME/spark/warehouse``, where the dbt
  target ``spark`` writes the marts), laid out as Spark lays out its own,
  ``<schema>.db/<table>/``, so the tables dbt-spark writes there are read the same way.

SQL given to `read_frame` must be portable (dbt's cross-database habits: ``cast``, ``||``,
``using``, no DuckDB-only functions); code that needs DuckDB itself (the raw loader, serving
copies) keeps a DuckDB connection and says so.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

ENGINES = ("duckdb", "spark")
ENGINE_VARIABLE = "FORECOURT_ENGINE"

# What `replace_table` attaches to a table: {"table": text, "columns": {column: text}}.
Descriptions = Mapping[str, object]


def engine_from_env() -> str:
    """The engine FORECOURT_ENGINE names (duckdb when unset); a clear error for anything else."""
    engine = (os.environ.get(ENGINE_VARIABLE) or "duckdb").strip().lower()
    if engine not in ENGINES:
        raise ValueError(
            f"{ENGINE_VARIABLE}={engine!r} is not an engine Forecourt knows: use one of {ENGINES}."
        )
    return engine


def split_name(qualified_name: str) -> tuple[str, str]:
    """('ml', 'demand_forecast') from 'ml.demand_forecast'; refuses anything else."""
    parts = qualified_name.split(".")
    if len(parts) != 2 or not all(p.isidentifier() for p in parts):
        raise ValueError(
            f"table name {qualified_name!r} must be <schema>.<table>, e.g. ml.demand_forecast."
        )
    return parts[0], parts[1]


def is_table_name(sql_or_table: str) -> bool:
    try:
        split_name(sql_or_table.strip())
    except ValueError:
        return False
    return True


class Warehouse(ABC):
    """Where the assets read marts and write their tables (see the module docstring)."""

    engine: str

    @abstractmethod
    def read_frame(self, sql_or_table: str) -> pd.DataFrame:
        """The rows of a query, or of a whole table given as <schema>.<table>."""

    @abstractmethod
    def read_arrow(self, sql_or_table: str) -> pa.Table:
        """As `read_frame`, as an Arrow table (no pandas conversion)."""

    @abstractmethod
    def table_exists(self, qualified_name: str) -> bool: ...

    @abstractmethod
    def replace_table(
        self,
        qualified_name: str,
        frame: pd.DataFrame,
        descriptions: Descriptions | None = None,
        partition_by: Sequence[str] = (),
    ) -> list[str]:
        """Swap the whole table for `frame` (readers see old or new, never half).

        Returns the columns `descriptions` does not describe.
        """

    @abstractmethod
    def replace_partitions(
        self, qualified_name: str, frame: pd.DataFrame, partition_by: Sequence[str]
    ) -> int:
        """Replace the partitions `frame` holds (by the values of `partition_by`), keep the rest;
        creates the table when missing. Re-running with the same frame changes nothing."""

    @abstractmethod
    def replace_view(
        self, qualified_name: str, select_sql: str, descriptions: Descriptions | None = None
    ) -> list[str]:
        """Define `qualified_name` as `select_sql` (portable SQL over warehouse tables), with
        descriptions like `replace_table`'s; returns the columns they do not describe."""

    @abstractmethod
    def comments(self, qualified_name: str) -> dict[str, str]:
        """The table's stored descriptions: '' for the table, then one entry per column."""

    def refresh(self) -> None:
        """Forget what is known of the tables' files, after another process rewrote them (dbt);
        nothing to do where the engine reads its catalog afresh on every query (DuckDB)."""
        return None

    @contextmanager
    def reading(self) -> Iterator[Warehouse]:
        """Many reads in a row: `read_frame`, `read_arrow` and `table_exists` of the object it
        yields share one connection where the engine has connections (DuckDB)."""
        yield self


def open_warehouse(engine: str | None = None, root: Path | None = None, **settings) -> Warehouse:
    """The warehouse of a home (FORECOURT_HOME by default) on `engine` (FORECOURT_ENGINE)."""
    from landing.home import ForecourtHome

    engine = engine or engine_from_env()
    home = ForecourtHome(root) if root else ForecourtHome.from_env()
    if engine == "duckdb":
        from landing.warehouse.duck import DuckDBWarehouse

        return DuckDBWarehouse(settings.pop("path", None) or home.warehouse, **settings)
    if engine == "spark":
        from landing.warehouse.spark import SparkWarehouse, warehouse_dir

        return SparkWarehouse(settings.pop("path", None) or warehouse_dir(home.root), **settings)
    raise ValueError(f"engine {engine!r} is not one of {ENGINES}.")

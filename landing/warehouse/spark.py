"""The warehouse on Apache Spark: a SparkSession over Parquet tables in a warehouse directory.

Tables live where Spark itself puts them, ``<warehouse>/<schema>.db/<table>/``, so marts that
dbt-spark writes to the same directory are read like the tables written here. The catalog of a
local session is in memory, so each session registers every table directory it finds (the
directory is the truth, no metastore to keep in step). Descriptions go into the Parquet schema
(Spark's column ``comment``) and into ``_forecourt.json`` beside the data (Spark skips files
starting with ``_``), which `comments` reads back.

A whole-table write goes to a hidden sibling directory first and is swapped in by two renames,
so a reader sees the old table or the new, never a half-written one; this needs the warehouse on
a local or POSIX-mounted file system. On a cluster whose tables live in a metastore (Databricks,
a Thrift server), dbt writes the marts there; see docs/scale.md.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from landing.warehouse import Descriptions, Warehouse, is_table_name, split_name

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

SIDE_FILE = "_forecourt.json"
MASTER_VARIABLE = "FORECOURT_SPARK_MASTER"
DIR_VARIABLE = "FORECOURT_SPARK_WAREHOUSE"


def spark_unavailable() -> str | None:
    """Why Spark cannot start here (no pyspark, no Java), or None when it can."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: pip install -e '.[spark]' to run Forecourt on Spark"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and os.path.exists(java_home)):
        return "Java is absent (no java on PATH, no JAVA_HOME): Spark needs Java 17 or 21"
    return None


def warehouse_dir(home_root: Path) -> Path:
    """FORECOURT_SPARK_WAREHOUSE, else FORECOURT_HOME/spark/warehouse (the dbt target spark's)."""
    given = os.environ.get(DIR_VARIABLE)
    return Path(given).expanduser().resolve() if given else home_root / "spark" / "warehouse"


def spark_session(directory: Path | None = None, app_name: str = "forecourt") -> SparkSession:
    """The process's SparkSession (created on first use), local[2] unless FORECOURT_SPARK_MASTER.

    Python workers must run this interpreter (its packages: pandas, prophet, ml/), so
    PYSPARK_PYTHON defaults to it. UTC keeps timestamps the same on the way in and out.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(os.environ.get(MASTER_VARIABLE, "local[2]"))
        .appName(app_name)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if directory is not None:
        builder = builder.config("spark.sql.warehouse.dir", str(directory))
    session = builder.getOrCreate()
    # Spark's WARN lines (a schema "created concurrently", ...) say nothing to a run's reader
    session.sparkContext.setLogLevel(os.environ.get("FORECOURT_SPARK_LOG_LEVEL", "ERROR"))
    return session


def _to_spark(spark: SparkSession, frame: pd.DataFrame) -> DataFrame:
    """A Spark DataFrame through Arrow; all-null columns become strings (Parquet has no NULL
    type), and an empty frame keeps its column types."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    return spark.createDataFrame(table)


class SparkWarehouse(Warehouse):
    engine = "spark"

    def __init__(self, path: Path | str, spark: SparkSession | None = None) -> None:
        self.root = Path(path)
        self._spark, self._registered = spark, False

    @property
    def spark(self) -> SparkSession:
        if self._spark is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._spark = spark_session(self.root)
        if not self._registered:
            self._registered = True
            self.register_all()
        return self._spark

    def table_dir(self, qualified_name: str) -> Path:
        schema, name = split_name(qualified_name)
        return self.root / f"{schema}.db" / name

    def _register(self, qualified_name: str) -> None:
        schema, _ = split_name(qualified_name)
        location = self.table_dir(qualified_name).as_posix().replace("'", "\\'")
        self.spark.sql(f"create database if not exists {schema}")
        self.spark.sql(f"drop table if exists {qualified_name}")
        self.spark.sql(f"create table {qualified_name} using parquet location '{location}'")
        if any("=" in p.name for p in self.table_dir(qualified_name).iterdir() if p.is_dir()):
            # Spark infers the partition columns but lists the partitions only when asked.
            self.spark.sql(f"alter table {qualified_name} recover partitions")

    def register_all(self) -> list[str]:
        """Register every table directory of the warehouse in this session's catalog."""
        found = []
        for schema_dir in sorted(self.root.glob("*.db")):
            for table_dir in sorted(schema_dir.iterdir()):
                if table_dir.is_dir() and not table_dir.name.startswith((".", "_")):
                    name = f"{schema_dir.name[:-3]}.{table_dir.name}"
                    self._register(name)
                    found.append(name)
        return found

    def refresh(self) -> None:
        if self._spark is not None and self._registered:
            self.register_all()

    def _dataframe(self, sql_or_table: str) -> DataFrame:
        text = sql_or_table.strip()
        return self.spark.table(text) if is_table_name(text) else self.spark.sql(text)

    def read_frame(self, sql_or_table: str) -> pd.DataFrame:
        """As DuckDB's: decimals become floats (Spark would give Python Decimal objects)."""
        from pyspark.sql import functions as F
        from pyspark.sql.types import DecimalType

        sdf = self._dataframe(sql_or_table)
        if any(isinstance(f.dataType, DecimalType) for f in sdf.schema.fields):
            sdf = sdf.select(*[
                F.col(f"`{f.name}`").cast("double").alias(f.name)
                if isinstance(f.dataType, DecimalType) else F.col(f"`{f.name}`")
                for f in sdf.schema.fields
            ])
        return sdf.toPandas()

    def read_arrow(self, sql_or_table: str) -> pa.Table:
        return self._dataframe(sql_or_table).toArrow()

    def table_exists(self, qualified_name: str) -> bool:
        return self.table_dir(qualified_name).is_dir()

    def _with_comments(self, sdf: DataFrame, descriptions: Descriptions | None) -> DataFrame:
        for column in sdf.columns if descriptions else ():
            text = descriptions["columns"].get(column)
            if text is not None:
                sdf = sdf.withMetadata(column, {"comment": text})
        return sdf

    def replace_table(self, qualified_name, frame, descriptions=None, partition_by=()) -> list[str]:
        target = self.table_dir(qualified_name)
        fresh = target.with_name(f".{target.name}.new-{uuid.uuid4().hex}")
        writer = self._with_comments(_to_spark(self.spark, frame), descriptions).write
        if partition_by:
            writer = writer.partitionBy(*partition_by)
        writer.mode("error").parquet(str(fresh))
        columns = [str(c) for c in frame.columns]
        described = descriptions["columns"] if descriptions else {}
        side = {"table": descriptions["table"] if descriptions else "",
                "columns": {c: described[c] for c in columns if c in described}}
        (fresh / SIDE_FILE).write_text(json.dumps(side, indent=1), encoding="utf-8")
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        self._register(qualified_name)
        return [c for c in columns if c not in described]

    def replace_partitions(self, qualified_name, frame, partition_by: Sequence[str]) -> int:
        if not partition_by:
            raise ValueError(f"{qualified_name}: replace_partitions needs partition columns.")
        target = self.table_dir(qualified_name)
        # Dynamic overwrite (set on the session): only the partitions in `frame` are replaced.
        (
            _to_spark(self.spark, frame).write.partitionBy(*partition_by)
            .mode("overwrite").parquet(str(target))
        )
        self._register(qualified_name)
        return len(frame)

    def replace_view(self, qualified_name, select_sql, descriptions=None) -> list[str]:
        """On Spark the view is written as a table of its rows, replaced whole like any other.

        This warehouse has no persistent catalog: every session registers the tables it finds
        as folders (`register_all`), so a Spark view would vanish with the session that made
        it, and the serving copies (built from the folders) would never see it. The caller
        rewrites the view whenever it rewrites the view's source, so the rows agree.
        """
        return self.replace_table(qualified_name, self.read_frame(select_sql), descriptions)

    def comments(self, qualified_name: str) -> dict[str, str]:
        side = self.table_dir(qualified_name) / SIDE_FILE
        if not side.exists():
            raise LookupError(f"{qualified_name} has no {SIDE_FILE} in {side.parent}.")
        stored = json.loads(side.read_text(encoding="utf-8"))
        columns = self.spark.table(qualified_name).columns
        return {"": stored["table"], **{c: stored["columns"].get(c, "") for c in columns}}

"""The serving copies' source when the warehouse is on Spark: one DuckDB file over its Parquet.

The serving copies stay DuckDB files whatever the engine (analysts open one file, offline).
On Spark the marts, ``ml.*`` and ``ops.*`` tables are Parquet folders laid out as Spark lays
them out (``<warehouse>/<schema>.db/<table>/``, partition folders ``column=value``), so DuckDB
reads them directly into a staging file, which `serving.publish.publish` then copies, masks and
swaps in exactly as it does from the DuckDB warehouse. Descriptions that Forecourt wrote beside
a table (``_forecourt.json``, landing/warehouse/spark.py) become DuckDB comments again.

A folder without a Parquet file (a table with no row, which Spark may write as no file at all)
takes its columns from `empty_table`, a callable the caller gives (the Spark warehouse's
``read_arrow``), so an empty table stays a table with its columns, not a missing one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

SIDE_FILE = "_forecourt.json"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parquet_files(table_dir: Path) -> list[Path]:
    """The data files of a table folder: not Spark's hidden or bookkeeping files (.x, _x),
    but a partition folder may start with _ (``_partition_date=...``), as Spark allows."""
    return sorted(
        path
        for path in table_dir.rglob("*.parquet")
        if not any(
            part.startswith(".") or (part.startswith("_") and "=" not in part)
            for part in path.relative_to(table_dir).parts
        )
    )


def table_folders(warehouse_dir: Path, schemas: Sequence[str]) -> list[tuple[str, Path]]:
    """(schema.table, folder) of every table folder of the given schemas."""
    found = []
    for schema in schemas:
        schema_dir = Path(warehouse_dir) / f"{schema}.db"
        if not schema_dir.is_dir():
            continue
        for folder in sorted(schema_dir.iterdir()):
            if folder.is_dir() and not folder.name.startswith((".", "_")):
                found.append((f"{schema}.{folder.name}", folder))
    return found


def mirror_parquet(
    warehouse_dir: Path,
    target: Path,
    schemas: Sequence[str],
    empty_table: Callable[[str], pa.Table],
) -> dict[str, int]:
    """Write ``target`` (replaced whole) with one table per Parquet table folder; rows per table."""
    import duckdb

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(target.name + ".new")
    fresh.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    with duckdb.connect(str(fresh), config={"threads": 2}) as conn:
        for name, folder in table_folders(warehouse_dir, schemas):
            schema = name.split(".")[0]
            conn.execute(f"create schema if not exists {schema}")
            files = _parquet_files(folder)
            if files:
                listed = ", ".join(_quote(p.as_posix()) for p in files)
                source = f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true)"
            else:
                empty = empty_table(name)  # noqa: F841 (read by DuckDB's replacement scan)
                source = "empty"
            conn.execute(f"create table {name} as select * from {source}")
            rows[name] = conn.execute(f"select count(*) from {name}").fetchone()[0]
            side = folder / SIDE_FILE
            if side.exists():
                described = json.loads(side.read_text(encoding="utf-8"))
                conn.execute(f"comment on table {name} is {_quote(described.get('table', ''))}")
                for column, text in described.get("columns", {}).items():
                    conn.execute(f'comment on column {name}."{column}" is {_quote(text)}')
    fresh.replace(target)
    return rows

"""Plumbing shared by the ML assets: write ``ml.*`` tables and describe them in metadata.

`write_table` and `write_view` write through the warehouse's engine (DuckDB or Spark,
``landing.warehouse``); `replace_table` and `table_exists` take an open DuckDB connection, for
code that holds one.
"""

from __future__ import annotations

import base64
import io
import logging
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.descriptions import TABLES

if TYPE_CHECKING:  # only annotations here: loading the Definitions need not import these
    from collections.abc import Sequence

    import duckdb
    import pandas as pd

    from orchestration.resources import WarehouseResource

logger = logging.getLogger(__name__)


def read_sql(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return conn.execute(sql).df()


def table_exists(conn: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    """On an open DuckDB connection; assets ask `WarehouseResource.table_exists` instead."""
    from landing.warehouse.duck import table_exists_in

    return table_exists_in(conn, qualified_name)


def _warn_undescribed(qualified_name: str, missing: list[str]) -> None:
    if missing:
        logger.warning(
            "%s: no description for column(s) %s; add them to orchestration/assets/"
            "descriptions.py", qualified_name, missing,
        )


def write_table(
    warehouse: WarehouseResource,
    qualified_name: str,
    frame: pd.DataFrame,
    partition_by: Sequence[str] = (),
) -> int:
    """Swap a whole table for a DataFrame on the warehouse's engine (readers see old or new).

    The table carries the descriptions of `descriptions.TABLES`: DuckDB comments, or on Spark the
    Parquet column comments and ``_forecourt.json``.
    """
    missing = warehouse.tables().replace_table(
        qualified_name, frame, TABLES.get(qualified_name), partition_by
    )
    _warn_undescribed(qualified_name, missing)
    return len(frame)


def write_view(warehouse: WarehouseResource, qualified_name: str, select_sql: str) -> None:
    """Define a view over warehouse tables, described like a table (`descriptions.TABLES`).

    A DuckDB view; on Spark a table of the view's rows (see `SparkWarehouse.replace_view`).
    """
    missing = warehouse.tables().replace_view(
        qualified_name, select_sql, TABLES.get(qualified_name)
    )
    _warn_undescribed(qualified_name, missing)


def replace_table(conn: duckdb.DuckDBPyConnection, qualified_name: str, frame: pd.DataFrame) -> int:
    """`write_table` on an open DuckDB connection, in one transaction."""
    from landing.warehouse.duck import replace_in

    _warn_undescribed(qualified_name, replace_in(conn, qualified_name, frame,
                                                 TABLES.get(qualified_name)))
    return len(frame)


def preview(frame: pd.DataFrame, rows: int = 10) -> dg.MetadataValue:
    if frame.empty:
        return dg.MetadataValue.md("_no rows_")
    return dg.MetadataValue.md(frame.head(rows).to_markdown(index=False, floatfmt=".3g"))


def figure_markdown(figure, title: str = "") -> dg.MetadataValue:
    """A matplotlib Figure as an inline PNG in Markdown, so the Dagster UI shows the plot."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode()
    heading = f"**{title}**\n\n" if title else ""
    return dg.MetadataValue.md(f"{heading}![{title}](data:image/png;base64,{encoded})")


def table_metadata(qualified_name: str, frame: pd.DataFrame, **extra) -> dict:
    return {
        "table": qualified_name,
        "dagster/row_count": len(frame),
        "preview": preview(frame),
        **extra,
    }

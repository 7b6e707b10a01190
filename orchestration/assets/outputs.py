"""Plumbing shared by the ML assets: write ``ml.*`` tables and describe them in metadata."""

from __future__ import annotations

import base64
import io
import logging
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.descriptions import TABLES

if TYPE_CHECKING:  # only annotations here: loading the Definitions need not import these
    import duckdb
    import pandas as pd

logger = logging.getLogger(__name__)


def read_sql(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return conn.execute(sql).df()


def table_exists(conn: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    schema, name = qualified_name.split(".")
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def describe_table(conn: duckdb.DuckDBPyConnection, qualified_name: str, columns) -> list[str]:
    """Write the table's and its columns' descriptions as comments; return the undescribed."""
    doc = TABLES.get(qualified_name)
    if doc is None:
        return list(columns)
    conn.execute(f"comment on table {qualified_name} is {_quote(doc['table'])}")
    missing = []
    for column in columns:
        text = doc["columns"].get(column)
        if text is None:
            missing.append(column)
        else:
            conn.execute(f'comment on column {qualified_name}."{column}" is {_quote(text)}')
    return missing


def replace_table(conn: duckdb.DuckDBPyConnection, qualified_name: str, frame: pd.DataFrame) -> int:
    """Swap a whole table for a DataFrame in one transaction: readers see old or new, never half.

    The new table carries the descriptions of `descriptions.TABLES` as comments.
    """
    schema = qualified_name.split(".")[0]
    conn.execute(f"create schema if not exists {schema}")
    conn.register("_frame_to_write", frame)
    try:
        conn.execute("begin transaction")
        conn.execute(f"create or replace table {qualified_name} as select * from _frame_to_write")
        missing = describe_table(conn, qualified_name, [str(c) for c in frame.columns])
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    finally:
        conn.unregister("_frame_to_write")
    if missing:
        logger.warning(
            "%s: no description for column(s) %s; add them to orchestration/assets/"
            "descriptions.py", qualified_name, missing,
        )
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

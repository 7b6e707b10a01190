"""Which rows a suite validates, read from DuckDB into pandas with bounded memory.

A suite's ``meta.scope`` says it; only the columns its expectations name are read:

- ``{"kind": "latest_load", "max_days": 90}``: the rows of the feed's latest load
  (``raw.load_log``, ``_load_id``) in the last ``max_days`` days it covers, so a history
  backfill is validated on its recent end rather than held in memory whole;
- ``{"kind": "recent_window", "date_column": "sale_date", "days": 90, "keep": "<sql>"}``: rows
  whose date lies in the last ``days`` days of the data (counted back from the column's maximum,
  never from the clock, so a rebuild gives the same answer), plus rows matching ``keep``;
- ``{"kind": "table"}``: the whole table (small outputs, such as forecasts).

The table is ``meta.relation``, by default the asset key joined with dots (``raw.sales``).
"""

from __future__ import annotations

import duckdb
import pandas as pd

COLUMN_KWARGS = ("column", "column_A", "column_B")


def relation_of(spec: dict) -> str:
    meta = spec["meta"]
    return meta.get("relation") or ".".join(meta["asset_key"])


def columns_of(spec: dict) -> list[str]:
    """The columns the suite's expectations name, in first-mention order."""
    names: list[str] = []
    for expectation in spec["expectations"]:
        kwargs = expectation.get("kwargs", {})
        found = [kwargs[k] for k in COLUMN_KWARGS if k in kwargs]
        found += list(kwargs.get("column_list", []))
        names += [n for n in found if n not in names]
    return names


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _backquote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def scope_sql(
    spec: dict, feed_of_load: str | None = None, quote=_quote
) -> tuple[str, list]:
    """The SQL (and its parameters) that selects the suite's rows and columns; `quote` quotes
    a column name (Spark's SQL takes a double-quoted name for a string)."""
    relation = relation_of(spec)
    scope = spec["meta"].get("scope", {"kind": "table"})
    columns = ", ".join(quote(c) for c in columns_of(spec)) or "1 as _row"
    kind = scope.get("kind", "table")
    if kind == "latest_load":
        feed = feed_of_load or spec["meta"]["asset_key"][-1]
        sql = f"""
            with latest as (
                select arg_max(load_id, loaded_at) as load_id from raw.load_log where feed = ?
            ),
            days as (
                select distinct partition_date from raw.load_log
                where load_id = (select load_id from latest)
                  and partition_date > (
                      select max(partition_date) from raw.load_log
                      where load_id = (select load_id from latest)
                  ) - {int(scope.get("max_days", 90))}
            )
            select {columns} from {relation}
            where _load_id = (select load_id from latest)
              and (_partition_date is null
                   or _partition_date in (select partition_date from days))
        """
        return sql, [feed]
    if kind == "recent_window":
        date = quote(scope["date_column"])
        keep = f" or ({scope['keep']})" if scope.get("keep") else ""
        sql = f"""
            select {columns} from {relation}
            where {date} > (select max({date}) from {relation}) - {int(scope["days"])}{keep}
        """
        return sql, []
    if kind == "table":
        return f"select {columns} from {relation}", []
    raise ValueError(f"Suite '{spec['name']}': unknown scope kind {kind!r}")


def describe_scope(conn: duckdb.DuckDBPyConnection, spec: dict) -> dict:
    """Where the validated rows came from, for the check's metadata."""
    scope = spec["meta"].get("scope", {"kind": "table"})
    described = {"relation": relation_of(spec), "scope": scope.get("kind", "table")}
    if scope.get("kind") == "latest_load":
        load = conn.execute(
            """
            select load_id, min(partition_date), max(partition_date), count(*), sum(rows_loaded)
            from raw.load_log
            where load_id = (select arg_max(load_id, loaded_at) from raw.load_log where feed = ?)
            group by load_id
            """,
            [spec["meta"]["asset_key"][-1]],
        ).fetchone()
        if load:
            described.update(
                load_id=load[0],
                load_first_day=str(load[1]),
                load_last_day=str(load[2]),
                load_files=load[3],
                load_rows_loaded=int(load[4] or 0),
            )
    elif scope.get("kind") == "recent_window":
        described["window"] = f"last {scope['days']} days of {scope['date_column']}" + (
            f", plus rows where {scope['keep']}" if scope.get("keep") else ""
        )
    return described


def read_scope(conn: duckdb.DuckDBPyConnection, spec: dict) -> pd.DataFrame:
    """The rows the suite validates, as a DataFrame."""
    sql, parameters = scope_sql(spec)
    return conn.execute(sql, parameters).df()


def read_scope_from(warehouse, spec: dict) -> pd.DataFrame:
    """`read_scope` through a `landing.warehouse.Warehouse` (the marts on Spark): the scopes
    without parameters only (the raw feeds' latest load stays on the DuckDB loader's tables).
    A missing table is a LookupError naming it."""
    sql, parameters = scope_sql(spec, quote=_backquote if warehouse.engine == "spark" else _quote)
    if parameters:
        raise ValueError(f"Suite '{spec['name']}': its scope needs DuckDB's raw schema.")
    if not warehouse.table_exists(relation_of(spec)):
        raise LookupError(f"Table {relation_of(spec)} does not exist in the {warehouse.engine} "
                          "warehouse yet.")
    return warehouse.read_frame(sql)

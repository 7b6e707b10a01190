"""Reference sources outside the DMS contract: declared tables, loaded whole into ``raw``.

A source export that carries facts the landing contract has no place for (Mint Classics' stock
snapshot, warehouse capacity, order statuses, credit limits, payments) lands as
``landing/<source>/<table>.csv`` and is loaded into ``raw.<source>_<table>``, with the same
lineage columns and quarantine (``raw.rejects``) as the contract's feeds. When a home has no
such export the tables are created empty, so the dbt models over them build everywhere.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from landing.contract import Column
from landing.ingestion.schema import LINEAGE_COLUMNS, ensure_raw_schema
from landing.ingestion.validation import quote_ident, quote_text, text_of, typed

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

MONEY = "DECIMAL(12,2)"


@dataclass(frozen=True)
class SourceTable:
    source: str
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def relation(self) -> str:
        return f"raw.{self.source}_{self.name}"

    def landing_path(self, landing: Path) -> Path:
        return Path(landing) / self.source / f"{self.name}.csv"


def _t(name: str, description: str, key: tuple[str, ...], *columns: tuple) -> SourceTable:
    return SourceTable("mintclassics", name, description, tuple(Column(*c) for c in columns), key)


V, I, D = "VARCHAR", "INTEGER", "DATE"  # noqa: E741
MINTCLASSICS_TABLES: dict[str, SourceTable] = {
    t.name: t
    for t in (
        _t("productlines", "Product lines.", ("productLine",),
           ("productLine", V, True), ("textDescription", V), ("htmlDescription", V),
           ("image", V)),
        _t("products", "Products with the one stock snapshot (quantityInStock) and warehouse.",
           ("productCode",),
           ("productCode", V, True), ("productName", V, True), ("productLine", V, True),
           ("productScale", V), ("productVendor", V), ("productDescription", V),
           ("quantityInStock", I, True), ("warehouseCode", V, True), ("buyPrice", MONEY, True),
           ("MSRP", MONEY)),
        _t("warehouses", "Warehouses with the share of capacity in use (percent).",
           ("warehouseCode",),
           ("warehouseCode", V, True), ("warehouseName", V, True), ("warehousePctCap", I)),
        _t("offices", "Sales offices.", ("officeCode",),
           ("officeCode", V, True), ("city", V), ("phone", V), ("addressLine1", V),
           ("addressLine2", V), ("state", V), ("country", V), ("postalCode", V),
           ("territory", V)),
        _t("employees", "Employees (sales representatives and managers).", ("employeeNumber",),
           ("employeeNumber", I, True), ("lastName", V), ("firstName", V), ("extension", V),
           ("email", V), ("officeCode", V), ("reportsTo", I), ("jobTitle", V)),
        _t("customers", "Customers (resellers), with credit limit and sales representative.",
           ("customerNumber",),
           ("customerNumber", I, True), ("customerName", V, True), ("contactLastName", V),
           ("contactFirstName", V), ("phone", V), ("addressLine1", V), ("addressLine2", V),
           ("city", V), ("state", V), ("postalCode", V), ("country", V),
           ("salesRepEmployeeNumber", I), ("creditLimit", MONEY)),
        _t("orders", "Orders with their status and dates.", ("orderNumber",),
           ("orderNumber", I, True), ("orderDate", D, True), ("requiredDate", D),
           ("shippedDate", D), ("status", V, True), ("comments", V),
           ("customerNumber", I, True)),
        _t("orderdetails", "Order lines: product, quantity and unit price.",
           ("orderNumber", "productCode"),
           ("orderNumber", I, True), ("productCode", V, True), ("quantityOrdered", I, True),
           ("priceEach", MONEY, True), ("orderLineNumber", I)),
        _t("payments", "Payments received.", ("customerNumber", "checkNumber"),
           ("customerNumber", I, True), ("checkNumber", V, True), ("paymentDate", D),
           ("amount", MONEY, True)),
    )
}  # fmt: skip
SOURCE_TABLES: dict[str, dict[str, SourceTable]] = {"mintclassics": MINTCLASSICS_TABLES}


def table_ddl(table: SourceTable) -> str:
    columns = [f"{quote_ident(c.name)} {c.type}" for c in table.columns]
    columns += [f"{name} {type_}" for name, type_ in LINEAGE_COLUMNS]
    return f"create table if not exists {table.relation} (" + ", ".join(columns) + ")"


def _errors_sql(table: SourceTable) -> str:
    rules = []
    for c in table.columns:
        text, label = text_of(c.name), quote_text(c.name)
        if c.required:
            rules.append(
                f"case when {text} is null then {{'column_name': {label}, 'value': null, "
                "'reason': 'missing required value'} end"
            )
        if c.type != "VARCHAR":
            reason = quote_text(f"not a valid {c.type.lower()}")
            rules.append(
                f"case when {text} is not null and {typed(c)} is null then "
                f"{{'column_name': {label}, 'value': {text}, 'reason': {reason}}} end"
            )
    key = ", ".join(text_of(k, "_src") for k in table.key)
    key_value = " || '|' || ".join(f"coalesce({text_of(k)}, '')" for k in table.key)
    rules.append(
        f"case when s._dup_rank > 1 then "
        f"{{'column_name': {quote_text('+'.join(table.key))}, 'value': {key_value}, "
        "'reason': 'duplicate key'} end"
    )
    return f"""
        select _source_line, e.column_name, e.value, e.reason, _raw_record
        from (
            select s._source_line, s._raw_record,
                   unnest(list_filter([{", ".join(rules)}], lambda x: x is not null)) as e
            from (
                select *, row_number() over (partition by {key} order by _source_line) as _dup_rank
                from _src
            ) s
        )
    """


def load_source_table(conn: duckdb.DuckDBPyConnection, table: SourceTable, landing: Path) -> dict:
    """Replace ``raw.<source>_<table>`` from its landing file; empty table if there is none."""
    started, load_id = time.perf_counter(), uuid.uuid4().hex[:12]
    ensure_raw_schema(conn)
    conn.execute(table_ddl(table))
    path = table.landing_path(landing)
    feed = f"{table.source}.{table.name}"
    stats = {"file": str(path) if path.exists() else None, "rows_read": 0, "rows_loaded": 0}
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table.relation}")
        conn.execute("delete from raw.rejects where feed = ?", [feed])
        if path.exists():
            names = [c.name for c in table.columns]
            record = ", ".join(f"{quote_text(n)}: {quote_ident(n)}" for n in names)
            conn.execute(
                f"""create or replace temp table _src as
                select {", ".join(quote_ident(n) for n in names)},
                       row_number() over () + 1 as _source_line,
                       to_json({{{record}}}) as _raw_record
                from read_csv({quote_text(str(path))}, all_varchar = true, header = true,
                              delim = ',', quote = '"', escape = '"')"""
            )
            conn.execute("create or replace temp table _err as " + _errors_sql(table))
            typed_columns = ", ".join(f"{typed(c)} as {quote_ident(c.name)}" for c in table.columns)
            conn.execute(
                f"""insert into {table.relation}
                select {typed_columns}, ?, s._source_line, null, ?, current_timestamp::timestamp
                from _src s where s._source_line not in (select _source_line from _err)""",
                [str(path), load_id],
            )
            conn.execute(
                """insert into raw.rejects (load_id, feed, partition_date, source_file,
                       source_line, column_name, value, reason, raw_record, rejected_at)
                select ?, ?, null, ?, _source_line, column_name, value, reason, _raw_record,
                       current_timestamp::timestamp from _err""",
                [load_id, feed, str(path)],
            )
            stats["rows_read"] = conn.execute("select count(*) from _src").fetchone()[0]
            stats["rows_loaded"] = conn.execute(
                f"select count(*) from {table.relation}"
            ).fetchone()[0]
            conn.execute(
                "insert into raw.load_log (load_id, feed, partition_date, source_file, "
                "checksum_sha256, rows_read, rows_loaded, rows_rejected, rows_replaced, loaded_at)"
                " values (?, ?, null, ?, null, ?, ?, ?, 0, current_timestamp)",
                [
                    load_id,
                    feed,
                    str(path),
                    stats["rows_read"],
                    stats["rows_loaded"],
                    stats["rows_read"] - stats["rows_loaded"],
                ],
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    stats["rows_rejected"] = stats["rows_read"] - stats["rows_loaded"]
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return stats

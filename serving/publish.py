"""Publish the serving copies: the full read-only copy, then one masked/scoped file per role.

Every file is built under a temporary name in the serving folder and swapped in with
``os.replace``, so a reader opening ``serving/<name>.duckdb`` gets the old file or the new one,
never half of one; a reader that already has the old file open keeps reading it (POSIX keeps
an unlinked file alive while it is open). The warehouse is opened read-only once, briefly,
and the role files are derived from the fresh full copy, not from the warehouse.

Each file's owner group and mode are what the deployment gave it: the role's ``group`` and
``mode`` in roles.toml, else those of the file being replaced, else the folder's group and
0440. Publishing never widens them: write bits are never set, and a file is readable by
everyone only when roles.toml says ``mode = "0444"``. Files are built in a private
``.publishing`` folder (mode 700), so nobody can read a copy before its permissions are set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from serving.disclosure import judge
from serving.masking import (
    DEALERS_VARIABLE,
    SALT_VARIABLE,
    plan_table,
    quote,
    select_sql,
)
from serving.permissions import set_permissions
from serving.roles import FULL_COPY, Role, RolesConfig

if TYPE_CHECKING:  # DuckDB loads on the first connection, not when the Definitions load
    import duckdb

STALE_TMP_SECONDS = 6 * 3600
STAGING = ".publishing"


@dataclass
class CopyReport:
    """One published file: its tables with row counts, and what the role did not get."""

    name: str
    path: Path
    tables: dict[str, int] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    masked_columns: dict[str, list[str]] = field(default_factory=dict)
    suppressed: dict[str, list[str]] = field(default_factory=dict)  # rows or values withheld


@dataclass
class PublishReport:
    version: str
    data_as_of: dt.date | None
    copies: list[CopyReport]
    seconds: float = 0.0
    removed: list[str] = field(default_factory=list)


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _catalog(conn: duckdb.DuckDBPyConnection, database: str, schemas) -> list[tuple]:
    """(schema, table, comment, [(column, comment)]) for the tables and views of the schemas.

    A view (ml.customer_lifecycle, ...) is copied as a table of its rows: a serving copy is
    one self-contained file, and a role's copy masks and scopes it like any table.
    """
    tables = conn.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        "where database_name = ? and list_contains(?, schema_name) and not temporary "
        "union all select schema_name, view_name, comment from duckdb_views() "
        "where database_name = ? and list_contains(?, schema_name) and not temporary "
        "and not internal order by 1, 2",
        [database, list(schemas), database, list(schemas)],
    ).fetchall()
    columns = conn.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where database_name = ? order by schema_name, table_name, column_index",
        [database],
    ).fetchall()
    by_table: dict[tuple[str, str], list] = {}
    for schema, table, column, comment in columns:
        by_table.setdefault((schema, table), []).append((column, comment))
    return [(s, t, c, by_table.get((s, t), [])) for s, t, c in tables]


def _write_table(conn, schema, table, select, comment, column_comments) -> int:
    target = f"dst.{quote(schema)}.{quote(table)}"
    conn.execute(f"create schema if not exists dst.{quote(schema)}")
    conn.execute(f"create table {target} as {select}")
    if comment:
        conn.execute(f"comment on table {target} is {_literal(comment)}")
    for column, text in column_comments.items():
        if text:
            conn.execute(f"comment on column {target}.{quote(column)} is {_literal(text)}")
    return conn.execute(f"select count(*) from {target}").fetchone()[0]


def _write_info(conn, version: str, role: Role | None, data_as_of, tables: int) -> None:
    conn.execute("create schema if not exists dst.meta")
    conn.execute(
        "create table dst.meta.publish_info as select ?::varchar as version, "
        "?::timestamp as published_at, ?::varchar as role, ?::varchar as pii, "
        "?::varchar[] as dealers, ?::date as data_as_of, ?::integer as tables",
        [
            version,
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            role.name if role else FULL_COPY,
            role.pii if role else "full",
            list(role.dealers) if role and role.dealers is not None else None,
            data_as_of,
            tables,
        ],
    )
    conn.execute(
        "comment on table dst.meta.publish_info is 'When and for whom this serving copy was "
        "published (UTC), and the last day of sales data it holds.'"
    )


def build_full_copy(conn: duckdb.DuckDBPyConnection, target: Path, schemas, version: str):
    """Copy every table and view of the schemas from the connection's database into
    ``target`` (a view as a table of its rows)."""
    database = conn.execute("select current_database()").fetchone()[0]
    # a read-only connection attaches read-only unless told otherwise
    conn.execute(f"attach {_literal(target)} as dst (read_only false)")
    try:
        report = CopyReport(FULL_COPY, target)
        for schema, table, comment, columns in _catalog(conn, database, schemas):
            select = f"select * from {quote(database)}.{quote(schema)}.{quote(table)}"
            report.tables[f"{schema}.{table}"] = _write_table(
                conn, schema, table, select, comment, dict(columns)
            )
        data_as_of = None
        if "marts.fct_sales" in report.tables:
            (data_as_of,) = conn.execute(
                "select max(sale_date) from dst.marts.fct_sales"
            ).fetchone()
        _write_info(conn, version, None, data_as_of, len(report.tables))
    finally:
        conn.execute("detach dst")
    return report, data_as_of


def _scratch(target: Path, memory_limit: str):
    """The in-memory DuckDB that writes a role's file: within `memory_limit`, spilling into
    the staging folder beside `target` (mode 700) instead. Without a limit DuckDB may take 80%
    of the machine: at 10M sales the analyst's copy (salted hashes of every customer) took the
    daily job's one process past half of the machine's memory."""
    import duckdb

    config = {"threads": 2, "memory_limit": memory_limit, "temp_directory": str(target.parent)}
    return duckdb.connect(config=config)


def build_role_copy(
    source: Path, target: Path, role: Role, config: RolesConfig, salt: str, version: str,
    data_as_of, memory_limit: str = "4GB",
) -> CopyReport:
    """Derive one role's file from the full copy: masked columns, the role's dealers' rows."""
    report = CopyReport(role.name, target)
    with _scratch(target, memory_limit) as conn:
        conn.execute(f"attach {_literal(source)} as src (read_only)")
        conn.execute(f"attach {_literal(target)} as dst")
        conn.execute(f"set variable {SALT_VARIABLE} = ?", [salt])
        conn.execute(f"set variable {DEALERS_VARIABLE} = ?::varchar[]", [list(role.dealers or [])])
        catalog = _catalog(conn, "src", config.schemas)
        names = {f"{s}.{t}" for s, t, _, _ in catalog}
        for schema, table, comment, columns in catalog:
            plan = plan_table(
                role, config.pii, schema, table, [c for c, _ in columns], names, config.group_tables
            )
            if plan.included and role.masked:
                judge(conn, plan, config.pii)
            if not plan.included:
                report.excluded[plan.name] = plan.scoped_by
                continue
            notes = dict(columns)
            for column in plan.hashed:
                hashed = f"{notes.get(column) or ''} Hashed for this role (salted SHA-256)."
                notes[column] = hashed.strip()
            for column in plan.dropped + plan.banded:
                notes.pop(column, None)
            for column in plan.banded:
                notes[config.pii.band[column]] = f"Band of {column} (exact value withheld)."
            if plan.suppressed:
                report.suppressed[plan.name] = plan.suppressed
                comment = f"{comment or ''} Masked for this role: {'; '.join(plan.suppressed)}."
            if plan.hashed or plan.dropped or plan.banded:
                report.masked_columns[plan.name] = plan.hashed + plan.dropped + plan.banded
            report.tables[plan.name] = _write_table(
                conn, schema, table, select_sql(plan), comment, notes
            )
        _write_info(conn, version, role, data_as_of, len(report.tables))
        conn.execute("detach dst")
    return report


def copy_full_copy(
    source: Path, target: Path, role: Role, full: CopyReport, version: str, data_as_of,
    memory_limit: str = "4GB",
) -> CopyReport:
    """A role that sees every dealer and personal data in full reads the full copy itself:
    its file is a byte copy of it with the role's publish_info (seconds, where rebuilding
    every table took minutes at 10M sales)."""
    shutil.copyfile(source, target)
    with _scratch(target, memory_limit) as conn:
        conn.execute(f"attach {_literal(target)} as dst")
        conn.execute("drop table dst.meta.publish_info")
        _write_info(conn, version, role, data_as_of, len(full.tables))
        conn.execute("detach dst")
    return CopyReport(role.name, target, tables=dict(full.tables))


def _tmp_path(folder: Path, name: str) -> Path:
    return folder / STAGING / f".{name}.duckdb.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _staging(folder: Path) -> Path:
    staging = folder / STAGING
    staging.mkdir(mode=0o700, exist_ok=True)
    os.chmod(staging, 0o700)
    return staging


def _swap_in(tmp: Path, final: Path, role: Role | None = None) -> None:
    if tmp.with_name(tmp.name + ".wal").exists():
        raise RuntimeError(f"{tmp} still has a write-ahead log: the copy was not checkpointed.")
    set_permissions(tmp, final, role)
    stale_wal = final.with_name(final.name + ".wal")
    if stale_wal.exists():
        stale_wal.unlink()
    os.replace(tmp, final)


def _remove_unlisted(folder: Path, published: set[str]) -> list[str]:
    """A role taken out of roles.toml loses its file too, rather than keep stale data."""
    removed = []
    for path in folder.glob("*.duckdb"):
        if path.name not in published:
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
            removed.append(path.name)
    return sorted(removed)


def _remove_stale_tmp(folder: Path) -> None:
    for path in [*folder.glob(".*.duckdb.tmp-*"), *folder.glob(f"{STAGING}/.*.duckdb.tmp-*")]:
        if time.time() - path.stat().st_mtime > STALE_TMP_SECONDS:
            path.unlink(missing_ok=True)


def publish(
    open_warehouse: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    serving_dir: Path,
    config: RolesConfig,
    salt: str,
    memory_limit: str = "4GB",
) -> PublishReport:
    """Build the full copy and every role's copy, then swap them all in. `memory_limit`:
    DuckDB's, for the role copies (the full copy is written by `open_warehouse`'s connection,
    under the warehouse's own limit)."""
    started = time.perf_counter()
    serving_dir.mkdir(parents=True, exist_ok=True)
    _staging(serving_dir)
    _remove_stale_tmp(serving_dir)
    version = uuid.uuid4().hex
    full_tmp = _tmp_path(serving_dir, FULL_COPY)
    tmps, built, roles = [full_tmp], [], {role.name: role for role in config.roles}
    try:
        with open_warehouse() as conn:
            full, data_as_of = build_full_copy(conn, full_tmp, config.schemas, version)
        built.append((full_tmp, full))
        for role in config.roles:
            tmps.append(_tmp_path(serving_dir, role.name))
            if role.masked or role.dealers is not None:
                report = build_role_copy(full_tmp, tmps[-1], role, config, salt, version,
                                         data_as_of, memory_limit)
            else:
                report = copy_full_copy(full_tmp, tmps[-1], role, full, version, data_as_of,
                                        memory_limit)
            built.append((tmps[-1], report))
        for tmp, report in built:
            report.path = serving_dir / f"{report.name}.duckdb"
            _swap_in(tmp, report.path, roles.get(report.name))
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # another publish may still be using it
            (serving_dir / STAGING).rmdir()
    copies = [report for _, report in built]
    removed = _remove_unlisted(serving_dir, {c.path.name for c in copies})
    return PublishReport(version, data_as_of, copies, time.perf_counter() - started, removed)

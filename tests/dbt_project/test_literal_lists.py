"""Key lists inlined into SQL (forecourt.string_literals, behind where_in, in_list and the
scoped tests) give back every value as it was, quotes and backslashes included, on DuckDB.

The incremental models inline a day's keys as literals (50,000 repair orders on a Monday at
100 rooftops); the list is now rendered by one filter chain instead of a macro call per
value, and a wrongly escaped key would silently miss its row.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.project import DBT_PROJECT_DIR

VALUES = ["R00000001", "O'Brien", "two '' quotes", "back\\slash", "trailing\\", "ünïcode", "1"]


def test_inlined_literals_read_back_as_the_values(tmp_path: Path):
    env = {
        **os.environ,
        "FORECOURT_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "FORECOURT_DBT_TARGET": "duckdb",
    }
    values = ", ".join(repr(value) for value in VALUES)  # a Jinja list literal
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "compile",
            "--quiet",
            "--inline",
            f"select unnest([{{{{ forecourt.string_literals([{values}]) }}}}]) as value",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    sql = result.stdout.strip()
    with duckdb.connect() as conn:
        assert [row[0] for row in conn.execute(sql).fetchall()] == VALUES, sql

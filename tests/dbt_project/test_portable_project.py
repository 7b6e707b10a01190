"""The dbt project stays portable between DuckDB and Spark (profiles.yml's targets).

Read from the files, no dbt run: contract types every target accepts, the NOT NULL that Spark's
Parquet tables cannot enforce still tested, and no engine-specific statement or incremental
strategy written into a model instead of a dispatched macro (macros/engine/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

# Types that mean the same on DuckDB, Spark and Databricks. varchar is the counter-example the
# project had: Spark 4 refuses it without a length.
PORTABLE_TYPE = re.compile(
    r"(string|integer|bigint|double|boolean|date|timestamp|decimal\(\d+, ?\d+\))"
)
YAML_FILES = sorted((DBT_PROJECT_DIR / "models").rglob("*.yml"))
SQL_FILES = sorted((DBT_PROJECT_DIR / "models").rglob("*.sql"))


def contract_columns() -> list[tuple[str, str, dict]]:
    """(file, model, column) for every column of every model in the project's YAML."""
    found = []
    for path in YAML_FILES:
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            for column in model.get("columns") or []:
                found.append((str(path.relative_to(DBT_PROJECT_DIR)), model["name"], column))
    return found


def test_the_project_has_contracts_to_check():
    typed = [c for _, _, c in contract_columns() if "data_type" in c]
    assert len(typed) > 100


@pytest.mark.parametrize("data_type", ["varchar", "text", "hugeint", "float8", "varchar(20)"])
def test_engine_specific_types_are_not_portable(data_type):
    assert not PORTABLE_TYPE.fullmatch(data_type)


def test_contract_types_are_portable_between_engines():
    wrong = [
        f"{path}: model {model}, column {column['name']}: data_type {column['data_type']!r}"
        for path, model, column in contract_columns()
        if "data_type" in column and not PORTABLE_TYPE.fullmatch(str(column["data_type"]).lower())
    ]
    assert not wrong, (
        "contract types that not every target accepts (use string for text; the portable "
        f"types are {PORTABLE_TYPE.pattern}):\n" + "\n".join(wrong)
    )


def test_every_not_null_constraint_is_also_tested():
    """Spark's Parquet tables skip NOT NULL constraints (profiles.yml): a test must check."""

    def tests_of(column: dict) -> set[str]:
        return {t if isinstance(t, str) else next(iter(t)) for t in column.get("data_tests") or []}

    untested = [
        f"{path}: model {model}, column {column['name']}"
        for path, model, column in contract_columns()
        if {"type": "not_null"} in (column.get("constraints") or [])
        and "not_null" not in tests_of(column)
    ]
    assert not untested, "not_null constraints without a not_null test:\n" + "\n".join(untested)


def test_models_leave_engine_specific_sql_to_dispatched_macros():
    """A literal delete+insert strategy or DELETE hook runs on DuckDB only; the macros in
    macros/engine/ pick one per adapter."""
    literal = re.compile(
        r"incremental_strategy\s*=\s*['\"](?!append['\"])|\bdelete\s+from\b", re.IGNORECASE
    )
    wrong = [
        f"{path.relative_to(DBT_PROJECT_DIR)}:{number}: {line.strip()}"
        for path in SQL_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert not wrong, "engine-specific SQL in models (use macros/engine/):\n" + "\n".join(wrong)

"""dbt's unit tests run here, in the test suite: production builds leave them out
(orchestration/assets/dbt.py passes --exclude-resource-type unit_test).

A unit test needs its model's parents to exist, so the platform's models are first built empty
(`dbt run --empty`, after the seeds) over an empty raw schema; then every unit test of the
platform runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from landing.ingestion.schema import ensure_raw_schema
from orchestration.assets.dbt import BUILD_ARGS
from orchestration.project import DBT_PROJECT_DIR

pytestmark = pytest.mark.e2e
PLATFORM = ["--exclude", "path:models/reference"]  # reference data sets need their imports


def dbt(work: Path, warehouse: Path, *args: str) -> list[dict]:
    target = work / "target"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args, *PLATFORM,
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target), "--log-path", str(work / "logs")],
        env={**os.environ, "FORECOURT_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"dbt {' '.join(args)} failed:\n{done.stdout[-3000:]}"
    return json.loads((target / "run_results.json").read_text())["results"]


def test_production_builds_leave_unit_tests_out():
    assert BUILD_ARGS[BUILD_ARGS.index("--exclude-resource-type") + 1] == "unit_test"


def test_every_unit_test_of_the_platform_passes(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        ensure_raw_schema(conn)
    dbt(tmp_path, warehouse, "seed")  # demand_daily reads the dealer_holidays seed
    dbt(tmp_path, warehouse, "run", "--empty")
    results = dbt(tmp_path, warehouse, "test", "--select", "test_type:unit")
    unit_tests = {r["unique_id"]: r["status"] for r in results}
    assert len(unit_tests) >= 4, unit_tests
    assert set(unit_tests.values()) == {"pass"}, unit_tests

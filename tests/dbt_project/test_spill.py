"""dbt keeps working after DuckDB has spilled to disk (profiles.yml's temp directory).

dbt-duckdb re-applies the profile's `settings` on every cursor, and DuckDB refuses to switch
the temp directory once a query has spilled: with temp_directory among the settings, every
model after the first spill failed ("Cannot switch temporary directory after the current one
has been used"), as a full refresh at 730 days did. A throwaway project under the real
profiles.yml: one model that must spill under a 64 MB limit, then two more. A control run with
temp_directory moved back among the settings shows that the model does spill (it fails as
the bench's full refresh did).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orchestration.project import DBT_PROJECT_DIR

pytestmark = pytest.mark.e2e

MODELS = {
    "sorted_rows.sql": "{{ config(materialized='table') }}\n"
    "select i, md5(cast(i as varchar)) as digest from range(3000000) as t(i) order by digest\n",
    "after_spill.sql": "{{ config(materialized='table') }}\n"
    "select count(*) as n from {{ ref('sorted_rows') }}\n",
    "after_spill_too.sql": "{{ config(materialized='table') }}\n"
    "select n from {{ ref('after_spill') }}\n",
}


def build(tmp_path: Path, profile: dict) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: spill\nversion: '1.0.0'\nconfig-version: 2\nprofile: forecourt\n"
    )
    for name, sql in MODELS.items():
        (project / "models" / name).write_text(sql)
    (project / "profiles.yml").write_text(yaml.safe_dump(profile))
    env = {
        **os.environ,
        "FORECOURT_DBT_TARGET": "duckdb",
        "FORECOURT_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "FORECOURT_DBT_MEMORY_LIMIT": "64MB",
        "FORECOURT_DBT_DUCKDB_THREADS": "1",
        "FORECOURT_DBT_TEMP_DIRECTORY": str(tmp_path / "spill"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "run", "--threads", "1",
         "--project-dir", str(project), "--profiles-dir", str(project)],
        env=env, capture_output=True, text=True, cwd=tmp_path,
    )


def real_profile() -> dict:
    return yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())


def test_models_after_a_spill_still_build(tmp_path):
    result = build(tmp_path, real_profile())
    assert result.returncode == 0, result.stdout[-3000:]
    assert "PASS=3" in result.stdout


def test_the_first_model_spills_so_the_test_can_fail(tmp_path):
    profile = real_profile()
    duckdb_output = profile["forecourt"]["outputs"]["duckdb"]
    duckdb_output["settings"].update(duckdb_output.pop("config_options"))
    result = build(tmp_path, profile)
    assert result.returncode != 0
    assert "Cannot switch temporary directory" in result.stdout

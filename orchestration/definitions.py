"""Forecourt's table of contents: every asset, check, job, schedule, sensor and resource."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import dbt_models
from orchestration.assets.ingestion import raw_assets
from orchestration.jobs import daily_refresh_job
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource
from orchestration.schedules import daily_refresh_schedule
from orchestration.sensors import landing_files_sensor

# The dbt installed beside this Python, so a venv works without being activated.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

defs = dg.Definitions(
    assets=[*raw_assets, dbt_models],
    jobs=[daily_refresh_job],
    schedules=[daily_refresh_schedule],
    sensors=[landing_files_sensor],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
    # DuckDB takes one writer process per file: steps run one after another in the run's process.
    executor=dg.in_process_executor,
)

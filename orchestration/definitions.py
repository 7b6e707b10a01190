"""Forecourt's table of contents: every asset, check, job, schedule, sensor and resource."""

import os
import sys
from pathlib import Path

import dagster as dg

from orchestration.assets.alerts import alert_assets
from orchestration.assets.customers import customer_assets
from orchestration.assets.daily_forecasting import daily_forecasting_assets
from orchestration.assets.dbt import dbt_models
from orchestration.assets.forecasting import forecasting_assets
from orchestration.assets.ingestion import raw_assets
from orchestration.assets.pricing import pricing_assets
from orchestration.assets.reference_sources import reference_source_assets
from orchestration.assets.serving import build_serving_assets
from orchestration.assets.stocking import stocking_assets
from orchestration.assets.stockout import stockout_assets
from orchestration.checks import feed_checks, gx_checks
from orchestration.jobs import (
    cli_materialize_job,
    daily_refresh_job,
    demo_job,
    record_alerts_job,
    weekly_forecast_job,
)
from orchestration.loggers import cli_logger
from orchestration.project import dbt_project
from orchestration.resources import (
    AlertSinksResource,
    ForecourtDbtCliResource,
    ServingResource,
    WarehouseResource,
)
from orchestration.schedules import daily_refresh_schedule, weekly_forecast_schedule
from orchestration.sensors import failed_check_sensor, landing_files_sensor, low_stock_sensor

# The dbt installed beside this Python, so a venv works without being activated.
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def _optional_env(name: str):
    """An EnvVar when the variable is set (read at run time), else None: the sink stays off."""
    return dg.EnvVar(name) if os.environ.get(name) else None


ml_assets = [*forecasting_assets, *stocking_assets, *alert_assets, *customer_assets,
             *pricing_assets, *daily_forecasting_assets, *stockout_assets]
serving_assets = build_serving_assets(dbt_models, ml_assets)

defs = dg.Definitions(
    assets=[*raw_assets, *reference_source_assets, dbt_models, *ml_assets, *serving_assets],
    asset_checks=[*gx_checks, *feed_checks],
    jobs=[daily_refresh_job, weekly_forecast_job, record_alerts_job, cli_materialize_job, demo_job],
    # Only runs that ask for it (the CLI) use this logger; others keep Dagster's console.
    loggers={"cli": cli_logger},
    schedules=[daily_refresh_schedule, weekly_forecast_schedule],
    sensors=[landing_files_sensor, low_stock_sensor, failed_check_sensor],
    resources={
        "warehouse": WarehouseResource(),
        "serving": ServingResource(pii_salt=_optional_env("FORECOURT_PII_SALT")),
        "dbt": ForecourtDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
        "alert_sinks": AlertSinksResource(
            webhook_url=_optional_env("FORECOURT_ALERT_WEBHOOK_URL"),
            slack_token=_optional_env("FORECOURT_SLACK_TOKEN"),
            slack_channel=os.environ.get("FORECOURT_SLACK_CHANNEL", "#forecourt-alerts"),
        ),
    },
    # DuckDB takes one writer process per file: steps run one after another in the run's process.
    executor=dg.in_process_executor,
)

"""The dbt project Dagster drives, and the environment its child processes inherit.

The home's folder layout is ``landing.home.ForecourtHome``: the libraries share it without
importing Dagster.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster_dbt import DbtProject

from landing.home import REPO_ROOT, ForecourtHome

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def export_environment(home: ForecourtHome) -> None:
    """Point the child processes (dbt, Dagster) at this home, and switch off telemetry."""
    os.environ["FORECOURT_HOME"] = str(home.root)
    os.environ["FORECOURT_WAREHOUSE"] = str(home.warehouse)
    os.environ.setdefault("DAGSTER_HOME", str(home.dagster_home))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
    # A history load is one run over hundreds of days; one "planned" event per asset instead of
    # one per asset and day saves minutes of event-log writes on SQLite. The price, documented
    # by Dagster: partitions of a failed single-run backfill are not marked failed one by one.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")


def dbt_target() -> str:
    """The dbt target: FORECOURT_DBT_TARGET, else the engine's (spark on FORECOURT_ENGINE=spark,
    else duckdb), as profiles.yml reads it once the dbt step has set it."""
    chosen = os.environ.get("FORECOURT_DBT_TARGET", "").strip()
    if chosen:
        return chosen
    engine = os.environ.get("FORECOURT_ENGINE", "").strip().lower()
    return "spark" if engine == "spark" else "duckdb"


def target_dir() -> Path:
    """dbt's target folder: one per dbt target, since the manifest depends on it (tests enabled
    on one adapter only), and homes on different engines share this project folder."""
    target = dbt_target()
    return Path("target" if target == "duckdb" else f"target-{target}")


dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=target_dir(),
)

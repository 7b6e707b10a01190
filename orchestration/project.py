"""Where Forecourt keeps its state, and the dbt project it drives.

Everything a run writes lives under FORECOURT_HOME (default ``./data``, always made absolute):
the landing zone, the DuckDB warehouse, the Dagster instance, alerts, models and serving copies.
dbt and Dagster both resolve the warehouse from here, so they open the same file whatever the
working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dagster_dbt import DbtProject

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class ForecourtHome:
    """The folder layout under FORECOURT_HOME."""

    root: Path

    @classmethod
    def from_env(cls) -> ForecourtHome:
        return cls(
            Path(os.environ.get("FORECOURT_HOME", REPO_ROOT / "data")).expanduser().resolve()
        )

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def alerts(self) -> Path:
        return self.root / "alerts"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def serving(self) -> Path:
        return self.root / "serving"


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


dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=Path("target"),
)

"""Where Forecourt keeps its state: the folder layout under FORECOURT_HOME.

Everything a run writes lives under FORECOURT_HOME (default ``./data`` beside the repository,
always made absolute): the landing zone, the DuckDB warehouse, the Dagster instance, alerts,
models and serving copies. dbt, Dagster and the libraries all resolve paths from here, so they
open the same files whatever the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The first day a home can hold (the first daily partition). The reference data sets go back to
# 2003 (Mint Classics), so it is early; set FORECOURT_FIRST_DAY to shorten the partition bar in
# the UI for a younger DMS.
FIRST_DAY = os.environ.get("FORECOURT_FIRST_DAY", "2003-01-01")
# What a home's files are created with: owner and group, never everyone. The warehouse holds
# every customer unmasked; readers get serving copies with their own group (docs/analysts.md).
HOME_UMASK = 0o027


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

    @property
    def source_profile(self) -> Path:
        """What an imported source means for the expectation suites (suites that cannot run,
        ranges that differ), written by the importer and read by the checks. It lives outside
        the landing zone on purpose: whoever can drop a file there must not switch checks off."""
        return self.root / "profile" / "source_profile.json"

    @property
    def plan_snapshot(self) -> Path:
        """The stocking plan the low-stock sensor reads (written by the stocking asset)."""
        return self.alerts / "stocking_plan.parquet"

    @property
    def stockout_snapshot(self) -> Path:
        """The stock-out outlook the low-stock sensor reads (written by the stocking group)."""
        return self.alerts / "stockout_outlook.parquet"

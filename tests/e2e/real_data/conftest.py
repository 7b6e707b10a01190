"""A FORECOURT_HOME per reference data set, imported from ../shared/data and built for tests.

The raw tables are loaded with the functions the raw assets call (one call per feed over every
day), then the dbt models a test module needs are built through Dagster (``dbt build`` with
their tests), so each module pays for its own marts only, not the whole graph.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from tests.conftest import SHARED_DATA

CAR_SALES_CSV = SHARED_DATA / "car_sales" / "car_sales.csv"
MINT_DIR = SHARED_DATA / "mintclassics"
ENV_KEYS = ("FORECOURT_HOME", "FORECOURT_WAREHOUSE", "DAGSTER_HOME", "DBT_INDIRECT_SELECTION")

requires_shared_data = pytest.mark.skipif(
    not CAR_SALES_CSV.exists() or not MINT_DIR.exists(),
    reason=f"the reference data sets are not beside the repo ({SHARED_DATA})",
)


def _load_raw(home: Path, first: dt.date, last: dt.date) -> None:
    from landing.contract import DAILY_FEEDS, REFERENCE_FEEDS
    from landing.importers.sources import SOURCE_TABLES, load_source_table
    from landing.ingestion import load_feed

    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    landing = home / "landing"
    with duckdb.connect(str(home / "warehouse.duckdb")) as conn:
        reports = [load_feed(conn, feed, landing) for feed in REFERENCE_FEEDS]
        reports += [load_feed(conn, feed, landing, days) for feed in DAILY_FEEDS]
        for tables in SOURCE_TABLES.values():
            for table in tables.values():
                load_source_table(conn, table, landing)
    rejected = {r.feed: r.rows_rejected for r in reports if r.rows_rejected}
    assert not rejected, f"ingestion quarantined rows of the import: {rejected}"


def build_home(tmp_path_factory, source: str, export: Path, keys: list[str], extra: list[str]):
    """Import ``export``, load raw, build ``keys`` and their upstream models, plus ``extra``."""
    from landing.home import ForecourtHome
    from landing.importers import IMPORTERS
    from orchestration.instance import ensure_manifest, prepare_home

    saved = {k: os.environ.get(k) for k in ENV_KEYS}
    home = tmp_path_factory.mktemp(source) / "home"
    os.environ["FORECOURT_HOME"] = str(home)
    for key in ENV_KEYS[1:]:
        os.environ.pop(key, None)
    # Only the dbt tests whose every parent is built: a partial build has tables missing.
    os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
    report = IMPORTERS[source](export, home / "landing")
    prepare_home(ForecourtHome(home))
    ensure_manifest()
    _load_raw(home, dt.date.fromisoformat(report.first_day), dt.date.fromisoformat(report.last_day))
    from orchestration.definitions import defs

    asset_keys = [dg.AssetKey(k.split("/")) for k in keys]
    selection = (
        dg.AssetSelection.assets(*asset_keys).upstream()
        | dg.AssetSelection.assets(*[dg.AssetKey(k.split("/")) for k in extra])
    ) - dg.AssetSelection.key_prefixes(["raw"])  # loaded above, reference tables included
    result = dg.materialize(
        assets=[*(defs.assets or []), *(defs.asset_checks or [])],  # blocking checks included
        resources=defs.resources,
        instance=dg.DagsterInstance.get(),
        selection=selection,
        raise_on_error=False,
    )
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    assert result.success, f"steps failed: {failed}"

    def restore() -> None:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    return home, report, restore


def query(home: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).df()

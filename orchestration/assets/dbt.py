"""The dbt project as Dagster assets: keys, groups and tags from the dbt folders."""

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from landing.home import ForecourtHome
from orchestration.platform.dbt_selection import default_selection_from_nodes
from orchestration.project import DBT_PROJECT_DIR, dbt_project
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

LAYERS = ("staging", "intermediate", "marts")
REFERENCE = "reference"
# dbt's unit tests check SQL logic on fixed inputs: the test suite runs them
# (tests/e2e/test_dbt_unit_tests.py); a production build has nothing to learn from them daily.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]
TESTS_FROM = "FORECOURT_DBT_TESTS_FROM"  # read by dbt_project/macros/scoped_tests.sql
FULL_TESTS_TAG = "forecourt/dbt_tests"  # "all": test whole tables even in a one-day run


def daily_run_day(tags: Mapping[str, str]) -> dt.date | None:
    """The day of a one-day run whose tests of incremental marts can be scoped to the days it
    rebuilt, or None for a run that tests everything: a range (backfill, demo), an unpartitioned
    run, a run tagged ``forecourt/dbt_tests: all``, and each Sunday's run, the weekly full pass."""
    partition = tags.get("dagster/partition")
    if not partition or tags.get(FULL_TESTS_TAG) == "all":
        return None
    try:
        day = dt.date.fromisoformat(partition)
    except ValueError:
        return None
    return None if day.isoweekday() == 7 else day


class ForecourtDbtTranslator(DagsterDbtTranslator):
    """Keys and groups come from the dbt folder a model lives in, never from its name.

    ``models/<layer>/...`` gives the key ``[<layer>, <model>]`` and the group ``<layer>``.
    ``models/reference/<data set>/<layer>/...`` gives the same key, the group ``reference`` and
    the tag ``source`` (the folder's ``meta.source``, the importer that brings that data set),
    so a home builds a reference data set only when it imported it. A ``meta.dagster`` block
    in the YAML still wins (sources use it to point at the raw assets).
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        meta_key = (dbt_resource_props.get("meta") or {}).get("dagster", {}).get("asset_key")
        if meta_key or dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        if self._is_reference(dbt_resource_props):
            return REFERENCE
        return self._layer(dbt_resource_props)

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        if self._is_reference(dbt_resource_props):
            meta = (dbt_resource_props.get("config") or {}).get("meta") or {}
            source = meta.get("source") or (dbt_resource_props.get("meta") or {}).get("source")
            if not source:
                raise ValueError(
                    f"{dbt_resource_props['original_file_path']}: a reference data set's folder "
                    "needs +meta: {source: <importer>} in dbt_project.yml (models: reference:)."
                )
            tags["source"] = source
        return tags

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return super().get_owners(dbt_resource_props) or ["team:analytics-engineering"]

    @staticmethod
    def _folders(dbt_resource_props: Mapping[str, Any]) -> list[str]:
        """The folders under models/ (the fqn without the project and the model name)."""
        return list((dbt_resource_props.get("fqn") or [])[1:-1])

    @classmethod
    def _is_reference(cls, dbt_resource_props: Mapping[str, Any]) -> bool:
        return (
            dbt_resource_props["resource_type"] != "source"
            and cls._folders(dbt_resource_props)[:1] == [REFERENCE]
        )

    @classmethod
    def _layer(cls, dbt_resource_props: Mapping[str, Any]) -> str:
        folders = cls._folders(dbt_resource_props)
        if folders[:1] == [REFERENCE]:  # reference/<data set>/<layer>/...
            folders = folders[2:]
        return folders[0] if folders and folders[0] in LAYERS else "marts"


def _table_metadata(warehouse: WarehouseResource, relations: dict[dg.AssetKey, str]) -> dict:
    """Row counts and a preview per built table, read after dbt has released the file lock."""
    metadata: dict[dg.AssetKey, dict] = {}
    if not relations:
        return metadata
    with warehouse.tables().reading() as tables:
        for key, relation in relations.items():
            try:
                rows = int(tables.read_frame(f"select count(*) as n from {relation}")["n"].iloc[0])
                preview = tables.read_frame(f"select * from {relation} limit 5")
            except Exception:  # an ephemeral model or a failed build has no relation to read
                continue
            metadata[key] = {
                "dagster/row_count": rows,
                "preview": dg.MetadataValue.md(
                    preview.to_markdown(index=False) if rows else "_empty_"
                ),
            }
    return metadata


def prepare_spark(log) -> None:
    """Before dbt builds on Spark: the raw tables as Parquet, and the metastore's views on them.

    Ingestion loads and checks each day in DuckDB (days are independent) and exports the days
    it loaded as Parquet partitions (landing/spark_sync.py); here every raw table's copy is
    checked against DuckDB's row count and re-exported whole where it differs.
    The views live in the dbt spark target's metastore (FORECOURT_HOME/spark), so they are
    created by one `dbt run-operation` only when the set of raw tables changes."""
    from landing.spark_export import mark_registered, raw_dir, views_to_register
    from landing.spark_sync import sync_raw

    home = ForecourtHome.from_env()
    os.environ.setdefault("FORECOURT_DBT_TARGET", "spark")
    root = raw_dir(home.root)
    exported = sync_raw(home.warehouse, root)
    log.info(f"raw Parquet for Spark matches DuckDB: {sum(exported.values()):,} rows in {root}")
    tables = views_to_register(root, exported)
    if tables is None:
        return
    dbt = str(Path(sys.executable).with_name("dbt"))
    args = json.dumps({"root": root.resolve().as_posix(), "tables": tables})
    spark_dir = home.root / "spark"
    command = [
        dbt, "run-operation", "register_raw_views", "--args", args,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(spark_dir / "dbt-target"), "--log-path", str(spark_dir / "logs"),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise dg.Failure(
            description="dbt could not create the raw views on Spark (register_raw_views): "
            f"{(done.stdout + done.stderr)[-2000:]}"
        )
    mark_registered(root, tables)


def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """Build (run and test) the selected dbt models against the warehouse file."""
    os.environ["FORECOURT_WAREHOUSE"] = str(warehouse.resolved_path)
    spark = warehouse.engine_name() == "spark"
    if spark:
        prepare_spark(context.log)
    day = daily_run_day(context.run.tags)
    if day:
        os.environ[TESTS_FROM] = day.isoformat()
    try:
        invocation = dbt.cli(BUILD_ARGS, context=context, raise_on_error=False)
        # dbt holds the DuckDB write lock while it runs: buffer its events and attach table
        # metadata once it has exited, instead of opening the file from this process meanwhile.
        events = list(invocation.stream())
    finally:
        os.environ.pop(TESTS_FROM, None)
    manifest = invocation.manifest
    relations = {}
    for event in events:
        if isinstance(event, dg.Output | dg.AssetMaterialization):
            unique_id = (event.metadata.get("unique_id") or dg.MetadataValue.text("")).value
            node = manifest["nodes"].get(unique_id, {})
            materialized = node.get("config", {}).get("materialized")
            # tables only: counting or previewing a view runs its query (a deduplication of
            # the whole raw history), 40-60 s per staging view at 100 rooftops and five years,
            # and on Spark dbt's views live in dbt's metastore
            if materialized not in ("ephemeral", "view") and node.get("relation_name"):
                key = (
                    context.asset_key_for_output(event.output_name)
                    if isinstance(event, dg.Output)
                    else event.asset_key
                )
                # the manifest's relation names carry DuckDB's quoting and database
                relations[key] = (
                    f"{node['schema']}.{node['alias']}" if spark else node["relation_name"]
                )
    if spark:
        warehouse.tables().refresh()  # dbt rewrote table folders this session may have listed
    extra = _table_metadata(warehouse, relations)
    for event in events:
        if isinstance(event, dg.Output):
            key = context.asset_key_for_output(event.output_name)
            yield event.with_metadata({**event.metadata, **extra.get(key, {})})
        else:
            yield event
    if not invocation.is_successful():
        raise dg.Failure(
            description="dbt build failed: see the failed models and tests above "
            f"(dbt logs in {invocation.target_path})."
        )


# Every node of the manifest, read from it rather than through dbt's selector (0.5 s at load).
with default_selection_from_nodes():
    dbt_models = dbt_assets(
        pool=WAREHOUSE_POOL,
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        dagster_dbt_translator=ForecourtDbtTranslator(
            settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
        ),
    )(dbt_models)

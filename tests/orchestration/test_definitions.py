"""The Definitions load without touching the warehouse and name what operators expect."""

import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.definitions import defs

REPO_ROOT = Path(__file__).resolve().parents[2]
# Libraries only runs need. A code server loads the Definitions on every start and reload, and
# these take seconds to import between them (bench/definitions_load.py measures the load).
RUN_TIME_ONLY = (
    "great_expectations",
    "prophet",
    "sklearn",
    "statsforecast",
    "matplotlib",
    "joblib",
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
)


def test_jobs_schedules_and_sensors_have_their_conventional_names():
    repo = defs.get_repository_def()
    assert {j.name for j in repo.get_all_jobs() if not j.name.startswith("__")} >= {
        "daily_refresh_job"
    }
    assert {s.name for s in repo.schedule_defs} >= {"daily_refresh_schedule"}
    assert {s.name for s in repo.sensor_defs} >= {"landing_files_sensor"}


def test_raw_assets_line_up_with_dbt_sources_in_one_graph():
    graph = defs.resolve_asset_graph()
    staging_sales = dg.AssetKey(["staging", "stg_dms__sales"])
    assert dg.AssetKey(["raw", "sales"]) in graph.get(staging_sales).parent_keys
    fct_sales = graph.get(dg.AssetKey(["marts", "fct_sales"]))
    assert fct_sales.group_name == "marts"


def test_every_asset_belongs_to_a_flow_group_and_has_a_description():
    groups = {
        "raw",
        "staging",
        "intermediate",
        "marts",
        "forecasting",
        "forecasting_daily",  # the daily split of the weekly forecast, refreshed daily
        "customers",
        "pricing",
        "stocking",
        "alerts",
        "ops",
        "serving",
        "reference",
    }
    for node in defs.resolve_asset_graph().asset_nodes:
        if node.is_materializable:
            assert node.group_name in groups, node.key
            assert node.description, node.key


def test_dbt_tests_are_surfaced_as_asset_checks():
    fct_sales = dg.AssetKey(["marts", "fct_sales"])
    # Generic (unique, relationships) and singular dbt tests, checked by the dbt step itself
    dbt_tests = {
        "unique_fct_sales_deal_id",
        "relationships_fct_sales_stock_number__stock_number__ref_dim_vehicles_",
        "assert_no_sale_before_acquisition",
    }
    dbt_step_checks = {k.name for k in defs.resolve_assets_def(fct_sales).check_keys}
    assert dbt_tests <= dbt_step_checks and "gx_fct_sales" not in dbt_step_checks
    on_fct_sales = {k.name for k in defs.resolve_asset_graph().asset_check_keys
                    if k.asset_key == fct_sales}  # fmt: skip
    assert dbt_tests | {"gx_fct_sales"} <= on_fct_sales


def test_loading_the_definitions_imports_no_run_time_only_library():
    probe = (
        "import sys\n"
        "from orchestration.definitions import defs\n"
        "defs.resolve_all_job_defs()\n"
        f"print(*sorted(set({RUN_TIME_ONLY!r}) & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    imported = done.stdout.split()
    assert imported == [], f"loading the Definitions imported {imported}: import them in the run"


def _dbt_tests() -> list[dict]:
    import json

    from orchestration.instance import ensure_manifest

    nodes = json.loads(ensure_manifest().read_text())["nodes"].values()
    return [n for n in nodes if n["resource_type"] == "test" and n.get("test_metadata")]


def test_no_dbt_test_is_amber_or_green_by_construction():
    from expectations.runner import load_suite
    from orchestration.checks import GX_SUITES

    tests = _dbt_tests()
    # The loader rejects rows dated off their file's day: such a test could never select a row
    against_file_day = [
        t["name"]
        for t in tests
        if t["test_metadata"]["name"] == "not_in_future"
        and t["test_metadata"]["kwargs"].get("reference_date") == "source_partition_date"
    ]
    assert not against_file_day
    # A range a blocking suite already holds is not repeated as a dbt warning on the same table
    bounded = {
        (load_suite(s)["meta"]["asset_key"][-1], e["kwargs"]["column"])
        for s in GX_SUITES
        if load_suite(s)["meta"].get("blocking")
        for e in load_suite(s)["expectations"]
        if e["type"] == "expect_column_values_to_be_between"
    }
    repeated = [
        t["name"]
        for t in tests
        if t["test_metadata"]["name"] == "in_range"
        and t["config"]["severity"].lower() == "warn"
        and (t["attached_node"].split(".")[-1], t["column_name"]) in bounded
    ]
    assert not repeated

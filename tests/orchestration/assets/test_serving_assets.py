"""The serving assets: last in the daily job, and materializable into a FORECOURT_HOME."""

import dagster as dg

from orchestration.definitions import defs, serving_assets
from orchestration.resources import ServingResource, WarehouseResource
from tests.serving.mini_warehouse import build

forecourt_copy, kpi_dashboard = serving_assets
COPY, DASHBOARD = forecourt_copy.key, kpi_dashboard.key


def test_the_serving_group_runs_last_in_the_daily_job():
    graph = defs.resolve_asset_graph()
    job_keys = set(defs.resolve_job_def("daily_refresh_job").asset_layer.selected_asset_keys)
    assert {COPY, DASHBOARD} <= job_keys
    upstream = dg.AssetSelection.assets(COPY).upstream().resolve(graph)
    assert job_keys - upstream == {DASHBOARD}
    assert graph.get(DASHBOARD).parent_keys == {COPY}
    for key in (COPY, DASHBOARD):
        node = graph.get(key)
        assert node.group_name == "serving" and node.description and node.owners and node.kinds


def test_the_copy_depends_on_every_mart_and_ml_table_it_copies():
    parents = defs.resolve_asset_graph().get(COPY).parent_keys
    assert dg.AssetKey(["marts", "fct_sales"]) in parents
    assert dg.AssetKey(["ml", "demand_forecast"]) in parents
    assert dg.AssetKey(["ops", "low_stock_alerts"]) in parents


def test_materializing_the_serving_group_writes_role_files_and_the_dashboard(
    forecourt_home, monkeypatch
):
    monkeypatch.delenv("FORECOURT_PII_SALT", raising=False)
    monkeypatch.delenv("FORECOURT_ROLES", raising=False)
    build(forecourt_home / "warehouse.duckdb")
    result = dg.materialize(
        [forecourt_copy, kpi_dashboard],
        resources={"warehouse": WarehouseResource(), "serving": ServingResource()},
    )
    assert result.success
    serving = forecourt_home / "serving"
    assert {p.name for p in serving.glob("*.duckdb")} >= {
        "forecourt.duckdb",
        "executive.duckdb",
        "analyst.duckdb",
        "manager_northeast.duckdb",
    }
    salt = forecourt_home / ".pii_salt"  # no FORECOURT_PII_SALT: a private, stable salt
    assert salt.stat().st_mode & 0o777 == 0o600 and len(salt.read_text()) == 64
    metadata = result.asset_materializations_for_node("serving__forecourt_copy")[0].metadata
    assert "analyst.duckdb" in metadata["copies"].value
    assert metadata["pii_salt_from"].value == str(salt)
    page = forecourt_home / "dashboard" / "index.html"
    assert page.exists() and '"first_day":"2024-01-01"' in page.read_text()
    shown = result.asset_materializations_for_node("serving__kpi_dashboard")[0].metadata
    # a small group's page keeps every day and breakdown, and the run says so
    assert shown["sales_cube"].value.startswith("1-day periods x dealer x make x body style")
    assert shown["sales_cube"].value.endswith("rows)")
    assert shown["stock_sampled_every_days"].value == 1

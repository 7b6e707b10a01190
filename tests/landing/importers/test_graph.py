"""Reference-source tables are raw assets that feed their staging models in the one graph."""

import dagster as dg

from landing.importers.sources import SOURCE_TABLES
from orchestration.definitions import defs


def test_every_source_table_is_a_raw_asset_upstream_of_its_staging_model():
    graph = defs.resolve_asset_graph()
    products = graph.get(dg.AssetKey(["staging", "stg_mintclassics__products"]))
    assert dg.AssetKey(["raw", "mintclassics_products"]) in products.parent_keys
    for source, tables in SOURCE_TABLES.items():
        for name in tables:
            node = graph.get(dg.AssetKey(["raw", f"{source}_{name}"]))
            assert node.group_name == "reference" and node.tags["source"] == source
            assert node.description


def test_the_stocking_plan_reads_the_stock_snapshot():
    plan = defs.resolve_asset_graph().get(dg.AssetKey(["ml", "stocking_plan"]))
    assert dg.AssetKey(["marts", "stock_on_hand_snapshot"]) in plan.parent_keys

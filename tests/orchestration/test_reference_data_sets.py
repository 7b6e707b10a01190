"""Reference data sets (Mint Classics, Car Sales) form the group ``reference`` and are built
only in a home that imported their source: never in a dealer's home, never by the daily job."""

import dagster as dg
import pytest

from landing.importers import IMPORTERS
from landing.importers.report import ImportReport, imported_source
from orchestration.assets.dbt import ForecourtDbtTranslator
from orchestration.definitions import defs
from orchestration.jobs import home_selection

GRAPH = defs.resolve_asset_graph()
REFERENCE = {node.key for node in GRAPH.asset_nodes if node.group_name == "reference"}
MINT_RESTOCK = dg.AssetKey(["marts", "mintclassics_product_restock"])
SALES_MIX = dg.AssetKey(["marts", "sales_mix"])


def key(path: str) -> dg.AssetKey:
    return dg.AssetKey(path.split("/"))


@pytest.mark.parametrize(
    "path",
    [
        "raw/mintclassics_products",
        "staging/stg_mintclassics__orders",
        "marts/mintclassics_product_restock",
        "marts/stock_on_hand_snapshot",
        "marts/sales_mix",
    ],
)
def test_reference_assets_keep_their_warehouse_keys_in_the_reference_group(path):
    assert GRAPH.get(key(path)).group_name == "reference"


def test_every_reference_asset_names_the_importer_that_brings_it():
    sources = {GRAPH.get(k).tags.get("source") for k in REFERENCE}
    assert sources == set(IMPORTERS)


def test_a_dealer_home_builds_no_reference_data_set():
    keys = home_selection(None).resolve(GRAPH)
    assert not keys & REFERENCE
    assert {key("marts/fct_sales"), key("ml/stocking_plan"), key("serving/forecourt_copy")} <= keys


def test_an_imported_home_builds_its_own_data_set_and_not_the_other():
    mint, cars = home_selection("mintclassics").resolve(GRAPH), home_selection("car-sales")
    cars = cars.resolve(GRAPH)
    assert MINT_RESTOCK in mint and SALES_MIX not in mint
    assert SALES_MIX in cars and MINT_RESTOCK not in cars
    assert mint - REFERENCE == cars - REFERENCE == home_selection(None).resolve(GRAPH)


def test_the_daily_job_never_touches_a_reference_data_set():
    selected = set(defs.resolve_job_def("daily_refresh_job").asset_layer.selected_asset_keys)
    assert key("marts/fct_sales") in selected and not selected & REFERENCE


def test_the_imported_source_is_read_from_the_import_report(tmp_path):
    assert imported_source(tmp_path) is None
    ImportReport(source="car-sales", input_path="car_sales.csv").write(tmp_path)
    assert imported_source(tmp_path) == "car-sales"


def test_a_reference_folder_without_its_source_is_refused():
    props = {
        "resource_type": "model",
        "name": "orphan",
        "fqn": ["forecourt", "reference", "orphan_set", "marts", "orphan"],
        "original_file_path": "models/reference/orphan_set/marts/orphan.sql",
        "config": {"meta": {}},
        "meta": {},
        "tags": [],
    }
    translator = ForecourtDbtTranslator()
    assert translator.get_asset_key(props) == key("marts/orphan")
    assert translator.get_group_name(props) == "reference"
    with pytest.raises(ValueError, match=r"\+meta: \{source"):
        translator.get_tags(props)

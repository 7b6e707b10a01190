"""The contract's descriptions are written once (landing/contract.py); dbt reads a rendering."""

import yaml

from landing.contract import FEEDS
from landing.contract_docs import DBT_SOURCES_PATH, column_description, dbt_sources_yaml
from landing.home import REPO_ROOT


def test_the_committed_dbt_sources_file_is_the_one_generated_from_the_contract():
    committed = (REPO_ROOT / DBT_SOURCES_PATH).read_text(encoding="utf-8")
    assert committed == dbt_sources_yaml(), (
        "landing/contract.py changed: run "
        f"'forecourt contract --dbt-sources > {DBT_SOURCES_PATH}' and commit the file."
    )


def test_every_contract_column_is_in_the_dbt_source_with_the_contract_description():
    (source,) = yaml.safe_load(dbt_sources_yaml())["sources"]
    tables = {table["name"]: table for table in source["tables"]}
    assert list(tables) == list(FEEDS)
    for feed in FEEDS.values():
        described = {c["name"]: c["description"] for c in tables[feed.name]["columns"]}
        for column in feed.columns:
            assert described[column.name] == column_description(column)
        assert tables[feed.name]["config"]["meta"]["dagster"]["asset_key"] == ["raw", feed.name]


def test_a_column_without_a_description_is_named_in_words_with_its_allowed_values():
    customer_type = next(c for c in FEEDS["customers"].columns if c.name == "customer_type")
    assert column_description(customer_type) == "Customer type. One of: retail, fleet."

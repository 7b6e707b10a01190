"""The dbt assets read their default selection from the manifest's nodes
(orchestration/platform/dbt_selection.py) and come out as dbt's own selector makes them."""

from __future__ import annotations

import inspect
import json

from dagster_dbt import DagsterDbtTranslatorSettings, asset_utils, utils

from orchestration.assets.dbt import ForecourtDbtTranslator
from orchestration.platform.dbt_selection import default_selection_from_nodes
from orchestration.project import dbt_project


def _specs() -> tuple[dict, dict]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    translator = ForecourtDbtTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    )
    specs, checks = asset_utils.build_dbt_specs(
        translator=translator, manifest=manifest, select="fqn:*", exclude="", selector="",
        io_manager_key=None, project=dbt_project)
    return ({s.key: (s.deps, s.group_name, s.tags) for s in specs},
            {c.key: c.additional_deps for c in checks})


def test_the_specs_from_the_manifest_nodes_equal_those_from_dbts_selector():
    stock_specs, stock_checks = _specs()
    with default_selection_from_nodes():
        fast_specs, fast_checks = _specs()
    assert fast_specs == stock_specs and len(stock_specs) > 30
    assert fast_checks == stock_checks and len(stock_checks) > 30


def test_another_selection_still_goes_to_dbts_selector_and_the_hook_is_undone():
    stock = asset_utils.select_unique_ids
    manifest = json.loads(dbt_project.manifest_path.read_text())
    with default_selection_from_nodes():
        assert asset_utils.select_unique_ids is not stock
        chosen = asset_utils.select_unique_ids(select="tag:does_not_exist", exclude="",
                                               selector="", project=None, manifest_json=manifest)
        assert chosen == set()
    assert asset_utils.select_unique_ids is stock


def test_the_private_names_the_hook_relies_on_still_exist():
    assert callable(utils._is_select_all) and utils._is_select_all("fqn:*", "", "")
    assert list(inspect.signature(asset_utils.select_unique_ids).parameters) == [
        "select", "exclude", "selector", "project", "manifest_json"]
    assert "select_unique_ids(" in inspect.getsource(asset_utils.build_dbt_specs)

"""The dbt assets built from the manifest's nodes, without dbt's selection engine.

``@dbt_assets`` asks ``dagster_dbt.asset_utils.select_unique_ids`` which manifest nodes its
selection holds. With dbt-core installed it always runs dbt's graph selector, even for the
default selection (every node): importing ``dbt.graph`` (and networkx) and building a dbt
Manifest and graph cost about 0.5 s, a tenth of loading the Definitions. dagster-dbt itself
answers the default selection from ``manifest["nodes"]`` when dbt-core is absent; this hook
does the same while the decorator runs. The two answers differ only by the ``unit_test.*`` ids
dbt's graph adds, which the decorator ignores (it makes assets of models, seeds and snapshots
and checks of ``test.*`` nodes): ``tests/orchestration/platform/test_dbt_selection.py`` builds
the specs both ways and compares them, and ``test_private_hooks.py`` the names relied on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def default_selection_from_nodes() -> Iterator[None]:
    """While open, the default selection of ``@dbt_assets`` is read from the manifest's nodes;
    any other selection still goes to dbt's selector."""
    from dagster_dbt import asset_utils, utils

    stock = asset_utils.select_unique_ids

    def select_unique_ids(select, exclude, selector, project, manifest_json):
        if utils._is_select_all(select, exclude, selector):
            return set(manifest_json["nodes"])
        return stock(select=select, exclude=exclude, selector=selector, project=project,
                     manifest_json=manifest_json)

    asset_utils.select_unique_ids = select_unique_ids
    try:
        yield
    finally:
        asset_utils.select_unique_ids = stock

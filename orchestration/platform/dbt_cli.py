"""The dbt CLI resource, minus two start-up costs: the one hook into dagster-dbt's internals.

Both overrides replace private methods of ``DbtCliResource`` (dagster-dbt 0.29);
``tests/orchestration/platform/test_private_hooks.py`` asserts the signatures they rely on, so an
upgrade that changes them fails that one test rather than every dbt step.
"""

from __future__ import annotations

import importlib.metadata
from functools import cached_property

from dagster_dbt import DbtCliResource
from packaging.version import Version


class ForecourtDbtCliResource(DbtCliResource):
    """`DbtCliResource` without two start-up costs of every dbt step that Forecourt never uses.

    dagster-dbt runs `dbt --version` to tell dbt Core from the Fusion engine (several seconds:
    dbt asks PyPI for the latest release, and these machines have no internet), then builds a dbt
    adapter in this process, which only `fetch_row_counts` and `fetch_column_metadata` use;
    `dbt_models` reads row counts itself once dbt has exited. The dbt here is always dbt Core,
    the one installed beside this Python (`DBT_EXECUTABLE`), so its version is read from the
    installed package instead.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None

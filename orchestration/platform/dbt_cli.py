"""The dbt CLI resource, minus two start-up costs, and with dbt dying with its run.

Both overrides replace private methods of ``DbtCliResource`` (dagster-dbt 0.29), and ``cli``
makes dagster-dbt's ``Popen`` start dbt with a death signal (``child_processes``);
``tests/orchestration/platform/test_private_hooks.py`` asserts the signatures they rely on, so an
upgrade that changes them fails that one test rather than every dbt step.
"""

from __future__ import annotations

import importlib.metadata
from functools import cached_property

import dagster_dbt.core.dbt_cli_invocation as dbt_cli_invocation
from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.platform.child_processes import children_die_with_parent


class ForecourtDbtCliResource(DbtCliResource):
    """`DbtCliResource` without two start-up costs of every dbt step that Forecourt never uses.

    dagster-dbt runs `dbt --version` to tell dbt Core from the Fusion engine (several seconds:
    dbt asks PyPI for the latest release, and these machines have no internet), then builds a dbt
    adapter in this process, which only `fetch_row_counts` and `fetch_column_metadata` use;
    `dbt_models` reads row counts itself once dbt has exited. The dbt here is always dbt Core,
    the one installed beside this Python (`DBT_EXECUTABLE`), so its version is read from the
    installed package instead.

    And dbt dies with the run: when the run's process is killed, even by kill -9, Linux sends
    the dbt child SIGTERM, so it no longer holds the warehouse's lock for the next run.
    """

    def cli(self, args, **kwargs):
        children_die_with_parent(dbt_cli_invocation)
        return super().cli(args, **kwargs)

    @cached_property
    def _cli_version(self) -> Version:
        return Version(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None

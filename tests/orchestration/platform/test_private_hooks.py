"""The private Dagster and dagster-dbt names the platform hooks rely on still exist as expected.

When one of these fails after an upgrade, read the hook named in the test, compare it with the
new upstream code, and adapt it, or set FORECOURT_STOCK_EVENT_LOG=1 (event log) meanwhile.
"""

from __future__ import annotations

import inspect

import dagster as dg
import yaml
from dagster_dbt import DbtCliResource

from landing.home import ForecourtHome
from orchestration.instance import prepare_home


def test_the_pooled_event_log_finds_the_private_sqlite_storage_it_subclasses():
    from dagster._core.events import EVENT_TYPE_TO_PIPELINE_RUN_STATUS
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from dagster._core.storage.sql import create_engine
    from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS

    assert isinstance(SQLITE_BUSY_TIMEOUT_SECONDS, int | float)
    assert dg.DagsterEventType.RUN_SUCCESS in EVENT_TYPE_TO_PIPELINE_RUN_STATUS
    assert list(inspect.signature(create_engine).parameters)[:1] == ["url"]
    assert list(inspect.signature(SqliteEventLogStorage._connect).parameters) == ["self", "shard"]
    initdb = inspect.signature(SqliteEventLogStorage._initdb).parameters
    assert list(initdb)[:2] == ["self", "engine"]  # called as _initdb(engine)
    assert all(p.default is not p.empty for p in list(initdb.values())[2:])
    assert list(inspect.signature(SqliteEventLogStorage.__init__).parameters)[:3] == [
        "self", "base_dir", "inst_data"]
    for name in ("conn_string_for_shard", "has_table", "store_event", "wipe", "dispose"):
        assert callable(getattr(SqliteEventLogStorage, name)), name
    # attributes the storage sets in __init__ and the hook reads under its lock
    source = inspect.getsource(SqliteEventLogStorage.__init__)
    assert "self._initialized_dbs" in source and "self._db_lock" in source


def test_the_dbt_resource_overrides_two_private_members_that_still_exist():
    version = inspect.getattr_static(DbtCliResource, "_cli_version")
    assert hasattr(version, "__get__"), "DbtCliResource._cli_version is no longer a property"
    adapter = DbtCliResource._initialize_dbt_core_adapter
    assert list(inspect.signature(adapter).parameters) == ["self", "args"]


def test_dagster_dbt_still_starts_dbt_with_its_module_s_subprocess_popen():
    import subprocess

    import dagster_dbt.core.dbt_cli_invocation as invocation

    from orchestration.platform.child_processes import _SubprocessDyingWithParent

    # children_die_with_parent replaces this global; run() must still go through it
    assert isinstance(invocation.subprocess, type(subprocess) | _SubprocessDyingWithParent)
    assert "subprocess.Popen(" in inspect.getsource(invocation.DbtCliInvocation.run)
    assert list(inspect.signature(DbtCliResource.cli).parameters)[:2] == ["self", "args"]


def test_the_switch_falls_back_to_dagster_s_stock_event_log(forecourt_home, monkeypatch):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from orchestration.platform.event_log import PooledSqliteEventLogStorage

    monkeypatch.setenv("FORECOURT_STOCK_EVENT_LOG", "1")
    home = prepare_home(ForecourtHome.from_env())
    config = yaml.safe_load((home.dagster_home / "dagster.yaml").read_text())
    assert "event_log_storage" not in config
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert type(storage) is SqliteEventLogStorage
        assert not isinstance(storage, PooledSqliteEventLogStorage)
        result = dg.materialize([dg.asset(name="probe")(lambda: 1)], instance=instance)
        assert result.success
    assert (home.dagster_home / "history" / "runs" / f"{result.run_id}.db").exists()

    monkeypatch.delenv("FORECOURT_STOCK_EVENT_LOG")
    prepare_home(ForecourtHome.from_env())
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        # the runs recorded under the stock storage are still there: same folder, same files
        assert instance.get_run_by_id(result.run_id) is not None


def test_the_interrupt_hook_finds_the_wait_for_a_slot_and_dagster_s_interrupt_flag():
    from dagster._core.execution.plan import execute_plan
    from dagster._core.execution.plan.active import ActiveExecution
    from dagster._utils import interrupts

    # stop_waiting_on_signals replaces sleep_til_ready, where the executor waits for a slot
    for name in ("sleep_til_ready", "sleep_interval", "mark_interrupted"):
        assert list(inspect.signature(getattr(ActiveExecution, name)).parameters) == ["self"]
    assert "sleep_til_ready()" in inspect.getsource(execute_plan.inner_plan_execution_iterator)
    assert "_received_interrupt" in inspect.getsource(interrupts.capture_interrupts)
    for name in ("check_captured_interrupt", "pop_captured_interrupt"):
        assert inspect.signature(getattr(interrupts, name)).parameters == {}
    # an interrupted run must still free its queued claims when the exception passes
    from dagster._core.execution.plan.instance_concurrency_context import (
        InstanceConcurrencyContext,
    )

    assert "_pending_claims" in inspect.getsource(InstanceConcurrencyContext.__exit__)

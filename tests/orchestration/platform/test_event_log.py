"""The home's event log keeps its SQLite files open and still records everything a run reports."""

import sqlite3

import dagster as dg

from landing.home import ForecourtHome
from orchestration.instance import prepare_home
from orchestration.platform.event_log import OPEN_RUN_FILES, PooledSqliteEventLogStorage


@dg.asset
def stock_count() -> int:
    return 3


@dg.asset_check(asset=stock_count)
def stock_count_is_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def _run(instance) -> str:
    result = dg.materialize([stock_count, stock_count_is_positive], instance=instance)
    assert result.success
    return result.run_id


def test_a_home_records_runs_with_the_pooled_event_log_in_dagster_s_default_folder(
    forecourt_home,
):
    home = prepare_home(ForecourtHome.from_env())
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        run_id = _run(instance)
    assert (home.dagster_home / "history" / "runs" / f"{run_id}.db").exists()


def test_every_run_s_events_reach_a_reader_in_another_process(forecourt_home):
    prepare_home(ForecourtHome.from_env())
    with dg.DagsterInstance.get() as writer:
        run_ids = [_run(writer) for _ in range(OPEN_RUN_FILES + 2)]  # some files get closed
        # another process (the web UI) opens the files itself, while this one keeps them open
        run_file = writer.event_log_storage.path_for_shard(run_ids[-1])
        with sqlite3.connect(run_file) as reader:
            types = {row[0] for row in reader.execute("select dagster_event_type from event_logs")}
        # run events keep their legacy names in storage
        assert {"PIPELINE_START", "ASSET_MATERIALIZATION", "PIPELINE_SUCCESS"} <= types
    with dg.DagsterInstance.get() as reader:
        for run_id in run_ids:
            assert reader.get_run_by_id(run_id).status == dg.DagsterRunStatus.SUCCESS
            events = reader.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
            assert len(events) == 1
        latest = reader.get_latest_materialization_event(dg.AssetKey("stock_count"))
        assert latest is not None and latest.run_id == run_ids[-1]
        check = reader.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("stock_count"), "stock_count_is_positive")]
        )
        assert len(check) == 1


def test_wiping_the_event_log_closes_the_files_it_deletes(forecourt_home):
    prepare_home(ForecourtHome.from_env())
    with dg.DagsterInstance.get() as instance:
        run_id = _run(instance)
        storage = instance.event_log_storage
        storage.wipe()
        assert storage.get_logs_for_run(run_id) == []
        run_id = _run(instance)  # the storage still writes after a wipe
        assert storage.get_logs_for_run(run_id)

"""Runs of the daemon or the UI and CLI commands never write one home at once.

Runs launched by Dagster used to take no home lock: a CLI materialize and a scheduled run on
the same home collided on DuckDB's write lock. Now every run holds the home lock shared (runs
overlap one another, their writers taking turns in the pool) and a CLI command holds it
exclusively. The other side is a real process holding the lock, as a CLI or a run would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from landing.home_lock import HomeBusy, home_lock
from orchestration.resources import WarehouseResource

HOLDER = """
import sys, time
from pathlib import Path
from landing.home_lock import home_lock
shared = sys.argv[2] == "shared"
with home_lock(Path(sys.argv[1]), "forecourt materialize --partition 2025-01-05", shared=shared):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def hold(home: Path, mode: str, seconds: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home), mode, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


@dg.asset
def writes_the_warehouse(warehouse: WarehouseResource) -> None:
    with warehouse.connect() as conn:
        conn.execute("create or replace table t as select 1 as x")


def run(seconds: float) -> tuple[dg.ExecuteInProcessResult, float, str]:
    """The run's result, how long it took, and its log (what the UI shows)."""
    started = time.monotonic()
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [writes_the_warehouse],
        resources={"warehouse": WarehouseResource(home_lock_seconds=seconds)},
        raise_on_error=False,
        instance=instance,
    )
    logs = instance.all_logs(result.run_id)
    text = "\n".join(
        f"{e.user_message} {e.dagster_event.event_specific_data if e.dagster_event else ''}"
        for e in logs
    )
    return result, time.monotonic() - started, text


@pytest.fixture
def cli_holds_the_home(forecourt_home):
    holder = hold(forecourt_home, "exclusive", 60)
    yield holder
    holder.kill()
    holder.wait()


def test_a_run_gives_up_naming_the_cli_command_that_holds_the_home(cli_holds_the_home):
    result, _, text = run(1.0)
    assert not result.success
    assert f"pid {cli_holds_the_home.pid}" in text
    assert "forecourt materialize --partition 2025-01-05" in text and "gave up after 1 s" in text


def test_a_run_waits_for_the_cli_command_then_writes(forecourt_home):
    holder = hold(forecourt_home, "exclusive", 2)
    result, seconds, text = run(60.0)
    holder.wait()
    assert result.success and seconds >= 1.0  # it waited, then ran
    who = f"run 'forecourt materialize --partition 2025-01-05' (pid {holder.pid}"
    assert f"Waiting for {who}" in text


def test_a_cli_command_waits_for_the_runs_of_the_daemon(forecourt_home):
    run_in_progress = hold(forecourt_home, "shared", 60)
    try:
        busy = pytest.raises(HomeBusy, match="runs launched by the Dagster daemon or UI")
        with busy, home_lock(forecourt_home, "forecourt materialize", wait_seconds=0):
            pass
    finally:
        run_in_progress.kill()
        run_in_progress.wait()


def test_runs_of_the_daemon_overlap_one_another(forecourt_home):
    other_run = hold(forecourt_home, "shared", 60)
    try:
        result, _, _ = run(0.0)  # no wait at all: a shared holder does not block another
    finally:
        other_run.kill()
        other_run.wait()
    assert result.success


def test_a_sensor_takes_no_lock(cli_holds_the_home):
    with dg.build_resources({"warehouse": WarehouseResource(home_lock_seconds=0)}) as resources:
        assert resources.warehouse.resolved_path.name == "warehouse.duckdb"

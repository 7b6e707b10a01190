"""Concurrency pools: warehouse writers take turns across processes; readers never queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import dagster as dg
import duckdb
import yaml

from orchestration.instance import DAGSTER_YAML, prepare_home
from tests.conftest import REPO_ROOT


def test_every_asset_but_the_serving_ones_is_in_the_warehouse_pool():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    # external tables (raw/load_log, written by the loads as a side effect) run no step
    pools = {key.to_user_string(): graph.get(key).pools for key in graph.get_all_asset_keys()
             if graph.get(key).is_materializable}
    readers = {name for name in pools if name.startswith("serving/")}
    assert readers == {"serving/forecourt_copy", "serving/kpi_dashboard"}
    assert all(not pools[name] for name in readers)
    outside = {name: p for name, p in pools.items() if name not in readers and p != {"warehouse"}}
    assert outside == {}


def test_the_instance_limits_pools_per_step_not_runs_to_one():
    concurrency = yaml.safe_load(DAGSTER_YAML)["concurrency"]
    assert concurrency["pools"] == {
        "granularity": "op",
        "default_limit": 1,
        "op_granularity_run_buffer": 1,
    }
    assert concurrency["runs"]["max_concurrent_runs"] > 1


def _start(which: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.orchestration.pool_worker", which],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def test_two_writers_take_turns_on_the_lock_while_a_reader_goes_ahead(forecourt_home):
    (forecourt_home / "serving").mkdir()
    duckdb.connect(str(forecourt_home / "serving" / "copy.duckdb")).close()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    log = forecourt_home / "pool_log"
    writers = [_start("writer", env), _start("writer", env)]
    try:
        # The first writer holds the warehouse and waits for the reader; the second one waits
        # for the pool's slot (without the pool it would open the file and fail on the lock).
        prepare_home()

        def second_writer_waits() -> bool:
            if any(w.poll() is not None for w in writers):
                return True  # one has ended: the asserts below say why
            with dg.DagsterInstance.get() as instance:
                info = instance.event_log_storage.get_concurrency_info("warehouse")
                return info.active_slot_count == 1 and info.pending_step_count >= 1

        _wait(second_writer_waits, 180, "one writer holding the slot and one waiting")
        reader = _start("reader", env)
        outputs = [p.communicate(timeout=300)[0] for p in [reader, *writers]]
        codes = [p.returncode for p in [reader, *writers]]
    finally:
        for p in writers:
            if p.poll() is None:
                p.kill()
    assert codes == [0, 0, 0], "\n".join(outputs)
    logs = "\n".join(outputs[1:]).lower()
    assert "could not set lock" not in logs
    assert "blocked by limit for pool warehouse" in logs  # the second writer waited its turn
    spans = sorted(
        (json.loads(p.read_text()) for p in log.glob("writer-*.json")), key=lambda s: s["start"]
    )
    assert len(spans) == 2 and spans[0]["end"] <= spans[1]["start"]
    reader_span = json.loads((log / "reader.json").read_text())
    assert reader_span["end"] <= spans[0]["end"]  # ran while the first writer held the slot
    with duckdb.connect(str(forecourt_home / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select count(distinct run_id) from writes").fetchone()[0] == 2

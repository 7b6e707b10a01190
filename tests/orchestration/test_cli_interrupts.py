"""Ctrl-C and SIGTERM stop a CLI run that waits for the `warehouse` pool's slot.

The slot is held, as by a daemon run, through the instance's concurrency API; the CLI runs in
its own process, as a user starts it, and is signalled once its step queues for the slot.
"""

from __future__ import annotations

import signal
import subprocess
import time
import uuid

import dagster as dg
import pytest

from orchestration.cli.runner import PID_TAG, TRIGGER_TAG
from orchestration.instance import ensure_manifest, prepare_home
from orchestration.resources import WAREHOUSE_POOL
from tests.conftest import start_cli

pytestmark = pytest.mark.e2e


def _cli_run(instance: dg.DagsterInstance) -> dg.DagsterRun | None:
    runs = instance.get_runs(dg.RunsFilter(tags={TRIGGER_TAG: "cli"}))
    return runs[0] if runs else None


def _wait_for_queued_step(instance, cli: subprocess.Popen, holder: str) -> None:
    deadline = time.monotonic() + 120  # loading the Definitions on a busy 2-core box
    while time.monotonic() < deadline:
        assert cli.poll() is None, cli.communicate()
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        if any(step.run_id != holder for step in info.pending_steps):
            return
        time.sleep(0.3)
    pytest.fail("the CLI's step never queued for the warehouse slot")


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_a_signal_stops_a_cli_run_waiting_for_the_warehouse_held_by_another_run(
    forecourt_home, signum, code
):
    ensure_manifest()
    prepare_home()
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        holder = str(uuid.uuid4())
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, holder, "daemon_step").is_claimed
        cli = start_cli("materialize", "--select", "key:raw/customers",
                        "--partition", "2024-01-02")
        try:
            _wait_for_queued_step(instance, cli, holder)
            cli.send_signal(signum)
            out, err = cli.communicate(timeout=15)
        finally:
            if cli.poll() is None:
                cli.kill()
                cli.communicate()
        assert cli.returncode == code, (out, err)
        assert f"Stopped while waiting for the warehouse, held by run {holder[:8]}" in err, err
        run = _cli_run(instance)
        assert run is not None and run.tags[PID_TAG] == str(cli.pid)
        assert run.status == dg.DagsterRunStatus.CANCELED
        info = storage.get_concurrency_info(WAREHOUSE_POOL)
        assert [slot.run_id for slot in info.claimed_slots] == [holder]
        # the CLI's queued claim went with it: only the holder's step (assigned) is left
        assert [step.run_id for step in info.pending_steps] == [holder]
        # once the holder ends, the next run takes the slot: nothing of the CLI run is left
        storage.free_concurrency_slots_for_run(holder)
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "next", "step").is_claimed

"""SIGTERM to a CLI run while its dbt step runs stops dbt and leaves no lock behind.

Dagster raises the signal inside the step; dagster-dbt forwards it to dbt and waits for it.
The home is small (20 days, 2 dealers, raw loaded); the CLI runs in its own process."""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from landing.home_lock import home_lock
from tests.conftest import start_cli
from tests.e2e.conftest import home_environment

pytestmark = pytest.mark.e2e


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def _is_dbt(pid: int) -> bool:
    try:
        return b"dbt" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_during_the_dbt_step_stops_dbt_and_frees_the_warehouse(tmp_path):
    from landing.generator import generate
    from orchestration.cli import main

    home = tmp_path / "home"
    with home_environment(home):
        generate(home / "landing", start=dt.date(2024, 1, 1), days=20, dealers=2, seed=3)
        assert main(["materialize", "--select", "group:raw"]) == 0
        cli = start_cli("materialize", "--select", "kind:dbt")
        try:
            deadline, dbt = time.monotonic() + 120, []
            while not dbt and time.monotonic() < deadline and cli.poll() is None:
                dbt = [pid for pid in _children(cli.pid) if _is_dbt(pid)]
                time.sleep(0.1)
            assert dbt, f"dbt never started: {cli.poll()}"
            time.sleep(2)  # dbt past its start-up, into the models
            cli.send_signal(signal.SIGTERM)
            out, err = cli.communicate(timeout=40)  # dagster-dbt gives dbt up to 25 s
        finally:
            if cli.poll() is None:
                cli.kill()
                cli.communicate()
        assert cli.returncode == 143, (out, err)
        assert "Stopped by SIGTERM while step dbt_models ran" in err, err
        assert not _alive(dbt[0])
        duckdb.connect(str(home / "warehouse.duckdb")).close()  # no write lock left
        with home_lock(home, "the next command", wait_seconds=0):  # nor the home's lock
            pass
        with dg.DagsterInstance.get() as instance:
            run = instance.get_runs(limit=1)[0]
            assert run.status == dg.DagsterRunStatus.FAILURE
            info = instance.event_log_storage.get_concurrency_info("warehouse")
            assert info.claimed_slots == [] and info.pending_steps == []

"""Every CLI failure is a line or two naming the cause and the fix, never a stack trace.

Exit code 2 for bad input (arguments, an unusable home, a wrong file), 1 for a failed run or a
busy home. Each test here failed on the code before: a trace, nothing at all, or a false
"Run succeeded".
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main

LOCK_FILE = ".forecourt.lock"  # landing.home_lock.LOCK_FILE, spelled out for the old code


def said(capsys) -> tuple[str, str]:
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "Traceback" not in text and 'File "' not in text and "Stack Trace" not in text
    return out, err


def landed(home: Path, day: str = "2024-01-02") -> None:
    """Enough for the CLI to find landed days (the files are never read before the run)."""
    (home / "landing" / "sales").mkdir(parents=True, exist_ok=True)
    (home / "landing" / "sales" / f"{day}.csv").write_text("deal_id\n")


def test_a_home_that_is_a_file_is_named(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("FORECOURT_HOME", str(home))
    for command in (["alerts"], ["materialize"], ["generate", "--days", "1"]):
        assert main(command) == 2
        _, err = said(capsys)
        assert f"FORECOURT_HOME={home} is a file" in err


def test_read_commands_on_a_missing_home_say_so_and_create_nothing(tmp_path, monkeypatch, capsys):
    home = tmp_path / "nowhere"
    monkeypatch.setenv("FORECOURT_HOME", str(home))
    for command in (["alerts"], ["ask", "units by region"], ["materialize"], ["publish"]):
        assert main(command) == 2, command
        _, err = said(capsys)
        assert "does not exist" in err and "forecourt demo" in err
    assert not home.exists()


def test_generate_creates_a_missing_home(tmp_path, monkeypatch, capsys):
    home = tmp_path / "new" / "home"
    monkeypatch.setenv("FORECOURT_HOME", str(home))
    args = ["generate", "--days", "2", "--dealers", "1", "--start", "2024-03-01"]
    assert main(args) == 0
    said(capsys)
    assert list((home / "landing" / "sales").glob("*.csv"))
    assert not (home / "landing" / "sales").stat().st_mode & 0o007  # umask 027


@pytest.fixture
def mount(tmp_path):
    """A small tmpfs, mounted with the given options (root only)."""
    mounted = []

    def make(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True
        )
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


def test_a_home_on_a_read_only_file_system_is_refused(mount, monkeypatch, capsys):
    monkeypatch.setenv("FORECOURT_HOME", str(mount("ro,size=1m")))
    assert main(["generate", "--days", "1"]) == 2
    _, err = said(capsys)
    assert "cannot write" in err and "read-only" in err


def test_a_home_on_a_full_file_system_is_refused(mount, monkeypatch, capsys):
    point = mount("size=1m")
    with (point / "filler").open("wb") as handle, pytest.raises(OSError):
        handle.write(b"\0" * 2**21)  # fill it up
    monkeypatch.setenv("FORECOURT_HOME", str(point))
    assert main(["materialize"]) == 2
    _, err = said(capsys)
    assert "full" in err and "space" in err


def test_ask_on_a_file_that_is_not_duckdb_is_refused(forecourt_home, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert main(["ask", "--file", str(text), "units by region"]) == 2
    _, err = said(capsys)
    assert "is not a DuckDB file" in err


def test_ask_file_needs_no_home_and_leaves_none(tmp_path, monkeypatch, capsys):
    import duckdb

    monkeypatch.setenv("FORECOURT_HOME", str(tmp_path / "nowhere"))
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main(["ask", "--file", str(empty), "units by region"]) == 2
    _, err = said(capsys)
    assert "forecourt ask: This serving copy has no marts.fct_sales" in err
    assert not (tmp_path / "nowhere").exists()


def test_generate_out_on_an_existing_file_is_refused(forecourt_home, tmp_path, capsys):
    target = tmp_path / "landing.csv"
    target.write_text("x")
    assert main(["generate", "--days", "1", "--out", str(target)]) == 2
    _, err = said(capsys)
    assert "is a file" in err and "--out" in err


def test_alerts_without_a_warehouse_say_what_to_run(forecourt_home, capsys):
    assert main(["alerts"]) == 2
    _, err = said(capsys)
    assert "no warehouse" in err and "forecourt demo" in err


def test_a_port_out_of_range_is_refused(forecourt_home, capsys):
    assert main(["ui", "--port", "99999"]) == 2
    _, err = said(capsys)
    assert "99999 is not a TCP port" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (
            ["generate", "--days", "-5"],
            "forecourt generate: argument --days: -5 must be at least 1",
        ),
        (["generate", "--dealers", "x"], "'x' is not a whole number"),
        (["frobnicate"], "forecourt: argument command: invalid choice: 'frobnicate'"),
        (["demo", "--wait-timeout", "-1"], "'-1' is not a number of seconds (0 or more)"),
    ],
)
def test_a_usage_error_is_one_line_naming_the_help(forecourt_home, capsys, argv, says):
    assert main(argv) == 2
    _, err = said(capsys)
    assert err.strip().count("\n") == 0 and says in err and "--help'." in err  # no usage block


def test_a_port_in_use_is_refused_before_dagster_starts(forecourt_home, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert main(["ui", "--port", str(busy.getsockname()[1])]) == 2
    _, err = said(capsys)
    assert "is not free" in err and "--port" in err


def test_a_selection_matching_no_asset_is_not_a_success(forecourt_home, capsys):
    landed(forecourt_home)
    assert main(["materialize", "--select", "key:no/such_asset"]) == 2
    out, err = said(capsys)
    assert "matches no asset" in err and "group:raw" in err and "succeeded" not in out


def test_an_empty_selection_runs_nothing(forecourt_home, capsys):
    landed(forecourt_home)
    assert main(["materialize", "--select", ""]) == 2
    out, err = said(capsys)
    assert "--select is empty" in err and "Materializing" not in out


def test_a_zero_byte_landing_file_fails_the_run_in_two_lines(forecourt_home, capsys):
    landed(forecourt_home)
    (forecourt_home / "landing" / "sales" / "2024-01-03.csv").write_bytes(b"")
    # one day: the loader aborts (a range would skip the file and flag it in a check instead)
    assert main(["materialize", "--select", "key:raw/sales", "--partition", "2024-01-03"]) == 1
    out, err = said(capsys)
    assert "Run FAILED" in out
    assert "2024-01-03.csv: empty file (0 bytes)" in err
    logs = list((forecourt_home / "logs").glob("forecourt-run-*.log"))
    assert len(logs) == 1 and "Stack Trace" in logs[0].read_text()
    assert f"Full log: {logs[0]}" in err


def test_an_unexpected_error_is_one_line_and_its_trace_goes_to_the_log(
    forecourt_home, monkeypatch, capsys
):
    def broken(args):
        raise RuntimeError("the contract went missing\nsecond line")

    monkeypatch.setattr(importlib.import_module("orchestration.cli.main"), "cmd_contract", broken)
    assert main(["contract"]) == 1
    _, err = said(capsys)
    assert "RuntimeError: the contract went missing" in err and "second line" not in err
    (log,) = (forecourt_home / "logs").glob("forecourt-contract-*.log")
    assert "Traceback" in log.read_text() and f"Full trace: {log}" in err


HOLDER = """
import sys, time
from pathlib import Path
from landing.home_lock import home_lock
with home_lock(Path(sys.argv[1]), "forecourt materialize --from 2024-01-01"):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def held_lock(forecourt_home):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(forecourt_home)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout.readline().strip() == "held"
    yield holder
    holder.kill()
    holder.wait()


def test_a_second_run_with_no_wait_is_refused_naming_the_first(forecourt_home, held_lock, capsys):
    landed(forecourt_home)
    assert main(["materialize", "--no-wait"]) == 1
    _, err = said(capsys)
    assert f"pid {held_lock.pid}" in err and "forecourt materialize --from 2024-01-01" in err
    assert "busy" in err


def test_a_second_run_waits_for_the_first_then_gives_up(forecourt_home, held_lock, capsys):
    landed(forecourt_home)
    assert main(["materialize", "--wait-timeout", "1.5"]) == 1
    out, err = said(capsys)
    assert f"Waiting for run 'forecourt materialize --from 2024-01-01' (pid {held_lock.pid}" in out
    assert "gave up after 1.5 s" in err


def test_a_second_run_starts_when_the_first_finishes(forecourt_home, held_lock, capsys):
    held_lock.kill()  # kill -9: the kernel drops its lock
    held_lock.wait()
    assert main(["materialize", "--no-wait"]) == 2  # past the lock: no landing files
    out, err = said(capsys)
    assert "No landing files" in err
    assert "Taking over the lock of run 'forecourt materialize --from 2024-01-01' (pid" in out
    assert f"(pid {held_lock.pid}," in out


def test_a_stale_lock_of_a_dead_pid_is_taken_over(forecourt_home, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    info = {"pid": dead.pid, "command": "forecourt demo", "started_at": "2026-01-01T00:00:00"}
    (forecourt_home / LOCK_FILE).write_text(json.dumps(info))
    assert main(["materialize", "--no-wait"]) == 2
    out, err = said(capsys)
    assert f"pid {dead.pid}" in out and "No landing files" in err
    assert (forecourt_home / LOCK_FILE).read_text() == ""  # released after the command


def test_preparing_a_home_takes_the_world_off_the_warehouse(forecourt_home):
    from landing.home import ForecourtHome
    from orchestration.instance import prepare_home

    warehouse = forecourt_home / "warehouse.duckdb"
    warehouse.write_bytes(b"")
    warehouse.chmod(0o644)  # as every home before this change
    os.umask(0o022)
    prepare_home(ForecourtHome(forecourt_home))
    assert warehouse.stat().st_mode & 0o777 == 0o640
    assert os.umask(0o027) == 0o027  # what the CLI, dbt and dagster dev then inherit
    assert not (forecourt_home / "landing").stat().st_mode & 0o007


def test_a_cli_run_whose_process_died_is_marked_failed_on_the_next_start(forecourt_home, capsys):
    import dagster as dg

    from landing.home import ForecourtHome
    from orchestration.instance import prepare_home

    prepare_home(ForecourtHome(forecourt_home))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    tags = {"forecourt/trigger": "cli", "forecourt/pid": str(dead.pid)}
    with dg.DagsterInstance.get() as instance:
        run = instance.add_run(
            dg.DagsterRun(
                job_name="__ephemeral_asset_job__", status=dg.DagsterRunStatus.STARTED, tags=tags
            )
        )
        daemon_run = instance.add_run(  # not the CLI's: the daemon's run monitoring owns it
            dg.DagsterRun(job_name="daily_refresh_job", status=dg.DagsterRunStatus.STARTED)
        )
        # killed inside a writing step: it held the pool's one slot, which every later run's
        # writers waited on for ever
        storage = instance.event_log_storage
        storage.set_concurrency_slots("warehouse", 1)
        assert storage.claim_concurrency_slot("warehouse", run.run_id, "raw__sales").is_claimed
    landed(forecourt_home)
    assert main(["materialize", "--select", ""]) == 2
    out, _ = said(capsys)
    assert f"Run {run.run_id[:8]} (pid {dead.pid}) died without finishing: marked failed" in out
    with dg.DagsterInstance.get() as instance:
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(daemon_run.run_id).status == dg.DagsterRunStatus.STARTED
        assert instance.event_log_storage.get_concurrency_info("warehouse").active_slot_count == 0


def test_a_failed_step_is_summed_up_by_its_own_error_not_dagsters_wrapper():
    import errno

    import dagster as dg

    from orchestration.cli.runner import failure_lines

    @dg.asset
    def writes_a_copy() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/data/serving/x.duckdb")

    result = dg.materialize([writes_a_copy], raise_on_error=False)
    (line,) = failure_lines(result)
    # before: "step writes_a_copy failed: Error occurred while executing op ..." and no cause
    assert "Error occurred while executing" not in line
    assert "No space left on device: '/data/serving/x.duckdb'" in line
    assert "The disk is full: free some space or move the home" in line

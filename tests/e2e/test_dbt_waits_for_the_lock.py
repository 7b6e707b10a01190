"""The dbt step waits for a reader that holds the warehouse when dbt starts.

DuckDB lets one process write a file, and a process that only reads (a serving copy being
built, a sensor, an analyst) still keeps a writer out. dbt-duckdb retries opening the file
(``retries: connect_attempts`` in dbt_project/profiles.yml, FORECOURT_DBT_CONNECT_ATTEMPTS);
without it, the same hold fails the step with DuckDB's lock error, which the second test shows.

The reader lets go a few seconds after dbt has parsed the project, when dbt opens the file:
dbt's start-up takes from 3 to 20 seconds on a loaded machine, so a fixed hold would race it.
dbt's own JSON log says when it began opening the file and when its first query returned.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

pytestmark = pytest.mark.e2e

SECONDS_AFTER_PARSE = 6.0
HOLDER = """
import glob, os, sys, time, duckdb
path, logs, command, after = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
conn = duckdb.connect(path, read_only=True)
start = time.time()
print("holding", flush=True)

def dbt_has_parsed():
    texts = [open(log).read() for log in glob.glob(logs) if os.path.getmtime(log) >= start]
    return any(command in text and '"FoundStats"' in text for text in texts)

while not dbt_has_parsed() and time.time() < start + 300:
    time.sleep(0.2)
time.sleep(after)
conn.close()
print(time.time(), flush=True)
"""
STAGING = dg.AssetKey(["staging", "stg_dms__dealers"])
# This test's dbt command, as dbt logs it: other dbt runs may share the project's target folder.
COMMAND = '--select forecourt.staging.dms.stg_dms__dealers"'


def dbt_log_times(log: Path) -> dict[str, float]:
    """When dbt's run logged each event (its JSON log), by event name, first occurrence."""
    times: dict[str, float] = {}
    for line in log.read_text().splitlines():
        info = json.loads(line)["info"]
        stamp = dt.datetime.fromisoformat(info["ts"].replace("Z", "+00:00")).timestamp()
        times.setdefault(info["name"], stamp)
    return times


def build_staging_while_a_reader_holds_the_file(home: Path, instance: dg.DagsterInstance):
    """Load raw.dealers, then build stg_dms__dealers through the dbt step while another process
    holds the file; the run's result, when the reader let go, and dbt's log file of the step."""
    from landing.generator import generate
    from orchestration.assets.dbt import dbt_models
    from orchestration.assets.ingestion import raw_assets
    from orchestration.definitions import defs
    from orchestration.project import dbt_project

    generate(home / "landing", start=dt.date(2025, 3, 3), days=1, dealers=1)
    resources = {k: defs.resources[k] for k in ("warehouse", "dbt")}
    dealers = next(a for a in raw_assets if a.key == dg.AssetKey(["raw", "dealers"]))
    assert dg.materialize([dealers], resources=resources).success
    logs = dbt_project.project_dir / "target" / "dbt_models-*" / "dbt.log"
    before = set(logs.parent.parent.glob("dbt_models-*/dbt.log"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home / "warehouse.duckdb"), str(logs), COMMAND,
         str(SECONDS_AFTER_PARSE)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = dg.materialize(
            [dealers, dbt_models], selection=[STAGING], resources=resources,
            instance=instance, raise_on_error=False,
        )
        released = float(holder.stdout.readline())
    finally:
        holder.kill()
        holder.wait()
    new = set(logs.parent.parent.glob("dbt_models-*/dbt.log")) - before
    (log,) = [path for path in new if COMMAND in path.read_text()]
    return result, released, log


def test_the_dbt_step_waits_for_the_reader_and_succeeds(forecourt_home):
    with dg.DagsterInstance.ephemeral() as instance:
        result, released, log = build_staging_while_a_reader_holds_the_file(
            forecourt_home, instance
        )
    assert result.success
    times = dbt_log_times(log)
    # dbt began opening the file while the reader held it; its first query ended after
    assert times["NewConnectionOpening"] < released < times["SQLQueryStatus"]


def test_without_the_retry_the_same_hold_fails_the_step_naming_the_lock(
    forecourt_home, monkeypatch
):
    monkeypatch.setenv("FORECOURT_DBT_CONNECT_ATTEMPTS", "1")
    with dg.DagsterInstance.ephemeral() as instance:
        result, released, log = build_staging_while_a_reader_holds_the_file(
            forecourt_home, instance
        )
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert "dbt build failed" in str(failure.step_failure_data.error)
    assert dbt_log_times(log)["NewConnectionOpening"] < released
    assert "Could not set lock" in log.read_text()

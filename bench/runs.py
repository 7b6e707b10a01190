"""Harness tasks that materialize Forecourt in a bench FORECOURT_HOME and time the Dagster run.

A bench home is a temporary folder whose `landing` links to a cached generated zone, with its
own Dagster instance, its own dbt target folder (so other users of dbt_project/target are never
disturbed) and a profiles.yml that sets DuckDB's memory and thread limits for dbt as the
WarehouseResource sets them for the Python steps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bench.harness import REPO_ROOT

DBT = str(Path(sys.executable).with_name("dbt"))
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"  # orchestration.project's, without importing dbt
THROUGH_MARTS = ("raw", "staging", "intermediate", "marts")


def home_env(home: Path) -> dict[str, str]:
    return {
        "FORECOURT_HOME": str(home),
        "FORECOURT_WAREHOUSE": str(home / "warehouse.duckdb"),
        "DAGSTER_HOME": str(home / "dagster"),
        "DBT_TARGET_PATH": str(home / "dbt_target"),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true",
        "DAGSTER_DISABLE_TELEMETRY": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def create_home(home: Path, landing: Path, memory_limit: str, threads: int,
                dbt_threads: int = 2) -> dict[str, str]:
    """A fresh bench home; returns the environment its tasks run with.

    dbt is parsed once into the home's target folder with the bench profile (untimed), as
    `make manifest` does for a real home, so each run's dbt build starts from a partial parse."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    (home / "landing").symlink_to(landing)
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    for output in profile["forecourt"]["outputs"].values():
        if output["type"] == "duckdb":  # the Spark targets take no DuckDB settings
            output["settings"] = {"memory_limit": memory_limit, "threads": threads}
            output["threads"] = dbt_threads  # models built at once, sharing that memory
            # a spill folder of its own: a history larger than the limit spills, not fails
            # (set when the file opens: profiles.yml says why it is no setting)
            output["config_options"] = {"temp_directory": str(home / "duckdb_spill")}
    (home / "dbt_profiles").mkdir()
    (home / "dbt_profiles" / "profiles.yml").write_text(yaml.safe_dump(profile))
    env = home_env(home)
    subprocess.run(
        [DBT, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
         str(home / "dbt_profiles"), "--target-path", env["DBT_TARGET_PATH"]],
        env={**os.environ, **env}, cwd=DBT_PROJECT_DIR, check=True, capture_output=True,
    )
    return env


def materialize(scope: str, first: str, last: str, memory_limit: str, threads: int) -> dict:
    """Harness task: materialize `scope` ("marts": raw through the dbt marts; "daily_job": the
    daily_refresh_job's selection; "after_marts": its steps after the marts) for the days
    first..last in one run of the bench home."""
    import dagster as dg

    from landing.home import ForecourtHome
    from orchestration.instance import ensure_manifest, prepare_home
    from orchestration.project import dbt_project

    home = prepare_home(ForecourtHome.from_env())
    ensure_manifest()  # as `forecourt materialize` does, before the definitions load
    from orchestration.definitions import DBT_EXECUTABLE, defs
    from orchestration.jobs import daily_refresh_job
    from orchestration.resources import WarehouseResource

    marts = dg.AssetSelection.groups(*THROUGH_MARTS)
    selection = {"marts": marts, "daily_job": daily_refresh_job.selection,
                 # the daily job's steps after the marts, on a home whose marts are built
                 "after_marts": daily_refresh_job.selection - marts}[scope]
    resources = {
        **defs.resources,
        "warehouse": WarehouseResource(memory_limit=memory_limit, threads=threads,
                                       temp_directory=str(home.root / "duckdb_spill")),
        # the class the definitions use, with the bench home's profiles.yml
        "dbt": type(defs.resources["dbt"])(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE,
                                           profiles_dir=str(home.root / "dbt_profiles")),
    }
    single = first == last
    tags = {} if single else {"dagster/asset_partition_range_start": first,
                              "dagster/asset_partition_range_end": last}
    with dg.DagsterInstance.get() as instance:
        started = time.perf_counter()
        result = dg.materialize(
            assets=list(defs.assets or []), resources=resources, instance=instance,
            # the steps after the marts are not partitioned by day
            selection=selection, partition_key=first if single and scope != "after_marts" else None,
            tags={**tags, "forecourt/trigger": "bench"}, raise_on_error=False,
        )
        seconds = time.perf_counter() - started
        if not result.success:
            raise RuntimeError(f"bench run {result.run_id} failed: {_failures(instance, result)}")
        timing = step_timing(instance, result.run_id)
    return {"seconds": round(seconds, 3), "days": (dt.date.fromisoformat(last)
            - dt.date.fromisoformat(first)).days + 1, **timing,
            "dbt": dbt_profile(Path(os.environ["DBT_TARGET_PATH"]), result.run_id),
            "rows": warehouse_rows(home.warehouse)}


def step_timing(instance, run_id: str) -> dict:
    """Run wall time from the run's start and end events, and the time inside each step from
    its STEP_START to its STEP_SUCCESS: what is left is Dagster's orchestration overhead.

    Inside the dbt step, the dbt process runs between dagster-dbt's "Running dbt command" and
    "Finished dbt command" log lines; the rest of that step is Dagster's and dagster-dbt's work
    (adapter set-up, one event per model and test written to the event log, metadata)."""
    import dagster as dg

    kinds = dg.DagsterEventType
    run_start = run_end = dbt_start = dbt_end = None
    starts, steps, events = {}, {}, 0
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        events += 1
        if event is None:
            message = entry.user_message or ""
            if message.startswith("Running dbt command"):
                dbt_start = entry.timestamp
            elif message.startswith("Finished dbt command"):
                dbt_end = entry.timestamp
        elif event.event_type == kinds.RUN_START:
            run_start = entry.timestamp
        elif event.event_type in (kinds.RUN_SUCCESS, kinds.RUN_FAILURE):
            run_end = entry.timestamp
        elif event.event_type == kinds.STEP_START:
            starts[entry.step_key] = entry.timestamp
        elif event.event_type in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE):
            steps[entry.step_key] = entry.timestamp - starts[entry.step_key]
    run_seconds = run_end - run_start
    in_steps = sum(steps.values())
    dbt_process = dbt_end - dbt_start if dbt_start and dbt_end else None
    in_dbt_step = steps["dbt_models"] - dbt_process if dbt_process is not None else 0.0
    return {
        "run_seconds": round(run_seconds, 3),
        "steps_seconds": round(in_steps, 3),
        "overhead_seconds": round(run_seconds - in_steps, 3),
        "overhead_share": round((run_seconds - in_steps) / run_seconds, 4),
        "dbt_process_seconds": None if dbt_process is None else round(dbt_process, 3),
        "dagster_in_dbt_step_seconds": round(in_dbt_step, 3),
        "events": events,
        "steps": {k: round(v, 3) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
    }


def dbt_profile(target: Path, run_id: str, top: int = 6) -> dict:
    """The dbt build's slowest models and tests and its totals, from run_results.json."""
    found = sorted(target.glob(f"*-{run_id[:7]}-*/run_results.json"))
    if not found:
        return {}
    report = json.loads(found[-1].read_text())
    results = report["results"]
    models = [r for r in results if r["unique_id"].startswith("model.")]
    tests = [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]
    slowest = sorted(models, key=lambda r: -r["execution_time"])[:top]
    return {
        "elapsed_seconds": round(report["elapsed_time"], 3),  # dbt's own wall, after startup
        "models_seconds": round(sum(r["execution_time"] for r in models), 3),
        "tests_seconds": round(sum(r["execution_time"] for r in tests), 3),
        "tests": len(tests),
        "slowest_models": {r["unique_id"].split(".")[-1]: round(r["execution_time"], 3)
                           for r in slowest},
        "slowest_tests": {r["unique_id"].split(".")[2]: round(r["execution_time"], 3)
                          for r in sorted(tests, key=lambda r: -r["execution_time"])[:top]},
    }


def warehouse_rows(warehouse: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("raw.sales", "marts.fct_sales")}


def _failures(instance, result) -> str:
    import dagster as dg

    failed = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    return "; ".join(f"{e.step_key}: {e.step_failure_data.error.message[:400]}"
                     for e in failed if e.step_failure_data and e.step_failure_data.error)

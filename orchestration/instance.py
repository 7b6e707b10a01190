"""Preparing a FORECOURT_HOME: the Dagster instance settings and the dbt manifest."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from landing.home import HOME_UMASK, ForecourtHome
from orchestration.project import DBT_PROJECT_DIR, dbt_project, dbt_target, export_environment

# DuckDB takes a single writer process per file. Instead of one run at a time, every asset that
# writes the warehouse is in the `warehouse` pool (`WAREHOUSE_POOL` in resources.py), and a pool
# has one slot: writers queue for it step by step, in daemon runs and CLI runs alike (op
# granularity is enforced by the executor, not only by the run queue), while read-only steps
# and runs go ahead. Telemetry stays off.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 4
  pools:
    granularity: op
    default_limit: 1
    op_granularity_run_buffer: 1
run_monitoring:
  enabled: true
  # a run worker on a busy 2-core box can take minutes to load the code: only a run still not
  # started after 10 minutes is marked failed (Dagster's default, 180 s, failed healthy runs)
  start_timeout_seconds: 600
  free_slots_after_run_end_seconds: 300
"""
# The event log is Dagster's SQLite one with its files kept open (orchestration/platform/
# event_log.py): same files, fewer fsyncs. It subclasses Dagster internals, so one switch turns
# it off and the home falls back to Dagster's stock SQLite event log (same folder, same files).
STOCK_EVENT_LOG_SWITCH = "FORECOURT_STOCK_EVENT_LOG"
POOLED_EVENT_LOG_YAML = """\
event_log_storage:
  module: orchestration.platform.event_log
  class: PooledSqliteEventLogStorage
"""
# A deployment with more than one machine, or that wants its run history in a server database,
# sets this: runs, event log and schedules then live in Postgres (dagster-postgres), and the
# private SQLite hook is off. Dagster reads the URL from the environment at instance load.
PG_URL_VAR = "FORECOURT_DAGSTER_PG_URL"
POSTGRES_STORAGE_YAML = f"""\
storage:
  postgres:
    postgres_url:
      env: {PG_URL_VAR}
"""


def uses_stock_event_log() -> bool:
    return os.environ.get(STOCK_EVENT_LOG_SWITCH, "").strip().lower() in ("1", "true", "yes")


def postgres_url() -> str | None:
    """The Postgres URL of the Dagster storage, checked, or None for the embedded SQLite."""
    url = os.environ.get(PG_URL_VAR, "").strip()
    if not url:
        return None
    scheme = url.split("://", 1)[0]
    # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; dagster-postgres installs psycopg2.
    if scheme != "postgresql+psycopg2":
        raise ValueError(
            f"{PG_URL_VAR} starts with {scheme + '://'!r}: write it as "
            "postgresql+psycopg2://user:password@host:port/database (the driver dagster-postgres "
            "installs)."
        )
    return url


def dagster_yaml() -> str:
    """The instance settings of a home, as the environment asks for them."""
    if postgres_url():
        return DAGSTER_YAML + POSTGRES_STORAGE_YAML
    return DAGSTER_YAML + ("" if uses_stock_event_log() else POOLED_EVENT_LOG_YAML)


def prepare_home(home: ForecourtHome | None = None) -> ForecourtHome:
    """Create the home's folders and dagster.yaml, and point dbt and Dagster at it.

    Sets the process umask to 027 (inherited by dbt and by ``dagster dev``), and takes the
    world's access away from a warehouse written before it was."""
    os.umask(HOME_UMASK)
    home = home or ForecourtHome.from_env()
    for folder in (home.landing, home.dagster_home, home.alerts):
        folder.mkdir(parents=True, exist_ok=True)
    for path in (home.warehouse, home.warehouse.with_name(home.warehouse.name + ".wal")):
        if path.exists() and path.stat().st_mode & 0o007:
            path.chmod(path.stat().st_mode & ~0o007)
    config = home.dagster_home / "dagster.yaml"
    wanted = dagster_yaml()
    if not config.exists() or config.read_text() != wanted:
        config.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    export_environment(home)
    return home


def _dbt_sources_fingerprint() -> str:
    """Paths, sizes and times of the project's files: a rename or a deletion changes it too
    (a newest-mtime test misses both, since a moved file keeps its time)."""
    patterns = ("*.sql", "*.yml", "*.csv")
    files = sorted(
        p
        for pattern in patterns
        for p in DBT_PROJECT_DIR.rglob(pattern)
        if not p.relative_to(DBT_PROJECT_DIR).parts[0].startswith("target")  # target, target-spark
    )
    digest = hashlib.sha256()
    for p in files:
        stat = p.stat()
        digest.update(
            f"{p.relative_to(DBT_PROJECT_DIR)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()


def ensure_manifest() -> Path:
    """Parse the dbt project once (at build or test time), so loading definitions never does."""
    manifest = dbt_project.manifest_path
    stamp = manifest.with_name("manifest.fingerprint")
    fingerprint = f"{_dbt_sources_fingerprint()} target={dbt_target()}"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return manifest
    # the target the runs will use: the manifest differs per target (see project.target_dir)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "FORECOURT_DBT_TARGET": dbt_target()}
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(dbt_project.target_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=DBT_PROJECT_DIR,
    )
    if result.returncode != 0 or not manifest.exists():
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    stamp.write_text(fingerprint)
    return manifest

"""Shared fixtures: a temporary FORECOURT_HOME, and the reference data beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def start_cli(*args: str):
    """``forecourt ARGS`` as a child process (for tests that signal it), output captured."""
    import os
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def forecourt_home(tmp_path, monkeypatch) -> Path:
    """An empty FORECOURT_HOME in a temporary folder, exported to the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FORECOURT_HOME", str(home))
    monkeypatch.setenv("FORECOURT_WAREHOUSE", str(home / "warehouse.duckdb"))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throw-away PostgreSQL cluster for the session (tests/postgres.py); skips, saying why,
    where PostgreSQL is not installed."""
    from tests.postgres import throwaway_cluster, unavailable_reason

    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with throwaway_cluster() as cluster:
        yield cluster

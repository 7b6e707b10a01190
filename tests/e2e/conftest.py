"""The end-to-end tier: whole-home tests, and the homes they share.

A test module belongs here, marked ``pytestmark = pytest.mark.e2e``, when it materializes
through Dagster or dbt into a FORECOURT_HOME or runs the CLI's demo or materialize. Everything
else sits beside the package it tests and runs in the fast tier (``make test-fast``), but for the
Spark tests (marker ``spark``), which only ``make test`` runs.

A generated home takes a minute or more to build (generate, load raw, ``dbt build`` with its
tests, the ML and serving assets), so the homes several modules need are built once per test
session, not once per module or per xdist worker: the first worker to ask builds the home in a
cache folder the workers share (the parent of pytest's per-worker basetemp), under a file lock;
the others wait for it and reuse it. Nobody writes into the cache: each module gets its own
copy of the folder (a copy takes a fraction of a second), so a module may change its home and
the modules stay independent of their order and of which worker runs them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

HOME_VARIABLES = ("FORECOURT_HOME", "FORECOURT_WAREHOUSE", "DAGSTER_HOME")
# The demo home: a small generated dealer group, every asset materialized by the CLI.
DEMO = dict(start=dt.date(2024, 1, 1), days=200, dealers=3, seed=3)


# The whole-home modules, roughly slowest first; the demo home's second reader comes after a
# few others, so the home is built by the time it asks (instead of a worker waiting on the lock).
SLOWEST_FIRST = (
    "test_demo_on_spark.py",
    "test_end_to_end.py",
    "test_spark_parity.py",
    "test_inventory_daily_incremental.py",
    "test_end_to_end_faults.py",
    "real_data/test_car_sales.py",
    "test_customer_and_pricing_assets.py",
    "real_data/test_mintclassics.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Run the whole-home modules first, slowest first: with ``--no-loadscope-reorder`` xdist
    hands out modules in this order, so the fast tests fill the gaps instead of a home build
    starting last. A module here without ``pytest.mark.e2e`` would slip into the fast tier and
    build a home there: refuse to run."""
    here = Path(__file__).parent

    def name(item) -> str | None:
        return str(item.path.relative_to(here)) if here in item.path.parents else None

    unmarked = sorted({name(i) for i in items if name(i) and not i.get_closest_marker("e2e")})
    if unmarked:
        raise pytest.UsageError(f"modules in tests/e2e/ not marked e2e: {unmarked}")
    rank = {module: position for position, module in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda i: rank.get(name(i), len(rank)) if name(i) else len(rank) + 1)


@contextmanager
def home_environment(home: Path) -> Iterator[Path]:
    """FORECOURT_HOME set to ``home`` (the warehouse and Dagster instance derived from it), and
    the caller's environment back afterwards."""
    saved = {k: os.environ.get(k) for k in HOME_VARIABLES}
    os.environ["FORECOURT_HOME"] = str(home)
    for key in HOME_VARIABLES[1:]:
        os.environ.pop(key, None)
    try:
        yield home
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_demo_home(home: Path) -> None:
    from landing.generator import generate
    from orchestration.cli import main

    with home_environment(home):
        generate(home / "landing", **DEMO)
        assert main(["materialize"]) == 0


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory) -> Callable[[str, Callable[[Path], None]], Path]:
    """``shared_home(name, build)``: the home ``name``, built by ``build`` once per session."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker's basetemp is in a shared parent
        root = root.parent
    cache = root / "shared_homes"
    cache.mkdir(exist_ok=True)

    def get(name: str, build: Callable[[Path], None]) -> Path:
        home, done = cache / name / "home", cache / name / "built"
        with FileLock(str(cache / f"{name}.lock")):
            if not done.exists():
                shutil.rmtree(home.parent, ignore_errors=True)  # a build that failed earlier
                build(home)
                done.touch()
        return home

    return get


def private_copy(shared: Path, tmp_path_factory, name: str) -> Path:
    home = tmp_path_factory.mktemp(name) / "home"
    shutil.copytree(shared, home, symlinks=True)
    return home


@pytest.fixture(scope="module")
def demo_home(shared_home, tmp_path_factory) -> Iterator[Path]:
    """This module's copy of the demo home, exported as FORECOURT_HOME while the module runs."""
    home = private_copy(shared_home("demo", build_demo_home), tmp_path_factory, "demo")
    with home_environment(home):
        yield home

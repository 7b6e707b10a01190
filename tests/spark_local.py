"""A local SparkSession for tests, skipped (saying why) where Java or pyspark is missing.

Import the fixture into a test module: ``from tests.spark_local import spark  # noqa: F401``.
One session serves the whole test process (``getOrCreate``); it is stopped at the end.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import warnings

import pytest


def unavailable_reason() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed: pip install -e '.[spark]' to run the Spark tests"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and os.path.exists(java_home)):
        return "Java is absent (no java on PATH, no JAVA_HOME): Spark needs Java 17 or 21"
    return None


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from landing.warehouse.spark import spark_session

    with warnings.catch_warnings():
        # pyspark 4.3 warns that it does not fully support pandas 3; the tests check what we use.
        warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*", category=FutureWarning)
        session = spark_session(tmp_path_factory.mktemp("spark-warehouse"), "forecourt-tests")
    yield session
    session.stop()

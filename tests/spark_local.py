"""A local SparkSession for tests, skipped (saying why) where Java or pyspark is missing.

Import the fixture into a test module: ``from tests.spark_local import spark  # noqa: F401``.
One session serves the whole test process (``getOrCreate``); it is stopped at the end.
"""

from __future__ import annotations

import os
import sys
import warnings

import pytest

from landing.warehouse.spark import spark_session, spark_unavailable


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    reason = spark_unavailable()
    if reason:
        pytest.skip(reason)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with warnings.catch_warnings():
        # pyspark 4.3 warns that it does not fully support pandas 3; the tests check what we use.
        warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*", category=FutureWarning)
        session = spark_session(tmp_path_factory.mktemp("spark-warehouse"), "forecourt-tests")
    yield session
    session.stop()

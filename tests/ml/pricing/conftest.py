"""Pricing tests run gradient boosting single-threaded.

OpenMP workers spin while waiting; on a shared CI box with other test processes that turns a
half-second fit into ten. One thread keeps these tests fast and their timing steady.
"""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_openmp():
    with threadpool_limits(limits=1, user_api="openmp"):
        yield

"""A landing zone holding the reference dealer, and an empty warehouse, for each loader test."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.landing_files import DEALER, write_feed


@pytest.fixture
def landing(tmp_path) -> Path:
    landing = tmp_path / "landing"
    write_feed(landing, "dealers", [DEALER])
    return landing


@pytest.fixture
def conn(tmp_path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        yield connection

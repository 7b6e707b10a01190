"""Fixtures for the fault-injection suite: a landing zone with one dealer, a warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from landing.ingestion import load_feed
from tests.landing_files import DEALER, write_feed


@pytest.fixture
def landing(tmp_path) -> Path:
    landing = tmp_path / "landing"
    write_feed(landing, "dealers", [DEALER], day=None)
    return landing


@pytest.fixture
def conn(tmp_path, landing):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        load_feed(connection, "dealers", landing)
        yield connection


def rows(conn, sql: str, *parameters) -> list[tuple]:
    return conn.execute(sql, list(parameters)).fetchall()

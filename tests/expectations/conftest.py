"""The suites and checks run on the fault-injection fixtures: a landing zone with one dealer,
and a warehouse with that dealer loaded."""

from tests.landing.ingestion.faults.conftest import conn, landing

__all__ = ["conn", "landing"]

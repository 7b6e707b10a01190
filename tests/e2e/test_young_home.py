"""A generated home of a few days, materialized whole by the CLI: the checks that need a full
week or a Monday say "not enough history yet" and block nothing, and a real defect still fails.

The checks' own cases (spans, bad rows, a home old enough) are in
tests/expectations/test_young_home.py."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import dagster as dg
import pytest

pytestmark = pytest.mark.e2e

DEMAND = dg.AssetCheckKey(dg.AssetKey(["marts", "demand_weekly"]), "gx_demand_weekly")
MARKET = dg.AssetCheckKey(dg.AssetKey(["raw", "market_listings"]), "gx_market_listings")
MARKET_FRESH = dg.AssetCheckKey(
    dg.AssetKey(["raw", "market_listings"]), "freshness_market_listings"
)


def materialize(home: Path, start: dt.date, days: int, spoil=None) -> tuple[int, dict]:
    """Generate the home, let ``spoil`` change its landing files, run ``forecourt
    materialize``; its exit code and the latest evaluation of each check above."""
    from landing.generator import generate
    from orchestration.cli.main import main

    generate(home / "landing", start=start, days=days, dealers=1)
    if spoil:
        spoil(home / "landing")
    code = main(["materialize"])
    with dg.DagsterInstance.get() as instance:
        records = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [DEMAND, MARKET, MARKET_FRESH]
        )
    return code, {
        key.name: records[key].event.dagster_event.event_specific_data for key in records
    }


def assert_not_enough_history(evaluation) -> None:
    assert not evaluation.passed  # nothing was validated: never green
    assert evaluation.severity == dg.AssetCheckSeverity.WARN  # blocks nothing, pages nobody
    assert evaluation.metadata["status"].value == "not_enough_history"
    assert "not enough history yet" in evaluation.description


def test_a_five_day_home_without_a_monday_builds_everything_and_says_why(
    forecourt_home, capsys
):
    code, checks = materialize(forecourt_home, dt.date(2025, 3, 4), days=5)  # Tue..Sat
    assert code == 0
    out = capsys.readouterr().out
    assert " 0 failed, 2 not run" in out, out
    assert "not run marts/demand_weekly:gx_demand_weekly (not_enough_history)" in out
    assert_not_enough_history(checks["gx_demand_weekly"])
    assert "first complete week ends on 2025-03-16" in checks["gx_demand_weekly"].description
    assert_not_enough_history(checks["gx_market_listings"])
    assert "first drop is due on 2025-03-10" in checks["gx_market_listings"].description
    fresh = checks["freshness_market_listings"]  # no scrape was owed before the first day
    assert fresh.passed and fresh.metadata["not_due_yet"].value is True
    assert "the first is due on 2025-03-10" in fresh.description


def prices_in_thousands(landing: Path) -> None:
    """The Monday scrape with every asking price divided by 1000: a unit error."""
    (path,) = (landing / "market_listings").glob("*.csv")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["asking_price"] = f"{float(row['asking_price']) / 1000:.2f}"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_a_real_defect_on_a_seven_day_home_still_fails_and_blocks(forecourt_home):
    code, checks = materialize(  # Wed..Tue: a Monday scrape, no complete week
        forecourt_home, dt.date(2025, 3, 5), days=7, spoil=prices_in_thousands
    )
    assert code == 1
    market = checks["gx_market_listings"]
    assert not market.passed and market.severity == dg.AssetCheckSeverity.ERROR
    assert market.metadata["status"].value == "validated"
    assert "asking_price" in market.description
    assert checks["freshness_market_listings"].passed
    # and it blocked what reads the listings: the marts were not built, their checks not run
    assert not isinstance(checks["gx_demand_weekly"], dg.AssetCheckEvaluation)

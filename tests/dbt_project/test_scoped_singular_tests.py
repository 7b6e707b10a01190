"""The singular tests over whole tables check, in a one-day run, the keys the run rebuilt, and
every key in the weekly full pass (dbt_project/tests/assert_*.sql, forecourt.one_day_tests).

One small generated dealer: days 1..N-1 built, day N loaded and built incrementally, so the dims
hold rows of two builds. A bad row is then written into a mart, once among the units or
customers the last run rebuilt and once among older ones: the one-day pass fails on the first
only, the full pass on both.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from tests.dbt_project.test_scoped_tests import dbt

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 20
LAST = START + dt.timedelta(days=DAYS - 1)
BUILD = ["--select", "+dim_vehicles", "+customer_rfm"]
PRICE_TEST = "assert_no_price_change_outside_stock_period"
RFM_TEST = "assert_customer_rfm_reconciles_to_transactions"

# a unit with price changes whose sale is moved before its first one
SOLD_EARLY = """
    update marts.dim_vehicles set sold_date = (
        select min(valid_from) - 1 from intermediate.int_list_prices_sequenced as spells
        where spells.stock_number = dim_vehicles.stock_number and spells.is_price_change
    )
    where stock_number = (
        select stock_number from marts.dim_vehicles
        where {latest} built_at = (select max(built_at) from marts.dim_vehicles)
            and stock_number in (select stock_number from intermediate.int_list_prices_sequenced
                                 where is_price_change)
        order by stock_number limit 1
    )
"""
# a customer's RFM frequency off by one
ONE_MORE_PURCHASE = """
    update marts.customer_rfm set frequency = frequency + 1
    where customer_id = (
        select customer_id from marts.dim_customers
        where {latest} built_at = (select max(built_at) from marts.dim_customers)
            and customer_id in (select customer_id from marts.customer_rfm)
        order by customer_id limit 1
    )
"""


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def mark_down_on_the_last_day(landing: Path) -> None:
    """The last day's price file marks down a unit in stock since an earlier day: the day's
    build rebuilds a unit with a price change (a small dealer has few)."""
    sold = {r["stock_number"] for p in (landing / "sales").glob("*.csv") for r in read(p)}
    unit = next(
        r
        for p in sorted((landing / "vehicles").glob("*.csv"))
        for r in read(p)
        if r["stock_number"] not in sold
    )
    changes = landing / "price_changes" / f"{LAST}.csv"
    with next((landing / "price_changes").glob("*.csv")).open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    rows = read(changes) if changes.exists() else []
    markdown = {
        "stock_number": unit["stock_number"],
        "dealer_id": unit["dealer_id"],
        "changed_date": str(LAST),
        "old_price": unit["list_price"],
        "new_price": "1234.00",
        "reason": "age_markdown",
    }
    with changes.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, markdown])


def load(warehouse: Path, landing: Path, days: list[dt.date]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        for feed in FEEDS:
            reference = FEEDS[feed].cadence == "reference"
            load_feed(conn, feed, landing, None if reference else days)


def failures(work: Path, warehouse: Path, since: dt.date | None) -> dict[str, int]:
    """Each singular test's failing rows in a test pass (one-day with `since`)."""
    ran = dbt(work, warehouse, "test", "--select", PRICE_TEST, RFM_TEST, since=since)
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    # a failing test is status fail (or warn), a test that could not run is status error
    assert {r["status"] for r in results} <= {"pass", "fail", "warn"}, ran.stdout[-3000:]
    return {r["unique_id"].split(".")[2]: r["failures"] for r in results}


@pytest.fixture(scope="module")
def passes(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("scoped_singular_tests")
    landing, warehouse = work / "landing", work / "warehouse.duckdb"
    generate(landing, start=START, days=DAYS, dealers=1, seed=7)
    load(warehouse, landing, [START + dt.timedelta(days=i) for i in range(DAYS - 1)])
    built = dbt(work, warehouse, "run", *BUILD)
    assert built.returncode == 0, built.stdout[-3000:]
    mark_down_on_the_last_day(landing)
    load(warehouse, landing, [LAST])
    built = dbt(work, warehouse, "run", *BUILD)
    assert built.returncode == 0, built.stdout[-3000:]
    found = {"clean": failures(work, warehouse, LAST)}
    for rows, latest in (("rebuilt", ""), ("older", "not")):
        copy = work / f"{rows}.duckdb"
        shutil.copyfile(warehouse, copy)
        with duckdb.connect(str(copy)) as conn:
            for change in (SOLD_EARLY, ONE_MORE_PURCHASE):
                (changed,) = conn.execute(change.format(latest=latest)).fetchone()
                assert changed == 1, change
        found[rows] = {"one day": failures(work, copy, LAST), "full": failures(work, copy, None)}
    return found


def test_a_clean_warehouse_passes_both_tests(passes):
    assert passes["clean"] == {PRICE_TEST: 0, RFM_TEST: 0}


def test_a_bad_row_among_the_rebuilt_keys_fails_the_one_day_pass(passes):
    assert passes["rebuilt"]["one day"] == {PRICE_TEST: 1, RFM_TEST: 1}
    assert passes["rebuilt"]["full"] == {PRICE_TEST: 1, RFM_TEST: 1}


def test_a_bad_row_among_older_keys_fails_the_full_pass_only(passes):
    assert passes["older"]["one day"] == {PRICE_TEST: 0, RFM_TEST: 0}
    assert passes["older"]["full"] == {PRICE_TEST: 1, RFM_TEST: 1}

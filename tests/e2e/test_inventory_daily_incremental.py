"""The incremental models (inventory_daily, fct_sales, market_listings_weekly and the price
spells int_list_prices_sequenced) built incrementally equal a full refresh of the same raw
data: after a new day, and after old days are re-delivered with a sale removed, a price change
added, another removed, units moved to an earlier
acquisition day, re-costed, re-modelled or removed, a customer changed, a dealer renamed (the
dealers feed is reloaded by every run, changed or not), a competitor listing re-priced and
another removed, a listing scraped again later in its week, and a week's scrape emptied.
market_listings_weekly also equals its earlier formulation, a row_number() window over every
snapshot, on the final data (which holds a listing seen twice in one week).

One small generated dealer; dbt runs on the path from the sources to the mart. Each comparison
copies the warehouse and rebuilds the mart there with --full-refresh, so the incremental
warehouse goes on undisturbed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from functools import partial
from pathlib import Path

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from orchestration.project import DBT_PROJECT_DIR
from tests.e2e import market_listings_changes as market

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 30
LAST = START + dt.timedelta(days=DAYS - 1)
MONDAY_3, MONDAY_4 = START + dt.timedelta(days=14), START + dt.timedelta(days=21)
# the stage after the last: an older warehouse's spells, without source_partition_date
OLD_SPELLS = "spells built before source_partition_date"
SELECT = ["+inventory_daily", "+fct_sales", "+market_listings_weekly"]
# Every column but what a build adds: the rows each mart holds must match as multisets.
MARTS = {
    "marts.inventory_daily": (
        "date_day, dealer_id, make, model, units_on_hand, new_units, used_units, cost_value, "
        "list_value, avg_days_in_stock, units_aged_60_plus"
    ),
    "marts.fct_sales": "*",
    "marts.market_listings_weekly": "*",
    # by name: an older warehouse's table gains source_partition_date as its last column
    "intermediate.int_list_prices_sequenced": (
        "stock_number, dealer_id, price_seq, valid_from, valid_to, list_price, "
        "previous_list_price, change_reason, is_price_change, is_markdown, markdowns_to_date, "
        "source_partition_date, loaded_at"
    ),
}


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def load(warehouse: Path, landing: Path, load_days: list[dt.date]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        for feed in FEEDS:
            reference = FEEDS[feed].cadence == "reference"
            load_feed(conn, feed, landing, None if reference else load_days)


def dbt(work: Path, warehouse: Path, *args: str) -> dict:
    """Run dbt on `warehouse`; the mart's timing and status from run_results.json.

    A process of its own: dbt-duckdb keeps the file attached in-process after a run.
    """
    target = work / "target"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(work / "logs"),
            "--select",
            *SELECT,
        ],
        env={**os.environ, "FORECOURT_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}"
    results = json.loads((target / "run_results.json").read_text())["results"]
    models = [r for r in results if r["unique_id"].startswith("model.")]
    return {r["unique_id"].split(".")[-1]: r for r in models}


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int, list[tuple]]]:
    """Per mart: its rows, the rows in either build and not the other (as multisets), and a
    few of them."""
    found = {}
    with duckdb.connect(str(incremental), read_only=True) as conn:
        conn.execute(f"attach '{full}' as full_refresh (read_only)")
        for mart, columns in MARTS.items():
            mine = f"select {columns} from {mart}"
            theirs = f"select {columns} from full_refresh.{mart}"
            diff = conn.execute(
                f"select 'incremental only', * from ({mine} except all {theirs}) "
                f"union all select 'full refresh only', * from ({theirs} except all {mine}) "
                "order by 2, 3, 4, 5"
            ).fetchall()
            (rows,) = conn.execute(f"select count(*) from ({mine})").fetchone()
            (full_rows,) = conn.execute(f"select count(*) from ({theirs})").fetchone()
            assert full_rows == rows or diff, f"{mart}: row counts differ but no row does"
            found[mart] = (rows, len(diff), diff[:10])
    return found


def rebuilt_units(work: Path) -> int | None:
    """How many units the last incremental run rebuilt the price spells of, from its compiled
    SQL: the stock numbers inlined in its filter (None: it read every unit)."""
    compiled = next((work / "target" / "compiled").rglob("int_list_prices_sequenced.sql"))
    sql = compiled.read_text()
    if "where 1 = 0" in sql:
        return 0
    scoped = re.search(r"where stock_number in \(([^)]*)\)", sql)
    return None if scoped is None else len(scoped.group(1).split(","))


def full_refresh_copy(work: Path, warehouse: Path) -> Path:
    copy = work / "full_refresh.duckdb"
    copy.unlink(missing_ok=True)
    shutil.copyfile(warehouse, copy)
    dbt(work, copy, "run", "--full-refresh")
    return copy


def rewrite(path: Path, change) -> None:
    """Apply `change` to the rows of a landing CSV (it returns the new list of rows)."""
    with path.open(newline="", encoding="utf-8") as handle:
        columns = csv.DictReader(handle).fieldnames
    rows = change(read(path))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def busiest(landing: Path, feed: str) -> Path:
    """The landing file of the feed with the most rows among old days (10th to 4th last)."""
    old = [
        p
        for p in (landing / feed).glob("*.csv")
        if START + dt.timedelta(days=9) <= dt.date.fromisoformat(p.stem) <= LAST - dt.timedelta(3)
    ]
    return max(old, key=lambda p: len(p.read_text().splitlines()))


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def remove_a_sale(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """A sale vanishes from an old day's file: the unit is back in stock from its sale day."""
    sales = busiest(landing, "sales")
    unsold = read(sales)[0]["stock_number"]
    rewrite(sales, lambda rows: [r for r in rows if r["stock_number"] != unsold])
    check = "select sold_date from marts.dim_vehicles where stock_number = ?"
    return [dt.date.fromisoformat(sales.stem)], check, [unsold], [(None,)]


def add_a_price_change(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """An old day's price change file gains a markdown of a unit never sold."""
    sold = {r["stock_number"] for p in (landing / "sales").glob("*.csv") for r in read(p)}
    vehicles = busiest(landing, "vehicles")
    unit = next(r for r in read(vehicles) if r["stock_number"] not in sold)
    price_day = dt.date.fromisoformat(vehicles.stem) + dt.timedelta(days=2)
    markdown = {
        "stock_number": unit["stock_number"],
        "dealer_id": unit["dealer_id"],
        "changed_date": str(price_day),
        "old_price": unit["list_price"],
        "new_price": "1234.00",
        "reason": "age_markdown",
    }
    rewrite(landing / "price_changes" / f"{price_day}.csv", lambda rows: [*rows, markdown])
    check = (
        "select list_price from intermediate.int_list_prices_sequenced "
        "where stock_number = ? and valid_from = ?"
    )
    return [price_day], check, [unit["stock_number"], price_day], [(1234,)]


def remove_a_price_change(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """An old day's price change vanishes: only the price spells still name its unit, whose
    spells close up around the gap."""
    changes = busiest(landing, "price_changes")
    change_day = dt.date.fromisoformat(changes.stem)
    gone = read(changes)[0]
    rewrite(changes, lambda rows: [r for r in rows if r != gone])
    check = (
        "select count(*) from intermediate.int_list_prices_sequenced "
        "where stock_number = ? and valid_from = ? and is_price_change"
    )
    return [change_day], check, [gone["stock_number"], change_day], [(0,)]


def total_cost(unit: dict) -> Decimal:
    return Decimal(unit["acquisition_cost"]) + Decimal(unit["recon_cost"] or 0)


def change_units(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """In an old day's stock file, one unit costs more and another changes model."""
    vehicles = busiest(landing, "vehicles")
    rows = read(vehicles)
    costed, remodelled = rows[-1], rows[-2]
    costed["acquisition_cost"] = f"{float(costed['acquisition_cost']) + 1234.5:.2f}"
    remodelled["model"] = "Remodelled"
    rewrite(vehicles, lambda _: rows)
    check = (
        "select stock_number, total_cost, model from marts.dim_vehicles "
        "where stock_number in (?, ?) order by 1"
    )
    expected = sorted(
        (unit["stock_number"], total_cost(unit), unit["model"]) for unit in (costed, remodelled)
    )
    return (
        [dt.date.fromisoformat(vehicles.stem)],
        check,
        [costed["stock_number"], remodelled["stock_number"]],
        expected,
    )


def move_and_remove_units(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """In an old day's stock file: one unit's acquisition moves 6 days back (its row moves to
    that day's file, as the contract wants) and another vanishes."""
    vehicles = busiest(landing, "vehicles")
    vehicle_day = dt.date.fromisoformat(vehicles.stem)
    rows = read(vehicles)
    moved, removed = rows[0], rows[1]
    moved_to = vehicle_day - dt.timedelta(days=6)
    gone = (moved["stock_number"], removed["stock_number"])
    rewrite(vehicles, lambda rows: [r for r in rows if r["stock_number"] not in gone])
    moved_row = {**moved, "acquired_date": str(moved_to)}
    rewrite(landing / "vehicles" / f"{moved_to}.csv", lambda rows: [*rows, moved_row])
    check = (
        "select stock_number, acquired_date from marts.dim_vehicles "
        "where stock_number in (?, ?) order by 1"
    )
    return [moved_to, vehicle_day], check, list(gone), [(moved["stock_number"], moved_to)]


def change_a_customer(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """An old day's customer file says one buyer earns far more: their deals' income band
    changes in fct_sales, on whatever days they bought."""
    buyers = {r["customer_id"] for p in (landing / "sales").glob("*.csv") for r in read(p)}
    customers = max(
        (p for p in (landing / "customers").glob("*.csv") if p.stem < str(LAST - dt.timedelta(3))),
        key=lambda p: sum(r["customer_id"] in buyers for r in read(p)),
    )
    rows = read(customers)
    buyer = next(r for r in rows if r["customer_id"] in buyers)
    buyer["annual_income"] = "987654.00"
    rewrite(customers, lambda _: rows)
    check = "select distinct customer_income_band from marts.fct_sales where customer_id = ?"
    return [dt.date.fromisoformat(customers.stem)], check, [buyer["customer_id"]], [("150k+",)]


def rename_a_dealer(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """The dealers reference file renames the rooftop: every deal of every day shows it."""
    (dealers,) = (landing / "dealers").glob("*.csv")
    rows = read(dealers)
    rows[0]["dealer_name"] = "Renamed Motors"
    rewrite(dealers, lambda _: rows)
    check = "select distinct dealer_name from marts.fct_sales where dealer_id = ?"
    return [LAST], check, [rows[0]["dealer_id"]], [("Renamed Motors",)]


REDELIVERIES = {
    "a sale removed": remove_a_sale,
    "a price change added": add_a_price_change,
    "a price change removed": remove_a_price_change,
    "units re-costed and re-modelled": change_units,
    "units moved back and removed": move_and_remove_units,
    "a customer changed": change_a_customer,
    "a dealer renamed": rename_a_dealer,
    # START is a Monday: the scrapes of the 3rd, 4th and 2nd weeks
    "a listing re-priced and one removed": partial(market.reprice_and_remove, monday=MONDAY_3),
    "a listing scraped again later in its week": partial(market.scrape_again, monday=MONDAY_4),
    "a week's scrape emptied": partial(market.empty_week, monday=START + dt.timedelta(days=7)),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Days 1..N-1 built, day N added incrementally, then old days re-delivered changed, one
    kind of change at a time (so one rule cannot hide another's miss), then a run with
    nothing new. Each stage: the differences with a full refresh, and what dbt now holds."""
    work = tmp_path_factory.mktemp("inventory_daily")
    landing, warehouse = work / "landing", work / "warehouse.duckdb"
    generate(landing, start=START, days=DAYS, dealers=1, seed=11)
    load(warehouse, landing, days(START, LAST - dt.timedelta(days=1)))
    dbt(work, warehouse, "run")

    load(warehouse, landing, [LAST])
    dbt(work, warehouse, "run")
    units = rebuilt_units(work)
    stages = {"a new day": {"diff": differences(warehouse, full_refresh_copy(work, warehouse)),
                            "units": units}}
    for name, redeliver in REDELIVERIES.items():
        changed_days, check, parameters, expected = redeliver(landing)
        load(warehouse, landing, changed_days)
        dbt(work, warehouse, "run")
        units = rebuilt_units(work)
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            held = conn.execute(check, parameters).fetchall()
        full = full_refresh_copy(work, warehouse)
        stages[name] = {"diff": differences(warehouse, full), "held": (held, expected),
                        "units": units}

    dbt(work, warehouse, "run")
    stages["nothing new"] = {"diff": differences(warehouse, full), "units": rebuilt_units(work)}
    # a warehouse whose spells were built before they named their file's day (a table then)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("alter table intermediate.int_list_prices_sequenced "
                     "drop column source_partition_date")
    dbt(work, warehouse, "run")
    stages[OLD_SPELLS] = {
        "diff": differences(warehouse, full), "units": rebuilt_units(work)}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (stages["all units"],) = conn.execute(
            "select count(distinct stock_number) from intermediate.int_list_prices_sequenced"
        ).fetchone()
    stages["old window formulation"] = market.window_differences(warehouse)
    return stages


@pytest.mark.parametrize("stage", REDELIVERIES)
def test_the_redelivered_change_reaches_the_marts(runs, stage):
    held, expected = runs[stage]["held"]
    assert held == expected


@pytest.mark.parametrize("mart", MARTS)
@pytest.mark.parametrize("stage", ["a new day", *REDELIVERIES, "nothing new", OLD_SPELLS])
def test_the_mart_built_incrementally_equals_a_full_refresh(runs, stage, mart):
    rows, different, examples = runs[stage]["diff"][mart]
    assert rows > 0
    assert different == 0, examples


UNITS_CHANGED = {"a new day", "a price change added", "a price change removed",
                 "units re-costed and re-modelled", "units moved back and removed"}


@pytest.mark.parametrize("stage", ["a new day", *REDELIVERIES, "nothing new"])
def test_the_price_spells_rebuild_the_units_that_changed_not_all(runs, stage):
    """Incremental, not a whole rebuild in disguise: a run rebuilds the spells of fewer units
    than there are, some when it loaded units or price changes (each stage reloads every
    feed's file of its days, so the others rebuild those days' units too), none when nothing
    was loaded."""
    units = runs[stage]["units"]
    assert units is not None, "the run rebuilt every unit's spells"
    assert units < runs["all units"]
    if stage in UNITS_CHANGED:
        assert units > 0
    if stage == "nothing new":
        assert units == 0


def test_spells_built_before_they_named_their_file_day_are_rebuilt_whole(runs):
    """An older warehouse's spells lack source_partition_date: the first run rebuilds every
    unit and adds the column (the equality above shows the rows)."""
    assert runs[OLD_SPELLS]["units"] is None


def test_market_listings_weekly_equals_its_window_formulation(runs):
    """The aggregate (max_by at the latest snapshot) gives the rows the row_number() window
    gave, on data holding a listing scraped twice in one week."""
    rows, different, examples, seen_twice = runs["old window formulation"]
    assert rows > 0 and seen_twice > 0
    assert different == 0, examples

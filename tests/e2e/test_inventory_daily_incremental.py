"""The incremental models (inventory_daily, fct_sales, demand_daily, market_listings_weekly,
customer_transactions, dim_customers, dim_vehicles and the price spells
int_list_prices_sequenced) built incrementally equal a full refresh of the same raw data: after
a new day, and after old days are re-delivered with a sale removed, a price change added,
another removed, units moved to an earlier acquisition day, re-costed, re-modelled or removed,
a customer changed, a deal moved to another customer, another to another unit, service visits
re-priced, removed and moved to a later day, a dealer renamed (the
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
from collections import Counter
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
# the stage after the last: an older warehouse's spells and customer transactions, built
# before they named their file day (and, the transactions, their load time)
OLD_SPELLS = "tables built before source_partition_date"
SPELLS_ALONE = "the spells rebuilt whole in a run of their own"
OLD_COLUMNS = {
    "intermediate.int_list_prices_sequenced": ["source_partition_date"],
    "marts.customer_transactions": ["source_partition_date", "source_loaded_at", "built_at"],
    "marts.dim_customers": ["source_partition_date", "source_loaded_at", "built_at"],
    "marts.dim_vehicles": ["sale_source_partition_date", "loaded_through", "built_at"],
}
SELECT = [
    "+inventory_daily",
    "+fct_sales",
    "+demand_daily",
    "+market_listings_weekly",
    "+dim_customers",
    "+dim_vehicles",
]
# Every column but what a build adds: the rows each mart holds must match as multisets.
MARTS = {
    "marts.inventory_daily": (
        "date_day, dealer_id, make, model, units_on_hand, new_units, used_units, cost_value, "
        "list_value, avg_days_in_stock, units_aged_60_plus"
    ),
    "marts.fct_sales": "*",
    # not sales_loaded_at: the newest sale's load when the rows were built
    "marts.demand_daily": (
        "unique_id, ds, y, revenue, level, parent_id, day_of_week, is_holiday, holiday_name, "
        "is_closed"
    ),
    "marts.market_listings_weekly": "*",
    # by name: an older warehouse's table gains source_partition_date as its last column
    "intermediate.int_list_prices_sequenced": (
        "stock_number, dealer_id, price_seq, valid_from, valid_to, list_price, "
        "previous_list_price, change_reason, is_price_change, is_markdown, markdowns_to_date, "
        "source_partition_date, loaded_at"
    ),
    "marts.customer_transactions": (
        "transaction_id, customer_id, dealer_id, date, amount, gross, kind, "
        "source_partition_date, source_loaded_at"
    ),
    "marts.dim_customers": (
        "customer_id, customer_type, first_name, last_name, company_name, gender, age, "
        "annual_income, income_band, city, region, phone, email, created_date, "
        "first_purchase_date, last_purchase_date, purchase_count, vehicle_revenue, "
        "vehicle_gross_profit, first_service_date, last_service_date, service_visit_count, "
        "service_revenue, total_revenue, last_activity_date, days_since_last_activity, "
        "as_of_date, source_partition_date, source_loaded_at"
    ),
    # not loaded_through: the load log's newest load when a row was built, as built_at
    "marts.dim_vehicles": (
        "stock_number, vin, dealer_id, region, stock_type, make, model, trim, model_year, "
        "body_style, engine, transmission, color, mileage, condition_grade, acquisition_source, "
        "pricing_strategy, acquired_date, acquisition_cost, recon_cost, total_cost, "
        "initial_list_price, current_list_price, price_change_count, markdown_count, "
        "last_price_change_date, status, deal_id, sold_date, sale_price, days_in_stock, "
        "age_bucket, as_of_date, sale_source_partition_date"
    ),
}


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def load(warehouse: Path, landing: Path, load_days: list[dt.date]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        for feed in FEEDS:
            reference = FEEDS[feed].cadence == "reference"
            load_feed(conn, feed, landing, None if reference else load_days)


def dbt(work: Path, warehouse: Path, *args: str, select: list[str] = SELECT) -> dict:
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
            *select,
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


def rebuilt_key_list(work: Path, model: str, key: str, ctes: tuple[str, str] | None = None):
    """The keys the last incremental run rebuilt `model`'s rows of, from its compiled SQL:
    those inlined in its filter on `key`, within the CTEs `ctes` (from the first to the
    second) when given. None when it read every key."""
    compiled = next((work / "target" / "compiled").rglob(f"{model}.sql"))
    sql = compiled.read_text()
    if ctes:
        sql = sql[sql.index(f"{ctes[0]} as (") : sql.index(f"{ctes[1]} as (")]
    if "where 1 = 0" in sql:
        return []
    scoped = re.search(rf"where {key} in \(([^)]*)\)", sql)
    return None if scoped is None else [k.strip(" '") for k in scoped.group(1).split(",")]


def rebuilt_keys(work: Path, model: str, key: str, ctes: tuple[str, str] | None = None):
    """How many keys the last incremental run rebuilt `model`'s rows of (None: every key)."""
    keys = rebuilt_key_list(work, model, key, ctes)
    return None if keys is None else len(keys)


def rebuilt_transactions(work: Path) -> tuple[int | None, int | None]:
    """How many sale days and repair orders the last incremental run copied into
    customer_transactions again, from its compiled SQL (None: every one of that kind)."""
    compiled = next((work / "target" / "compiled").rglob("customer_transactions.sql"))
    sql = compiled.read_text()
    sales = sql[sql.index("with sales as (") : sql.index("service_visits as (")]
    visits = sql[sql.index("service_visits as (") : sql.index("vehicle_transactions as (")]
    if "where" not in sales:  # a full build: no scope at all
        return None, None
    days = None if "1 = 1" in sales else sales.count(" as date)")
    repair_orders = None if "1 = 1" in visits else visits.count("'") // 2
    return days, repair_orders


def rebuilt(work: Path) -> dict:
    """What the last incremental run rebuilt of each model incremental by key."""
    return {
        "units": rebuilt_keys(work, "int_list_prices_sequenced", "stock_number"),
        "unit_list": rebuilt_key_list(work, "int_list_prices_sequenced", "stock_number"),
        "transactions": rebuilt_transactions(work),
        "customers": rebuilt_keys(
            work, "dim_customers", "customer_id", ("customers", "transactions")
        ),
        "vehicles": rebuilt_keys(work, "dim_vehicles", "stock_number", ("vehicles", "sales")),
    }


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


def move_a_deal_to_another_customer(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """An old day's sales file gives a deal to another buyer. Both were created on earlier
    days, so no customers file of the re-delivered day names them: dim_customers finds the
    first buyer only through the log of replaced transactions, the new one through the rows
    written."""
    created = {
        r["customer_id"]: p.stem for p in (landing / "customers").glob("*.csv") for r in read(p)
    }
    old_days = [
        p for p in (landing / "sales").glob("*.csv") if p.stem <= str(LAST - dt.timedelta(3))
    ]
    for sales in sorted(old_days, reverse=True):
        rows = read(sales)
        earlier = sorted(c for c, day in created.items() if day < sales.stem)
        deal = next((r for r in rows if r["customer_id"] in earlier), None)
        if deal and len(earlier) > 1:
            break
    else:
        raise AssertionError("no deal of a customer created before it: change the seed")
    first_buyer = deal["customer_id"]
    new_buyer = next(c for c in earlier if c != first_buyer)
    deal["customer_id"] = new_buyer
    rewrite(sales, lambda _: rows)
    check = (
        "select customer_id, purchase_count from marts.dim_customers "
        "where customer_id in (?, ?) order by 1"
    )
    purchases = Counter(
        r["customer_id"] for p in (landing / "sales").glob("*.csv") for r in read(p)
    )
    expected = sorted((c, purchases[c]) for c in (first_buyer, new_buyer))
    return [dt.date.fromisoformat(sales.stem)], check, [first_buyer, new_buyer], expected


def move_a_deal_to_another_unit(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """An old day's sales file gives a deal to another unit of its dealer, one never sold and
    acquired before the sale: the first unit is back in stock, the other sold. Neither unit's
    stock or price rows change, so the price spells rebuild neither: dim_vehicles finds the
    first through the file day of its deal, the other through the raw row."""
    sold = {r["stock_number"] for p in (landing / "sales").glob("*.csv") for r in read(p)}
    units = [r for p in sorted((landing / "vehicles").glob("*.csv")) for r in read(p)]
    sales = busiest(landing, "sales")
    touched = {  # units with a stock or price row on the sale day: the spells rebuild those
        r["stock_number"]
        for feed in ("vehicles", "price_changes")
        if (landing / feed / sales.name).exists()
        for r in read(landing / feed / sales.name)
    }
    rows = read(sales)
    deal = next(r for r in reversed(rows) if r["stock_number"] not in touched)
    unsold = next(
        u["stock_number"]
        for u in units
        if u["stock_number"] not in sold | touched
        and u["dealer_id"] == deal["dealer_id"]
        and u["acquired_date"] < sales.stem
    )
    first_unit = deal["stock_number"]
    deal["stock_number"] = unsold
    rewrite(sales, lambda _: rows)
    check = (
        "select stock_number, deal_id, sold_date from marts.dim_vehicles "
        "where stock_number in (?, ?) order by 1"
    )
    sale_day = dt.date.fromisoformat(sales.stem)
    expected = sorted([(first_unit, None, None), (unsold, deal["deal_id"], sale_day)])
    return [sale_day], check, [first_unit, unsold], expected


def change_service_visits(landing: Path) -> tuple[list[dt.date], str, list, list]:
    """Three old service files (a small dealer's repair orders are few: five days of the 30
    have any): in one a repair order is re-priced, in another one vanishes, in the third one is
    re-delivered two days later (the same number on that day's file: its newest version)."""
    files = [
        p
        for p in sorted((landing / "service_visits").glob("*.csv"))
        if dt.date.fromisoformat(p.stem) <= LAST - dt.timedelta(days=3) and read(p)
    ]
    assert len(files) >= 3, "too few service files with rows for this test: change the seed"
    moved_in, removed_in, repriced_in = files[0], files[-2], files[-1]
    rows = read(repriced_in)
    repriced = rows[0]
    repriced["amount"] = "4321.00"
    rewrite(repriced_in, lambda _: rows)
    removed, moved = read(removed_in)[0], read(moved_in)[0]
    rewrite(removed_in, lambda rows: [r for r in rows if r != removed])
    rewrite(moved_in, lambda rows: [r for r in rows if r != moved])
    moved_to = dt.date.fromisoformat(moved_in.stem) + dt.timedelta(days=2)
    moved_row = {**moved, "visit_date": str(moved_to)}
    rewrite(landing / "service_visits" / f"{moved_to}.csv", lambda rows: [*rows, moved_row])
    check = (
        "select transaction_id, amount, date from marts.customer_transactions "
        "where kind = 'service' and transaction_id in (?, ?, ?) order by 1"
    )
    expected = sorted(
        [
            (repriced["visit_id"], Decimal("4321.00"), dt.date.fromisoformat(repriced_in.stem)),
            (moved["visit_id"], Decimal(moved["amount"]), moved_to),
        ]
    )
    changed = {dt.date.fromisoformat(p.stem) for p in (repriced_in, removed_in, moved_in)}
    return (
        sorted(changed | {moved_to}),
        check,
        [repriced["visit_id"], removed["visit_id"], moved["visit_id"]],
        expected,
    )


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
    "service visits re-priced, removed and moved": change_service_visits,
    "a deal moved to another customer": move_a_deal_to_another_customer,
    "a deal moved to another unit": move_a_deal_to_another_unit,
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
    dbt(work, warehouse, "seed", select=["dealer_holidays"])  # demand_daily's calendar
    dbt(work, warehouse, "run")

    load(warehouse, landing, [LAST])
    dbt(work, warehouse, "run")
    scope = rebuilt(work)  # before the full refresh below compiles over it
    stages = {
        "a new day": {"diff": differences(warehouse, full_refresh_copy(work, warehouse)), **scope}
    }
    for name, redeliver in REDELIVERIES.items():
        changed_days, check, parameters, expected = redeliver(landing)
        load(warehouse, landing, changed_days)
        dbt(work, warehouse, "run")
        scope = rebuilt(work)
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            held = conn.execute(check, parameters).fetchall()
        full = full_refresh_copy(work, warehouse)
        stages[name] = {
            "diff": differences(warehouse, full),
            "held": (held, expected),
            "parameters": parameters,
            **scope,
        }

    dbt(work, warehouse, "run")
    stages["nothing new"] = {"diff": differences(warehouse, full), **rebuilt(work)}
    # the spells rebuilt whole in a run of their own: the log says every unit (a null)
    dbt(work, warehouse, "run", "--full-refresh", select=["int_list_prices_sequenced"])
    dbt(work, warehouse, "run")
    stages[SPELLS_ALONE] = {"diff": differences(warehouse, full), **rebuilt(work)}
    # a warehouse whose incremental-by-key tables were built before they named their file's
    # day (tables rebuilt whole then)
    with duckdb.connect(str(warehouse)) as conn:
        for table, columns in OLD_COLUMNS.items():
            for column in columns:
                conn.execute(f"alter table {table} drop column {column}")
    dbt(work, warehouse, "run")
    stages[OLD_SPELLS] = {"diff": differences(warehouse, full), **rebuilt(work)}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (stages["all units"],) = conn.execute(
            "select count(distinct stock_number) from intermediate.int_list_prices_sequenced"
        ).fetchone()
        stages["all transactions"] = conn.execute(
            "select count(distinct source_partition_date) filter (where kind = 'vehicle'), "
            "count(*) filter (where kind = 'service') from marts.customer_transactions"
        ).fetchone()
        (stages["all customers"],) = conn.execute(
            "select count(*) from marts.dim_customers"
        ).fetchone()
        (stages["all vehicles"],) = conn.execute(
            "select count(*) from marts.dim_vehicles"
        ).fetchone()
    stages["old window formulation"] = market.window_differences(warehouse)
    return stages


@pytest.mark.parametrize("stage", REDELIVERIES)
def test_the_redelivered_change_reaches_the_marts(runs, stage):
    held, expected = runs[stage]["held"]
    assert held == expected


@pytest.mark.parametrize("mart", MARTS)
@pytest.mark.parametrize(
    "stage", ["a new day", *REDELIVERIES, "nothing new", SPELLS_ALONE, OLD_SPELLS]
)
def test_the_mart_built_incrementally_equals_a_full_refresh(runs, stage, mart):
    rows, different, examples = runs[stage]["diff"][mart]
    assert rows > 0
    assert different == 0, examples


UNITS_CHANGED = {
    "a new day",
    "a price change added",
    "a price change removed",
    "units re-costed and re-modelled",
    "units moved back and removed",
}


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


@pytest.mark.parametrize("stage", ["a new day", *REDELIVERIES, "nothing new"])
def test_customer_transactions_copy_the_days_and_visits_that_changed_not_all(runs, stage):
    """Incremental too: fewer sale days and repair orders than there are; some repair orders
    when a service file was loaded (every stage reloads all feeds' files of its days)."""
    days, visits = runs[stage]["transactions"]
    all_days, all_visits = runs["all transactions"]
    assert days is not None and visits is not None, "the run copied every transaction"
    if stage != "a dealer renamed":  # a dealer change rebuilds every sale day, as in fct_sales
        assert days < all_days
    assert visits < all_visits
    if stage in ("a new day", "service visits re-priced, removed and moved"):
        assert days > 0 and visits > 0


@pytest.mark.parametrize("stage", ["a new day", *REDELIVERIES, "nothing new"])
def test_dim_customers_rebuilds_the_customers_that_changed_not_all(runs, stage):
    """Incremental too: fewer customers than there are, some when customers, deals or visits
    were loaded (a new day brings all three). A run with nothing new may still rebuild some:
    after a reload that moved no watermark it copies those sale days again, as fct_sales
    rebuilds them."""
    customers = runs[stage]["customers"]
    assert customers is not None, "the run rebuilt every customer"
    assert customers < runs["all customers"]
    if stage in (
        "a new day",
        "a sale removed",
        "a customer changed",
        "service visits re-priced, removed and moved",
        "a deal moved to another customer",
    ):
        assert customers > 0


VEHICLES_CHANGED = UNITS_CHANGED | {
    "a sale removed",
    "a deal moved to another unit",
}


@pytest.mark.parametrize("stage", ["a new day", *REDELIVERIES, "nothing new"])
def test_dim_vehicles_rebuilds_the_units_that_changed_not_all(runs, stage):
    """Incremental too: fewer units than there are (but after a dealer change: a dealer's
    region is in every row of its units), some when units, price changes or deals were
    loaded, none when nothing was."""
    vehicles = runs[stage]["vehicles"]
    if stage == "a dealer renamed":
        assert vehicles is None
        return
    assert vehicles is not None, "the run rebuilt every unit"
    assert vehicles < runs["all vehicles"]
    if stage in VEHICLES_CHANGED:
        assert vehicles > 0
    if stage == "nothing new":
        assert vehicles == 0


def test_a_deal_given_to_another_unit_is_found_by_its_sales_file_not_the_spells(runs):
    """Neither unit of the moved deal had a stock or price row that day, so the spells did not
    list them: dim_vehicles found them through the sales (the equality above shows it)."""
    stage = runs["a deal moved to another unit"]
    assert stage["unit_list"] is not None
    assert not set(stage["parameters"]) & set(stage["unit_list"])
    assert stage["vehicles"] >= 2


def test_dim_vehicles_rebuilds_every_unit_after_the_spells_were_rebuilt_whole(runs):
    """A full refresh of the spells alone writes a null to their log: the next run of the dim
    rebuilds every unit, as nothing else says which units changed."""
    assert runs[SPELLS_ALONE]["vehicles"] is None
    assert runs[SPELLS_ALONE]["units"] == 0


def test_tables_built_before_they_named_their_file_day_are_rebuilt_whole(runs):
    """An older warehouse's spells, customer transactions and customers lack the columns that
    tell what changed: the first run rebuilds them whole and adds the columns (the equality
    above shows the rows)."""
    assert runs[OLD_SPELLS]["units"] is None
    assert runs[OLD_SPELLS]["transactions"] == (None, None)
    assert runs[OLD_SPELLS]["customers"] is None
    assert runs[OLD_SPELLS]["vehicles"] is None


def test_market_listings_weekly_equals_its_window_formulation(runs):
    """The aggregate (max_by at the latest snapshot) gives the rows the row_number() window
    gave, on data holding a listing scraped twice in one week."""
    rows, different, examples, seen_twice = runs["old window formulation"]
    assert rows > 0 and seen_twice > 0
    assert different == 0, examples

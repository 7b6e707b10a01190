"""inventory_daily, built from events (a unit comes into stock or is sold, reaches its 61st day,
a price comes into force or ends) and running balances, holds the same rows as the formulation
it replaced: every data day joined with every unit on hand that day and its price in force,
then aggregated. That formulation is kept here as the reference query and runs in the same
warehouse on the mart's own inputs (marts.dim_vehicles, intermediate.int_list_prices_sequenced,
intermediate.int_data_dates).

Two generated dealers over 100 days (units age past 60 days, prices change), plus what the
generator does not make: a unit acquired before the first data day, a unit sold the day it was
acquired, a unit with no acquisition day, and a model whose units are on hand with no list
price (a first price is optional), alone on some days and with a priced unit on others.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from orchestration.project import DBT_PROJECT_DIR

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 100
COLUMNS = (
    "date_day, dealer_id, make, model, units_on_hand, new_units, used_units, cost_value, "
    "list_value, avg_days_in_stock, units_aged_60_plus"
)
# The unit-days formulation the mart had until its cost grew with units x days (issue 16).
REFERENCE = """
with bounds as (
    select first_data_date, last_data_date from intermediate.int_data_dates
),
days as (
    select cast(unnest(generate_series(first_data_date, last_data_date, interval 1 day)) as date)
        as date_day
    from bounds
),
unit_days as (
    select
        days.date_day, v.stock_number, v.dealer_id, v.make, v.model, v.stock_type, v.total_cost,
        date_diff('day', v.acquired_date, days.date_day) as days_in_stock
    from days
    inner join marts.dim_vehicles as v
        on days.date_day >= v.acquired_date
        and (v.sold_date is null or days.date_day < v.sold_date)
),
priced as (
    select unit_days.*, p.list_price
    from unit_days
    left join intermediate.int_list_prices_sequenced as p
        on unit_days.stock_number = p.stock_number
        and unit_days.date_day >= p.valid_from
        and (p.valid_to is null or unit_days.date_day < p.valid_to)
)
select
    cast(date_day as date) as date_day, dealer_id, make, model,
    cast(count(*) as integer) as units_on_hand,
    cast(sum(case when stock_type = 'new' then 1 else 0 end) as integer) as new_units,
    cast(sum(case when stock_type = 'used' then 1 else 0 end) as integer) as used_units,
    cast(sum(total_cost) as decimal(14, 2)) as cost_value,
    cast(sum(list_price) as decimal(14, 2)) as list_value,
    avg(cast(days_in_stock as double)) as avg_days_in_stock,
    cast(sum(case when days_in_stock > 60 then 1 else 0 end) as integer) as units_aged_60_plus
from priced
group by date_day, dealer_id, make, model
"""


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def append(path: Path, rows: list[dict]) -> None:
    """Add rows to a landing CSV, in its own column order (the file exists: one per day)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, existing = reader.fieldnames, list(reader)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows([*existing, *rows])


def first_row(landing: Path, feed: str) -> dict:
    for path in sorted((landing / feed).glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                return row
    raise AssertionError(f"no {feed} row in {landing}")


def add_edge_cases(landing: Path) -> dict:
    """The units the generator does not make, each in the file of the day it is reported."""
    template, sale = first_row(landing, "vehicles"), first_row(landing, "sales")

    def unit(number: str, acquired: dt.date | None, **changes) -> dict:
        return {
            **template,
            "stock_number": number,
            "vin": "",
            "acquired_date": str(acquired) if acquired else "",
            **changes,
        }

    def deal(number: str, stock_number: str, sold: dt.date) -> dict:
        return {**sale, "deal_id": number, "stock_number": stock_number, "sale_date": str(sold)}

    vehicles, sales = landing / "vehicles", landing / "sales"
    # acquired_date moves 20 days back once loaded (load_feed refuses a row dated before its file)
    append(vehicles / f"{day(0)}.csv", [unit("EDGE-EARLY", day(0), model="Early")])
    append(vehicles / f"{day(10)}.csv", [unit("EDGE-NO-DAY", None)])
    append(vehicles / f"{day(50)}.csv", [unit("EDGE-SAME-DAY", day(50))])
    append(sales / f"{day(50)}.csv", [deal("SEDGE0001", "EDGE-SAME-DAY", day(50))])
    unpriced = unit("EDGE-UNPRICED-1", day(5), model="Unpriced", list_price="")
    append(vehicles / f"{day(5)}.csv", [unpriced])
    append(vehicles / f"{day(30)}.csv", [unit("EDGE-UNPRICED-2", day(30), model="Unpriced")])
    append(sales / f"{day(40)}.csv", [deal("SEDGE0002", "EDGE-UNPRICED-2", day(40))])
    return template


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("inventory_daily_events")
    landing, warehouse = work / "landing", work / "warehouse.duckdb"
    generate(landing, start=START, days=DAYS, dealers=2, seed=5)
    template = add_edge_cases(landing)
    every_day = [day(offset) for offset in range(DAYS)]
    with duckdb.connect(str(warehouse)) as conn:
        for feed in FEEDS:
            reference = FEEDS[feed].cadence == "reference"
            report = load_feed(conn, feed, landing, None if reference else every_day)
            assert not report.skipped and not report.rows_rejected, f"{feed}: {report}"
        conn.execute(
            "update raw.vehicles set acquired_date = ? where stock_number = 'EDGE-EARLY'",
            [day(-20)],
        )
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "run",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--select",
            "+inventory_daily",
        ],
        env={**os.environ, "FORECOURT_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"dbt run failed:\n{result.stdout[-3000:]}"
    return warehouse, template


def rows(conn: duckdb.DuckDBPyConnection, query: str) -> dict[tuple, tuple]:
    found = {}
    for row in conn.execute(f"select {COLUMNS} from ({query}) as q").fetchall():
        key = row[:4]
        assert key not in found, f"two rows for {key}"
        found[key] = row[4:]
    return found


@pytest.fixture(scope="module")
def both(warehouse) -> tuple[dict, dict]:
    path, _ = warehouse
    with duckdb.connect(str(path), read_only=True) as conn:
        return rows(conn, "select * from marts.inventory_daily"), rows(conn, REFERENCE)


def same(mine, theirs) -> bool:
    if isinstance(mine, float) and isinstance(theirs, float):
        return math.isclose(mine, theirs, rel_tol=0, abs_tol=1e-9)
    return mine == theirs and type(mine) is type(theirs)


def test_the_mart_has_the_rows_of_the_unit_days_formulation(both):
    mine, reference = both
    assert len(reference) > 1000
    only_mine, only_reference = mine.keys() - reference.keys(), reference.keys() - mine.keys()
    assert not only_mine and not only_reference, (
        f"rows only in the mart: {sorted(only_mine)[:5]}; "
        f"only in the reference: {sorted(only_reference)[:5]}"
    )
    names = COLUMNS.split(", ")[4:]
    wrong = [
        (key, name, value, reference[key][i])
        for key, values in sorted(mine.items())
        for i, (name, value) in enumerate(zip(names, values, strict=True))
        if not same(value, reference[key][i])
    ]
    assert not wrong, f"{len(wrong)} values differ (row, column, mart, reference): {wrong[:5]}"


def test_the_data_has_what_the_formulas_must_get_right(both, warehouse):
    """Ageing, price changes, and every edge case reach the reference: else the comparison
    above would prove less than it says."""
    _, reference = both
    path, template = warehouse
    dealer, make = template["dealer_id"], template["make"]
    assert sum(values[6] for values in reference.values()) > 0, "no unit aged past 60 days"
    with duckdb.connect(str(path), read_only=True) as conn:
        (changes,) = conn.execute(
            "select count(*) from intermediate.int_list_prices_sequenced "
            "where is_price_change and valid_from > ?",
            [START],
        ).fetchone()
        (no_day,) = conn.execute(
            "select count(*) from marts.dim_vehicles "
            "where stock_number = 'EDGE-NO-DAY' and acquired_date is null"
        ).fetchone()
        (same_day,) = conn.execute(
            "select count(*) from marts.dim_vehicles "
            "where stock_number = 'EDGE-SAME-DAY' and sold_date = acquired_date"
        ).fetchone()
    assert changes > 100 and no_day == 1 and same_day == 1
    # acquired 20 days before the first data day: on hand from it, 20 days in stock
    assert reference[(day(0), dealer, make, "Early")][5] == 20.0
    unpriced = {k[0]: v[4] for k, v in reference.items() if k[3] == "Unpriced"}
    assert unpriced[day(29)] is None and unpriced[day(40)] is None
    assert unpriced[day(30)] is not None

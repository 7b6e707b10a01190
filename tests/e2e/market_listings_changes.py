"""Changes to the market_listings feed for the incremental equality test
(test_inventory_daily_incremental.py), and market_listings_weekly's earlier formulation, a
row_number() window over every snapshot, as the reference the aggregate must equal.

Each change returns what that test's stages expect: the days to reload, a query on the mart,
its parameters and the rows it must then return.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb

GROUP = (
    "select {} from marts.market_listings_weekly "
    "where week_start = ? and region = ? and make = ? and model = ?"
)

# The model as it was before it turned incremental (week_start, median and type_double as the
# DuckDB macros render them): the latest snapshot of each listing and week by a window.
OLD_WINDOW_SQL = """
with weekly as (
    select
        cast(date_trunc('week', snapshot_date) as date) as week_start,
        listing_id, snapshot_date, region, competitor, make, model, model_year, mileage,
        asking_price, days_on_market,
        row_number() over (
            partition by listing_id, cast(date_trunc('week', snapshot_date) as date)
            order by snapshot_date desc
        ) as snapshot_rank
    from staging.stg_dms__market_listings
),
latest_in_week as (
    select * from weekly where snapshot_rank = 1
)
select
    week_start, region, make, model,
    cast(count(*) as integer) as listings,
    cast(count(distinct competitor) as integer) as competitors,
    cast(quantile_cont(asking_price, 0.5) as decimal(12, 2)) as median_asking_price,
    cast(avg(asking_price) as decimal(12, 2)) as avg_asking_price,
    min(asking_price) as min_asking_price,
    max(asking_price) as max_asking_price,
    quantile_cont(mileage, 0.5) as median_mileage,
    quantile_cont(days_on_market, 0.5) as median_days_on_market,
    avg(cast(model_year as double)) as avg_model_year
from latest_in_week
group by week_start, region, make, model
"""
COLUMNS = (
    "week_start, region, make, model, listings, competitors, median_asking_price, "
    "avg_asking_price, min_asking_price, max_asking_price, median_mileage, "
    "median_days_on_market, avg_model_year"
)


def read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def scrape(landing: Path, monday: dt.date) -> Path:
    assert monday.weekday() == 0, f"{monday} is not a Monday: the scrape drops on Mondays"
    return landing / "market_listings" / f"{monday}.csv"


def largest_group(rows: list[dict]) -> tuple[tuple[str, str, str], list[dict]]:
    """The (region, make, model) with the most listings in a scrape, and those listings."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["region"], row["make"], row["model"]), []).append(row)
    key = max(groups, key=lambda k: len(groups[k]))
    assert len(groups[key]) >= 2, f"no model has two listings in one scrape: {key}"
    return key, groups[key]


def reprice_and_remove(landing: Path, monday: dt.date):
    """An old week's scrape is re-delivered with one listing re-priced and another gone."""
    path = scrape(landing, monday)
    columns, rows = read(path)
    key, listings = largest_group(rows)
    repriced, removed = listings[0], listings[1]
    repriced["asking_price"] = "999999.00"
    write(path, columns, [r for r in rows if r is not removed])
    expected = [(len(listings) - 1, Decimal("999999.00"))]
    return [monday], GROUP.format("listings, max_asking_price"), [monday, *key], expected


def scrape_again(landing: Path, monday: dt.date):
    """A Wednesday scrape sees one of Monday's listings again, cheaper and with no competitor
    or mileage: the week counts the listing once, at this later snapshot (NULLs included)."""
    columns, rows = read(scrape(landing, monday))
    key, listings = largest_group(rows)
    wednesday = monday + dt.timedelta(days=2)
    again = {**listings[0], "snapshot_date": str(wednesday), "asking_price": "1.00",
             "competitor": "", "mileage": ""}  # fmt: skip
    write(landing / "market_listings" / f"{wednesday}.csv", columns, [again])
    expected = [(len(listings), Decimal("1.00"))]
    return [wednesday], GROUP.format("listings, min_asking_price"), [monday, *key], expected


def empty_week(landing: Path, monday: dt.date):
    """An old week's scrape is re-delivered header-only: the week leaves the mart."""
    path = scrape(landing, monday)
    columns, _ = read(path)
    write(path, columns, [])
    check = "select count(*) from marts.market_listings_weekly where week_start = ?"
    return [monday], check, [monday], [(0,)]


def window_differences(warehouse: Path) -> tuple[int, int, list[tuple], int]:
    """The mart against the old window formulation on the same staging rows: its rows, the
    rows in one and not the other (as multisets), a few of them, and how many listings the
    staging view holds twice or more in one week (the case the two must agree on)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        mine = f"select {COLUMNS} from marts.market_listings_weekly"
        old = f"select {COLUMNS} from ({OLD_WINDOW_SQL})"
        diff = conn.execute(
            f"select 'model only', * from ({mine} except all {old}) "
            f"union all select 'window only', * from ({old} except all {mine}) order by 2, 3"
        ).fetchall()
        (rows,) = conn.execute(f"select count(*) from ({mine})").fetchone()
        (twice,) = conn.execute(
            "select count(*) from (select listing_id from staging.stg_dms__market_listings "
            "group by listing_id, date_trunc('week', snapshot_date) having count(*) > 1)"
        ).fetchone()
    return rows, len(diff), diff[:10], twice

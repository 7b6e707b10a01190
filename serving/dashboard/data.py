"""The numbers the KPI dashboard embeds, read from a serving copy as compact JSON.

Sales go in as a small cube (period x dealer x make x body style x gender, with sums) so
the browser can recompute every KPI for any date range, dealer, region and make; a large group
gets coarser periods and fewer breakdowns (CUBE_LEVELS). Inventory goes in as daily stock (per
dealer and make, with aging buckets; sampled on a large group), so the tiles and the aging
panel show the stock on the "To" day. Tables a source lacks come out as
``None``, and the page says "not available for this source".
"""

from __future__ import annotations

import datetime as dt

import duckdb

# The page stays light by bounding its two big tables by rows, not by a fixed step: at five
# years of 100 rooftops even a weekly sales cube had 3.4M rows and the page weighed 174 MB.
# At 250,000 rows each that group's page keeps 28-day periods and stock every 28th day: 14.4 MB,
# ready in headless Chromium in about a second (150,000 kept 91-day periods: 4.8 MB).
MAX_CUBE_ROWS = 250_000
MAX_INVENTORY_ROWS = 250_000
# The sales cube's levels, finest first: (days a period, the breakdowns kept beside dealer and
# make). The page takes the first level that fits in MAX_CUBE_ROWS (the last one if none does):
# periods coarsen first, to four weeks, then the breakdowns read least go (buyer gender, then
# body style), then quarters and years. The page says what it left out.
CUBE_LEVELS = (
    (1, ("body_style", "gender")),
    (7, ("body_style", "gender")),
    (28, ("body_style", "gender")),
    (28, ("body_style",)),
    (28, ()),
    (91, ()),
    (364, ()),
)
# Stock is a snapshot per day: a large group's page samples it every 7th, 28th, ... day back
# from the last, the first step that fits in MAX_INVENTORY_ROWS.
INVENTORY_STEPS = (1, 7, 28, 91, 364)
GENDERS = {"F": "Female", "M": "Male", "U": "Undisclosed", "fleet": "Fleet (company)"}
FORECAST_LEVELS = ("total", "region", "dealer", "make")


def _tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = conn.execute("select table_schema, table_name from information_schema.tables")
    return {f"{s}.{t}" for s, t in rows.fetchall()}


def _columnar(conn, sql: str, params=()) -> dict[str, list]:
    """The query's columns as JSON-ready lists. Rows come through Arrow and numbers convert a
    column at a time: at 10M sales the weekly cube has 3.4M rows, and building a Python tuple
    and a Decimal per value took 60 s where this takes 9 s."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # A cursor of its own: the connection may hold an earlier execute()'s unfinished result.
    with conn.cursor() as cursor:
        table = cursor.sql(sql, params=list(params)).to_arrow_table()
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_decimal(column.type):
            # A whole-number decimal (a sum of integers, a round()) stays an integer: "1234"
            # in the page where "1234.0" would add a few bytes to each of millions of values.
            column = column.cast(pa.int64() if column.type.scale == 0 else pa.float64())
        if pa.types.is_floating(column.type):  # NaN is not JSON
            column = pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
        values = column.to_pylist()
        if pa.types.is_temporal(column.type):
            values = [_day(value) for value in values]
        columns[name] = values
    return columns


def _day(value):
    """A date or timestamp as its day, YYYY-MM-DD."""
    return value.isoformat()[:10] if isinstance(value, dt.date) else value


def _index(values: list, vocabulary: list) -> list[int]:
    position = {v: i for i, v in enumerate(vocabulary)}
    return [position[v] for v in values]


GENDER_SQL = (
    "coalesce(customer_gender, case when customer_type = 'fleet' then 'fleet' else 'U' end)"
)
BREAKDOWNS = {"body_style": "body_style", "gender": f"{GENDER_SQL} as gender"}


def _period(step: int, first: dt.date, last: dt.date) -> str:
    """The first day of the sale's `step`-day period, in days since the first sale. Periods
    end on the last day, as the stock samples do, so the latest period is whole and only the
    oldest may be partial (its start before the first sale: negative)."""
    days = (last - first).days
    return f"{days} - (date_diff('day', sale_date, '{last}'::date) // {step} + 1) * {step} + 1"


def _cube_columns(step: int, breakdowns: tuple[str, ...], first: dt.date, last: dt.date) -> str:
    """The sales cube's grouping columns at a level: period start `d`, dealer, make and the
    breakdowns kept; the same for counting a level and for building it."""
    columns = [f"{_period(step, first, last)} as d", "dealer_id", "make"]
    return ", ".join(columns + [BREAKDOWNS[b] for b in breakdowns])


def cube_level(conn, first: dt.date, last: dt.date) -> tuple[int, tuple[str, ...], int]:
    """The finest of CUBE_LEVELS whose cube fits in MAX_CUBE_ROWS (else the coarsest):
    (days a period, breakdowns kept, rows). Counted level by level, finest first: a small
    group pays one count, a large one a scan of fct_sales per level tried (at five years of
    100 rooftops, five)."""
    for step, breakdowns in CUBE_LEVELS:
        columns = _cube_columns(step, breakdowns, first, last)
        rows = conn.execute(
            f"select count(*) from (select distinct {columns} from marts.fct_sales)"
        ).fetchone()[0]
        if rows <= MAX_CUBE_ROWS:
            break
    return step, breakdowns, rows


def cube_description(sales: dict) -> str:
    """What the page's sales cube keeps, in words, e.g. "7-day periods x dealer x make x body
    style (52,000 rows; buyer gender left out)"."""
    kept = ["body style"] * (sales["bd"] is not None) + ["buyer gender"] * (sales["g"] is not None)
    dropped = [b for b in ("body style", "buyer gender") if b not in kept]
    text = " x ".join([f"{sales['step']}-day periods", "dealer", "make", *kept])
    text += f" ({sales['cube_rows']:,} rows"
    if sales["cube_rows"] > sales["max_cube_rows"]:  # even the coarsest level is over
        text += f", over the {sales['max_cube_rows']:,} aimed for"
    return text + (f"; {' and '.join(dropped)} left out)" if dropped else ")")


def _sales(conn, first: dt.date, last: dt.date) -> dict:
    step, breakdowns, rows = cube_level(conn, first, last)
    columns = _cube_columns(step, breakdowns, first, last)
    cube = _columnar(
        conn,
        f"select {columns}, count(*) as n, round(sum(sale_price)) as rev, "
        "round(sum(gross_profit)) as gp, round(sum(total_cost)) as cost, "
        "sum(days_on_lot) as dol from marts.fct_sales group by all order by all",
    )
    sales = {
        "step": step,
        "cube_rows": rows,
        "max_cube_rows": MAX_CUBE_ROWS,
        # None: left out of the cube at this group's size (the page says so)
        "bodies": None,
        "bd": None,
        "genders": None,
        "g": None,
        "d": cube["d"],
        "dealer": cube["dealer_id"],
        "make": cube["make"],
        **{k: cube[k] for k in ("n", "rev", "gp", "cost", "dol")},
    }
    if "body_style" in breakdowns:
        bodies = sorted({b or "unknown" for b in cube["body_style"]})
        sales["bodies"] = bodies
        sales["bd"] = _index([b or "unknown" for b in cube["body_style"]], bodies)
    if "gender" in breakdowns:
        genders = sorted(set(cube["gender"]))
        sales["genders"] = [GENDERS.get(g, g) for g in genders]
        sales["g"] = _index(cube["gender"], genders)
    return sales


def _inventory(conn, tables: set[str], first: dt.date, last: dt.date) -> dict | None:
    """Stock at the end of each day (each 7th, 28th, ... day back from the last on a large
    group: INVENTORY_STEPS), per dealer and make: units, cost and the aging buckets, so the
    tiles and the aging panel read the stock on the day the "To" filter names. Buckets are
    counted from dim_vehicles by the rule inventory_daily uses (on hand from acquisition until
    the day before the sale)."""
    # the rows each sampling step would embed, counted in one scan
    sampled = ", ".join(
        f"count(*) filter (where date_diff('day', date_day, ?::date) % {s} = 0)"
        for s in INVENTORY_STEPS
    )
    counts = conn.execute(
        f"select {sampled} from (select distinct date_day, dealer_id, make "
        "from marts.inventory_daily where units_on_hand > 0 and date_day <= ?)",
        [last] * len(INVENTORY_STEPS) + [last],
    ).fetchone()
    step = next(
        (s for s, n in zip(INVENTORY_STEPS, counts, strict=True) if n <= MAX_INVENTORY_ROWS),
        INVENTORY_STEPS[-1],
    )
    ages = "null as a30, null as a45, null as a60"
    join = ""
    dated = conn.execute(
        "select count(*) from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'dim_vehicles' and column_name in ('acquired_date', 'sold_date')"
    ).fetchone()[0]
    if dated == 2:  # without the dates, no aging (the page says so)
        age = "date_diff('day', v.acquired_date, k.date_day)"
        ages = (
            f"count(*) filter (where {age} <= 30) as a30, "
            f"count(*) filter (where {age} between 31 and 45) as a45, "
            f"count(*) filter (where {age} between 46 and 60) as a60"
        )
        join = (
            "join marts.dim_vehicles v on v.dealer_id = k.dealer_id and v.make = k.make "
            "and v.acquired_date <= k.date_day "
            "and (v.sold_date is null or v.sold_date > k.date_day)"
        )
    data = _columnar(
        conn,
        "with stock as (select date_day, dealer_id, make, sum(units_on_hand) as units, "
        "sum(cost_value) as cost, sum(units_aged_60_plus) as aged "
        "from marts.inventory_daily where units_on_hand > 0 and date_day <= ? "
        "and date_diff('day', date_day, ?::date) % ? = 0 group by all), "
        f"ages as (select k.date_day, k.dealer_id, k.make, {ages} from stock k {join} "
        "group by all) "
        "select date_diff('day', ?::date, date_day) as d, dealer_id as dealer, make, units, "
        "round(cost) as cost, aged, a30, a45, a60 from stock "
        "left join ages using (date_day, dealer_id, make) order by all",
        [last, last, step, first],
    )
    return {"step": step, **data} if data["d"] else None


def _forecast(conn, tables: set[str], first: dt.date) -> dict | None:
    if not {"marts.demand_weekly", "ml.demand_forecast"} <= tables:
        return None
    actual = _columnar(
        conn,
        "select unique_id, date_diff('day', ?::date, ds) as d, y from marts.demand_weekly "
        "where list_contains(?, level) order by unique_id, ds",
        [first, list(FORECAST_LEVELS)],
    )
    forecast = _columnar(
        conn,
        "select unique_id, date_diff('day', ?::date, week_start::date) as d, "
        "round(units_forecast, 2) as units, round(units_lower_80, 2) as lo, "
        "round(units_upper_80, 2) as hi from ml.demand_forecast "
        "where list_contains(?, level) order by unique_id, week_start",
        [first, list(FORECAST_LEVELS)],
    )
    series: dict[str, dict] = {}
    for i, uid in enumerate(actual["unique_id"]):
        series.setdefault(uid, {"actual": [], "forecast": []})["actual"].append(
            [actual["d"][i], actual["y"][i]]
        )
    for i, uid in enumerate(forecast["unique_id"]):
        series.setdefault(uid, {"actual": [], "forecast": []})["forecast"].append(
            [forecast["d"][i], forecast["units"][i], forecast["lo"][i], forecast["hi"][i]]
        )
    accuracy = None
    if "ml.forecast_accuracy_by_level" in tables:
        accuracy = _columnar(
            conn,
            "select level, n_series, round(mase_forecourt, 3) as mase_forecourt, "
            "round(mase_seasonal_naive, 3) as mase_seasonal_naive, "
            "round(share_beats_seasonal_naive, 3) as share_beats_seasonal_naive "
            "from ml.forecast_accuracy_by_level",
        )
    return {"series": series, "accuracy": accuracy} if series else None


def _daily_forecast(conn, tables: set[str], first: dt.date) -> dict | None:
    """The next 14 days' expected daily sales and the last 28 actual days, per series."""
    if not {"marts.demand_daily", "ml.demand_forecast_daily"} <= tables:
        return None
    actual = _columnar(
        conn,
        "select unique_id, date_diff('day', ?::date, ds) as d, y from marts.demand_daily "
        "where list_contains(?, level) "
        "and ds > (select max(ds) from marts.demand_daily) - interval 28 day "
        "order by unique_id, ds",
        [first, list(FORECAST_LEVELS)],
    )
    forecast = _columnar(
        conn,
        "select unique_id, date_diff('day', ?::date, date::date) as d, "
        "round(units_forecast, 2) as units, round(units_lower_80, 2) as lo, "
        "round(units_upper_80, 2) as hi, method from ml.demand_forecast_daily "
        "where list_contains(?, level) order by unique_id, date",
        [first, list(FORECAST_LEVELS)],
    )
    series: dict[str, dict] = {}
    for i, uid in enumerate(actual["unique_id"]):
        series.setdefault(uid, {"actual": [], "forecast": [], "method": None})["actual"].append(
            [actual["d"][i], actual["y"][i]]
        )
    for i, uid in enumerate(forecast["unique_id"]):
        entry = series.setdefault(uid, {"actual": [], "forecast": [], "method": None})
        entry["forecast"].append(
            [forecast["d"][i], forecast["units"][i], forecast["lo"][i], forecast["hi"][i]]
        )
        entry["method"] = forecast["method"][i]
    return {"series": series} if series else None


def _optional(conn, tables: set[str], table: str, sql: str, params=(), keep_empty=False):
    """Columns of the query, or None when the source has no such table (or it is empty)."""
    if table not in tables:
        return None
    data = _columnar(conn, sql, params)
    return data if keep_empty or any(data.values()) else None


def _dealers(conn, tables: set[str]) -> dict[str, list]:
    if "marts.dim_dealers" in tables:
        sql = "select dealer_id as id, dealer_name as name, region, city from marts.dim_dealers"
    else:
        sql = "select distinct dealer_id as id, dealer_name as name, region, null as city "
        sql += "from marts.fct_sales"
    dealers = _columnar(conn, f"select * from ({sql}) where id is not null order by id")
    missing = sorted(
        set(_columnar(conn, "select distinct dealer_id from marts.fct_sales")["dealer_id"])
        - set(dealers["id"])
        - {None}
    )
    for dealer_id in missing:  # sold before its dealer record arrived: still filterable
        for column, value in (
            ("id", dealer_id),
            ("name", dealer_id),
            ("region", None),
            ("city", None),
        ):
            dealers[column].append(value)
    return dealers


def _encode(parts: list[dict | None], dealer_ids: list[str]) -> list[str]:
    """Dealer and make strings become indexes into shared lists: a third of the page size."""
    makes = sorted({m for part in parts if part for m in part["make"] if m is not None})
    for part in parts:
        if part:
            keep = [i for i, d in enumerate(part["dealer"]) if d in dealer_ids]
            rows = len(part["dealer"])  # before "dealer" itself is filtered below
            for column in part:
                # the row-aligned columns, not a vocabulary that happens to be as long
                if (
                    column not in ("bodies", "genders")
                    and isinstance(part[column], list)
                    and len(part[column]) == rows
                ):
                    part[column] = [part[column][i] for i in keep]
            part["dealer"] = _index(part["dealer"], dealer_ids)
            part["make"] = _index(part["make"], makes)
    return makes


def dashboard_data(conn: duckdb.DuckDBPyConnection) -> dict:
    """Everything the page shows, as JSON-ready dicts of columns."""
    tables = _tables(conn)
    if "marts.fct_sales" not in tables:
        raise ValueError("The serving copy has no marts.fct_sales: nothing to put on a dashboard.")
    first, last = conn.execute(
        "select min(sale_date), max(sale_date) from marts.fct_sales"
    ).fetchone()
    if first is None:
        raise ValueError("marts.fct_sales is empty: nothing to put on a dashboard.")
    dealers = _dealers(conn, tables)
    sales = _sales(conn, first, last)
    inventory = _inventory(conn, tables, first, last) if "marts.inventory_daily" in tables else None
    makes = _encode([sales, inventory], dealers["id"])
    published = None
    if "meta.publish_info" in tables:
        published = conn.execute("select published_at from meta.publish_info").fetchone()[0]
    return {
        "meta": {
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "published_at": published.strftime("%Y-%m-%d %H:%M UTC") if published else None,
        },
        "dealers": dealers,
        "makes": makes,
        "sales": sales,
        "inventory": inventory,
        "forecast": _forecast(conn, tables, first),
        "daily_forecast": _daily_forecast(conn, tables, first),
        "alerts": _optional(
            conn,
            tables,
            "ops.low_stock_alerts",
            "select dealer_id as dealer, group_key, severity, units_on_hand, recommended_units, "
            "created_at from ops.low_stock_alerts where status = 'open' "
            "order by severity = 'critical' desc, created_at desc",
            keep_empty=True,  # no open alerts is news, not a gap in the source
        ),
        "segments": _optional(
            conn,
            tables,
            "ml.segment_profiles",
            "select segment, customers, round(share, 3) as share, "
            "round(avg_monetary) as avg_monetary, round(revenue_share, 3) as revenue_share, "
            "round(avg_recency_days) as avg_recency_days from ml.segment_profiles "
            "order by customers desc",
        ),
    }

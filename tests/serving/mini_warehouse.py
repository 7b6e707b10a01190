"""A small hand-made warehouse with the marts, ml and ops tables the serving layer reads.

Building the real pipeline takes minutes; these tables have the same names and the columns
the serving copy, the dashboard and the question engine use (personal columns included), on
four dealers over 700 days. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

START = dt.date(2024, 1, 1)
DAYS = 700  # last day 2025-11-30
DEALERS = pd.DataFrame(
    {
        "dealer_id": ["D01", "D02", "D04", "D06"],
        "dealer_name": [
            "Subaru of Albany",
            "Mercedes-Benz of Orlando",
            "Toyota of Austin",
            "Chevrolet of Buffalo",
        ],
        "city": ["Albany", "Orlando", "Austin", "Buffalo"],
        "region": ["Northeast", "Southeast", "Southwest", "Northeast"],
        "country": ["USA"] * 4,
    }
)
MODELS = [  # make, model, body style, base price
    ("Toyota", "Camry", "Sedan", 24000),
    ("Toyota", "RAV4", "SUV", 30000),
    ("Toyota", "Tacoma", "Pickup", 34000),
    ("Honda", "Civic", "Sedan", 21000),
    ("Honda", "CR-V", "SUV", 29000),
    ("Ford", "F-150", "Pickup", 38000),
    ("Ford", "Explorer", "SUV", 33000),
    ("Chevrolet", "Silverado 1500", "Pickup", 36000),
    ("Chevrolet", "Equinox", "SUV", 25000),
    ("Subaru", "Outback", "Wagon", 27000),
]
SEGMENTS = ["VIP", "Loyal", "At risk", "Lapsed"]
FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dev", "Eve", "Finn", "Gia", "Hugo"]


def _customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    fleet = rng.random(n) < 0.08
    income = np.where(fleet, np.nan, rng.lognormal(11, 0.5, n).round(0))
    bands = pd.cut(
        income,
        [0, 25e3, 50e3, 75e3, 100e3, 150e3, np.inf],
        right=False,
        labels=["<25k", "25k-50k", "50k-75k", "75k-100k", "100k-150k", "150k+"],
    )
    ids = [f"C{i:07d}" for i in range(1, n + 1)]
    first = rng.choice(FIRST_NAMES, n)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "customer_type": np.where(fleet, "fleet", "retail"),
            "first_name": np.where(fleet, None, first),
            "last_name": np.where(fleet, None, rng.choice(["Smith", "Jones", "Ng", "Diaz"], n)),
            "company_name": np.where(fleet, "Acme Fleet LLC", None),
            "gender": np.where(fleet, None, rng.choice(["F", "M", "U"], n, p=[0.48, 0.48, 0.04])),
            "age": np.where(fleet, None, rng.integers(18, 85, n)),
            "annual_income": income,
            "income_band": pd.Series(bands).astype(object).fillna("unknown").to_numpy(),
            "city": rng.choice(DEALERS["city"], n),
            "region": "Northeast",
            "phone": [f"(518) 555-{i % 10000:04d}" for i in range(n)],
            "email": [f"{f.lower()}.{i}@example.org" for i, f in enumerate(first)],
        }
    )


def _sales(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    counts = rng.poisson(1.6, (DAYS, len(DEALERS)))
    rows = []
    for day in range(DAYS):
        for d, dealer in DEALERS.iterrows():
            for _ in range(counts[day, d] + (day % 7 == 5)):
                make, model, body, price = MODELS[rng.integers(len(MODELS))]
                rows.append((START + dt.timedelta(days=day), dealer, make, model, body, price))
    n = len(rows)
    customer = customers.iloc[rng.integers(len(customers), size=n)].reset_index(drop=True)
    price = np.array([r[5] for r in rows]) * rng.uniform(0.8, 1.2, n)
    cost = price * rng.uniform(0.86, 1.0, n)
    days_on_lot = rng.integers(1, 120, n)
    sale_date = pd.to_datetime([r[0] for r in rows])
    return pd.DataFrame(
        {
            "deal_id": [f"S{i:07d}" for i in range(n)],
            "sale_date": sale_date.date,
            "sale_month": sale_date.to_period("M").to_timestamp().date,
            "dealer_id": [r[1]["dealer_id"] for r in rows],
            "dealer_name": [r[1]["dealer_name"] for r in rows],
            "region": [r[1]["region"] for r in rows],
            "stock_number": [f"K{i:07d}" for i in range(n)],
            "make": [r[2] for r in rows],
            "model": [r[3] for r in rows],
            "body_style": [r[4] for r in rows],
            "customer_id": customer["customer_id"],
            "customer_type": customer["customer_type"],
            "customer_gender": customer["gender"],
            "customer_income_band": customer["income_band"],
            "days_on_lot": days_on_lot,
            "sale_price": price.round(2),
            "total_cost": cost.round(2),
            "gross_profit": (price - cost).round(2),
        }
    )


SQL = """
create schema marts; create schema ml; create schema ops;
create table marts.dim_dealers as select * from dealers_df;
create table marts.dim_customers as select * exclude (age, annual_income),
    age::integer as age, annual_income::decimal(12, 2) as annual_income from customers_df;
create table marts.fct_sales as select * replace (sale_price::decimal(12, 2) as sale_price,
    total_cost::decimal(12, 2) as total_cost, gross_profit::decimal(12, 2) as gross_profit)
    from sales_df;
create table marts.customer_transactions as select deal_id as transaction_id, customer_id,
    dealer_id, sale_date as date, sale_price as amount, gross_profit as gross, 'vehicle' as kind
    from marts.fct_sales;
create table marts.customer_rfm as select c.customer_id, c.customer_type, c.gender,
    c.annual_income, count(s.deal_id) as frequency from marts.dim_customers c
    left join marts.fct_sales s using (customer_id) group by all;
create table marts.dim_vehicles as select stock_number, dealer_id, region, make, model,
    body_style, 'sold' as status, sale_date as sold_date, days_on_lot as days_in_stock,
    '60+' as age_bucket, sale_date::date - days_on_lot::integer as acquired_date
    from marts.fct_sales
    union all select 'N' || dealer_id || i, dealer_id, region, 'Toyota', 'Camry', 'Sedan',
    'in_stock', null, i * 9, case when i * 9 <= 30 then '0-30' when i * 9 <= 45 then '31-45'
    when i * 9 <= 60 then '46-60' else '60+' end, date '2025-11-30' - (i * 9)::integer
    from marts.dim_dealers, range(1, 12) t(i);
create table marts.inventory_daily as select d::date as date_day, dealer_id, make, model,
    (5 + (hash(d, dealer_id, model) % 7)::integer) as units_on_hand,
    ((5 + (hash(d, dealer_id, model) % 7)) * 22000)::decimal(14, 2) as cost_value,
    (hash(d, model) % 3)::integer as units_aged_60_plus
    from range(date '2024-01-01', date '2025-12-01', interval 1 day) t(d),
    (select distinct dealer_id, make, model from marts.fct_sales);
create table marts.demand_weekly as
    select 'total' as unique_id, date_trunc('week', sale_date)::date as ds, count(*)::integer as y,
        'total' as level, null as parent_id from marts.fct_sales group by all
    union all select 'dealer=' || dealer_id, date_trunc('week', sale_date)::date, count(*),
        'dealer', 'region=' || any_value(region) from marts.fct_sales group by all
    union all select 'make=' || make, date_trunc('week', sale_date)::date, count(*), 'make',
        'total' from marts.fct_sales group by all;
create table marts.customer_acquisition as select sale_month as month_start,
    count(distinct customer_id) as buying_customers from marts.fct_sales group by all;
create table marts.market_listings_weekly as select ds as week_start, 'Northeast' as region,
    'Toyota' as make, 'Camry' as model, 12 as listings from marts.demand_weekly
    where unique_id = 'total';
create table ml.demand_forecast as select unique_id, level,
    (date '2025-12-01' + interval (7 * w) day)::timestamp as week_start,
    avg(y) as units_forecast, avg(y) * 0.8 as units_lower_80, avg(y) * 1.2 as units_upper_80,
    'prophet' as method
    from marts.demand_weekly, range(0, 12) t(w) group by unique_id, level, w;
create table ml.forecast_accuracy_by_level as select * from (values
    ('total', 1, 0.9, 1.04, 1.0), ('dealer', 4, 0.88, 1.03, 0.75),
    ('make', 5, 0.91, 1.1, 0.8)) v(level, n_series, mase_forecourt, mase_seasonal_naive,
    share_beats_seasonal_naive);
create table ml.customer_segments as select customer_id,
    (['VIP', 'Loyal', 'At risk', 'Lapsed'])[(1 + hash(customer_id) % 4)::bigint] as segment
    from marts.dim_customers;
create table ml.segment_profiles as select segment, count(*) as customers,
    count(*) / sum(count(*)) over () as share, 12000.0 as avg_monetary,
    0.25 as revenue_share, 90.0 as avg_recency_days, 61000.0 as avg_annual_income
    from ml.customer_segments group by 1;
create table ml.market_value_predictions as select stock_number, sale_date,
    sale_price as actual, sale_price * 1.01 as market_value from marts.fct_sales;
create table ml.pricing_model_metrics as select 'market_value' as role, 'gbm' as model,
    812.5 as mae;
create table ops.low_stock_alerts as select dealer_id || '|Toyota Camry' as alert_key,
    dealer_id, 'Toyota Camry' as group_key, 'critical' as severity, 'open' as status,
    1 as units_on_hand, 2 as recommended_units, timestamptz '2025-11-30 06:00:00+00' as created_at
    from marts.dim_dealers;
comment on table marts.fct_sales is 'One row per vehicle deal (it''s denormalised).';
comment on column marts.fct_sales.gross_profit is 'Sale price minus total cost.';
comment on column marts.dim_customers.customer_id is 'DMS customer number.';
"""


def build(path: Path, seed: int = 7) -> Path:
    """Write the mini warehouse to ``path`` (replacing it) and return the path."""
    rng = np.random.default_rng(seed)
    customers = _customers(rng, 900)
    sales = _sales(rng, customers)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as conn:
        conn.register("dealers_df", DEALERS)
        conn.register("customers_df", customers)
        conn.register("sales_df", sales)
        conn.execute(SQL)
    return path

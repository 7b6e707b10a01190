"""Mint Classics through the platform: its published analyses and the low-stock alerts,
against pandas over the raw CSVs in ../shared/data/mintclassics (never the platform's output).
"""

import numpy as np
import pandas as pd
import pytest

from tests.e2e.real_data.conftest import MINT_DIR, build_home, query, requires_shared_data

pytestmark = [pytest.mark.e2e, requires_shared_data]

MARTS = [
    "marts/mintclassics_product_restock",
    "marts/mintclassics_product_performance",
    "marts/mintclassics_warehouse_utilisation",
    "marts/mintclassics_customer_tiers",
    "marts/mintclassics_customers_monthly",
    "marts/stock_on_hand_snapshot",
    "marts/fct_sales",
    "marts/dim_vehicles",
    "marts/dim_dealers",
    "marts/inventory_daily",  # a singular test reads it beside dim_vehicles
    "marts/market_listings_weekly",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home, _, restore = build_home(
        tmp_path_factory, "mintclassics", MINT_DIR, MARTS, ["ml/stocking_plan"]
    )
    yield home
    restore()


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    tables = {
        name: pd.read_csv(MINT_DIR / f"{name}.csv")
        for name in ("products", "orders", "orderdetails", "customers", "warehouses")
    }
    orders = tables["orders"].assign(orderDate=lambda d: pd.to_datetime(d["orderDate"]))
    lines = tables["orderdetails"].merge(orders, on="orderNumber")
    lines = lines.merge(tables["products"][["productCode", "buyPrice"]], on="productCode")
    lines["revenue"] = lines["quantityOrdered"] * lines["priceEach"]
    lines["margin"] = (lines["priceEach"] - lines["buyPrice"]) * lines["quantityOrdered"]
    tables["orders"] = orders
    tables["lines"] = lines[lines["status"] != "Cancelled"]
    return tables


def test_every_unit_ordered_is_a_sale_with_its_price_and_cost(home, raw):
    lines = raw["lines"]
    got = query(
        home,
        "select count(*) units, sum(sale_price) revenue, sum(gross_profit) gross "
        "from marts.fct_sales",
    ).iloc[0]
    assert got["units"] == lines["quantityOrdered"].sum()
    assert float(got["revenue"]) == pytest.approx(lines["revenue"].sum())
    assert float(got["gross"]) == pytest.approx(lines["margin"].sum())


def test_low_stock_rate_and_restock_priority_per_product(home, raw):
    mart = query(home, "select * from marts.mintclassics_product_restock").set_index("product_code")
    products = raw["products"].set_index("productCode")
    ordered = raw["lines"].groupby("productCode")["quantityOrdered"].sum()
    ordered = ordered.reindex(products.index, fill_value=0)
    rate = ordered / products["quantityInStock"]
    assert mart["units_ordered"].to_dict() == ordered.to_dict()
    assert np.allclose(mart.loc[rate.index, "low_stock_rate"], rate)
    by_priority = mart.sort_values("restock_priority").index.tolist()
    expected = rate[ordered > 0].sort_values(ascending=False).index.tolist()
    assert by_priority[: len(expected)] == expected
    assert by_priority[0] == "S24_2000"  # 1960 BSA Gold Star DBD34: 15 in stock
    days = (raw["orders"]["orderDate"].max() - raw["orders"]["orderDate"].min()).days + 1
    weeks_of_cover = products["quantityInStock"] / (ordered * 7 / days)
    restock_now = set(weeks_of_cover[weeks_of_cover < 13].index)
    assert set(mart.index[mart["restock_status"] == "restock now"]) == restock_now


def test_product_performance_revenue_and_margin(home, raw):
    mart = query(home, "select * from marts.mintclassics_product_performance").set_index(
        "product_code"
    )
    per_product = raw["lines"].groupby("productCode")[["revenue", "margin"]].sum()
    for code, row in per_product.iterrows():
        assert float(mart.loc[code, "revenue"]) == pytest.approx(row["revenue"])
        assert float(mart.loc[code, "margin"]) == pytest.approx(row["margin"])
    top = per_product["revenue"].idxmax()
    assert mart.loc[top, "revenue_rank"] == 1


def test_warehouse_utilisation_and_the_warehouse_that_could_close(home, raw):
    mart = query(home, "select * from marts.mintclassics_warehouse_utilisation").set_index(
        "warehouse_code"
    )
    stock = raw["products"].groupby("warehouseCode")["quantityInStock"].sum()
    used = raw["warehouses"].set_index("warehouseCode")["warehousePctCap"] / 100
    capacity = stock / used
    free = capacity - stock
    fits = stock <= free.sum() - free
    assert mart["units_in_stock"].to_dict() == stock.to_dict()
    assert np.allclose(mart.loc[free.index, "free_capacity_units"], free)
    assert mart["fits_in_other_warehouses"].to_dict() == fits.to_dict()
    candidate = stock[fits].idxmin()
    assert mart.index[mart["is_consolidation_candidate"]].tolist() == [candidate]
    assert candidate == "d"  # South: the smallest stock, and it fits in the others' room


def test_vip_and_less_engaged_customers_by_lifetime_revenue(home, raw):
    customers = query(home, "select * from marts.mintclassics_customer_value").set_index(
        "customer_number"
    )
    revenue = raw["lines"].groupby("customerNumber")["revenue"].sum()
    assert np.allclose(customers.loc[revenue.index, "lifetime_revenue"].astype(float), revenue)
    percent_rank = (revenue.rank(method="min") - 1) / (len(revenue) - 1)
    tier = np.select([percent_rank >= 0.9, percent_rank < 0.25], ["VIP", "less engaged"], "regular")
    assert customers.loc[revenue.index, "engagement_tier"].tolist() == list(tier)
    never = set(raw["customers"]["customerNumber"]) - set(revenue.index)
    assert set(customers.index[customers["engagement_tier"] == "no orders"]) == never
    tiers = query(home, "select * from marts.mintclassics_customer_tiers").set_index(
        "engagement_tier"
    )
    vip = revenue[percent_rank >= 0.9]
    assert float(tiers.loc["VIP", "lifetime_revenue"]) == pytest.approx(vip.sum())
    assert tiers.loc["VIP", "share_of_revenue"] == pytest.approx(vip.sum() / revenue.sum())


def test_new_and_returning_customers_per_month(home, raw):
    mart = query(home, "select * from marts.mintclassics_customers_monthly")
    mart = mart.set_index(pd.to_datetime(mart["month_start"]))
    orders = raw["orders"][raw["orders"]["status"] != "Cancelled"]
    month = orders["orderDate"].dt.to_period("M").dt.start_time
    first = month.groupby(orders["customerNumber"]).transform("min")
    new = orders[month == first].groupby(month)["customerNumber"].nunique()
    returning = orders[month > first].groupby(month)["customerNumber"].nunique()
    for m, n in new.items():
        assert mart.loc[m, "new_customers"] == n
    for m, n in returning.items():
        assert mart.loc[m, "returning_customers"] == n
    assert mart["cumulative_customers"].iloc[-1] == orders["customerNumber"].nunique()


def test_low_stock_alerts_name_the_products_that_are_short(home, raw):
    from orchestration.resources import AlertSinksResource
    from orchestration.sensors import evaluate_low_stock

    sent, _, _ = evaluate_low_stock(None, AlertSinksResource())
    alerted = {alert.details["group_key"] for alert, _ in sent}
    assert alerted, "no low-stock alert for Mint Classics"
    # Independently: weekly demand over the plan's 26 weeks of history before the day after
    # the last order; cover in weeks = stock / that demand.
    lines = raw["lines"]
    as_of = lines["orderDate"].max() + pd.Timedelta(days=1)
    recent = lines[lines["orderDate"] >= as_of - pd.Timedelta(weeks=26)]
    weekly = recent.groupby("productCode")["quantityOrdered"].sum() / 26
    products = raw["products"].set_index("productCode")
    cover = (products["quantityInStock"] / weekly).dropna()
    key = products["productLine"] + " " + products["productName"]
    short = set(key[cover[cover < 3].index])  # less than lead time + review period
    plenty = set(key[cover[cover > 52].index])
    assert short and short <= alerted
    assert not alerted & plenty
    assert "Motorcycles 1960 BSA Gold Star DBD34" in alerted

"""Properties forecasts, A/B readouts and alerts rely on; each could fail on a careless model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from landing.generator.demand import sale_probability
from landing.generator.seasons import build_calendar
from landing.generator.stock import Units
from landing.generator.vehicles import Catalogue


def _sales_by_day(run) -> pd.Series:
    sales = run.feed("sales")
    days = pd.date_range(run.summary.start, periods=run.summary.days)
    return sales.groupby(pd.to_datetime(sales.sale_date)).size().reindex(days, fill_value=0)


def test_spring_weekly_sales_beat_the_november_to_february_average(two_year_run):
    weekly = _sales_by_day(two_year_run).resample("W").sum().iloc[1:-1]
    month = weekly.index.month
    spring = weekly[(month >= 3) & (month <= 5)].mean()
    winter = weekly[(month >= 11) | (month <= 2)].mean()
    assert spring > 1.15 * winter


def test_saturday_is_the_busiest_day_and_sunday_the_quietest(two_year_run):
    by_weekday = _sales_by_day(two_year_run).groupby(lambda d: d.weekday()).mean()
    assert by_weekday.idxmax() == 5
    assert by_weekday.idxmin() == 6


def test_showrooms_close_on_thanksgiving_and_christmas_day(two_year_run):
    daily = _sales_by_day(two_year_run)
    for day in ("2024-11-28", "2024-12-25", "2025-11-27", "2025-12-25"):
        assert daily[day] == 0, day
    assert daily["2024-12-26":"2024-12-31"].mean() > daily["2024-12-02":"2024-12-20"].mean()


def test_calendar_demand_dips_on_holidays_and_peaks_in_spring():
    cal = build_calendar(dt.date(2024, 1, 1), 366)
    index = {cal.date(i): i for i in range(cal.days)}
    assert cal.demand[index[dt.date(2024, 11, 28)]] == 0
    assert cal.demand[index[dt.date(2024, 1, 1)]] < 0.1
    april = [cal.demand[index[dt.date(2024, 4, d)]] for d in range(1, 29)]
    january = [cal.demand[index[dt.date(2024, 1, d)]] for d in range(8, 36 - 8)]
    assert sum(april) / len(april) > 1.25 * sum(january) / len(january)


def test_fleet_customers_buy_more_than_retail_customers_on_average(two_year_run):
    customers = two_year_run.feed("customers").set_index("customer_id")
    bought = two_year_run.feed("sales").customer_id.value_counts()
    buyers = customers.loc[bought.index]
    per_type = bought.groupby(buyers.customer_type).mean()
    assert per_type["fleet"] > 3 * per_type["retail"]
    assert (bought == 1).mean() > 0.8, "most customers buy once"


def test_aggressive_units_sell_faster_and_at_lower_gross_in_experiment_dealers(two_year_run):
    dealers = two_year_run.feed("dealers")
    testing = dealers.dealer_id[dealers.in_pricing_experiment == "true"]
    units = two_year_run.feed("vehicles")
    units = units[units.dealer_id.isin(testing)].set_index("stock_number")
    sales = two_year_run.feed("sales").set_index("stock_number")
    end = pd.Timestamp(two_year_run.summary.start) + pd.Timedelta(days=two_year_run.summary.days)
    sold = pd.to_datetime(sales.sale_date.reindex(units.index))
    exposure = (sold.fillna(end) - pd.to_datetime(units.acquired_date)).dt.days + 1
    rate = (
        sold.notna().groupby(units.pricing_strategy).sum()
        / exposure.groupby(units.pricing_strategy).sum()
    )
    assert rate["aggressive"] > 1.15 * rate["standard"]
    deals = units.join(sales.sale_price, how="inner")
    gross = deals.sale_price.astype(float) - deals.acquisition_cost.astype(float)
    gross -= deals.recon_cost.astype(float)
    by_arm = gross.groupby(deals.pricing_strategy).mean()
    assert by_arm["aggressive"] < by_arm["standard"]
    assert (gross < 0).any(), "some deals lose money"


def test_a_units_sale_chance_falls_as_its_price_to_market_rises():
    n = 5
    value = np.full(n, 20_000.0)
    units = Units.of(n, price=value * np.linspace(0.9, 1.1, n), acquired=0, ready=0)
    cat = Catalogue()
    shares = np.full((1, len(cat)), 1 / len(cat))
    chance = sale_probability(
        units, 30, value, np.array([10.0]), shares, np.array([300.0]), cat.body
    )
    assert (np.diff(chance) < 0).all()
    assert chance[0] > 1.5 * chance[-1]


def test_some_stock_ages_past_sixty_days(two_year_run):
    sales = two_year_run.feed("sales").set_index("stock_number")
    units = two_year_run.feed("vehicles").set_index("stock_number")
    acquired = pd.to_datetime(units.acquired_date.reindex(sales.index))
    days = (pd.to_datetime(sales.sale_date) - acquired).dt.days
    assert (days > 60).mean() > 0.1
    assert (days > 120).any()

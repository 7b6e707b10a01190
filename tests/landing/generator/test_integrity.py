"""Stock, deals and customers hang together the way a dealer-management system's would."""

from __future__ import annotations

import pandas as pd


def test_no_unit_is_sold_before_its_acquisition_or_twice(small_run):
    sales = small_run.feed("sales")
    vehicles = small_run.feed("vehicles").set_index("stock_number")
    assert sales.stock_number.is_unique
    acquired = vehicles.acquired_date.reindex(sales.stock_number).to_numpy()
    assert (sales.sale_date.to_numpy() >= acquired).all()


def test_every_sale_customer_exists_on_or_before_the_sale_date(small_run):
    sales = small_run.feed("sales")
    created = small_run.feed("customers").set_index("customer_id").created_date
    assert sales.customer_id.isin(created.index).all()
    assert (created.reindex(sales.customer_id).to_numpy() <= sales.sale_date.to_numpy()).all()


def test_every_referenced_stock_number_dealer_and_customer_exists(small_run):
    dealers = set(small_run.feed("dealers").dealer_id)
    vehicles = small_run.feed("vehicles")
    units = dict(zip(vehicles.stock_number, vehicles.dealer_id, strict=True))
    customers = set(small_run.feed("customers").customer_id)
    assert set(vehicles.dealer_id) <= dealers
    for feed in ("sales", "price_changes", "service_visits"):
        rows = small_run.feed(feed)
        assert set(rows.dealer_id) <= dealers, feed
        numbered = rows.dropna(subset=["stock_number"])
        assert numbered.stock_number.isin(units.keys()).all(), feed
    for feed in ("sales", "price_changes"):
        rows = small_run.feed(feed)
        assert (rows.stock_number.map(units) == rows.dealer_id).all(), feed
    for feed in ("sales", "service_visits"):
        assert small_run.feed(feed).customer_id.isin(customers).all(), feed


def test_service_visits_are_for_units_the_customer_bought(small_run):
    visits = small_run.feed("service_visits").dropna(subset=["stock_number"])
    sales = small_run.feed("sales")
    bought = set(zip(sales.customer_id, sales.stock_number, strict=True))
    assert len(visits) > 0
    assert all(pair in bought for pair in zip(visits.customer_id, visits.stock_number, strict=True))


def test_price_changes_only_lower_or_adjust_the_price_of_unsold_units(small_run):
    changes = small_run.feed("price_changes").sort_values(["stock_number", "changed_date"])
    vehicles = small_run.feed("vehicles").set_index("stock_number")
    sold_on = small_run.feed("sales").set_index("stock_number").sale_date
    old, new = changes.old_price.astype(float), changes.new_price.astype(float)
    assert (new[changes.reason == "age_markdown"] < old[changes.reason == "age_markdown"]).all()
    assert (new != old).all()
    assert not changes.duplicated(["stock_number", "changed_date"]).any()
    acquired = vehicles.acquired_date.reindex(changes.stock_number).to_numpy()
    assert (changes.changed_date.to_numpy() > acquired).all()
    sale = sold_on.reindex(changes.stock_number).to_numpy()
    assert all(pd.isna(s) or c < s for c, s in zip(changes.changed_date, sale, strict=True)), (
        "a unit is only repriced while unsold"
    )
    # Each change starts from the price the previous one (or the first listing) set.
    previous = changes.groupby("stock_number").new_price.shift()
    first_list = vehicles.list_price.reindex(changes.stock_number).to_numpy()
    expected = previous.fillna(pd.Series(first_list, index=changes.index))
    assert (changes.old_price == expected).all()


def test_new_allocations_are_new_low_mileage_grade_five_units(small_run):
    vehicles = small_run.feed("vehicles")
    new = vehicles.acquisition_source == "new_allocation"
    assert new.any()
    assert (vehicles.stock_type[new] == "new").all()
    assert (vehicles.stock_type[~new] == "used").all()
    assert (vehicles.mileage[new].astype(int) < 50).all()
    assert (vehicles.condition_grade[new].astype(float) == 5).all()


def test_pricing_strategies_are_randomised_only_in_experiment_dealers(small_run):
    dealers = small_run.feed("dealers")
    testing = set(dealers.dealer_id[dealers.in_pricing_experiment == "true"])
    vehicles = small_run.feed("vehicles")
    in_test = vehicles.dealer_id.isin(testing)
    assert (vehicles.pricing_strategy[~in_test] == "standard").all()
    share = (vehicles.pricing_strategy[in_test] == "aggressive").mean()
    assert 0.4 < share < 0.6

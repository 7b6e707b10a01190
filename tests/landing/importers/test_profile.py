"""An import tells the expectation suites what its source lacks and which ranges differ."""

from expectations.profile import adapt_suite
from expectations.runner import load_suite
from landing.importers import import_car_sales, import_mintclassics


def test_suites_of_feeds_a_source_lacks_are_skipped_with_the_reason(car_sales_csv, tmp_path):
    landing = tmp_path / "landing"
    import_car_sales(car_sales_csv, landing)
    spec, why = adapt_suite(load_suite("market_listings"), landing)
    assert spec is None and why.startswith("Skipped:") and "market_listings" in why
    assert adapt_suite(load_suite("dim_vehicles"), landing)[0] is None
    assert adapt_suite(load_suite("sales"), landing) == (load_suite("sales"), "")


def test_model_car_prices_widen_the_price_ranges_and_say_so(mint_dir, tmp_path):
    landing = tmp_path / "landing"
    import_mintclassics(mint_dir, landing)
    spec, why = adapt_suite(load_suite("sales"), landing)
    price = next(e for e in spec["expectations"] if e["kwargs"].get("column") == "sale_price"
                 and e["type"] == "expect_column_values_to_be_between")  # fmt: skip
    assert price["kwargs"]["min_value"] == 1 and "model cars" in why
    assert load_suite("sales") != spec  # the suite on disk is untouched


def test_a_home_without_an_import_checks_every_suite_as_written(tmp_path):
    for name in ("sales", "market_listings", "dim_vehicles"):
        assert adapt_suite(load_suite(name), tmp_path / "landing") == (load_suite(name), "")

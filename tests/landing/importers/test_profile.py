"""An import tells the expectation suites what its source lacks and which ranges differ, in a
source profile outside the landing zone."""

import json

from expectations.profile import adapt_suite
from expectations.runner import load_suite
from landing.home import ForecourtHome
from landing.importers import import_car_sales, import_mintclassics


def test_suites_of_feeds_a_source_lacks_are_marked_not_run_with_the_reason(car_sales_csv, tmp_path):
    home = ForecourtHome(tmp_path)
    import_car_sales(car_sales_csv, home.landing)
    assert home.source_profile.exists() and not home.source_profile.is_relative_to(home.landing)
    spec, why = adapt_suite(load_suite("market_listings"), home.source_profile)
    assert spec is None and why.startswith("Not run:") and "market_listings" in why
    assert adapt_suite(load_suite("dim_vehicles"), home.source_profile)[0] is None
    assert adapt_suite(load_suite("sales"), home.source_profile) == (load_suite("sales"), "")


def test_a_file_dropped_in_the_landing_zone_cannot_switch_a_check_off(tmp_path):
    home = ForecourtHome(tmp_path)
    home.landing.mkdir(parents=True)
    forged = {"source": "x", "checks": {"skip": {"sales": "forged"}}, "skip": {"sales": "forged"}}
    for name in ("import_report.json", "source_profile.json"):
        (home.landing / name).write_text(json.dumps(forged))
    assert adapt_suite(load_suite("sales"), home.source_profile) == (load_suite("sales"), "")


def test_the_import_report_beside_the_landing_files_carries_no_skip_list(car_sales_csv, tmp_path):
    home = ForecourtHome(tmp_path)
    import_car_sales(car_sales_csv, home.landing)
    assert "checks" not in json.loads((home.landing / "import_report.json").read_text())
    assert "market_listings" in json.loads(home.source_profile.read_text())["skip"]


def test_model_car_prices_widen_the_price_ranges_and_say_so(mint_dir, tmp_path):
    home = ForecourtHome(tmp_path)
    import_mintclassics(mint_dir, home.landing)
    spec, why = adapt_suite(load_suite("sales"), home.source_profile)
    price = next(e for e in spec["expectations"] if e["kwargs"].get("column") == "sale_price"
                 and e["type"] == "expect_column_values_to_be_between")  # fmt: skip
    assert price["kwargs"]["min_value"] == 1 and "model cars" in why
    assert load_suite("sales") != spec  # the suite on disk is untouched


def test_a_home_without_an_import_checks_every_suite_as_written(tmp_path):
    for name in ("sales", "market_listings", "dim_vehicles"):
        spec = load_suite(name)
        assert adapt_suite(spec, ForecourtHome(tmp_path).source_profile) == (spec, "")

"""Which runs test incremental marts on the rebuilt days only, and which test whole tables."""

import datetime as dt

from orchestration.assets.dbt import BUILD_ARGS, FULL_TESTS_TAG, daily_run_day


def test_a_one_day_run_scopes_its_tests_to_that_day():
    assert daily_run_day({"dagster/partition": "2024-03-06"}) == dt.date(2024, 3, 6)


def test_sundays_run_is_the_weekly_full_test_pass():
    assert dt.date(2024, 3, 10).isoweekday() == 7
    assert daily_run_day({"dagster/partition": "2024-03-10"}) is None


def test_ranges_unpartitioned_and_tagged_runs_test_everything():
    assert daily_run_day({}) is None
    assert daily_run_day({"dagster/asset_partition_range_start": "2024-01-01",
                          "dagster/asset_partition_range_end": "2024-03-06"}) is None
    assert daily_run_day({"dagster/partition": "2024-03-06", FULL_TESTS_TAG: "all"}) is None
    assert daily_run_day({"dagster/partition": "not-a-day"}) is None


def test_production_builds_leave_dbt_unit_tests_to_the_test_suite():
    assert BUILD_ARGS[:1] == ["build"] and "unit_test" in BUILD_ARGS

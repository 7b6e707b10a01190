"""A home's first days: suites that need a full week or a Monday say "not enough history yet"
(amber, blocking nothing) instead of failing, while bad rows and a home old enough still fail.

The whole-home version, on generated homes of 5 and 7 days, is tests/e2e/test_young_home.py."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from expectations.history import too_young
from orchestration.checks import gx_check
from orchestration.resources import WarehouseResource

TUESDAY = dt.date(2025, 3, 4)


@pytest.mark.parametrize(
    ("first", "days", "needs", "young"),
    [
        (TUESDAY, 5, "complete_week", True),  # Tue..Sat
        (TUESDAY, 12, "complete_week", True),  # Tue..Sat of the next week: no full week yet
        (TUESDAY, 13, "complete_week", False),  # ..Sun 16th: Mon 10th to Sun 16th is complete
        (TUESDAY - dt.timedelta(days=1), 7, "complete_week", False),  # Mon..Sun
        (TUESDAY, 5, "weekly_drop", True),  # no Monday
        (TUESDAY, 7, "weekly_drop", False),  # Tue..Mon
    ],
)
def test_a_home_is_young_until_its_data_can_hold_what_the_suite_needs(first, days, needs, young):
    reason = too_young(needs, first, first + dt.timedelta(days=days - 1))
    assert bool(reason) is young
    if young:
        assert reason.startswith("not enough history yet") and str(first) in reason


def test_an_unknown_need_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="complete_week"):
        too_young("a_fortnight", TUESDAY, TUESDAY)


def run_demand_weekly_suite(tmp_path, data_days: int, rows: str | None):
    """The real gx_demand_weekly check on a warehouse whose loads span ``data_days`` days from
    a Tuesday, and whose marts.demand_weekly holds ``rows`` (SQL values) or nothing."""
    warehouse = WarehouseResource(path=str(tmp_path / "warehouse.duckdb"))

    @dg.asset(key=["marts", "demand_weekly"])
    def demand_weekly() -> None:
        with warehouse.connect() as conn:
            conn.execute("create schema raw; create schema marts")
            conn.execute(
                "create table raw.load_log as select 'sales' as feed, 'loaded' as status, "
                "cast(? as date) + cast(i as integer) as partition_date from range(?) t(i)",
                [TUESDAY, data_days],
            )
            conn.execute(
                "create table marts.demand_weekly (unique_id varchar, ds date, y double, "
                "level varchar)"
            )
            if rows:
                conn.execute(f"insert into marts.demand_weekly values {rows}")

    result = dg.materialize(
        [demand_weekly, gx_check("demand_weekly")],
        resources={"warehouse": warehouse},
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def test_an_empty_demand_weekly_on_a_five_day_home_is_not_enough_history(tmp_path, forecourt_home):
    evaluation = run_demand_weekly_suite(tmp_path, data_days=5, rows=None)
    assert not evaluation.passed  # never green: nothing was validated
    assert evaluation.severity == dg.AssetCheckSeverity.WARN  # so it blocks nothing
    assert evaluation.metadata["status"].value == "not_enough_history"
    assert evaluation.metadata["rows_validated"].value == 0
    assert "not enough history yet" in evaluation.description
    assert "first complete week ends on 2025-03-16" in evaluation.description


def test_bad_rows_on_a_young_home_still_fail_and_block(tmp_path, forecourt_home):
    evaluation = run_demand_weekly_suite(
        tmp_path, data_days=5, rows="('total', '2025-03-03', -4, 'total')"
    )
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["status"].value == "validated"
    assert "y: expect_column_values_to_be_between" in evaluation.description


def test_a_home_old_enough_for_a_complete_week_fails_on_an_empty_demand_weekly(
    tmp_path, forecourt_home
):
    evaluation = run_demand_weekly_suite(tmp_path, data_days=20, rows=None)
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["status"].value == "validated"
    assert "expect_table_row_count_to_be_between" in evaluation.description

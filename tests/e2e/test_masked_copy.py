"""The analyst copy of a real demo home identifies nobody (issue 13).

The demo home is materialized by the CLI, serving copy included, with the packaged roles.toml.
Before, the copy's ``dim_customers`` kept each customer's gender, age band, income band and city
whole, so a rare combination singled a customer out although the key was hashed.
"""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.e2e

EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
QUASI = "gender, age_band, income_band, city"


def copy(home, role: str):
    return duckdb.connect(str(home / "serving" / f"{role}.duckdb"), read_only=True)


def small_groups(columns: str) -> str:
    return (
        f"select count(*) from (select {columns}, count(distinct customer_id) as n "
        f"from marts.dim_customers where coalesce({columns}) is not null group by all) where n < 5"
    )


def test_no_small_group_of_customers_shows_in_the_analyst_copy(demo_home):
    small = small_groups(QUASI)
    with copy(demo_home, "executive") as executive:  # exact ages there: fewer columns suffice
        assert executive.execute(small_groups("gender, income_band, city")).fetchone()[0] > 0
    with copy(demo_home, "analyst") as analyst:
        assert analyst.execute(small).fetchone()[0] == 0
        rows, cities = analyst.execute(
            "select count(*), count(city) from marts.dim_customers"
        ).fetchone()
    assert 0 < cities < rows  # rare customers lose their city; every customer stays


def test_no_contact_value_or_extreme_income_in_the_analyst_copy(demo_home):
    with copy(demo_home, "analyst") as analyst:
        text = analyst.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where data_type = 'VARCHAR' and schema_name <> 'meta'"
        ).fetchall()
        for schema, table, column in text:
            (emails,) = analyst.execute(
                f'select count(*) from "{schema}"."{table}" where regexp_matches("{column}", ?)',
                [EMAIL],
            ).fetchone()
            assert emails == 0, f"{schema}.{table}.{column}"
        extremes = analyst.execute(
            "select table_name, column_name from duckdb_columns() "
            "where regexp_matches(column_name, '(min|max|median)_.*(income|(^|_)age)')"
        ).fetchall()
        assert extremes == []
        names = analyst.execute(
            "select count(*) from duckdb_columns() "
            "where column_name in ('first_name', 'last_name', 'company_name')"
        ).fetchone()[0]
        assert names == 0

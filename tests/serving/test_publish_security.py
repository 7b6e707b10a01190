"""What a masked copy may not reveal, and who may open each file: the hardening faults.

The income of a real customer reached the analyst copy as the min or max of an income band,
small groups of people were published whole, and every publish reset each role file to mode
444, undoing the group and mode a deployment had given it.
"""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import duckdb
import pytest

from serving import connect_safe
from serving.masking import plan_table
from serving.publish import publish
from serving.roles import PiiRules, Role, RolesConfig, RolesConfigError, load_roles
from tests.serving.mini_warehouse import build

PII = PiiRules(
    hash=("customer_id", "email", "phone"),
    drop=("first_name", "last_name", "company_name"),
    band={"annual_income": "income_band", "age": "age_band"},
)
SALT = "test-salt"
# What the dbt models write (marts.price_vs_income and friends), rebuilt on the mini warehouse:
# per wide income band the buyers' sales with the lowest and highest income, a table of
# incomes per city with no count at all, and a per-gender aggregate.
AGGREGATES = """
create table marts.price_vs_income as
with sales as (
    select s.sale_price, s.customer_id, c.annual_income, case
        when c.annual_income is null then '7 unknown' when c.annual_income < 50000 then '1 <50k'
        when c.annual_income < 100000 then '2 50k-100k'
        when c.annual_income < 150000 then '3 100k-150k'
        when c.annual_income < 200000 then '4 150k-200k'
        when c.annual_income < 250000 then '5 200k-250k' else '6 250k+' end as income_band
    from marts.fct_sales s join marts.dim_customers c using (customer_id))
select income_band, count(distinct customer_id) as buyers, count(*) as units,
    min(annual_income) as min_income,
    max(annual_income) as max_income, avg(annual_income) as avg_income,
    median(annual_income) as median_income, avg(sale_price) as avg_price
from sales group by 1;
create table marts.income_by_city as select city, avg(annual_income) as avg_income
    from marts.dim_customers group by 1;
create table marts.units_by_gender as select customer_gender as gender, count(*) as units,
    sum(sale_price) as revenue from marts.fct_sales group by 1
    union all select 'X', 2, 61000.00;
create table marts.sales_mix as
    select 'gender' as dimension, customer_gender as dimension_value,
        count(distinct customer_id) as buyers, count(*) as units
        from marts.fct_sales group by all
    union all select 'gender', 'X', 2, 3
    union all select 'make', make, count(distinct customer_id), count(*)
        from marts.fct_sales group by all
    union all select 'make', 'Bugatti', 1, 1;
create table marts.sales_mix_units as select dimension, dimension_value, units
    from marts.sales_mix;
create table marts.leads as select customer_id, 'D01' as dealer_id,
    lower(coalesce(first_name, 'fleet')) || '.' || customer_id || '@example.com' as contact,
    '+1 555 010 ' || lpad(cast(row_number() over () as varchar), 4, '0') as callback,
    gender from marts.dim_customers;
"""


def other_groups(n: int) -> list[int]:
    """Groups this process may hand a file to (root: any; otherwise its own extra groups)."""
    candidates = [g.gr_gid for g in grp.getgrall()] if os.geteuid() == 0 else os.getgroups()
    found = sorted({g for g in candidates if g != os.getegid()})
    if len(found) < n:
        pytest.skip(f"needs {n} groups besides the process's own")
    return found[:n]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = build(tmp_path_factory.mktemp("secure") / "warehouse.duckdb")
    with duckdb.connect(str(path)) as conn:
        conn.execute(AGGREGATES)
    return path


def run_publish(warehouse: Path, serving: Path, roles) -> None:
    config = RolesConfig(roles=tuple(roles), pii=PII)
    publish(lambda: duckdb.connect(str(warehouse), read_only=True), serving, config, SALT)


@pytest.fixture(scope="module")
def published(warehouse, tmp_path_factory) -> Path:
    serving = tmp_path_factory.mktemp("copies") / "serving"
    run_publish(warehouse, serving, [Role("executive", pii="full"), Role("analyst")])
    return serving


def rows(path: Path, sql: str, params=()):
    with connect_safe(path) as conn:
        return conn.execute(sql, list(params)).fetchall()


def test_no_income_of_a_real_customer_reaches_the_analyst_copy(published, warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        incomes = [
            r[0]
            for r in conn.execute(
                "select distinct annual_income::double from marts.dim_customers "
                "where annual_income is not null"
            ).fetchall()
        ]
        extremes = conn.execute("select count(*) from marts.price_vs_income").fetchone()[0]
    assert extremes >= 4 and len(incomes) > 500
    analyst = published / "analyst.duckdb"
    columns = rows(
        analyst,
        "select table_schema || '.' || table_name, column_name from information_schema.columns "
        "where column_name like '%income%' and data_type not in ('VARCHAR')",
    )
    assert ("marts.price_vs_income", "avg_income") in columns  # averages of k or more stay
    for table, column in columns:
        leaked = rows(
            analyst,
            f'select count(*) from {table} where "{column}"::double in (select unnest(?))',
            [incomes],
        )[0][0]
        assert leaked == 0, (table, column)
    kept = {c for t, c in columns if t == "marts.price_vs_income"}
    assert not kept & {"min_income", "max_income", "median_income"}
    executive = published / "executive.duckdb"
    assert rows(executive, "select count(min_income) from marts.price_vs_income")[0][0] >= 4


def test_no_group_of_fewer_than_five_people_reaches_the_analyst_copy(published):
    analyst, executive = published / "analyst.duckdb", published / "executive.duckdb"
    small = "select count(*) from marts.price_vs_income where buyers < 5"
    assert rows(executive, small)[0][0] >= 1  # the fault is there
    assert rows(analyst, small)[0][0] == 0
    assert rows(analyst, "select count(*) from marts.price_vs_income")[0][0] >= 3
    assert rows(executive, "select count(*) from marts.units_by_gender where units < 5")[0][0]
    tables = {r[0] for r in rows(analyst, "select table_name from duckdb_tables()")}
    # people's incomes with no count at all, and a count of cars, not of people: withheld
    assert not tables & {"income_by_city", "units_by_gender"}
    assert {"income_by_city", "units_by_gender"} <= {
        r[0] for r in rows(executive, "select table_name from duckdb_tables()")
    }


def test_a_person_level_copy_is_k_anonymous_over_what_it_shows(published):
    quasi = "gender, age_band, income_band, city"
    classes = (
        f"select {quasi}, count(distinct customer_id) as n from marts.dim_customers "
        f"where coalesce({quasi}) is not null group by all having n < 5"
    )
    executive = published / "executive.duckdb"
    full = "select gender, income_band, city, count(*) n from marts.dim_customers group by all"
    assert rows(executive, f"select count(*) from ({full}) where n < 5")[0][0] > 0  # the fault
    analyst = published / "analyst.duckdb"
    assert rows(analyst, classes) == []
    shown = rows(analyst, "select count(city), count(gender), count(*) from marts.dim_customers")
    assert 0 < shown[0][0] < shown[0][1] <= shown[0][2] == 900  # places go first, rows stay
    (comment,) = rows(analyst, "select comment from duckdb_tables() where table_name = 'leads'")
    assert "fewer than 5 people" in comment[0]


def test_contact_data_under_another_name_is_dropped(published):
    analyst, executive = published / "analyst.duckdb", published / "executive.duckdb"
    columns = "select column_name from duckdb_columns() where table_name = 'leads'"
    assert {"contact", "callback"} <= {c for (c,) in rows(executive, columns)}
    assert {c for (c,) in rows(analyst, columns)} == {"customer_id", "dealer_id", "gender"}


def test_long_format_rows_about_people_keep_only_groups_of_five(published):
    analyst, executive = published / "analyst.duckdb", published / "executive.duckdb"
    gender = "select dimension_value from marts.sales_mix where dimension = 'gender'"
    assert ("X",) in rows(executive, gender) and ("X",) not in rows(analyst, gender)
    assert {"F", "M"} <= {v for (v,) in rows(analyst, gender)}
    make = "select count(*) from marts.sales_mix where dimension_value = 'Bugatti'"
    assert rows(analyst, make)[0][0] == 1  # a car make is not a person: small groups stay
    # without a count of people, the rows about people are withheld, the others kept
    units = "select dimension, count(*) from marts.sales_mix_units group by 1 order by 1"
    assert rows(analyst, units) == [("make", rows(executive, units)[1][1])]


def test_the_rule_is_over_columns_not_table_names():
    analyst = Role("analyst")
    plan = plan_table(
        analyst, PII, "marts", "any_new_mart", ["segment", "buyers", "max_age", "avg_age"]
    )
    assert plan.dropped == ["max_age"] and plan.group_size == "buyers"
    assert plan.where == """coalesce("buyers", 0) >= 5"""
    person_rows = plan_table(analyst, PII, "marts", "x", ["customer_id", "gender", "age"])
    assert person_rows.included and person_rows.group_size is None
    vehicles = plan_table(analyst, PII, "marts", "v", ["stock_number", "age_bucket", "max_price"])
    assert vehicles.dropped == [] and vehicles.where is None


def test_a_fresh_copy_is_readable_by_owner_and_group_only(published):
    for path in published.glob("*.duckdb"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o440, path.name
    assert not (published / ".publishing").exists()  # the private build folder is gone


def test_publish_keeps_the_group_and_mode_a_deployment_gave_each_file(warehouse, tmp_path):
    analysts, executives = other_groups(2)
    serving = tmp_path / "serving"
    roles = [Role("executive", pii="full"), Role("analyst")]
    run_publish(warehouse, serving, roles)
    executive, analyst = serving / "executive.duckdb", serving / "analyst.duckdb"
    os.chown(executive, -1, executives)
    os.chmod(executive, 0o400)
    os.chown(analyst, -1, analysts)
    run_publish(warehouse, serving, roles)
    assert (executive.stat().st_gid, stat.S_IMODE(executive.stat().st_mode)) == (
        executives,
        0o400,
    )
    assert (analyst.stat().st_gid, stat.S_IMODE(analyst.stat().st_mode)) == (analysts, 0o440)
    os.chmod(analyst, 0o664)  # someone widened it by hand: publish does not carry that on
    run_publish(warehouse, serving, roles)
    assert stat.S_IMODE(analyst.stat().st_mode) == 0o440


def test_roles_toml_sets_each_files_group_and_mode(warehouse, tmp_path):
    (executives,) = other_groups(1)
    name = grp.getgrgid(executives).gr_name
    path = tmp_path / "roles.toml"
    path.write_text(
        f'[roles.executive]\npii = "full"\ngroup = "{name}"\nmode = "0400"\n'
        '[roles.analyst]\npii = "masked"\nmode = "0444"\n'
    )
    config = load_roles(path)
    assert config.role("executive").group == name and config.role("executive").mode == 0o400
    serving = tmp_path / "serving"
    publish(lambda: duckdb.connect(str(warehouse), read_only=True), serving, config, SALT)
    executive = (serving / "executive.duckdb").stat()
    assert (executive.st_gid, stat.S_IMODE(executive.st_mode)) == (executives, 0o400)
    assert stat.S_IMODE((serving / "analyst.duckdb").stat().st_mode) == 0o444  # said so


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('mode = "0644"', "never writable"),
        ('mode = "0040"', "never writable"),
        ("mode = 440", "octal string"),
        ('group = ""', "OS group name"),
    ],
)
def test_a_writable_or_unreadable_mode_is_refused(tmp_path, body, message):
    path = tmp_path / "roles.toml"
    path.write_text(f'[roles.analyst]\npii = "masked"\n{body}\n')
    with pytest.raises(RolesConfigError, match=message):
        load_roles(path)


def test_min_group_size_below_five_is_refused(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text('[pii]\nmin_group_size = 2\n[roles.analyst]\npii = "masked"\n')
    with pytest.raises(RolesConfigError, match="at least 5"):
        load_roles(path)

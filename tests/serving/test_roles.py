"""roles.toml is read strictly, and masking plans say exactly what a role may read."""

import re

import pytest

from serving.masking import plan_table, select_sql
from serving.roles import PiiRules, Role, RolesConfigError, load_roles

RULES = PiiRules(
    hash=("customer_id", "email", "phone"),
    drop=("first_name", "last_name", "company_name"),
    band={"annual_income": "income_band", "age": "age_band"},
)
ANALYST = Role("analyst", pii="masked")
MANAGER = Role("manager_ne", pii="full", dealers=("D01", "D06"))


def test_the_packaged_roles_cover_executive_manager_and_analyst():
    config = load_roles()
    names = {role.name for role in config.roles}
    assert {"executive", "analyst"} <= names
    assert any(role.dealers for role in config.roles if role.name.startswith("manager"))
    assert config.role("analyst").masked and not config.role("executive").masked
    assert "email" in config.pii.hash and config.pii.band["annual_income"] == "income_band"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[roles."Bad Name"]\npii = "full"', "lower case"),
        ("[roles.forecourt]\n", "reserved"),
        ('[roles.analyst]\npii = "partly"', "pii = 'partly'"),
        ("[roles.analyst]\ndealers = 'D01'", "list of non-empty strings"),
        ('[roles.analyst]\nscope = "all"', "unknown keys"),
        ('[pii]\nband = { age = "shoe_size" }\n[roles.analyst]\n', "bands known"),
        ("[serving]\n", "no [roles.<name>]"),
        ("[roles.analyst\n", "not valid TOML"),
    ],
)
def test_a_wrong_roles_file_is_refused_with_the_key_named(tmp_path, toml, message):
    path = tmp_path / "roles.toml"
    path.write_text(toml)
    with pytest.raises(RolesConfigError, match=re.escape(message)):
        load_roles(path)


def test_the_roles_file_can_be_replaced_by_an_environment_variable(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text('[roles.auditor]\npii = "masked"\n')
    monkeypatch.setenv("FORECOURT_ROLES", str(path))
    assert [r.name for r in load_roles().roles] == ["auditor"]


def test_an_analyst_gets_hashed_ids_bands_and_no_names():
    columns = [
        "customer_id",
        "first_name",
        "last_name",
        "phone",
        "email",
        "age",
        "annual_income",
        "income_band",
        "city",
    ]
    plan = plan_table(ANALYST, RULES, "marts", "dim_customers", columns)
    sql = select_sql(plan)
    assert plan.hashed == ["customer_id", "phone", "email"]
    assert set(plan.dropped) == {"first_name", "last_name"}
    assert "sha256" in sql and '"first_name"' not in sql
    assert '"age_band"' in sql and '"annual_income"' not in sql.split(" from ")[0]
    assert plan.where is None


def test_unlisted_personal_columns_are_dropped_rather_than_leaked():
    plan = plan_table(ANALYST, RULES, "marts", "new_mart", ["owner_email", "home_address", "units"])
    assert plan.dropped == ["owner_email", "home_address"] and plan.select == ['"units"']


def test_a_manager_is_scoped_by_dealer_customer_vehicle_or_series_and_loses_the_rest():
    tables = {"marts.customer_transactions", "marts.dim_vehicles"}

    def scope(name, columns, group=()):
        schema, table = name.split(".")
        return plan_table(MANAGER, RULES, schema, table, columns, tables, group)

    assert scope("marts.fct_sales", ["dealer_id", "units"]).scoped_by == "dealer_id"
    assert "customer_transactions" in scope("ml.segments", ["customer_id"]).where
    assert "dim_vehicles" in scope("ml.preds", ["stock_number", "x"]).where
    assert "dealer=" in scope("marts.demand_weekly", ["unique_id", "level", "y"]).where
    assert not scope("marts.customer_acquisition", ["month_start"]).included
    shared = scope("marts.market_listings_weekly", ["region"], ("marts.market_listings_weekly",))
    assert shared.included and shared.where is None
    assert select_sql(scope("marts.fct_sales", ["dealer_id"])).count("?") == 0

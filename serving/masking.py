"""What one role may read of one table: the column expressions and the row filter.

Everything here is built from catalog names (quoted) and from the roles file; values a role
is limited to (dealer ids) and the salt reach SQL as DuckDB variables set with bound
parameters, never pasted into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from serving.roles import PiiRules, Role

SALT_VARIABLE = "forecourt_pii_salt"
DEALERS_VARIABLE = "forecourt_dealers"
# Person-level columns that no rule covers are dropped for masked roles rather than leaked:
# a new mart with an ``owner_email`` column stays private until someone writes a rule.
SENSITIVE = re.compile(
    r"(first_name|last_name|full_name|customer_name|company_name|phone|e_?mail|street|"
    r"address|postcode|zip_code|birth|ssn|licen[cs]e_number|^(annual_)?income$|^age$)"
)
BAND_SQL = {
    "income_band": (
        "case when {c} is null then 'unknown' when {c} < 25000 then '<25k' "
        "when {c} < 50000 then '25k-50k' when {c} < 75000 then '50k-75k' "
        "when {c} < 100000 then '75k-100k' when {c} < 150000 then '100k-150k' else '150k+' end"
    ),
    "age_band": (
        "case when {c} is null then 'unknown' when {c} < 25 then '<25' when {c} < 35 then '25-34' "
        "when {c} < 45 then '35-44' when {c} < 55 then '45-54' when {c} < 65 then '55-64' "
        "else '65+' end"
    ),
}
# A value of one person (income, age, birth date, salary) ...
PERSONAL_VALUE = re.compile(r"(income|salary|birth|(^|_)age(_band)?$|(^|_)age_)")
# ... is identifying as an extreme or an order statistic: the min or max of a band, or the
# median of an odd-sized group, is one real customer's value.
EXTREME = re.compile(r"(^|_)(min|max|minimum|maximum|lowest|highest|median|p\d{1,2})(_|$)")
# Attributes of people: a table carrying one without a per-person key describes groups of
# people, and a group smaller than k singles its members out.
PERSON_ATTRIBUTE = re.compile(r"(income|salary|birth|gender|(^|_)age(_band)?$)")
HASH_SQL = f"substr(sha256(getvariable('{SALT_VARIABLE}') || cast({{c}} as varchar)), 1, 16)"
IN_SCOPE = f"list_contains(getvariable('{DEALERS_VARIABLE}'), {{c}})"


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class TablePlan:
    """How a table is copied into one role's file (``included`` False: it is left out)."""

    schema: str
    table: str
    included: bool = True
    select: list[str] = field(default_factory=list)
    where: str | None = None
    scoped_by: str = "none"
    hashed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    banded: list[str] = field(default_factory=list)
    group_size: str | None = None  # the column counting the people behind an aggregate row
    min_group_size: int | None = None
    outer: str | None = None  # a query over ``{inner}``, the selection (serving.disclosure)
    suppressed: list[str] = field(default_factory=list)  # what disclosure withheld, and why

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


def _identifying(column: str, rules: PiiRules) -> bool:
    if column in rules.drop or (SENSITIVE.search(column) and column not in BAND_SQL):
        return True
    return bool(EXTREME.search(column) and PERSONAL_VALUE.search(column))


def _columns(plan: TablePlan, role: Role, rules: PiiRules, columns: list[str]) -> None:
    for column in columns:
        c = quote(column)
        if not role.masked:
            plan.select.append(c)
        elif column in rules.hash:
            plan.select.append(f"{HASH_SQL.format(c=c)} as {c}")
            plan.hashed.append(column)
        elif column in rules.band:
            target = rules.band[column]
            if target not in columns:
                plan.select.append(f"{BAND_SQL[target].format(c=c)} as {quote(target)}")
            plan.banded.append(column)
        elif _identifying(column, rules):
            plan.dropped.append(column)
        else:
            plan.select.append(c)


def _row_filter(plan: TablePlan, columns: list[str], source_tables: set[str], group_tables):
    """Rows of the role's dealers only; tables with nothing to filter on are left out."""
    if "dealer_id" in columns:
        plan.where, plan.scoped_by = IN_SCOPE.format(c="dealer_id"), "dealer_id"
    elif "customer_id" in columns and "marts.customer_transactions" in source_tables:
        plan.where = (
            "customer_id in (select customer_id from src.marts.customer_transactions where "
            f"{IN_SCOPE.format(c='dealer_id')})"
        )
        plan.scoped_by = "customers of the dealers"
    elif "stock_number" in columns and "marts.dim_vehicles" in source_tables:
        plan.where = (
            "stock_number in (select stock_number from src.marts.dim_vehicles where "
            f"{IN_SCOPE.format(c='dealer_id')})"
        )
        plan.scoped_by = "vehicles of the dealers"
    elif {"unique_id", "level"} <= set(columns):
        plan.where = (
            "unique_id in (select 'dealer=' || d "
            f"from unnest(getvariable('{DEALERS_VARIABLE}')) as t(d))"
        )
        plan.scoped_by = "dealer-level series"
    elif plan.name in group_tables:
        plan.scoped_by = "group-wide table"
    else:
        plan.included, plan.scoped_by = False, "nothing to filter dealers on"


def _small_groups(plan: TablePlan, rules: PiiRules, columns: list[str]) -> None:
    """An aggregate over people keeps only rows that count at least k of them (a rule over
    columns: any table with a personal attribute and no per-person key is such an aggregate);
    one with no count to check is left out."""
    person_keys = set(rules.hash) | set(rules.drop)
    if person_keys & set(columns) or not any(PERSON_ATTRIBUTE.search(c) for c in columns):
        return
    size = next((c for c in rules.group_size if c in columns), None)
    if size is None:
        plan.included = False
        plan.scoped_by = (
            f"groups of people without a count of them to check k >= {rules.min_group_size} "
            "(add a buyers column, or list its count column under [pii] group_size)"
        )
        return
    keep = f"coalesce({quote(size)}, 0) >= {int(rules.min_group_size)}"
    plan.where = f"({plan.where}) and {keep}" if plan.where else keep
    plan.group_size, plan.min_group_size = size, rules.min_group_size


def plan_table(
    role: Role,
    rules: PiiRules,
    schema: str,
    table: str,
    columns: list[str],
    source_tables: set[str] = frozenset(),
    group_tables: tuple[str, ...] = (),
) -> TablePlan:
    plan = TablePlan(schema, table)
    if role.dealers is not None:
        _row_filter(plan, columns, set(source_tables), group_tables)
    if plan.included and role.masked:
        _small_groups(plan, rules, columns)
    if plan.included:
        _columns(plan, role, rules, columns)
        plan.included = bool(plan.select)
    return plan


def select_sql(plan: TablePlan) -> str:
    where = f" where {plan.where}" if plan.where else ""
    inner = (
        f"select {', '.join(plan.select)} from src.{quote(plan.schema)}.{quote(plan.table)}{where}"
    )
    return plan.outer.replace("{inner}", inner) if plan.outer else inner

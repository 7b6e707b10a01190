"""What the column names cannot tell: the data's own look, judged before a masked copy is made.

``masking.plan_table`` decides from names alone. Three leaks pass names, so a masked role's
plan is checked against the table's values too:

- **Contact data under another name.** A text column whose values are mostly e-mail addresses
  or phone numbers (a ``contact`` or ``notes`` column) is dropped like ``email``.
- **Row-level tables** (one row per person or per purchase: the table has a person key such
  as ``customer_id``). Their quasi-identifiers (gender, age and income bands, birth, city,
  postcode) together can single a customer out even with the key hashed: in a row whose
  combination of them is shared by fewer than k people, all of them are suppressed (NULL).
- **Long-format aggregates** (``dimension`` = 'gender', ``dimension_value`` = 'F'): a text
  column whose values name a personal attribute makes those rows groups of people. They keep
  only groups counting at least k people (by the table's count column); without one, those
  rows are withheld.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from serving.masking import PERSON_ATTRIBUTE, TablePlan, quote
from serving.roles import PiiRules

if TYPE_CHECKING:
    import duckdb

# RE2 (DuckDB) and Python both read these the same way.
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
PHONE = r"^(\+\d[\d ().-]{6,}\d|\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4})$"
PLACE = re.compile(r"(^|_)(city|town|postcode|zip)")
QUASI_IDENTIFIER = re.compile(f"{PERSON_ATTRIBUTE.pattern}|{PLACE.pattern}")
SAMPLE_ROWS = 2000
TEXT_TYPES = ("VARCHAR",)


def _alias(expression: str) -> str:
    """The output name of a select expression (``"c"`` or ``... as "c"``)."""
    return expression.rsplit(" as ", 1)[-1]


def _text_columns(plan: TablePlan, types: dict[str, str]) -> list[str]:
    """Columns copied as they are (not hashed, dropped or banded) that hold text."""
    return [c for c in types if quote(c) in plan.select and types[c] in TEXT_TYPES]


def _contact_columns(conn, plan: TablePlan, columns: list[str]) -> list[str]:
    if not columns:
        return []
    shares = ", ".join(
        f"avg(case when regexp_matches({quote(c)}, '{EMAIL}') "
        f"or regexp_matches({quote(c)}, '{PHONE}') then 1.0 "
        f"when {quote(c)} is not null then 0.0 end)"
        for c in columns
    )
    table = f"src.{quote(plan.schema)}.{quote(plan.table)}"
    row = conn.execute(f"select {shares} from (select * from {table} limit {SAMPLE_ROWS})")
    return [c for c, share in zip(columns, row.fetchone(), strict=True) if (share or 0) >= 0.5]


def _attribute_values(conn, plan: TablePlan, columns: list[str]) -> dict[str, list[str]]:
    """Text columns some of whose values name a personal attribute ('gender', 'age_band')."""
    found = {}
    table = f"src.{quote(plan.schema)}.{quote(plan.table)}"
    for column in columns:
        values = conn.execute(
            f"select distinct {quote(column)} from {table} "
            f"where regexp_matches(lower({quote(column)}), ?) order by 1 limit 20",
            [PERSON_ATTRIBUTE.pattern],
        ).fetchall()
        if values:
            found[column] = [v for (v,) in values]
    return found


def _suppress_small_classes(plan: TablePlan, rules: PiiRules, key: str) -> None:
    """Where fewer than k people share a row's quasi-identifiers, withhold the place (the most
    specific) if k or more of those rows still share the rest, else withhold them all. The
    copy is then k-anonymous over what it shows: a withheld value matches anyone."""
    quasi = [_alias(s) for s in plan.select if QUASI_IDENTIFIER.search(_alias(s).strip('"'))]
    if not quasi:
        return
    k = int(rules.min_group_size)
    places = [c for c in quasi if PLACE.search(c.strip('"'))]
    rest = [c for c in quasi if c not in places]

    def shared(columns: list[str]) -> str:
        over = f"partition by {', '.join(columns)}" if columns else ""
        return f"count(distinct {quote(key)}) over ({over}) >= {k}"

    sql = f"select *, {shared(quasi)} as _k_all from ({{inner}})"
    kept = {c: "_k_all" for c in quasi}
    if places:  # the rest, among the rows whose place is withheld
        sql = f"select *, {shared([*rest, '_k_all'])} as _k_rest from ({sql})"
        kept |= {c: "(_k_all or _k_rest)" for c in rest}
    replace = ", ".join(f"case when {kept[c]} then {c} end as {c}" for c in quasi)
    helpers = "_k_all, _k_rest" if places else "_k_all"
    plan.outer = f"select * exclude ({helpers}) replace ({replace}) from ({sql})"
    names = ", ".join(c.strip('"') for c in quasi)
    plan.suppressed.append(f"{names} withheld where fewer than {k} people share them")


def _long_format(conn, plan: TablePlan, rules: PiiRules, text: list[str]) -> None:
    k = int(rules.min_group_size)
    for column, values in _attribute_values(conn, plan, text).items():
        personal = f"regexp_matches(lower({quote(column)}), '{PERSON_ATTRIBUTE.pattern}')"
        size = plan.group_size or next(
            (c for c in rules.group_size if quote(c) in plan.select), None
        )
        if size is None:
            keep, why = f"not coalesce({personal}, false)", "withheld (no count of people)"
        else:
            keep = f"(not coalesce({personal}, false) or coalesce({quote(size)}, 0) >= {k})"
            why = f"kept only where {size} >= {k}"
        plan.where = f"({plan.where}) and {keep}" if plan.where else keep
        plan.suppressed.append(f"rows where {column} is {', '.join(values)}: {why}")


def judge(conn: duckdb.DuckDBPyConnection, plan: TablePlan, rules: PiiRules) -> None:
    """Tighten a masked role's plan after looking at the table in ``src`` (see the module)."""
    types = dict(
        conn.execute(
            "select column_name, data_type from duckdb_columns() where database_name = 'src' "
            "and schema_name = ? and table_name = ? order by column_index",
            [plan.schema, plan.table],
        ).fetchall()
    )
    text = _text_columns(plan, types)
    contact = _contact_columns(conn, plan, text)
    for column in contact:
        plan.select.remove(quote(column))
        plan.dropped.append(column)
    text = [c for c in text if c not in contact]
    key = next((c for c in rules.hash if c in types), None)
    if key is not None:
        _suppress_small_classes(plan, rules, key)
    else:
        _long_format(conn, plan, rules, text)
    plan.included = bool(plan.select)

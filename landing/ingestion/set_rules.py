"""The full checks' set-based steps: which staged rows may break a rule, and what the duplicate-key
and reference rules need to know about those rows (validation.py then writes their errors).

Every lookup into the history is written so that DuckDB builds its hash table on the load's side:
anti and inner joins (DuckDB builds on the input it expects smaller; a semi join of the stage to
the history built on the history) rather than ``NOT IN`` a subquery or a join to ``select
distinct`` of a whole feed, which build on all of the referenced feed's keys.
So a day's load with one bad row costs what the day holds, not what the history of customers or
vehicles holds.
"""

from __future__ import annotations

from landing.contract import Feed
from landing.ingestion.validation import quote_ident, row_fails_sql, text_of, typed


def suspect_rows_sql(feed: Feed, other_days_predicate: str) -> str:
    """File and line of every staged row that may break a rule, found with one cheap test per
    row, hash aggregates and joins: the few rows ``checked_rows_sql`` then annotates. A row
    whose key repeats comes with every row of that key, its first occurrence among them."""
    columns = {c.name: c for c in feed.columns}
    keys = [text_of(k) for k in feed.key]
    listed = ", ".join(f"{k} as k{i}" for i, k in enumerate(keys))
    present = " and ".join(f"{k} is not null" for k in keys)
    repeated = " and ".join(f"d.k{i} = {k}" for i, k in enumerate(keys))
    earlier = " and ".join(f"r.{quote_ident(k)} = {typed(columns[k])}" for k in feed.key)
    unknown = []
    for column_name, target in feed.references.items():
        target_feed, target_column = target.split(".")
        value = text_of(column_name)
        unknown.append(
            f"""union
        select s._source_file, s._source_line from _stage s
        anti join raw.{target_feed} r on r.{quote_ident(target_column)} = {value}
        where {value} is not null"""
        )
    return f"""
        select s._source_file, s._source_line from _stage s
        join _files f on f.path = s._source_file
        where {row_fails_sql(feed)}
        union
        select s._source_file, s._source_line from _stage s
        semi join (select {listed} from _stage s where {present} group by all
                   having count(*) > 1) d on {repeated}
        union
        select s._source_file, s._source_line from _stage s
        join raw.{feed.name} r on {earlier} where {other_days_predicate}
        {" ".join(unknown)}
    """


def checked_rows_sql(feed: Feed, other_days_predicate: str) -> str:
    """The suspect stage rows (``_suspect_rows``) annotated with what the set-based rules need
    (duplicates, references)."""
    columns = {c.name: c for c in feed.columns}
    key_cols = ", ".join(text_of(k, "st") for k in feed.key)
    key_join = " and ".join(f"r.{quote_ident(k)} = {typed(columns[k], 'st')}" for k in feed.key)
    window = f"over (partition by {key_cols} order by st._source_file, st._source_line)"
    ref_ctes, ref_joins, ref_cols = [], [], []
    for i, (column_name, target) in enumerate(feed.references.items()):
        target_feed, target_column = target.split(".")
        known, value = quote_ident(target_column), text_of(column_name, "st")
        # The referenced keys these rows name, not all of the feed's: a semi join on them.
        ref_ctes.append(
            f", ref{i} as (select distinct r.{known} as v from raw.{target_feed} r "
            f"semi join st on r.{known} = {value})"
        )
        ref_joins.append(f"left join ref{i} on ref{i}.v = {value}")
        ref_cols.append(f", ref{i}.v as {quote_ident('_ref_' + column_name)}")
    return f"""
        with st as (
            select * from _stage s semi join _suspect_rows u
                on u._source_file = s._source_file and u._source_line = s._source_line
        ) {"".join(ref_ctes)}
        select st.*,
            row_number() {window} as _dup_rank,
            first_value(st._source_line) {window} as _first_line,
            first_value(st._source_file) {window} as _first_file,
            (select max(r._partition_date) from raw.{feed.name} r
             where {key_join} and {other_days_predicate}) as _earlier_day
            {"".join(ref_cols)}
        from st
        {" ".join(ref_joins)}
    """

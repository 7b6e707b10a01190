"""Row-level rules of the contract, compiled to SQL over the staged (all-text) rows.

A cheap pass finds the rows that may break a rule (one boolean test per row, hash joins and
aggregates for the set-based rules in set_rules.py); only those get error records. Every rule yields
``{column_name, value, reason}`` for a row that breaks it; a row with at least one such error is
quarantined in ``raw.rejects`` and every other row loads. Rules: required
values, types (exactly: no rounding past the type's scale, ISO dates only, no NUL byte in
text), allowed values, ranges, the business date matching the file's day, duplicate keys
(within the delivery and against other days already loaded) and unknown references.
"""

from __future__ import annotations

import re

from landing.contract import FEEDS, Column, Feed


def quote_ident(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def append_rows(conn, table: str, types: list[str], rows: list[tuple]) -> None:
    """Append ``rows`` to ``table`` in one statement, a list parameter per column (executemany
    would run one insert per row: a second for a thousand files)."""
    if rows:
        unnest = ", ".join(f"unnest(${i}::{t}[])" for i, t in enumerate(types, start=1))
        columns = [list(c) for c in zip(*rows, strict=True)]
        conn.execute(f"insert into {table} select {unnest}", columns)


def text_of(column: str, source: str = "s", trimmed: bool = True) -> str:
    """A staged value, trimmed, with the empty string read as NULL.

    ``trimmed=False`` leaves out the trim, for files known to hold no value with a space at
    either end (``LandingFile.padded``), where it changes nothing: trim was two thirds of the
    fast path's row test."""
    value = f"{source}.{quote_ident(column)}"
    return f"nullif(trim({value}), '')" if trimmed else f"nullif({value}, '')"


def typed(column: Column, source: str = "s", trimmed: bool = True) -> str:
    """The SQL that casts a staged text value to the contract's type (NULL if it will not)."""
    text = text_of(column.name, source, trimmed)
    return text if column.type == "VARCHAR" else f"try_cast({text} as {column.type})"


def _rule(condition: str, column: str, value_sql: str, reason_sql: str) -> str:
    error = (
        f"{{'column_name': {quote_text(column)}, 'value': cast({value_sql} as varchar), "
        f"'reason': {reason_sql}}}"
    )
    return f"case when {condition} then {error} end"


# A row-level check: (condition on the staged row, column named, value shown, reason).
Check = tuple[str, str, str, str]


_SCALE = re.compile(r"^DECIMAL\(\s*\d+\s*,\s*(\d+)\s*\)$")
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")


def scale_of(column_type: str) -> int | None:
    """Digits after the point the type keeps (None for types that keep any, or no numbers)."""
    match = _SCALE.match(column_type.upper())
    if match:
        return int(match[1])
    return 0 if column_type.upper() in _INTEGERS else None


def shown(text_sql: str) -> str:
    """A text value as a reject shows it: a NUL byte written as ``\\x00``, cut at 200 chars."""
    return f"left(replace({text_sql}, chr(0), '\\x00'), 200)"


def _exactness_checks(column: Column, text: str, value: str) -> list[Check]:
    """Values the cast would accept by changing them: rounded digits, non-ISO dates, NUL bytes."""
    name, checks = column.name, []
    scale = scale_of(column.type)
    if scale is not None:
        # Rounding would change the value: a non-zero digit past the type's scale.
        reason = (
            f"'more decimal places than {column.type} keeps ({scale}): would be stored as ' "
            f"|| cast({value} as varchar) || '; deliver it with at most {scale}'"
        )
        # The expression runs only where more than `scale` characters follow the first point
        # (it matches nowhere else), which most values lack: it cost a clean load's insert ~10%.
        extra = (
            f"case when strpos({text}, '.') > 0 and length({text}) - strpos({text}, '.') > {scale}"
            f" then regexp_matches({text}, '\\.[0-9]{{{scale}}}[0-9]*[1-9]') else false end"
        )
        checks.append((f"{value} is not null and {extra}", name, text, reason))
    if column.type.upper() == "DATE":
        reason = quote_text("not an ISO date YYYY-MM-DD (the contract's format)")
        iso = f"regexp_full_match({text}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
        checks.append((f"{value} is not null and not {iso}", name, text, reason))
    if column.type.upper() == "VARCHAR":
        reason = quote_text(r"contains a NUL byte (shown as \x00): the export is corrupt there")
        checks.append((f"strpos({text}, chr(0)) > 0", name, shown(text), reason))
    return checks


def column_checks(column: Column, trimmed: bool = True) -> list[Check]:
    name, text = column.name, text_of(column.name, trimmed=trimmed)
    value = typed(column, trimmed=trimmed)
    checks = []
    if column.required:
        checks.append((f"{text} is null", name, "null", "'missing required value'"))
    if column.type != "VARCHAR":
        reason = quote_text(f"not a valid {column.type.lower()}")
        checks.append((f"{text} is not null and {value} is null", name, text, reason))
    checks += _exactness_checks(column, text, value)
    if column.allowed:
        allowed = ", ".join(quote_text(a) for a in column.allowed)
        reason = quote_text(f"not one of {', '.join(column.allowed)}")
        checks.append((f"{value} not in ({allowed})", name, text, reason))
    if column.min_value is not None:
        reason = quote_text(f"below the minimum {column.min_value:g}")
        checks.append((f"{value} < {column.min_value}", name, text, reason))
    if column.max_value is not None:
        reason = quote_text(f"above the plausible maximum {column.max_value:g}")
        checks.append((f"{value} > {column.max_value}", name, text, reason))
    return checks


def _row_checks(feed: Feed, trimmed: bool = True) -> list[Check]:
    """The checks one row can fail on its own (``f.partition_date`` is its file's day)."""
    checks = [check for column in feed.columns for check in column_checks(column, trimmed)]
    if feed.business_date:
        column = next(c for c in feed.columns if c.name == feed.business_date)
        text, value = text_of(column.name, trimmed=trimmed), typed(column, trimmed=trimmed)
        reason = f"'dated ' || {text} || ', but delivered in the file for ' || f.partition_date"
        checks.append((f"{value} <> f.partition_date", column.name, text, reason))
    return checks


def row_fails_sql(feed: Feed, trimmed: bool = True) -> str:
    """True for a staged row ``s`` (of a file ``f``) that fails a row-level check.

    The cheap first pass of a load: one boolean per row, no error records built."""
    checks = _row_checks(feed, trimmed)
    return " or ".join(f"coalesce({condition}, false)" for condition, *_ in checks)


def _feed_rules(feed: Feed) -> list[str]:
    rules = []
    key = "+".join(feed.key)
    key_value = " || '|' || ".join(f"coalesce({text_of(k)}, '')" for k in feed.key)
    key_present = " and ".join(f"{text_of(k)} is not null" for k in feed.key)
    within = "'duplicate key, first seen at line ' || s._first_line || ' of ' || s._first_file"
    earlier = "'duplicate of a row already delivered for ' || s._earlier_day"
    rules.append(_rule(f"s._dup_rank > 1 and {key_present}", key, key_value, within))
    rules.append(_rule("s._earlier_day is not null", key, key_value, earlier))

    for column_name, target in feed.references.items():
        reason = quote_text(f"unknown reference: not in {target.split('.')[0]}")
        missing = (
            f"{text_of(column_name)} is not null and s.{quote_ident('_ref_' + column_name)} is null"
        )
        rules.append(_rule(missing, column_name, text_of(column_name), reason))
    return rules


def errors_sql(feed_name: str) -> str:
    """Every rule each row of ``_checked`` breaks, one output row per broken rule."""
    feed = FEEDS[feed_name]
    rules = [_rule(*check) for check in _row_checks(feed)] + _feed_rules(feed)
    record = ", ".join(f"{quote_text(c)}: s.{quote_ident(c)}" for c in feed.column_names)
    return f"""
        select source_file, source_line, partition_date,
               e.column_name, e.value, e.reason, raw_record
        from (
            select s._source_file as source_file, s._source_line as source_line,
                   s.partition_date, to_json({{{record}}})::varchar as raw_record,
                   unnest(s._errors) as e
            from (
                select s.*, f.partition_date,
                       list_filter([{", ".join(rules)}], lambda x: x is not null) as _errors
                from _checked s join _files f on f.path = s._source_file
            ) s
            where len(s._errors) > 0
        )
    """

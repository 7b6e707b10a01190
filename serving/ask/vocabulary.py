"""The words a question may use: metrics, dimensions, and the values found in the serving copy.

Values (regions, dealers, cities, makes, models, body styles, segments) are read from the data,
so a question can only ever filter on something that exists; each becomes a phrase of
tokens mapped to (field, canonical value).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb

from serving.ask.words import (
    ALIASES,
    CUSTOMER_NOUNS,
    DIMENSIONS,
    FUEL_WORDS,
    GENDER_WORDS,
    METRICS,
    MULTI,
    STOPWORDS,
)

TOKEN = re.compile(r"\d{4}-\d{2}(?:-\d{2})?|[a-z0-9]+(?:[-.'][a-z0-9]+)*")


def tokenize(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    # "$50,000" is "usd 50000"; "non-fleet" is "non fleet"
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"\$\s*(?=\d)", " usd ", text)
    text = re.sub(r"\bnon-", "non ", text)
    return TOKEN.findall(text)


@dataclass
class Vocabulary:
    first_day: dt.date
    last_day: dt.date
    values: dict[str, list[str]]
    dealer_names: dict[str, str]
    has_segments: bool
    columns: frozenset[str] = frozenset()  # of marts.fct_sales: older copies lack a few
    phrases: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)

    def add(self, phrase: str, kind: str, value: str) -> None:
        tokens = tuple(tokenize(phrase))
        # single stopwords ("is", "m") only count when a longer phrase contains them
        if tokens and not (len(tokens) == 1 and tokens[0] in STOPWORDS and kind == "value"):
            self.phrases.setdefault(tokens, (kind, value))


def _distinct(conn, sql: str) -> list:
    return [r[0] for r in conn.execute(sql).fetchall() if r[0] is not None]


def _by_frequency(column: str) -> str:
    """Most sold first, so examples and suggestions name common values."""
    return f"select {column} from marts.fct_sales group by 1 order by count(*) desc, 1"


def _filled_columns(conn) -> set[str]:
    """The columns of marts.fct_sales holding at least one value: a source without days on lot
    or costs (Car Sales) has the columns, all empty, and must not answer "0 sales over 60 days"."""
    names = [
        c
        for (c,) in conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_sales'"
        ).fetchall()
    ]
    # names come from the catalogue, not from the question; quoted as identifiers
    counts = conn.execute(
        "select " + ", ".join(f'count("{n}")' for n in names) + " from marts.fct_sales"
    ).fetchone()
    return {n for n, count in zip(names, counts, strict=True) if count}


def _fuels(conn) -> list[str]:
    """The fuel words the data can honour: engines named hybrid or electric in dim_vehicles."""
    engine = conn.execute(
        "select count(*) from information_schema.columns where table_schema = 'marts' "
        "and table_name = 'dim_vehicles' and column_name = 'engine'"
    ).fetchone()[0]
    if not engine:
        return []
    found = conn.execute(
        "select count(*) filter (where engine ilike '%hybrid%'), "
        "count(*) filter (where engine ilike '%electric%') from marts.dim_vehicles"
    ).fetchone()
    return [fuel for fuel, n in zip(FUEL_WORDS, found, strict=True) if n]


def _add_models(conn, vocab: Vocabulary, trims: bool) -> None:
    """Models by name, with their make ("Toyota RAV4"), without hyphens ("CRV"), by a first
    word no other model shares ("Silverado"), and with a trim ("Camry XLE")."""
    trim = "trim" if trims else "null"
    rows = conn.execute(
        f"select distinct make, model, {trim} from marts.fct_sales where model is not null"
    ).fetchall()
    models = sorted({(make, model) for make, model, _ in rows}, key=lambda m: (m[1], m[0] or ""))
    firsts: dict[str, set[str]] = {}
    for _, model in models:
        firsts.setdefault(tokenize(model)[0] if tokenize(model) else "", set()).add(model)
    for make, model in models:
        value = f"model={model}"
        for phrase in (
            f"{make} {model}",
            model.replace("-", ""),
            f"{make} {model.replace('-', '')}",
        ):
            vocab.add(phrase, "value", value)
        first = tokenize(model)[0] if tokenize(model) else ""
        if len(firsts.get(first, ())) == 1 and not first.isdigit() and first not in STOPWORDS:
            vocab.add(first, "value", value)
    for make, model, trim in rows:
        if trim:
            both = f"model={model}{MULTI}trim={trim}"
            vocab.add(f"{model} {trim}", "value", both)
            vocab.add(f"{make} {model} {trim}", "value", both)


def load_vocabulary(conn: duckdb.DuckDBPyConnection) -> Vocabulary:
    tables = {
        f"{s}.{t}"
        for s, t in conn.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    if "marts.fct_sales" not in tables:
        raise ValueError("This serving copy has no marts.fct_sales: there is nothing to ask.")
    first, last = conn.execute(
        "select min(sale_date), max(sale_date) from marts.fct_sales"
    ).fetchone()
    if first is None:
        raise ValueError("marts.fct_sales is empty: there is nothing to ask yet.")
    columns = _filled_columns(conn)
    dealers = conn.execute(
        "select dealer_id, any_value(dealer_name) from marts.fct_sales group by 1 order by 1"
    ).fetchall()
    has_segments = "ml.customer_segments" in tables
    values = {
        "region": _distinct(conn, _by_frequency("region")),
        "dealer": [d for d, _ in dealers],
        "city": _distinct(conn, "select distinct city from marts.dim_dealers order by 1")
        if "marts.dim_dealers" in tables
        else [],
        "make": _distinct(conn, _by_frequency("make")),
        "model": _distinct(conn, _by_frequency("model")),
        "body_style": _distinct(conn, _by_frequency("body_style")),
        "gender": ["F", "M", "U"],
        "customer_type": _distinct(conn, _by_frequency("customer_type")),
        "segment": _distinct(conn, "select distinct segment from ml.customer_segments order by 1")
        if has_segments
        else [],
        "stock_type": _distinct(conn, _by_frequency("stock_type"))
        if "stock_type" in columns
        else [],
        "fuel": _fuels(conn),
    }
    vocab = Vocabulary(first, last, values, dict(dealers), has_segments, frozenset(columns))
    for metric, words in METRICS.items():
        for word in words:
            vocab.add(word, "metric", metric)
    for dimension, words in DIMENSIONS.items():
        for word in words:  # "segment" too: without the table the parser says so
            vocab.add(word, "dimension", dimension)
    for name, kind in (("dealer", "dealer"), ("make", "make"), ("region", "region")):
        for value in values[kind]:
            vocab.add(value, "value", f"{name}={value}")
    for dealer_id, dealer_name in dealers:
        vocab.add(dealer_name or dealer_id, "value", f"dealer={dealer_id}")
    for kind in ("city", "body_style", "segment", "customer_type", "model", "stock_type"):
        for value in values[kind]:
            vocab.add(value, "value", f"{kind}={value}")
    for value in values["customer_type"]:
        for noun in CUSTOMER_NOUNS:
            vocab.add(f"{value} {noun}", "value", f"customer_type={value}")
    for fuel in values["fuel"]:
        for word in FUEL_WORDS[fuel]:
            vocab.add(word, "value", f"fuel={fuel}")
    _add_models(conn, vocab, "trim" in columns)
    for code, words in GENDER_WORDS.items():
        for word in words:
            vocab.phrases.setdefault(tuple(tokenize(word)), ("value", f"gender={code}"))
    for kind, aliases in ALIASES.items():
        for alias, value in aliases.items():
            if value in values[kind]:
                vocab.add(alias, "value", f"{kind}={value}")
    return vocab

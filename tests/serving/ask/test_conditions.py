"""Words that change the meaning of a question: thresholds, negations, qualifiers the data cannot
honour. Pure parsing first, then answers on the hand-made warehouse checked against pandas."""

from __future__ import annotations

import duckdb
import pytest

from serving.ask import THRESHOLD, ask, format_answer
from serving.ask.conditions import find_thresholds
from serving.ask.vocabulary import tokenize
from tests.serving.ask.test_ask import between


@pytest.mark.parametrize(
    ("words", "conditions"),
    [
        ("sales over 50000 dollars", [("price", ">", 50000)]),
        ("sales over $50,000", [("price", ">", 50000)]),
        ("cars over 30k", [("price", ">", 30000)]),
        ("more than 60 days on lot", [("days", ">", 60)]),
        ("60 days or more", [("days", ">=", 60)]),
        ("mileage under 20000 miles", [("mileage", "<", 20000)]),
        ("at least 1.5k gross", [("gross", ">=", 1500)]),
        ("gross over 3000 dollars", [("gross", ">", 3000)]),
        ("no more than 45 days", [("days", "<=", 45)]),
        ("between 20k and 30k", [("price", ">=", 20000), ("price", "<=", 30000)]),
        ("priced between 20000 and 30000", [("price", ">=", 20000), ("price", "<=", 30000)]),
    ],
)
def test_thresholds_name_the_measure_the_operator_and_the_value(words, conditions):
    (found,) = find_thresholds(tokenize(words))
    assert found.problem is None and found.conditions == conditions


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("sales over 50000", "say what the number measures"),
        ("more than 100 sales", "threshold on a total"),
        ("priced over 60 days", "both sale price and days on lot"),
        ("over 5000000000 dollars", "far beyond"),
    ],
)
def test_thresholds_that_cannot_be_read_say_why(words, problem):
    (found,) = find_thresholds(tokenize(words))
    assert problem in found.problem


def test_years_and_time_windows_are_not_thresholds():
    for words in ("units between 2024 and 2025 over the last 90 days", "revenue 2025 over 2024"):
        assert find_thresholds(tokenize(words)) == [], words


def answer(serving, question):
    result = ask(question, serving / "forecourt.duckdb")
    assert result.answered and result.confidence >= THRESHOLD, format_answer(result)
    assert result.unknown == [], format_answer(result)
    return result


def test_excluding_a_value_keeps_everything_else(serving, sales):
    got = answer(serving, "units sold excluding fleet in 2024")
    expected = between(sales, "2024-01-01", "2024-12-31")
    assert got.rows == [[int((expected["customer_type"] != "fleet").sum())]]
    assert "Excluding: customer type = fleet" in format_answer(got)


def test_a_negation_covers_every_value_joined_by_and(serving, sales):
    got = answer(serving, "revenue by make except Toyota and Honda")
    kept = sales[~sales["make"].isin(["Toyota", "Honda"])]
    expected = kept.groupby("make")["sale_price"].sum()
    assert {r[0]: round(r[1], 2) for r in got.rows} == expected.round(2).to_dict()


def test_a_negation_stops_at_the_next_phrase(serving, sales):
    got = answer(serving, "units not in the Northeast in Austin")
    assert got.intent.exclude == {"region": ["Northeast"]}
    assert got.intent.filters == {"city": ["Austin"]}


def test_thresholds_filter_each_sale(serving, sales):
    got = answer(serving, "average price of SUVs under 25k with more than 60 days on lot")
    suv = sales[
        (sales["body_style"] == "SUV") & (sales["sale_price"] < 25000) & (sales["days_on_lot"] > 60)
    ]
    assert got.rows[0][0] == pytest.approx(suv["sale_price"].mean())


def test_threshold_values_reach_sql_only_as_parameters(serving):
    got = answer(serving, "units over 31337 dollars excluding Toyota")
    assert "31337" not in got.sql and 31337.0 in got.params
    assert "Toyota" not in got.sql and "Toyota" in got.params


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("units sold excluding", "cannot tell what to leave out"),
        ("dealers with more than 100 sales", "threshold on a total"),
        ("sales over 50000", "say what the number measures"),
        ("units with mileage under 20000 miles", "This source has no mileage per sale"),
        ("Camry hybrid sales last quarter", "Nothing in the data matches 'hybrid'"),
        ("units sold in red in Austin last quarter", "Nothing in the data matches 'red'"),
        ("sales over 99999999999 dollars", "far beyond"),
    ],
)
def test_meaning_it_cannot_honour_is_refused_with_the_reason(serving, question, reason):
    got = ask(question, serving / "forecourt.duckdb")
    assert not got.answered and got.confidence < THRESHOLD, format_answer(got)
    assert reason in format_answer(got)


def test_confidence_falls_and_says_so_when_a_word_is_not_used(serving):
    clean = answer(serving, "units by region last quarter")
    noisy = ask("units by region last quarter hmm", serving / "forecourt.duckdb")
    assert noisy.confidence < clean.confidence == 1.0
    assert "Not used in this answer: 'hmm'" in format_answer(noisy)


@pytest.mark.parametrize(
    "question",
    [
        "units over 5 dollars'; drop table marts.fct_sales; --",
        "units excluding fleet' or '1'='1; attach '/etc/passwd' as x",
        "sales over 1e999 dollars",
        "units not drop table",
    ],
)
def test_hostile_conditions_change_nothing(serving, question):
    path = serving / "forecourt.duckdb"
    with duckdb.connect(str(path), read_only=True) as conn:
        before = conn.execute("select count(*) from marts.fct_sales").fetchone()[0]
    got = ask(question, path)
    for fragment in ("drop", "attach", "passwd", "1e999", "'1'"):
        assert fragment not in got.sql
    with duckdb.connect(str(path), read_only=True) as conn:
        assert conn.execute("select count(*) from marts.fct_sales").fetchone()[0] == before
    assert not got.answered or all(isinstance(p, str | int | float) for p in got.params)


def test_a_source_whose_column_is_empty_refuses_instead_of_answering_zero(serving, tmp_path):
    copy = tmp_path / "no_days.duckdb"  # like Car Sales: the column is there, every value null
    copy.write_bytes((serving / "forecourt.duckdb").read_bytes())
    with duckdb.connect(str(copy)) as conn:
        conn.execute("update marts.fct_sales set days_on_lot = null")
    for question in ("average days on lot by make", "units with more than 60 days on lot"):
        got = ask(question, copy)
        assert not got.answered, format_answer(got)
        assert "This source has no days on lot per sale" in format_answer(got)
    assert ask("units by make over 30k", copy).answered

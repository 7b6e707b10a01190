"""`forecourt ask` on a real warehouse: a dealer manager's questions, each answer compared with
SQL written by hand for that question on the demo home's serving copy.

The demo home (tests/e2e/conftest.py) holds sales from 2024-01-01 to 2024-07-18: "last
quarter" is April to June 2024, "last month" June 2024, "this year" 2024-01-01 to 2024-07-18.
The expected SQL is written independently of serving/ask (no shared fragments), so a parser
that drops a word ("excluding", "over 30k", "hybrid") gives a different number and fails.
"""

from __future__ import annotations

import decimal

import duckdb
import pytest

from serving.ask import THRESHOLD, ask, format_answer

pytestmark = pytest.mark.e2e

Q2 = "sale_date between '2024-04-01' and '2024-06-30'"
YTD = "sale_date between '2024-01-01' and '2024-07-18'"
HYBRID = (
    "stock_number in (select stock_number from marts.dim_vehicles where engine ilike '%hybrid%')"
)
ELECTRIC = (
    "stock_number in (select stock_number from marts.dim_vehicles where engine ilike '%electric%')"
)
NOT_FLEET = "customer_type is distinct from 'fleet'"
F = "from marts.fct_sales"
QUESTIONS = {
    "units sold excluding fleet in 2024": f"select count(*) as units {F} where {NOT_FLEET} "
    "and year(sale_date) = 2024",
    "sales over 50000 dollars": f"select count(*) as units {F} where sale_price > 50000",
    "RAV4 hybrid sales": f"select count(*) as units {F} where model = 'RAV4' and {HYBRID}",
    "Sienna hybrid sales": f"select count(*) as units {F} where model = 'Sienna' and {HYBRID}",
    "how many cars did we sell over 30k last quarter": f"select count(*) as units {F} "
    f"where sale_price > 30000 and {Q2}",
    "average days to sale by make": "select make, avg(days_on_lot) as avg_days_on_lot, "
    f"count(*) as units {F} group by make",
    "new vs used units last quarter": f"select stock_type, count(*) as units {F} where {Q2} "
    "group by stock_type",
    "revenue by region except the Midwest": "select region, sum(sale_price) as revenue "
    f"{F} where region <> 'Midwest' group by region",
    "units sold not to fleet customers": f"select count(*) as units {F} where {NOT_FLEET}",
    "how many cars sold with more than 60 days on lot": f"select count(*) as units {F} "
    "where days_on_lot > 60",
    "gross profit by make excluding Toyota and Honda this year": "select make, "
    f"sum(gross_profit) as gross_profit {F} where make not in ('Toyota', 'Honda') and {YTD} "
    "group by make",
    "used cars with mileage under 20000 miles": f"select count(*) as units {F} "
    "where stock_type = 'used' and mileage < 20000",
    "average price of SUVs under 25k": f"select avg(sale_price) as avg_sale_price {F} "
    "where body_style = 'SUV' and sale_price < 25000",
    "units sold between 20k and 30k dollars in 2024": f"select count(*) as units {F} "
    "where sale_price between 20000 and 30000 and year(sale_date) = 2024",
    "top 5 models by gross excluding fleet": "select make, model, sum(gross_profit) as "
    f"gross_profit {F} where {NOT_FLEET} group by make, model "
    "order by gross_profit desc, make, model limit 5",
    "average gross per unit on new cars last month": "select avg(gross_profit) as "
    f"gross_per_unit {F} where stock_type = 'new' and sale_date between '2024-06-01' and "
    "'2024-06-30'",
    "days to sale for used cars by region": "select region, avg(days_on_lot) as "
    f"avg_days_on_lot {F} where stock_type = 'used' group by region",
    "hybrid units by make": f"select make, count(*) as units {F} where {HYBRID} group by make",
    "electric vehicles sold this year": f"select count(*) as units {F} where {ELECTRIC} and {YTD}",
    "Camry XLE units": f"select count(*) as units {F} where model = 'Camry' and trim = 'XLE'",
    "units by stock type": f"select stock_type, count(*) as units {F} group by stock_type",
    "revenue from Toyota but not RAV4 last quarter": "select sum(sale_price) as revenue "
    f"{F} where make = 'Toyota' and model <> 'RAV4' and {Q2}",
    "gross per unit for deals with gross over 3000 dollars": "select avg(gross_profit) as "
    f"gross_per_unit {F} where gross_profit > 3000",
    "top 3 dealers by revenue not in the Southeast": "select dealer_id, sum(sale_price) as "
    f"revenue {F} where region <> 'Southeast' group by dealer_id order by revenue desc limit 3",
    "Toyota vs Honda units for used cars over 50000 miles": "select make, count(*) as units "
    f"{F} where make in ('Toyota', 'Honda') and stock_type = 'used' and mileage > 50000 "
    "group by make",
    "monthly units for non-fleet buyers in 2024": "select date_trunc('month', sale_date)::date "
    f"as month, count(*) as units {F} where {NOT_FLEET} and year(sale_date) = 2024 "
    "group by month",
    "units sold with 60 days on lot or more excluding Chevy": f"select count(*) as units {F} "
    "where days_on_lot >= 60 and make <> 'Chevrolet'",
}
REFUSED = {
    "dealers with more than 100 sales": "threshold on a total",
    "sales over 50000": "say what the number measures",
    "units sold excluding": "cannot tell what to leave out",
    "units sold in red last quarter": "Nothing in the data matches 'red'",
    "Toyota RAV4 sunroof sales in the Midwest last quarter": "'sunroof'",
    "sales over 99999999999 dollars": "far beyond any sale",
}


@pytest.fixture(scope="module")
def copy(demo_home):
    return demo_home / "serving" / "forecourt.duckdb"


def rows(data) -> list[tuple]:
    """Rows as sorted tuples, numbers rounded to cents: order and float noise aside."""
    out = []
    for row in data:
        out.append(
            tuple(
                round(float(v), 2) if isinstance(v, int | float | decimal.Decimal) else str(v)
                for v in row
            )
        )
    return sorted(out)


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_each_answer_equals_sql_written_for_the_question(copy, question):
    answer = ask(question, copy)
    assert answer.answered and answer.confidence >= THRESHOLD, format_answer(answer)
    assert answer.unknown == [], format_answer(answer)  # every word was used
    with duckdb.connect(str(copy), read_only=True) as conn:
        cursor = conn.execute(QUESTIONS[question])
        columns = [d[0] for d in cursor.description]
        expected = cursor.fetchall()
    got = [[row[answer.columns.index(c)] for c in columns] for row in answer.rows]
    assert rows(got) == rows(expected), format_answer(answer)


def test_the_question_set_is_not_trivial(copy):
    """Each filter word changes the number: the answer without it differs."""
    pairs = [
        ("units sold excluding fleet in 2024", "units sold in 2024"),
        ("sales over 50000 dollars", "sales"),
        ("Sienna hybrid sales", "RAV4 hybrid sales"),
        ("used cars with mileage under 20000 miles", "used cars"),
    ]
    for narrow, broad in pairs:
        assert ask(narrow, copy).rows != ask(broad, copy).rows, narrow


@pytest.mark.parametrize("question", list(REFUSED))
def test_questions_it_cannot_honour_are_refused_with_the_reason(copy, question):
    answer = ask(question, copy)
    assert not answer.answered and answer.confidence < THRESHOLD
    assert REFUSED[question] in format_answer(answer)
    assert (answer.sql, answer.params, answer.rows) == ("", [], [])

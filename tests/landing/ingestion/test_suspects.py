"""The fast path's row test may flag a clean row; it passes no row a row-level rule rejects."""

from __future__ import annotations

import duckdb
import pytest

from landing.contract import FEEDS
from landing.ingestion.suspects import row_test_sql
from landing.ingestion.validation import column_checks, quote_ident, row_fails_sql
from tests.landing_files import DAY, vehicle

# Texts for a DATE, a DECIMAL(12,2) and an INTEGER column: clean ones and every near miss we
# could think of (other date forms, signs, exponents, spaces, points and digits past the scale).
DATES = [DAY.isoformat(), "2024-3-4", "2024/03/04", "20240304", "2024-03-05", "2024-02-30",
         " " + DAY.isoformat(), DAY.isoformat() + " ", "+2024-03-04", "024-03-04", "", "x"]
MONEY = ["19500.00", "19500", "19500.000", "19500.001", "12.345", "1.5e3", "1.2345e3", "-1.00",
         ".001", "0.10", "1,50", " 12.345", "12.3450", "1e-3", "10000000.01", "", "x"]
INTEGERS = ["41000", "41000.5", "41000.0", "4.1e4", "-1", "", "9" * 20]


def _verdicts(feed_name: str, rows: list[dict], trimmed: bool) -> list[tuple[bool, bool]]:
    """(a row-level rule rejects the row, the fast path's row test flags it) for each row."""
    feed = FEEDS[feed_name]
    columns = ", ".join(f"{quote_ident(c)} varchar" for c in feed.column_names)
    with duckdb.connect() as conn:
        conn.execute(f"create table s ({columns})")
        conn.executemany(
            f"insert into s values ({', '.join('?' for _ in feed.column_names)})",
            [[row.get(c) for c in feed.column_names] for row in rows],
        )
        return conn.execute(
            f"""
            select coalesce({row_fails_sql(feed, trimmed)}, false),
                   coalesce(case when {row_test_sql(feed, trimmed)} then true end, false)
            from s, (select date '{DAY}' as partition_date, '{DAY}' as day_text) f
            """
        ).fetchall()


def _rows(feed_name: str, clean: dict, column: str, texts: list[str]) -> list[dict]:
    return [{**clean, column: text or None} for text in texts]


SALE = {"deal_id": "S1", "sale_date": DAY.isoformat(), "dealer_id": "D01",
        "stock_number": "D01-000001", "customer_id": "C1", "sale_price": "19500.00"}


@pytest.mark.parametrize("trimmed", [True, False], ids=["padded", "unpadded"])
@pytest.mark.parametrize(("column", "texts"), [("sale_date", DATES), ("sale_price", MONEY)])
def test_every_sale_a_rule_rejects_is_flagged_and_a_clean_one_is_not(column, texts, trimmed):
    verdicts = _verdicts("sales", _rows("sales", SALE, column, texts), trimmed)
    missed = [text for text, (fails, flagged) in zip(texts, verdicts, strict=True)
              if fails and not flagged]
    assert missed == []
    assert verdicts[0] == (False, False)
    assert any(fails for fails, _ in verdicts)


def test_a_fraction_in_an_integer_column_is_flagged():
    texts = INTEGERS
    verdicts = _verdicts("vehicles", _rows("vehicles", vehicle(1), "mileage", texts), True)
    assert [t for t, (fails, flagged) in zip(texts, verdicts, strict=True) if fails and not flagged
            ] == []
    assert verdicts[0] == (False, False)
    assert verdicts[1] == (True, True)


@pytest.mark.parametrize(("feed_name", "column_name", "scale", "texts"),
                         [("sales", "sale_price", 2, MONEY), ("vehicles", "mileage", 0, INTEGERS)])
def test_the_decimal_places_rule_rejects_what_its_regular_expression_alone_rejects(
    feed_name, column_name, scale, texts
):
    column = next(c for c in FEEDS[feed_name].columns if c.name == column_name)
    (condition,) = [cond for cond, _, _, reason in column_checks(column) if "places" in reason]
    text = f"nullif(trim(s.{column_name}), '')"
    alone = (f"try_cast({text} as {column.type}) is not null and "
             f"regexp_matches({text}, '\\.[0-9]{{{scale}}}[0-9]*[1-9]')")
    with duckdb.connect() as conn:
        verdicts = conn.execute(
            f"select coalesce({condition}, false), coalesce({alone}, false) "
            f"from unnest(?::varchar[]) s({column_name})",
            [texts],
        ).fetchall()
    assert [guarded for guarded, _ in verdicts] == [plain for _, plain in verdicts]
    assert sum(plain for _, plain in verdicts) >= 2

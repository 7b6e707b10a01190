"""`forecourt ask`: questions answered from the serving copy, checked against pandas.

Every expected answer is computed independently in pandas from the same tables. The data ends
on 2025-11-30, so "last month" is October 2025 and "last quarter" July to September 2025.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from orchestration.cli import main
from serving.ask import THRESHOLD, ask, format_answer


def between(frame, start, end):
    return frame[(frame["sale_date"] >= start) & (frame["sale_date"] <= end)]


def rank(frame, by, metric, n=None, ascending=False):
    grouped = frame.groupby(by, dropna=False)
    values = {
        "units": grouped.size(),
        "revenue": grouped["sale_price"].sum(),
        "gross_profit": grouped["gross_profit"].sum(),
        "gross_per_unit": grouped["gross_profit"].mean(),
        "avg_days_on_lot": grouped["days_on_lot"].mean(),
        "gross_margin": grouped["gross_profit"].sum() / grouped["sale_price"].sum(),
    }[metric]
    out = values.rename(metric).reset_index()
    out = out.sort_values([metric, *by], ascending=[ascending] + [True] * len(by))
    return out.head(n) if n else out


def keep(frame, **filters):
    for column, values in filters.items():
        frame = frame[frame[column].isin(values if isinstance(values, list) else [values])]
    return frame


Q3, YTD, OCT = (
    ("2025-07-01", "2025-09-30"),
    ("2025-01-01", "2025-11-30"),
    ("2025-10-01", "2025-10-31"),
)
QUESTIONS = {
    "top 5 models sold in Austin last quarter": lambda s: rank(
        keep(between(s, *Q3), city="Austin"), ["make", "model"], "units", 5
    ),
    "top 3 makes by revenue in the Northeast year to date": lambda s: rank(
        keep(between(s, *YTD), region="Northeast"), ["make"], "revenue", 3
    ),
    "which dealer had the highest gross per unit last month": lambda s: rank(
        between(s, *OCT), ["dealer_id", "dealer_name"], "gross_per_unit", 1
    ),
    "bottom 2 body styles by units in 2024": lambda s: rank(
        between(s, "2024-01-01", "2024-12-31"), ["body_style"], "units", 2, ascending=True
    ),
    "units by region last 90 days": lambda s: rank(
        between(s, "2025-09-02", "2025-11-30"), ["region"], "units"
    ),
    "SUV vs Sedan gross per unit last year": lambda s: (
        rank(
            keep(between(s, "2024-01-01", "2024-12-31"), body_style=["SUV", "Sedan"]),
            ["body_style"],
            "gross_per_unit",
        )
        .set_index("body_style")
        .loc[["SUV", "Sedan"]]
        .reset_index()
    ),
    "monthly units trend for Toyota in 2025": lambda s: (
        keep(between(s, *YTD), make="Toyota")
        .assign(month=lambda f: f["sale_date"].dt.to_period("M").dt.start_time.dt.date.astype(str))
        .groupby("month")
        .size()
        .rename("units")
        .reset_index()
    ),
    "gross profit by gender for pickups between 2025-03-01 and 2025-05-31": lambda s: rank(
        keep(between(s, "2025-03-01", "2025-05-31"), body_style="Pickup").assign(
            gender=lambda f: f["customer_gender"].fillna("n/a")
        ),
        ["gender"],
        "gross_profit",
    ),
    "average days on lot by make in March 2025": lambda s: rank(
        between(s, "2025-03-01", "2025-03-31"), ["make"], "avg_days_on_lot"
    ),
    "how many cars did we sell to women in Q2 2025": lambda s: pd.DataFrame(
        {"units": [len(keep(between(s, "2025-04-01", "2025-06-30"), customer_gender="F"))]}
    ),
    "top 5 models by gross in the VIP segment this year": lambda s: rank(
        keep(between(s, *YTD), segment="VIP"), ["make", "model"], "gross_profit", 5
    ),
    "revenue by segment last quarter": lambda s: rank(between(s, *Q3), ["segment"], "revenue"),
    "Austin vs Orlando gross margin since 2025-06-01": lambda s: rank(
        keep(between(s, "2025-06-01", "2025-11-30"), city=["Austin", "Orlando"]),
        ["city"],
        "gross_margin",
    ).sort_values("city"),
    "top 4 dealers by units": lambda s: rank(s, ["dealer_id", "dealer_name"], "units", 4),
    "Honda Civic units by quarter in 2025": lambda s: (
        keep(between(s, *YTD), model="Civic")
        .assign(
            quarter=lambda f: f["sale_date"].dt.to_period("Q").dt.start_time.dt.date.astype(str)
        )
        .groupby("quarter")
        .size()
        .rename("units")
        .reset_index()
    ),
}


def as_frame(answer) -> pd.DataFrame:
    return pd.DataFrame(answer.rows, columns=answer.columns)


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_answers_match_pandas(serving, sales, question):
    answer = ask(question, serving / "forecourt.duckdb")
    assert answer.answered and answer.confidence >= THRESHOLD, format_answer(answer)
    expected = QUESTIONS[question](sales).reset_index(drop=True)
    got = as_frame(answer)[list(expected.columns)]
    assert len(got) == len(expected) > 0, format_answer(answer)
    pd.testing.assert_frame_equal(
        got, expected, check_dtype=False, check_exact=False, rtol=1e-6, atol=0.01
    )


def test_comparing_two_years_gives_one_row_per_year(serving, sales):
    answer = ask("2024 vs 2025 revenue", serving / "forecourt.duckdb")
    got = dict(zip(as_frame(answer)["period"], as_frame(answer)["revenue"], strict=True))
    for year in ("2024", "2025"):
        expected = between(sales, f"{year}-01-01", f"{year}-12-31")["sale_price"].sum()
        assert got[year] == pytest.approx(expected)
    assert "2025 vs 2024" in format_answer(answer)


def test_values_reach_sql_only_as_parameters(serving):
    answer = ask("top 5 models sold in Austin last quarter", serving / "forecourt.duckdb")
    assert "Austin" not in answer.sql and "Austin" in answer.params
    assert "2025-07-01" not in answer.sql and "?" in answer.sql


def fct_sales_rows(serving) -> int:
    with duckdb.connect(str(serving / "forecourt.duckdb"), read_only=True) as conn:
        return conn.execute("select count(*) from marts.fct_sales").fetchone()[0]


@pytest.mark.parametrize(
    "question",
    [
        "top 5 models'; drop table marts.fct_sales; --",
        "units in Austin\" or 1=1; attach '/etc/passwd' as x",
        "revenue by read_csv('/etc/passwd')",
        "units by region last 90 days; drop table marts.fct_sales",
    ],
)
def test_hostile_questions_are_refused_and_change_nothing(serving, question):
    rows_before = fct_sales_rows(serving)
    answer = ask(question, serving / "forecourt.duckdb")
    assert not answer.answered and answer.confidence < THRESHOLD
    assert (answer.sql, answer.params, answer.rows) == ("", [], [])
    assert {"drop", "attach", "read", "passwd"} & set(answer.unknown)
    assert fct_sales_rows(serving) == rows_before


def test_a_hostile_question_that_parses_reaches_sql_only_as_known_values(serving):
    rows_before = fct_sales_rows(serving)
    clean = ask("top 5 models sold in Austin last quarter", serving / "forecourt.duckdb")
    hostile = ask(
        "top 5 models sold in Austin' or '1'='1 last quarter", serving / "forecourt.duckdb"
    )
    assert hostile.answered, format_answer(hostile)  # the injection is text it did not use
    assert (hostile.sql, hostile.params, hostile.rows) == (clean.sql, clean.params, clean.rows)
    assert hostile.params == ["2025-07-01", "2025-09-30", "Austin", 5]
    for fragment in (" or ", "'", "1=1", ";", "austin"):
        assert fragment not in hostile.sql.lower()
    assert fct_sales_rows(serving) == rows_before


def test_an_unclear_question_says_what_it_missed_and_offers_answerable_ones(serving):
    answer = ask("what's the weather in Paris", serving / "forecourt.duckdb")
    assert not answer.answered and answer.confidence < THRESHOLD
    assert {"weather", "paris"} <= set(answer.unknown)
    assert len(answer.suggestions) >= 3
    for suggestion in answer.suggestions:
        assert ask(suggestion, serving / "forecourt.duckdb").answered, suggestion


def test_a_typo_is_caught_and_the_corrected_question_offered(serving):
    answer = ask("top 5 modles sold in Austn", serving / "forecourt.duckdb")
    assert not answer.answered
    assert answer.suggestions[0] == "top 5 models sold in austin"


def test_answers_are_cached_per_data_version(serving, tmp_path):
    question = "units by region last 90 days"
    first = ask(question, serving / "forecourt.duckdb", cache_dir=tmp_path)
    second = ask(question, serving / "forecourt.duckdb", cache_dir=tmp_path)
    assert not first.cached and second.cached and second.rows == first.rows
    copy = tmp_path / "copy.duckdb"  # same tables, another file: another data version
    copy.write_bytes((serving / "forecourt.duckdb").read_bytes())
    assert not ask(question, copy, cache_dir=tmp_path).cached


def test_hashed_customer_ids_answer_segment_questions_like_the_full_copy(serving):
    question = "revenue by segment last quarter"
    full = ask(question, serving / "forecourt.duckdb")
    analyst = ask(question, serving / "analyst.duckdb")
    assert analyst.rows == full.rows


def test_the_cli_prints_the_table_the_sql_and_the_confidence(serving, capsys):
    path = str(serving / "forecourt.duckdb")
    assert main(["ask", "--file", path, "--no-cache", "top", "3", "makes", "by", "gross"]) == 0
    out = capsys.readouterr().out
    assert "| make" in out and "SQL:" in out and "Confidence: 1.00" in out
    assert main(["ask", "--file", path, "--no-cache", "tell me a joke"]) == 1
    assert "Close questions I can answer" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("last month", "2025-01-01", "2025-01-31"),
        ("last quarter", "2024-10-01", "2024-12-31"),
        ("this quarter", "2025-01-01", "2025-02-14"),
        ("year to date", "2025-01-01", "2025-02-14"),
        ("march", "2024-03-01", "2024-03-31"),
        ("q4", "2024-10-01", "2024-12-31"),
        ("last 2 weeks", "2025-02-01", "2025-02-14"),
        ("last 3 months", "2024-11-15", "2025-02-14"),
        ("from 2024-05 to 2024-07", "2024-05-01", "2024-07-31"),
        ("since march 2024", "2024-03-01", "2025-02-14"),
    ],
)
def test_time_phrases_are_read_relative_to_the_last_data_day(phrase, start, end):
    from serving.ask.timewindows import find_windows
    from serving.ask.vocabulary import tokenize

    (found,) = find_windows(tokenize(phrase), dt.date(2023, 1, 1), dt.date(2025, 2, 14))
    assert (str(found[2].start), str(found[2].end)) == (start, end)


def test_asking_before_anything_was_published_says_what_to_run(forecourt_home, capsys):
    assert main(["ask", "units by region"]) == 2
    assert "forecourt publish" in capsys.readouterr().err


def test_a_copy_without_segments_says_so(serving, tmp_path):
    copy = tmp_path / "no_segments.duckdb"
    copy.write_bytes((serving / "forecourt.duckdb").read_bytes())
    with duckdb.connect(str(copy)) as conn:
        conn.execute("drop table ml.customer_segments")
    answer = ask("revenue by segment last quarter", copy)
    assert not answer.answered
    assert "no customer segments" in format_answer(answer)

"""Values the casts would accept by changing them are quarantined, on the fast path and the full
checks alike: digits past the contract's scale, dates not in ISO form, NUL bytes in text."""

from __future__ import annotations

import pytest

from landing.ingestion import load_feed
from tests.landing.ingestion.faults.conftest import rows
from tests.landing_files import DAY, vehicle, write_feed

CUSTOMER = {
    "customer_id": "C0000001",
    "customer_type": "retail",
    "created_date": DAY.isoformat(),
}
SALE = {
    "deal_id": "S00000001",
    "sale_date": DAY.isoformat(),
    "dealer_id": "D01",
    "stock_number": "D01-000001",
    "customer_id": "C0000001",
    "sale_price": "19500.00",
}
# "," goes through the fast path first; ";" only through the full checks.
PATHS = pytest.mark.parametrize("sep", [",", ";"], ids=["fast_path", "full_checks"])


@pytest.fixture
def sales_ready(conn, landing):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2)])
    write_feed(landing, "customers", [CUSTOMER])
    load_feed(conn, "vehicles", landing, [DAY])
    load_feed(conn, "customers", landing, [DAY])
    return conn


def rejects(conn) -> list[tuple]:
    return rows(conn, "select source_line, column_name, value, reason from raw.rejects order by 1")


@PATHS
def test_a_price_with_more_decimals_than_the_contract_keeps_is_rejected_not_rounded(
    sales_ready, landing, sep
):
    bad = {**SALE, "deal_id": "S00000002", "stock_number": "D01-000002", "sale_price": "12.345"}
    path = write_feed(landing, "sales", [SALE, bad], sep=sep)
    report = load_feed(sales_ready, "sales", landing, [DAY])
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    ((line, column, value, reason),) = rejects(sales_ready)
    assert (line, column, value) == (3, "sale_price", "12.345")
    assert "more decimal places than DECIMAL(12,2) keeps (2)" in reason
    assert "12.35" in reason
    assert rows(sales_ready, "select source_file from raw.rejects") == [(str(path),)]
    assert rows(sales_ready, "select deal_id from raw.sales") == [("S00000001",)]


@PATHS
def test_trailing_zeros_past_the_scale_change_nothing_and_load(sales_ready, landing, sep):
    write_feed(landing, "sales", [{**SALE, "sale_price": "19500.000"}], sep=sep)
    report = load_feed(sales_ready, "sales", landing, [DAY])
    assert (report.rows_loaded, report.rows_rejected) == (1, 0)


@PATHS
def test_a_fraction_in_an_integer_column_is_rejected_not_rounded(conn, landing, sep):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2, mileage="41000.5")], sep=sep)
    load_feed(conn, "vehicles", landing, [DAY])
    ((line, column, value, reason),) = rejects(conn)
    assert (line, column, value) == (3, "mileage", "41000.5")
    assert "more decimal places than INTEGER keeps (0)" in reason


@PATHS
def test_a_date_not_in_iso_form_is_rejected(conn, landing, sep):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2, acquired_date="2024-3-4")], sep=sep)
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    ((line, column, value, reason),) = rejects(conn)
    assert (line, column, value) == (3, "acquired_date", "2024-3-4")
    assert reason == "not an ISO date YYYY-MM-DD (the contract's format)"


@PATHS
def test_a_nul_byte_inside_a_key_is_rejected_and_shown_escaped(conn, landing, sep):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2, stock_number="D01-\x00002")], sep=sep)
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    ((line, column, value, reason),) = rejects(conn)
    assert (line, column, value) == (3, "stock_number", "D01-\\x00002")
    assert reason.startswith("contains a NUL byte")
    assert rows(conn, "select count(*) from raw.vehicles where contains(stock_number, chr(0))") == [
        (0,)
    ]

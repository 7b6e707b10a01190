"""The loader: replace-by-day idempotency, quarantine with reasons, accounting, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

from landing.contract import landing_file
from landing.ingestion import LandingFileError, load_feed
from tests.landing_files import DAY, vehicle, write_feed


def count(conn, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


def test_loading_a_day_twice_leaves_the_same_rows(conn, landing):
    load_feed(conn, "dealers", landing)
    write_feed(landing, "vehicles", [vehicle(), vehicle(stock_number="D01-000002")], DAY)
    first = load_feed(conn, "vehicles", landing, [DAY])
    rows_after_first = conn.execute(
        "select * exclude (_load_id, _loaded_at) from raw.vehicles order by 1"
    ).fetchall()
    second = load_feed(conn, "vehicles", landing, [DAY])
    rows_after_second = conn.execute(
        "select * exclude (_load_id, _loaded_at) from raw.vehicles order by 1"
    ).fetchall()
    assert first.rows_loaded == second.rows_loaded == 2
    assert second.rows_replaced == 2
    assert rows_after_first == rows_after_second


def test_reloading_one_day_leaves_other_days_untouched(conn, landing):
    load_feed(conn, "dealers", landing)
    other = DAY + dt.timedelta(days=1)
    write_feed(landing, "vehicles", [vehicle()], DAY)
    write_feed(
        landing,
        "vehicles",
        [vehicle(stock_number="D01-000009", acquired_date=other.isoformat())],
        other,
    )
    load_feed(conn, "vehicles", landing, [DAY, other])
    write_feed(landing, "vehicles", [], DAY)  # a corrected re-delivery: the unit was a mistake
    load_feed(conn, "vehicles", landing, [DAY])
    assert conn.execute("select stock_number from raw.vehicles").fetchall() == [("D01-000009",)]


def test_bad_rows_are_quarantined_with_line_column_value_and_reason(conn, landing):
    load_feed(conn, "dealers", landing)
    path = write_feed(
        landing,
        "vehicles",
        [
            vehicle(),
            vehicle(stock_number="D01-000002", acquisition_cost="-5"),
            vehicle(stock_number="D01-000003", model_year="20x9"),
            vehicle(stock_number="D01-000004", dealer_id="D77"),
            vehicle(stock_number=""),
            vehicle(),  # the same stock number again
        ],
        DAY,
    )
    report = load_feed(conn, "vehicles", landing, [DAY])
    rejects = set(
        conn.execute(
            "select source_file, source_line, column_name, value, reason from raw.rejects"
        ).fetchall()
    )
    assert (str(path), 3, "acquisition_cost", "-5", "below the minimum 0") in rejects
    assert (str(path), 4, "model_year", "20x9", "not a valid integer") in rejects
    assert (str(path), 5, "dealer_id", "D77", "unknown reference: not in dealers") in rejects
    assert (str(path), 6, "stock_number", None, "missing required value") in rejects
    assert any(
        r[1] == 7 and r[4].startswith("duplicate key, first seen at line 2") for r in rejects
    )
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 1, 5)
    assert report.balanced


def test_a_key_delivered_on_an_earlier_day_is_rejected_as_duplicate(conn, landing):
    load_feed(conn, "dealers", landing)
    later = DAY + dt.timedelta(days=1)
    write_feed(landing, "vehicles", [vehicle()], DAY)
    write_feed(landing, "vehicles", [vehicle(acquired_date=later.isoformat())], later)
    load_feed(conn, "vehicles", landing, [DAY])
    report = load_feed(conn, "vehicles", landing, [later])
    assert report.rows_rejected == 1
    reason = conn.execute("select reason from raw.rejects").fetchone()[0]
    assert reason == f"duplicate of a row already delivered for {DAY}"


def test_a_row_dated_another_day_than_its_file_is_rejected(conn, landing):
    load_feed(conn, "dealers", landing)
    write_feed(landing, "vehicles", [vehicle(acquired_date="2024-03-05")], DAY)
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.rows_rejected == 1
    assert (
        "delivered in the file for 2024-03-04"
        in conn.execute("select reason from raw.rejects").fetchone()[0]
    )


def test_rejects_of_a_reloaded_day_are_replaced_not_accumulated(conn, landing):
    load_feed(conn, "dealers", landing)
    write_feed(landing, "vehicles", [vehicle(list_price="abc")], DAY)
    load_feed(conn, "vehicles", landing, [DAY])
    load_feed(conn, "vehicles", landing, [DAY])
    assert count(conn, "select count(*) from raw.rejects") == 1
    write_feed(landing, "vehicles", [vehicle()], DAY)  # the fixed file heals the day
    load_feed(conn, "vehicles", landing, [DAY])
    assert count(conn, "select count(*) from raw.rejects") == 0
    assert count(conn, "select count(*) from raw.vehicles") == 1


def test_a_missing_due_file_fails_naming_the_file_and_writes_nothing(conn, landing):
    load_feed(conn, "dealers", landing)
    write_feed(landing, "vehicles", [vehicle()], DAY)
    with pytest.raises(LandingFileError, match=r"vehicles/2024-03-05\.csv: missing"):
        load_feed(conn, "vehicles", landing, [DAY, DAY + dt.timedelta(days=1)])
    assert count(conn, "select count(*) from raw.vehicles") == 0


def test_a_weekly_feed_needs_no_file_on_other_days(conn, landing):
    monday = dt.date(2024, 3, 4)
    report = load_feed(conn, "market_listings", landing, [monday + dt.timedelta(days=1)])
    assert report.files == 0 and report.rows_read == 0
    with pytest.raises(LandingFileError, match="market_listings/2024-03-04.csv: missing"):
        load_feed(conn, "market_listings", landing, [monday])


def test_a_header_that_breaks_the_contract_is_refused_with_the_columns_named(conn, landing):
    path = landing_file(landing, "dealers")
    path.write_text("dealer_id;dealer_name\nD01;Alpha\n")
    with pytest.raises(LandingFileError, match=r"dealers.csv: line 1 \(header\).*missing column"):
        load_feed(conn, "dealers", landing)


def test_every_raw_row_records_its_file_and_line(conn, landing):
    load_feed(conn, "dealers", landing)
    path = write_feed(landing, "vehicles", [vehicle(), vehicle(stock_number="D01-000002")], DAY)
    load_feed(conn, "vehicles", landing, [DAY])
    rows = conn.execute(
        "select stock_number, _source_file, _source_line, _partition_date "
        "from raw.vehicles order by 1"
    ).fetchall()
    assert rows == [("D01-000001", str(path), 2, DAY), ("D01-000002", str(path), 3, DAY)]
    log = conn.execute(
        "select rows_read, rows_loaded, checksum_sha256 from raw.load_log where feed = 'vehicles'"
    ).fetchone()
    assert log[:2] == (2, 2) and len(log[2]) == 64

"""Each file-level fault has one defined outcome: loaded, repaired and reported, or refused.

Refused means a LandingFileError naming file, line and column, and nothing written.
"""

from __future__ import annotations

import gzip

import pytest

from landing.contract import FEEDS
from landing.ingestion import LandingFileError, load_feed
from tests.landing.ingestion.faults.conftest import rows
from tests.landing_files import DAY, csv_text, vehicle, write_bytes, write_feed

COLUMNS = FEEDS["vehicles"].column_names


def nothing_written(conn) -> bool:
    return rows(conn, "select count(*) from raw.vehicles")[0][0] == 0 and not rows(
        conn, "select * from raw.load_log where feed = 'vehicles'"
    )


def logged_repairs(conn) -> str:
    return rows(conn, "select repairs from raw.load_log where feed = 'vehicles'")[0][0] or ""


def test_an_empty_file_is_refused_naming_the_header_it_needs(conn, landing):
    write_bytes(landing, "vehicles", b"")
    with pytest.raises(LandingFileError, match=r"2024-03-04\.csv: empty file \(0 bytes\)"):
        load_feed(conn, "vehicles", landing, [DAY])
    assert nothing_written(conn)


def test_a_file_of_blank_lines_is_refused_as_having_no_header(conn, landing):
    write_bytes(landing, "vehicles", b"\n\n")
    with pytest.raises(LandingFileError, match="no header row"):
        load_feed(conn, "vehicles", landing, [DAY])


def test_a_header_only_file_is_a_valid_day_with_zero_rows(conn, landing):
    write_feed(landing, "vehicles", [])
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert (report.files, report.rows_read, report.rows_loaded) == (1, 0, 0)
    assert rows(conn, "select rows_read from raw.load_log where feed = 'vehicles'") == [(0,)]


def test_a_missing_column_is_refused_naming_it(conn, landing):
    write_feed(landing, "vehicles", [vehicle()], columns=[c for c in COLUMNS if c != "vin"])
    with pytest.raises(LandingFileError, match=r"line 1 \(header\).*missing column\(s\) \['vin'\]"):
        load_feed(conn, "vehicles", landing, [DAY])
    assert nothing_written(conn)


def test_a_renamed_column_is_refused_with_a_hint(conn, landing):
    text = csv_text("vehicles", [vehicle()]).replace("list_price", "asking_price", 1)
    write_bytes(landing, "vehicles", text.encode())
    with pytest.raises(LandingFileError, match="Was 'list_price' renamed to 'asking_price'"):
        load_feed(conn, "vehicles", landing, [DAY])
    assert nothing_written(conn)


def test_header_names_differing_in_case_and_spacing_are_matched_and_reported(conn, landing):
    text = csv_text("vehicles", [vehicle()]).replace("list_price", " List Price ", 1)
    write_bytes(landing, "vehicles", text.encode())
    load_feed(conn, "vehicles", landing, [DAY])
    assert rows(conn, "select list_price from raw.vehicles") == [(pytest.approx(19990),)]
    assert "'List Price' -> 'list_price'" in logged_repairs(conn)


def test_reordered_columns_load_by_name(conn, landing):
    write_feed(landing, "vehicles", [vehicle()], columns=list(reversed(COLUMNS)))
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.rows_loaded == 1 and not report.repairs
    assert rows(conn, "select make, mileage from raw.vehicles") == [("Toyota", 41000)]


def test_an_extra_column_is_ignored_and_reported(conn, landing):
    write_feed(landing, "vehicles", [vehicle(note="x")], columns=[*COLUMNS, "note"])
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.rows_loaded == 1
    assert "ignored column(s) not in the contract: ['note']" in logged_repairs(conn)


def test_a_semicolon_file_with_decimal_commas_is_repaired_and_reported(conn, landing):
    euro = vehicle(list_price="19990,00", acquisition_cost="15000,00", condition_grade="3,5")
    write_feed(landing, "vehicles", [euro, vehicle(2, mileage="41,000")], sep=";")
    report = load_feed(conn, "vehicles", landing, [DAY])
    loaded = rows(conn, "select list_price, acquisition_cost, condition_grade from raw.vehicles")
    assert loaded == [(pytest.approx(19990), pytest.approx(15000), 3.5)]
    # "41,000" may be forty-one thousand or forty-one: not guessed, quarantined with its value
    assert rows(conn, "select column_name, value, reason from raw.rejects") == [
        ("mileage", "41,000", "not a valid integer")
    ]
    assert "read with delimiter ';'" in logged_repairs(conn)
    assert "read 3 decimal comma(s) as points" in logged_repairs(conn)
    assert report.balanced


def test_a_windows_1252_file_is_decoded_and_reported(conn, landing):
    text = csv_text("vehicles", [vehicle(make="Citroën", color="Crème")])
    write_bytes(landing, "vehicles", text.encode("cp1252"))
    load_feed(conn, "vehicles", landing, [DAY])
    assert rows(conn, "select make, color from raw.vehicles") == [("Citroën", "Crème")]
    assert "decoded 1 line(s) as Windows-1252" in logged_repairs(conn)


def test_a_byte_no_encoding_defines_is_refused_naming_line_and_column(conn, landing):
    good = csv_text("vehicles", [vehicle()]).encode()
    bad = csv_text("vehicles", [vehicle(2, color="Bl\x00ue")]).encode().split(b"\n")[1]
    write_bytes(landing, "vehicles", good + bad.replace(b"\x00", b"\x81") + b"\n")
    with pytest.raises(LandingFileError, match=r"line 3, column 'color' .*byte 0x81"):
        load_feed(conn, "vehicles", landing, [DAY])
    assert nothing_written(conn)


def test_mojibake_is_repaired_and_counted(conn, landing):
    mangled = [
        vehicle(1, engine="DoubleÂ Overhead Camshaft"),
        vehicle(2, engine="Double\u00c2\u00a0Overhead Camshaft", make="CitroÃ«n"),
    ]
    write_feed(landing, "vehicles", mangled)
    load_feed(conn, "vehicles", landing, [DAY])
    assert rows(conn, "select engine, make from raw.vehicles order by stock_number") == [
        ("Double Overhead Camshaft", "Toyota"),
        ("Double Overhead Camshaft", "Citroën"),
    ]
    assert "repaired 3 mojibake sequence(s)" in logged_repairs(conn)


def test_a_truncated_last_line_is_quarantined_with_its_reason(conn, landing):
    text = csv_text("vehicles", [vehicle(1), vehicle(2)]) + "D01-000003,1HGCM82633A00435"
    path = write_bytes(landing, "vehicles", text.encode())
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    ((line, column, reason, record),) = rows(
        conn, "select source_line, column_name, reason, raw_record from raw.rejects"
    )
    assert (line, column) == (4, "dealer_id")
    assert reason.startswith("truncated last line: 2 of 20 fields, and no line end")
    assert record == "D01-000003,1HGCM82633A00435"
    assert rows(conn, "select _source_file, _source_line from raw.vehicles order by 2") == [
        (str(path), 2),
        (str(path), 3),
    ]


def test_rows_after_a_malformed_line_keep_their_line_numbers(conn, landing):
    lines = csv_text("vehicles", [vehicle(1), vehicle(2), vehicle(3)]).splitlines()
    lines.insert(2, "D01-000009,short")
    write_bytes(landing, "vehicles", ("\n".join(lines) + "\n").encode())
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.balanced and report.rows_rejected == 1
    assert rows(conn, "select source_line, reason from raw.rejects") == [
        (3, "truncated or malformed line: 2 of 20 fields")
    ]
    assert rows(conn, "select stock_number, _source_line from raw.vehicles order by 2") == [
        ("D01-000001", 2),
        ("D01-000002", 4),
        ("D01-000003", 5),
    ]


def test_an_unterminated_quote_is_refused_rather_than_swallowing_the_rest(conn, landing):
    lines = csv_text("vehicles", [vehicle(1), vehicle(2), vehicle(3)]).splitlines()
    lines[2] = lines[2].replace(",Camry,", ',"Camry,')
    write_bytes(landing, "vehicles", ("\n".join(lines) + "\n").encode())
    with pytest.raises(LandingFileError, match=r"line 3, column 'model': a quote opens"):
        load_feed(conn, "vehicles", landing, [DAY])
    assert nothing_written(conn)


def test_a_gzipped_file_loads_like_a_plain_one(conn, landing):
    write_bytes(
        landing,
        "vehicles",
        gzip.compress(csv_text("vehicles", [vehicle()]).encode()),
        suffix=".csv.gz",
    )
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.rows_loaded == 1
    assert rows(conn, "select source_file from raw.load_log where feed = 'vehicles'")[0][
        0
    ].endswith("2024-03-04.csv.gz")


def test_a_corrupt_gzip_is_refused(conn, landing):
    data = gzip.compress(csv_text("vehicles", [vehicle()]).encode())
    write_bytes(landing, "vehicles", data[: len(data) // 2], suffix=".csv.gz")
    with pytest.raises(LandingFileError, match=r"cannot be read as gzip"):
        load_feed(conn, "vehicles", landing, [DAY])


def test_a_day_delivered_both_plain_and_gzipped_is_refused(conn, landing):
    write_feed(landing, "vehicles", [vehicle()])
    write_bytes(landing, "vehicles", gzip.compress(b"x"), suffix=".csv.gz")
    with pytest.raises(LandingFileError, match="two deliveries for the same day"):
        load_feed(conn, "vehicles", landing, [DAY])


def test_a_gzipped_reference_feed_replaces_the_plain_one(conn, landing):
    plain = landing / "dealers" / "dealers.csv"
    text = plain.read_text().replace("Alpha", "Alpha Motors")
    (landing / "dealers" / "dealers.csv.gz").write_bytes(gzip.compress(text.encode()))
    plain.unlink()
    load_feed(conn, "dealers", landing)
    assert rows(conn, "select dealer_name from raw.dealers") == [("Alpha Motors",)]

"""The loader's fast path: clean files stream straight in, anything suspect gets the full checks."""

from __future__ import annotations

import datetime as dt

import pytest

from landing.contract import FEEDS
from landing.ingestion import load_feed, loader
from tests.landing_files import DAY, vehicle, write_bytes, write_feed

NEXT = DAY + dt.timedelta(days=1)
COLUMNS = FEEDS["vehicles"].column_names


@pytest.fixture
def conn(conn, landing):
    """The warehouse with the dealer loaded, so vehicles and sales have their reference."""
    load_feed(conn, "dealers", landing)
    return conn


@pytest.fixture
def fully_checked(monkeypatch) -> list[str]:
    """The files that went through the full checks (staging as text) during the test."""
    seen: list[str] = []
    stage = loader.stage_files

    def recording(conn, feed, files):
        seen.extend(str(f.path) for f, _ in files)
        return stage(conn, feed, files)

    monkeypatch.setattr(loader, "stage_files", recording)
    return seen


def rows(conn, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


def line(row: dict) -> str:
    return ",".join(row[c] for c in COLUMNS)


def next_day_vehicle(number: int, **changes) -> dict:
    return vehicle(number, acquired_date=NEXT.isoformat(), **changes)


def test_clean_files_in_two_column_orders_load_without_the_full_checks(
    conn, landing, fully_checked
):
    first = write_feed(landing, "vehicles", [vehicle(1), vehicle(2)], DAY)
    second = write_feed(
        landing,
        "vehicles",
        [next_day_vehicle(3), next_day_vehicle(4), next_day_vehicle(5)],
        NEXT,
        columns=list(reversed(COLUMNS)),
    )
    report = load_feed(conn, "vehicles", landing, [DAY, NEXT])
    assert fully_checked == []
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 5, 0)
    assert rows(
        conn,
        "select stock_number, _source_file, _source_line, _partition_date, make "
        "from raw.vehicles order by 1",
    ) == [
        ("D01-000001", str(first), 2, DAY, "Toyota"),
        ("D01-000002", str(first), 3, DAY, "Toyota"),
        ("D01-000003", str(second), 2, NEXT, "Toyota"),
        ("D01-000004", str(second), 3, NEXT, "Toyota"),
        ("D01-000005", str(second), 4, NEXT, "Toyota"),
    ]
    assert rows(
        conn,
        "select source_file, rows_read, rows_loaded from raw.load_log "
        "where feed = 'vehicles' order by partition_date",
    ) == [
        (str(first), 2, 2),
        (str(second), 3, 3),
    ]


def test_a_bad_row_sends_only_its_own_file_through_the_full_checks(conn, landing, fully_checked):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2)], DAY)
    bad = write_feed(
        landing, "vehicles", [next_day_vehicle(3), next_day_vehicle(4, mileage="-7")], NEXT
    )
    report = load_feed(conn, "vehicles", landing, [DAY, NEXT])
    assert fully_checked == [str(bad)]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 3, 1)
    assert rows(
        conn, "select source_file, source_line, column_name, value, reason from raw.rejects"
    ) == [(str(bad), 3, "mileage", "-7", "below the minimum 0")]
    # No row the fast path set aside as suspect is left behind.
    assert conn.execute(
        "select count(*) from raw.vehicles where _load_id <> ?", [report.load_id]
    ).fetchone() == (0,)


def test_a_key_repeated_in_another_file_of_the_load_names_its_first_line(
    conn, landing, fully_checked
):
    first = write_feed(landing, "vehicles", [vehicle(1), vehicle(2)], DAY)
    second = write_feed(landing, "vehicles", [next_day_vehicle(2)], NEXT)
    report = load_feed(conn, "vehicles", landing, [DAY, NEXT])
    assert sorted(fully_checked) == sorted([str(first), str(second)])
    assert report.rows_rejected == 1 and report.balanced
    ((file, line, reason),) = rows(conn, "select source_file, source_line, reason from raw.rejects")
    assert (file, line) == (str(second), 2)
    assert reason == f"duplicate key, first seen at line 3 of {first}"


def test_a_quoted_line_break_is_loaded_by_the_full_checks_with_true_line_numbers(
    conn, landing, fully_checked
):
    path = write_feed(landing, "vehicles", [vehicle(1, engine='"2.5L\nI4"'), vehicle(2)], DAY)
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert fully_checked == [str(path)]  # four lines for two rows: the line count cannot say
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert rows(conn, "select engine, _source_line from raw.vehicles order by 2") == [
        ("2.5L\nI4", 2),
        ("2.5L I4", 4),
    ]


def test_rejects_after_blank_lines_and_quoted_line_breaks_name_the_line_they_are_on(conn, landing):
    lines = [
        ",".join(COLUMNS),
        line(vehicle(1, color='"Deep\nBlue"')),
        "",
        line(vehicle(2)),
        "D01-000009,short",
        line(vehicle(3, mileage="-1")),
    ]
    path = write_bytes(landing, "vehicles", ("\n".join(lines) + "\n").encode())
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert report.balanced and (report.rows_loaded, report.rows_rejected) == (2, 2)
    assert rows(conn, "select stock_number, _source_line from raw.vehicles order by 2") == [
        ("D01-000001", 2),
        ("D01-000002", 5),
    ]
    assert rows(
        conn, "select source_file, source_line, column_name from raw.rejects order by 2"
    ) == [
        (str(path), 6, "dealer_id"),
        (str(path), 7, "mileage"),
    ]


def test_a_line_the_reader_cannot_split_sends_the_whole_load_to_the_full_checks(
    conn, landing, fully_checked
):
    clean = write_feed(landing, "vehicles", [vehicle(1)], DAY)
    text = "\n".join([",".join(COLUMNS), line(next_day_vehicle(2)), "D01-9,short"])
    broken = write_bytes(landing, "vehicles", (text + "\n").encode(), NEXT)
    report = load_feed(conn, "vehicles", landing, [DAY, NEXT])
    assert sorted(fully_checked) == sorted([str(clean), str(broken)])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    assert rows(conn, "select source_file, source_line from raw.rejects") == [(str(broken), 3)]
    # The fast path turned insertion order off; the failed statement did not keep it off.
    assert rows(conn, "select current_setting('preserve_insertion_order')") == [(True,)]


def test_a_reload_replaces_fast_loaded_rows_and_counts_the_changes(conn, landing):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2)], DAY)
    load_feed(conn, "vehicles", landing, [DAY])
    write_feed(landing, "vehicles", [vehicle(1, list_price="18990.00"), vehicle(3)], DAY)
    report = load_feed(conn, "vehicles", landing, [DAY])
    assert (report.rows_replaced, report.rows_added, report.rows_removed, report.rows_changed) == (
        2,
        1,
        1,
        1,
    )
    assert rows(conn, "select stock_number from raw.vehicles order by 1") == [
        ("D01-000001",),
        ("D01-000003",),
    ]


def test_files_split_over_several_scans_keep_their_lines_and_days(conn, landing, fully_checked):
    # One scan per thread (the row number runs on one thread): with three threads, four files
    # of unequal length fall into three scans, each numbering its own rows.
    conn.execute("set threads = 3")
    days = [DAY + dt.timedelta(days=i) for i in range(4)]
    counts, number, expected = [3, 1, 4, 2], 0, []
    for day, count in zip(days, counts, strict=True):
        numbers = range(number + 1, number + count + 1)
        batch = [vehicle(n, acquired_date=day.isoformat()) for n in numbers]
        path = str(write_feed(landing, "vehicles", batch, day))
        expected += [(f"D01-{n:06d}", day, i + 2, path) for i, n in enumerate(numbers)]
        number += count
    report = load_feed(conn, "vehicles", landing, days)
    assert fully_checked == [] and report.rows_loaded == sum(counts)
    assert rows(
        conn,
        "select stock_number, _partition_date, _source_line, _source_file from raw.vehicles "
        "order by 1",
    ) == expected


def test_values_with_spaces_at_their_ends_are_trimmed_on_the_fast_path(
    conn, landing, fully_checked
):
    padded = write_feed(landing, "vehicles", [vehicle(1, make=" Toyota "), vehicle(2)], DAY)
    bad = write_feed(landing, "vehicles", [next_day_vehicle(3, mileage=" -7")], NEXT)
    report = load_feed(conn, "vehicles", landing, [DAY, NEXT])
    assert fully_checked == [str(bad)]  # the padded clean file stayed on the fast path
    assert rows(conn, "select distinct make from raw.vehicles") == [("Toyota",)]
    assert rows(conn, "select source_file, source_line, value from raw.rejects") == [
        (str(bad), 2, "-7")
    ]
    assert report.balanced and str(padded) not in fully_checked


@pytest.mark.parametrize(
    ("text", "padded"),
    [
        (b"a,b\n1,2\n", False),
        (b"a,b\n1, 2\n", True),
        (b"a,b\n1,2 ", True),
        (b"a,b\n1,two words\n", True),  # no trim needed, but a space is all the scan looks for
        ("a,b\n1,Citro\u00ebn\n".encode(), True),  # trim strips U+00A0: non-ASCII counts
    ],
)
def test_a_file_counts_as_padded_where_a_value_may_end_in_a_space(tmp_path, text, padded):
    from landing.ingestion.encoding import scan_text

    path = tmp_path / "f.csv"
    path.write_bytes(text)
    assert scan_text(path).padded is padded

"""Late, corrected, missing, misplaced and very large deliveries."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from expectations.freshness import due_day, freshness, resolve_as_of
from landing.ingestion import load_feed
from landing.ingestion.inventory import landing_inventory
from tests.landing.ingestion.faults.conftest import rows
from tests.landing_files import DAY, vehicle, write_feed

NEXT = DAY + dt.timedelta(days=1)


def test_a_redelivered_day_reports_rows_added_removed_and_changed(conn, landing):
    write_feed(landing, "vehicles", [vehicle(1), vehicle(2), vehicle(3)])
    first = load_feed(conn, "vehicles", landing, [DAY])
    assert (first.rows_added, first.rows_removed, first.redelivered_days) == (3, 0, [])
    corrected = [vehicle(1), vehicle(2, list_price="18990.00"), vehicle(4)]  # 3 dropped, 4 new
    write_feed(landing, "vehicles", corrected)
    second = load_feed(conn, "vehicles", landing, [DAY])
    counts = (second.rows_added, second.rows_removed, second.rows_changed)
    assert counts == (1, 1, 1) and second.rows_replaced == 3
    assert second.redelivered_days == [DAY]
    assert rows(
        conn,
        "select rows_added, rows_removed, rows_changed, rows_replaced from raw.load_log "
        "where load_id = ?",
        second.load_id,
    ) == [(1, 1, 1, 3)]
    assert rows(conn, "select stock_number from raw.vehicles order by 1") == [
        ("D01-000001",),
        ("D01-000002",),
        ("D01-000004",),
    ]


def test_a_warehouse_from_before_the_repair_columns_gains_them(tmp_path, landing):
    with duckdb.connect(str(tmp_path / "old.duckdb")) as old:
        old.execute("create schema raw")
        old.execute(
            "create table raw.load_log (load_id varchar not null, feed varchar not null, "
            "partition_date date, source_file varchar not null, checksum_sha256 varchar, "
            "rows_read bigint not null, rows_loaded bigint not null, rows_rejected bigint not "
            "null, rows_replaced bigint not null, loaded_at timestamp not null)"
        )
        load_feed(old, "dealers", landing)
        assert rows(old, "select rows_added, repairs from raw.load_log") == [(1, None)]


@pytest.fixture
def loaded_through_next_day(conn, landing):
    write_feed(landing, "vehicles", [vehicle(1)])
    write_feed(landing, "vehicles", [vehicle(2, acquired_date=NEXT.isoformat())], NEXT)
    load_feed(conn, "vehicles", landing, [DAY, NEXT])
    return conn


def test_freshness_passes_when_the_due_day_is_loaded(loaded_through_next_day, landing):
    status = freshness(loaded_through_next_day, landing, "vehicles", NEXT)
    assert status.loaded and "is loaded" in status.description()


def test_freshness_fails_naming_the_missing_day_when_today_moves_on(
    loaded_through_next_day, landing, monkeypatch
):
    monkeypatch.setenv("FORECOURT_TODAY", (NEXT + dt.timedelta(days=3)).isoformat())
    as_of, reason = resolve_as_of({"dagster/partition": "2024-03-05"})
    assert as_of == NEXT + dt.timedelta(days=2) and reason.startswith("FORECOURT_TODAY")
    status = freshness(loaded_through_next_day, landing, "vehicles", as_of, reason)
    assert not status.loaded and not status.landed and status.days_behind == 2
    assert "the file for 2024-03-07" in status.description()
    assert "not delivered; last loaded day 2024-03-05" in status.description()


def test_freshness_tells_a_landed_but_unloaded_file_from_a_missing_one(
    loaded_through_next_day, landing
):
    later = NEXT + dt.timedelta(days=1)
    write_feed(landing, "vehicles", [], later)
    status = freshness(loaded_through_next_day, landing, "vehicles", later)
    assert status.landed and not status.loaded
    assert "landed but not loaded yet" in status.description()


def test_the_reference_day_comes_from_the_run_and_falls_back_to_yesterday(monkeypatch):
    monkeypatch.delenv("FORECOURT_TODAY", raising=False)
    ranged = {"dagster/asset_partition_range_end": "2024-02-29"}
    assert resolve_as_of(ranged)[0] == dt.date(2024, 2, 29)
    assert resolve_as_of({})[0] == dt.date.today() - dt.timedelta(days=1)


def test_a_weekly_feed_is_due_on_the_monday_before(landing):
    assert due_day("market_listings", dt.date(2024, 3, 7)) == dt.date(2024, 3, 4)
    assert due_day("sales", dt.date(2024, 3, 7)) == dt.date(2024, 3, 7)


def test_files_outside_the_partitions_and_misnamed_files_are_reported(landing):
    write_feed(landing, "sales", [], DAY)
    write_feed(landing, "sales", [], dt.date(2031, 1, 1))  # in the future
    write_feed(landing, "sales", [], dt.date(2002, 12, 31))  # before FORECOURT_FIRST_DAY
    (landing / "sales" / "sales_march.csv").write_text("deal_id\n")
    inventory = landing_inventory(landing, "sales", dt.date(2003, 1, 1), dt.date(2030, 12, 31))
    assert list(inventory.days) == [DAY]
    assert [p.name for p in inventory.out_of_range] == ["2002-12-31.csv", "2031-01-01.csv"]
    assert [p.name for p in inventory.misnamed] == ["sales_march.csv"]
    warnings = " ".join(inventory.warnings())
    assert "ignored 2 file(s) for days outside the partitions" in warnings
    assert "never loaded: sales_march.csv" in warnings


def test_the_sensor_ignores_a_future_file_with_a_warning(tmp_path, monkeypatch, caplog):
    import dagster as dg

    from orchestration.sensors import landing_files_sensor

    landing = tmp_path / "home" / "landing"
    monkeypatch.setenv("FORECOURT_HOME", str(tmp_path / "home"))
    write_feed(landing, "sales", [], dt.date.today() + dt.timedelta(days=30))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        result = landing_files_sensor(context)
    assert isinstance(result, dg.SkipReason)
    assert "outside the partitions" in result.skip_message


def test_a_million_row_file_streams_through_a_small_memory_limit(tmp_path):
    landing = tmp_path / "landing"
    path = landing / "customers" / f"{DAY}.csv"
    path.parent.mkdir(parents=True)
    n = 1_000_000
    with duckdb.connect() as generator:
        generator.execute(
            f"""
            copy (
                select 'C' || lpad(i::varchar, 9, '0') as customer_id,
                       case when i % 5 = 0 then 'fleet' else 'retail' end as customer_type,
                       'First' || i % 1000 as first_name, 'Last' || i % 977 as last_name,
                       null as company_name, ['F', 'M', 'U'][i % 3 + 1] as gender,
                       18 + i % 70 as age, (20000 + i % 150000) || '.00' as annual_income,
                       'City' || i % 50 as city, 'Region' || i % 7 as region, null as phone,
                       'c' || i || '@example.com' as email, date '{DAY}' as created_date
                from range({n}) t(i)
            ) to '{path}' (header, delimiter ',')
            """
        )
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        conn.execute("set memory_limit = '256MB'")
        conn.execute("set threads = 2")
        report = load_feed(conn, "customers", landing, [DAY])
        assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (n, n, 0)
        last = rows(
            conn, "select _source_line from raw.customers where customer_id = ?", f"C{n - 1:09d}"
        )
        assert last == [(n + 1,)]


def test_the_raw_asset_reports_repairs_changes_and_stray_files(tmp_path, monkeypatch, landing):
    import dagster as dg

    from orchestration.assets.ingestion import raw_assets
    from orchestration.resources import WarehouseResource

    monkeypatch.setenv("FORECOURT_HOME", str(landing.parent))
    write_feed(landing, "vehicles", [vehicle(1, engine="DoubleÂ Overhead Camshaft")])
    (landing / "vehicles" / "vehicles_latest.csv").write_text("stock_number\n")
    assets = [a for a in raw_assets if a.key.path[-1] in ("dealers", "vehicles")]
    resources = {"warehouse": WarehouseResource(path=str(tmp_path / "asset.duckdb"))}
    dg.materialize(assets, resources=resources, selection="raw/dealers")
    result = dg.materialize(
        assets, resources=resources, partition_key=DAY.isoformat(), selection="raw/vehicles"
    )
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["files_repaired"].value == 1
    assert "repaired 1 mojibake sequence(s)" in metadata["repairs"].value
    assert "vehicles_latest.csv" in metadata["landing_warnings"].value
    assert (metadata["rows_added"].value, metadata["accounting_balanced"].value) == (1, True)

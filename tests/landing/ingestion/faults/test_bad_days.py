"""A bad day never blocks the good ones: a backfill skips a file it cannot load and logs it, a
day's run aborts naming it; errors name the file and the fix and show no content of it."""

from __future__ import annotations

import datetime as dt

import pytest

from landing.contract import FEEDS
from landing.ingestion import LandingFileError, load_feed
from landing.ingestion.policy import still_skipped_sql
from tests.landing.ingestion.faults.conftest import rows
from tests.landing_files import DAY, csv_text, vehicle, write_bytes, write_feed

COLUMNS = FEEDS["vehicles"].column_names
DAYS = [DAY + dt.timedelta(days=i) for i in range(5)]
BROKEN = DAYS[2]
FLOW = ("dealers", "vehicles")


def deliver(landing) -> None:
    """Two vehicles a day for DAYS; BROKEN's file lacks the vin column."""
    for i, day in enumerate(DAYS):
        batch = [vehicle(10 * i + n, acquired_date=day.isoformat()) for n in (1, 2)]
        columns = [c for c in COLUMNS if c != "vin"] if day == BROKEN else None
        write_feed(landing, "vehicles", batch, day, columns=columns)


def loaded_days(conn) -> list[dt.date]:
    return [
        d for (d,) in rows(conn, "select distinct _partition_date from raw.vehicles order by 1")
    ]


def skipped_now(conn) -> list[tuple]:
    return rows(conn, still_skipped_sql(), "vehicles")


def test_a_backfill_skips_the_broken_day_and_loads_the_others(conn, landing):
    deliver(landing)
    report = load_feed(conn, "vehicles", landing, DAYS)
    assert report.on_error == "skip_file"
    assert loaded_days(conn) == [d for d in DAYS if d != BROKEN]
    assert report.rows_loaded == 8 and report.balanced
    (skipped,) = report.skipped
    assert (skipped.day, skipped.line, skipped.column) == (BROKEN, 1, "vin")
    assert skipped.path.endswith(f"{BROKEN}.csv")
    ((line, column, reason, source),) = rows(
        conn, "select source_line, column_name, reason, source_file from raw.rejects"
    )
    assert (line, column, source) == (1, "vin", skipped.path)
    assert reason.startswith("file skipped: ") and "missing column(s) ['vin']" in reason
    ((status, error),) = rows(
        conn, "select status, error from raw.load_log where partition_date = ?", BROKEN
    )
    assert status == "skipped" and "missing column(s) ['vin']" in error
    assert [(day, path) for day, path, *_ in skipped_now(conn)] == [(BROKEN, skipped.path)]


def test_a_backfill_can_be_told_to_abort_and_then_writes_nothing(conn, landing):
    deliver(landing)
    with pytest.raises(LandingFileError, match=r"missing column\(s\) \['vin'\]"):
        load_feed(conn, "vehicles", landing, DAYS, on_error="abort")
    assert rows(conn, "select count(*) from raw.vehicles") == [(0,)]
    assert rows(conn, "select count(*) from raw.load_log where feed = 'vehicles'") == [(0,)]


def test_a_days_run_of_the_broken_file_still_fails_clearly(conn, landing):
    deliver(landing)
    with pytest.raises(LandingFileError) as failure:
        load_feed(conn, "vehicles", landing, [BROKEN])
    message = str(failure.value)
    assert "\n" not in message and f"{BROKEN}.csv: line 1 (header)" in message


def test_a_skipping_backfill_is_idempotent_and_a_fixed_file_heals_the_day(conn, landing):
    deliver(landing)
    load_feed(conn, "vehicles", landing, DAYS)
    first = rows(conn, "select stock_number, _partition_date from raw.vehicles order by 1")
    load_feed(conn, "vehicles", landing, DAYS)
    assert rows(conn, "select stock_number, _partition_date from raw.vehicles order by 1") == first
    assert rows(conn, "select count(*) from raw.rejects") == [(1,)]
    write_feed(landing, "vehicles", [vehicle(99, acquired_date=BROKEN.isoformat())], BROKEN)
    load_feed(conn, "vehicles", landing, DAYS)
    assert loaded_days(conn) == DAYS
    assert rows(conn, "select count(*) from raw.rejects") == [(0,)]
    assert skipped_now(conn) == []


def test_a_broken_redelivery_keeps_the_days_earlier_rows(conn, landing):
    deliver(landing)
    write_feed(landing, "vehicles", [vehicle(99, acquired_date=BROKEN.isoformat())], BROKEN)
    load_feed(conn, "vehicles", landing, DAYS)
    write_bytes(landing, "vehicles", b"", day=BROKEN)
    report = load_feed(conn, "vehicles", landing, DAYS)
    assert [s.day for s in report.skipped] == [BROKEN]
    assert rows(
        conn, "select stock_number from raw.vehicles where _partition_date = ?", BROKEN
    ) == [("D01-000099",)]
    assert len(skipped_now(conn)) == 1


def test_a_folder_or_an_unclosed_quote_in_one_day_skips_only_that_day(conn, landing):
    deliver(landing)
    write_feed(landing, "vehicles", [vehicle(99, acquired_date=BROKEN.isoformat())], BROKEN)
    folder_day, quote_day = DAYS[1], DAYS[3]
    path = landing / "vehicles" / f"{folder_day}.csv"
    path.unlink()
    path.mkdir()
    lines = csv_text(
        "vehicles", [vehicle(40 + n, acquired_date=quote_day.isoformat()) for n in (1, 2, 3)]
    ).splitlines()
    lines[1] = lines[1].replace(",Camry,", ',"Camry,')
    write_bytes(landing, "vehicles", ("\n".join(lines) + "\n").encode(), day=quote_day)
    report = load_feed(conn, "vehicles", landing, DAYS)
    assert sorted(s.day for s in report.skipped) == [folder_day, quote_day]
    assert loaded_days(conn) == [DAYS[0], BROKEN, DAYS[4]]
    reasons = dict(rows(conn, "select partition_date, reason from raw.rejects"))
    assert "not a regular file" in reasons[folder_day]
    assert "a quote opens but never closes" in reasons[quote_day]
    assert report.balanced


def test_an_empty_file_is_one_line_naming_the_file_and_the_fix(conn, landing):
    path = write_bytes(landing, "vehicles", b"")
    with pytest.raises(LandingFileError) as failure:
        load_feed(conn, "vehicles", landing, [DAY])
    message = str(failure.value)
    assert message.startswith(f"{path}: empty file (0 bytes)")
    assert "\n" not in message and "Re-deliver the file" in message


def test_a_link_out_of_the_landing_folder_is_refused_without_reading_it(tmp_path, conn, landing):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET\n")
    path = landing / "vehicles" / f"{DAY}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(secret)
    with pytest.raises(LandingFileError) as failure:
        load_feed(conn, "vehicles", landing, [DAY])
    message = str(failure.value)
    assert "symbolic link to a file outside the landing folder" in message
    assert "TOP-SECRET" not in message and "Copy the file itself" in message
    write_feed(landing, "vehicles", [vehicle(2)], DAY + dt.timedelta(days=1))
    report = load_feed(conn, "vehicles", landing, [DAY, DAY + dt.timedelta(days=1)])
    assert [s.path for s in report.skipped] == [str(path)]
    assert rows(conn, "select count(*) from raw.rejects where reason like '%TOP-SECRET%'") == [(0,)]


def test_a_link_within_the_landing_folder_loads(conn, landing):
    target = write_feed(landing, "vehicles", [vehicle(1)], DAY)
    moved = landing / "archive" / target.name
    moved.parent.mkdir()
    target.rename(moved)
    target.symlink_to(moved)
    assert load_feed(conn, "vehicles", landing, [DAY]).rows_loaded == 1


def test_a_binary_header_is_shown_escaped_and_cut_short(conn, landing):
    write_bytes(landing, "vehicles", b"stock_number,\x01\x02" + b"A" * 5000 + b"\n")
    with pytest.raises(LandingFileError) as failure:
        load_feed(conn, "vehicles", landing, [DAY])
    message = str(failure.value)
    assert "\\x01\\x02AAA" in message and "\x01" not in message
    assert "A" * 100 not in message and len(message) < 1000


def _backfill(tmp_path, landing, monkeypatch, instance=None, **config):
    import dagster as dg

    from orchestration.assets.ingestion import raw_assets
    from orchestration.checks import feed_monitor
    from orchestration.resources import WarehouseResource

    @dg.asset(key=["marts", "needs_vehicles"], deps=[dg.AssetKey(["raw", "vehicles"])])
    def needs_vehicles() -> None: ...

    monkeypatch.setenv("FORECOURT_HOME", str(landing.parent))
    deliver(landing)
    dealers, vehicles = (next(a for a in raw_assets if a.key.path[-1] == f) for f in FLOW)
    warehouse = {"warehouse": WarehouseResource(path=str(tmp_path / "home.duckdb"))}
    dg.materialize([dealers], resources=warehouse)
    run_config = {"ops": {"raw__vehicles": {"config": config}}} if config else None
    return dg.materialize(
        [vehicles, needs_vehicles, feed_monitor("vehicles")],
        resources=warehouse,
        run_config=run_config,
        selection=[dg.AssetKey(["raw", "vehicles"]), dg.AssetKey(["marts", "needs_vehicles"])],
        tags={
            "dagster/asset_partition_range_start": DAYS[0].isoformat(),
            "dagster/asset_partition_range_end": DAYS[-1].isoformat(),
        },
        raise_on_error=False,
        instance=instance,
    )


def test_a_backfill_run_fails_the_skipped_files_check_and_builds_downstream(
    tmp_path, landing, monkeypatch
):
    import dagster as dg

    instance = dg.DagsterInstance.ephemeral()
    result = _backfill(tmp_path, landing, monkeypatch, instance)
    assert result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "needs_vehicles"]) in materialized
    loads = [
        e for e in result.get_asset_materialization_events() if e.asset_key.path[-1] == "vehicles"
    ]
    assert {e.partition for e in loads} == {d.isoformat() for d in DAYS}  # one per partition
    assert loads[0].materialization.metadata["files_skipped"].value == 1
    # the skipped day's own event says so; Dagster cannot fail one partition of a good step
    by_day = {e.partition: e.materialization.metadata for e in loads}
    assert by_day[BROKEN.isoformat()]["skipped"].value is True
    assert by_day[BROKEN.isoformat()]["skipped_file"].value == f"{BROKEN}.csv"
    assert "missing column" in by_day[BROKEN.isoformat()]["skip_reason"].value
    assert [d for d, m in by_day.items() if m["skipped"].value] == [BROKEN.isoformat()]
    run = instance.get_run_by_id(result.run_id)
    assert run.tags["forecourt/skipped_days"] == str(BROKEN)
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    skipped = checks["skipped_files_vehicles"]
    assert not skipped.passed and skipped.severity == dg.AssetCheckSeverity.ERROR
    assert f"{BROKEN}.csv" in skipped.description
    from orchestration.sensors import is_notifiable

    assert is_notifiable(skipped)


def test_a_backfill_run_configured_to_abort_fails_naming_the_file(tmp_path, landing, monkeypatch):
    result = _backfill(tmp_path, landing, monkeypatch, on_error="abort")
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [e.step_key for e in failures] == ["raw__vehicles"]
    assert f"{BROKEN}.csv: line 1 (header)" in failures[0].step_failure_data.error.message


def test_a_stray_folder_or_misnamed_copy_does_not_stretch_the_runs_days(landing, tmp_path):
    from orchestration.cli.runner import DayRange, landed_days
    from orchestration.sensors import _dated_files

    deliver(landing)
    (landing / "sales").mkdir()
    (landing / "sales" / "2019-01-01.csv").mkdir()  # a folder named like a day's file
    write_bytes(landing, "customers", b"x", day=dt.date(2020, 6, 1), suffix=".old.csv")
    assert landed_days(landing) == DayRange(DAYS[0], DAYS[-1])
    assert sorted({day for _, day, _ in _dated_files(landing)}) == DAYS


def test_an_undecodable_byte_in_a_header_is_shown_escaped_not_replaced(conn, landing):
    write_bytes(landing, "vehicles", b"stock_number,v\x81n\nK1,V\x81N\n")
    with pytest.raises(LandingFileError) as failure:
        load_feed(conn, "vehicles", landing, [DAY])
    message = str(failure.value)
    # before: the header was decoded with U+FFFD, so the byte itself was lost
    assert "\ufffd" not in message and "v\\x81n" in message, message

"""Publishing the serving copies: complete, per-role, read-only, and swapped in atomically.

One hand-made warehouse and one publish per module (a few seconds); each test reads it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from serving import connect_safe
from serving.publish import build_role_copy, publish
from serving.roles import PiiRules, Role, RolesConfig
from tests.serving.mini_warehouse import FIRST_NAMES, build

CONFIG = RolesConfig(
    roles=(
        Role("executive", pii="full"),
        Role("analyst", pii="masked"),
        Role("manager_northeast", pii="full", dealers=("D01", "D06")),
    ),
    pii=PiiRules(
        hash=("customer_id", "email", "phone"),
        drop=("first_name", "last_name", "company_name"),
        band={"annual_income": "income_band", "age": "age_band"},
    ),
    group_tables=("marts.market_listings_weekly",),
)
SALT = "test-salt"


LIFECYCLE_VIEW = """
create view ml.customer_lifecycle as select customer_id,
    case when segment in ('VIP', 'Loyal') then 'loyal' else 'inactive' end as lifecycle_stage,
    segment from ml.customer_segments;
comment on view ml.customer_lifecycle is 'Lifecycle stage per customer.';
comment on column ml.customer_lifecycle.lifecycle_stage is 'loyal or inactive.';
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("serving")
    warehouse = build(root / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(LIFECYCLE_VIEW)
    report = publish(
        lambda: duckdb.connect(str(warehouse), read_only=True), root / "serving", CONFIG, SALT
    )
    return root, report


def rows(path: Path, sql: str, params=()):
    with connect_safe(path) as conn:
        return conn.execute(sql, list(params)).fetchall()


def tables(path: Path) -> dict[str, list[str]]:
    found = rows(
        path,
        "select table_schema || '.' || table_name, list(column_name order by ordinal_position) "
        "from information_schema.columns group by 1",
    )
    return dict(found)


def test_the_full_copy_holds_every_table_with_its_rows_and_comments(published):
    root, report = published
    full = root / "serving" / "forecourt.duckdb"
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as conn:
        source = dict(
            conn.execute(
                "select schema_name || '.' || table_name, estimated_size from duckdb_tables()"
            ).fetchall()
        )
        source["ml.customer_lifecycle"] = None
    assert set(report.copies[0].tables) == set(source)
    assert (
        rows(full, "select count(*) from marts.fct_sales")[0][0]
        == report.copies[0].tables["marts.fct_sales"]
        > 1000
    )
    comments = dict(
        rows(full, "select table_name, comment from duckdb_tables() where comment > ''")
    )
    assert comments["fct_sales"] == "One row per vehicle deal (it's denormalised)."
    (info,) = rows(full, "select version, role, data_as_of::varchar from meta.publish_info")
    assert info == (report.version, "forecourt", "2025-11-30")


def test_a_view_is_copied_as_a_table_of_its_rows_with_its_comments_and_masked(published):
    root, report = published
    full = root / "serving" / "forecourt.duckdb"
    stages = "select lifecycle_stage, count(*) from ml.customer_lifecycle group by 1 order by 1"
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as conn:
        expected = conn.execute(stages).fetchall()
    assert rows(full, stages) == expected and len(expected) == 2
    assert rows(full, "select comment from duckdb_tables() where table_name = "
                      "'customer_lifecycle'") == [("Lifecycle stage per customer.",)]
    assert ("loyal or inactive.",) in rows(
        full, "select comment from duckdb_columns() where table_name = 'customer_lifecycle'"
    )
    analyst = root / "serving" / "analyst.duckdb"
    join = ("select count(*) from ml.customer_lifecycle l join ml.customer_segments g "
            "using (customer_id, segment)")
    assert rows(analyst, join) == rows(full, join) == [(report.copies[0].tables[
        "ml.customer_lifecycle"],)]
    assert not rows(analyst, "select min(customer_id) from ml.customer_lifecycle")[0][0].startswith(
        "C"
    )


def test_every_serving_file_is_read_only_on_disk_and_no_temporary_file_is_left(published):
    root, report = published
    names = sorted(p.name for p in (root / "serving").iterdir())
    assert names == sorted(
        ["forecourt.duckdb", "executive.duckdb", "analyst.duckdb", "manager_northeast.duckdb"]
    )
    for copy in report.copies:
        assert copy.path.stat().st_mode & 0o777 == 0o440  # owner and group: never everyone


def test_an_analyst_never_sees_names_phones_emails_or_exact_incomes(published):
    root, _ = published
    analyst = root / "serving" / "analyst.duckdb"
    columns = tables(analyst)
    every = {c for cols in columns.values() for c in cols}
    assert not every & {"first_name", "last_name", "company_name", "annual_income", "age"}
    assert {"income_band", "age_band"} <= set(columns["marts.dim_customers"])
    for table, cols in columns.items():
        for column in cols:
            leaked = rows(
                analyst,
                f'select count(*) from {table} where "{column}"::varchar similar to ? '
                f'or list_contains(?, "{column}"::varchar)',
                [r".*(@example\.org|\(518\) 555).*", FIRST_NAMES],
            )[0][0]
            assert leaked == 0, (table, column)


def test_hashed_customer_ids_still_join_across_tables(published):
    root, _ = published
    join = (
        "select count(*) from marts.fct_sales s join marts.dim_customers c using (customer_id) "
        "join ml.customer_segments g using (customer_id)"
    )
    analyst, full = root / "serving" / "analyst.duckdb", root / "serving" / "forecourt.duckdb"
    assert rows(analyst, join) == rows(full, join)
    hashed = rows(analyst, "select min(customer_id), max(length(customer_id)) from marts.fct_sales")
    assert not hashed[0][0].startswith("C") and hashed[0][1] == 16


def test_the_salt_changes_every_hash(published, tmp_path):
    root, report = published
    full = root / "serving" / "forecourt.duckdb"
    role = CONFIG.role("analyst")
    other = build_role_copy(full, tmp_path / "a.duckdb", role, CONFIG, "other", "v", None)
    sql = "select customer_id from marts.dim_customers order by customer_id limit 50"
    assert not set(rows(other.path, sql)) & set(rows(root / "serving" / "analyst.duckdb", sql))


def test_a_manager_reads_only_their_dealers_rows(published):
    root, _ = published
    manager, full = (
        root / "serving" / "manager_northeast.duckdb",
        root / "serving" / "forecourt.duckdb",
    )
    columns = tables(manager)
    for table, cols in columns.items():
        if "dealer_id" in cols:
            dealers = {r[0] for r in rows(manager, f"select distinct dealer_id from {table}")}
            assert dealers <= {"D01", "D06"} and dealers, table
    assert "marts.customer_acquisition" not in columns  # nothing to scope it by
    assert "ml.pricing_model_metrics" not in columns
    assert "marts.market_listings_weekly" in columns  # listed as group-wide
    series = {r[0] for r in rows(manager, "select distinct unique_id from marts.demand_weekly")}
    assert series == {"dealer=D01", "dealer=D06"}
    theirs = rows(
        full,
        "select count(distinct customer_id) from marts.customer_transactions "
        "where dealer_id in ('D01', 'D06')",
    )
    assert rows(manager, "select count(*) from marts.dim_customers") == theirs
    assert rows(manager, "select count(*) from marts.dim_customers")[0][0] < 900
    assert "first_name" in columns["marts.dim_customers"]  # pii = "full" for this role


def test_the_executive_copy_has_everything(published):
    root, report = published
    executive = {c.name: c for c in report.copies}["executive"]
    assert executive.tables == report.copies[0].tables and not executive.excluded
    # every dealer, personal data in full: a copy of the full file, told apart by its
    # publish_info alone
    full, copy = report.copies[0].path, executive.path
    assert tables(copy) == tables(full)
    for table in ("marts.dim_customers", "marts.fct_sales"):
        every_row = f"select * from {table} order by all"
        assert rows(copy, every_row) == rows(full, every_row) != []
    comment = "select comment from duckdb_tables() where table_name = 'fct_sales'"
    assert rows(copy, comment) == rows(full, comment) != [(None,)]
    info = "select version, role, pii, dealers, tables from meta.publish_info"
    assert rows(copy, info) == [(report.version, "executive", "full", None, len(executive.tables))]
    assert rows(full, info)[0][1:3] == ("forecourt", "full")


SAFE_REFUSALS = [
    "select * from read_csv('{csv}')",
    "attach '{full}' as other",
    "copy (select 1) to '{out}'",
    "set enable_external_access = true",
    "set lock_configuration = false",
    "create table marts.x as select 1",
    "insert into marts.dim_dealers (dealer_id) values ('D99')",
    "drop table marts.fct_sales",
    "install httpfs",
]


@pytest.mark.parametrize("sql", SAFE_REFUSALS)
def test_safe_mode_refuses_other_files_settings_and_writes(published, tmp_path, sql):
    root, _ = published
    csv = tmp_path / "secret.csv"
    csv.write_text("a,b\n1,2\n")
    statement = sql.format(csv=csv, full=root / "warehouse.duckdb", out=tmp_path / "o.csv")
    with connect_safe(root / "serving" / "analyst.duckdb") as conn, pytest.raises(duckdb.Error):
        conn.execute(statement)
    assert not (tmp_path / "o.csv").exists()
    with duckdb.connect() as plain:  # the same statement works outside safe mode
        assert plain.execute(f"select count(*) from read_csv('{csv}')").fetchone()[0] == 1


READER = """
import json, pathlib, sys, time
import duckdb
path, stop, mode, out = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], sys.argv[4]
SQL = ("select (select version from meta.publish_info), count(*), sum(gross_profit)::varchar "
       "from marts.fct_sales")
config = {"enable_external_access": False, "lock_configuration": True}
held = duckdb.connect(path, read_only=True, config=config) if mode == "held" else None
with open(out, "a") as log:
    while not stop.exists():
        try:
            if held is not None:
                row = held.execute(SQL).fetchone()
            else:
                with duckdb.connect(path, read_only=True, config=config) as conn:
                    row = conn.execute(SQL).fetchone()
            seen = {"version": row[0], "rows": row[1], "gross": row[2]}
        except Exception as exc:
            seen = {"error": repr(exc)}
        log.write(json.dumps(seen) + "\\n")
        log.flush()
        time.sleep(0.01)
"""


def _reader(path: Path, stop: Path, mode: str, out: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", READER, str(path), str(stop), mode, str(out)])
    _wait_for(lambda: out.exists() and out.read_text().count("\n") >= 3, process)
    return process


def _wait_for(condition, process, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, "the reader died"
        assert time.monotonic() < deadline, "the reader saw nothing in time"
        time.sleep(0.1)


def _seen(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text().splitlines() if line]


def _state(path: Path) -> tuple:
    sql = (
        "select (select version from meta.publish_info), count(*), "
        "sum(gross_profit)::varchar from marts.fct_sales"
    )
    return rows(path, sql)[0]


def test_readers_see_old_or_new_data_and_never_block_a_publish(tmp_path):
    warehouse = build(tmp_path / "warehouse.duckdb", seed=11)
    serving = tmp_path / "serving"
    config = RolesConfig(roles=(Role("analyst"),), pii=CONFIG.pii)

    def run():
        opener = lambda: duckdb.connect(str(warehouse), read_only=True)  # noqa: E731
        return publish(opener, serving, config, SALT)

    run()
    full = serving / "forecourt.duckdb"
    before = _state(full)
    stop, held_out, fresh_out = tmp_path / "stop", tmp_path / "held.jsonl", tmp_path / "fresh.jsonl"
    held = _reader(full, stop, "held", held_out)
    fresh = _reader(full, stop, "fresh", fresh_out)
    try:
        with duckdb.connect(str(warehouse)) as conn:  # the next day's sales arrive
            conn.execute(
                "insert into marts.fct_sales select * replace (deal_id || 'x' as deal_id) "
                "from marts.fct_sales where dealer_id = 'D01'"
            )
        run()  # while one reader holds the old file open and the other reopens it in a loop
        assert held.poll() is None
        after = _state(full)
        _wait_for(lambda: after[0] in fresh_out.read_text(), fresh)
    finally:
        stop.touch()
        held.wait(timeout=30)
        fresh.wait(timeout=30)
    assert before[1] < after[1]
    for seen in _seen(held_out) + _seen(fresh_out):
        assert "error" not in seen, seen
        assert (seen["version"], seen["rows"], seen["gross"]) in {before, after}
    assert {s["version"] for s in _seen(held_out)} == {before[0]}  # its open file stays old
    assert after[0] in {s["version"] for s in _seen(fresh_out)}  # a new connection gets the new


def test_a_failed_publish_leaves_the_previous_copies_in_place(published, monkeypatch):
    root, report = published
    import serving.publish as module

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "build_role_copy", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(
            lambda: duckdb.connect(str(root / "warehouse.duckdb"), read_only=True),
            root / "serving",
            CONFIG,
            SALT,
        )
    assert rows(root / "serving" / "forecourt.duckdb", "select version from meta.publish_info") == [
        (report.version,)
    ]
    assert not [p for p in os.listdir(root / "serving") if ".tmp-" in p]


def test_a_role_taken_out_of_the_config_loses_its_file(published):
    root, _ = published
    only_analyst = RolesConfig(roles=(CONFIG.role("analyst"),), pii=CONFIG.pii)
    report = publish(
        lambda: duckdb.connect(str(root / "warehouse.duckdb"), read_only=True),
        root / "serving",
        only_analyst,
        SALT,
    )
    assert report.removed == ["executive.duckdb", "manager_northeast.duckdb"]
    assert sorted(p.name for p in (root / "serving").iterdir()) == [
        "analyst.duckdb",
        "forecourt.duckdb",
    ]


def test_a_role_copy_is_written_within_its_memory_limit_and_spills_beside_it(tmp_path):
    # Unlimited, DuckDB may take 80% of the machine: at 10M sales the analyst's copy took the
    # daily job's process past half of it. Under the limit, a sort larger than it spills into
    # the staging folder (mode 700) and still completes.
    from serving.publish import _scratch

    staging = tmp_path / ".publishing"
    staging.mkdir(mode=0o700)
    with _scratch(staging / "analyst.duckdb", "64MB") as conn:
        limit, spill = conn.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        (distinct,) = conn.execute(
            "select count(distinct h) from (select md5(range::varchar) as h "
            "from range(2000000) order by h)"
        ).fetchone()
    assert limit == "61.0 MiB" and spill == str(staging)
    assert distinct == 2_000_000
    assert list(staging.iterdir()) == []  # the spill files went with the connection

"""A daily run's dbt tests read the day's keys of the staging views, and still catch the day's
bad rows (dbt_project/macros/scoped_tests.sql).

One small generated dealer loaded into raw; the sales staging view's tests run with and without
FORECOURT_DBT_TESTS_FROM. A bad sale price on an old day fails the whole pass only; one on the
scoped day fails both. A one-day build saves the view's rows for the day's deal numbers once
(the view's post-hook) and its tests read them; `dbt test` alone reads the view for the day's
deal numbers as a literal list (what DuckDB pushes below the view's deduplication). A raw row of
the day without a deal number makes them read the whole view, so the not_null test still sees
it. A relationships test reads
its parent view for the child's values only, and still fails on the day's sale of an unknown
unit.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from orchestration.project import DBT_PROJECT_DIR

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 12
LAST = START + dt.timedelta(days=DAYS - 1)
OLD = START + dt.timedelta(days=3)
TESTED = "stg_dms__sales"
# its generic tests (the scope applies to them); a copied sale trips the singular ones
# (eager: its relationships tests too, whose parents are other views)
SELECT = ["--select", TESTED, "--exclude", "test_type:singular", "--indirect-selection", "eager"]


def dbt(work: Path, warehouse: Path, *args: str, since: dt.date | None = None):
    env = {**os.environ, "FORECOURT_WAREHOUSE": str(warehouse), "FORECOURT_DBT_TARGET": "duckdb"}
    env.pop("FORECOURT_DBT_TESTS_FROM", None)
    if since:
        env["FORECOURT_DBT_TESTS_FROM"] = since.isoformat()
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args,
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env=env, capture_output=True, text=True,
    )


def compiled(work: Path, test_prefix: str, reading: str = "") -> str:
    """The SQL dbt ran for the test named `test_prefix`... (whose SQL names `reading`, for a
    name dbt shortened) in its last invocation."""
    found = [path.read_text() for path in
             sorted((work / "target" / "compiled").rglob(f"{test_prefix}*.sql"))]
    found = [sql for sql in found if reading in sql]
    assert found, f"no compiled test {test_prefix}* under {work / 'target'}"
    return found[0]


def bad_price(warehouse: Path, day: dt.date, deal_id: str | None) -> None:
    """A raw sales row of `day` with a negative price (the loader would reject it)."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into raw.sales by name select * replace (? as deal_id, -1 as sale_price, "
            "9999 as _source_line, ? as sale_date, ? as _partition_date) from raw.sales limit 1",
            [deal_id, day, day],
        )
        (rows,) = conn.execute("select count(*) from raw.sales where sale_price < 0").fetchone()
    assert rows > 0


def unknown_unit(warehouse: Path, day: dt.date) -> None:
    """A raw sales row of `day` for a stock number no vehicle has."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into raw.sales by name select * replace ('S99999903' as deal_id, "
            "'NO-SUCH-UNIT' as stock_number, 9998 as _source_line, ? as sale_date, "
            "? as _partition_date) from raw.sales limit 1",
            [day, day],
        )


def saved_scopes(warehouse: Path) -> dict[str, int]:
    """The saved test scopes (macros/scoped_tests.sql) and their rows."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        names = [name for (name,) in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'staging' "
            "and contains(table_name, '__tests_from_')"
        ).fetchall()]
        return {name: conn.execute(f"select count(*) from staging.{name}").fetchone()[0]
                for name in names}


def day_deals(warehouse: Path, day: dt.date) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute("select count(distinct deal_id) from raw.sales "
                            "where _partition_date >= ?", [day]).fetchone()[0]


@pytest.fixture(scope="module")
def stages(tmp_path_factory) -> dict:
    """Bad rows added one at a time, each stage's scoped and whole test passes kept, so the
    tests do not depend on their order."""
    work = tmp_path_factory.mktemp("scoped_tests")
    landing, warehouse = work / "landing", work / "warehouse.duckdb"
    generate(landing, start=START, days=DAYS, dealers=1, seed=5)
    with duckdb.connect(str(warehouse)) as conn:
        every_day = [START + dt.timedelta(days=i) for i in range(DAYS)]
        for feed in FEEDS:
            load_feed(conn, feed, landing,
                      None if FEEDS[feed].cadence == "reference" else every_day)
    # every view at once on dbt's two threads, as a daily run builds them: their post-hooks
    # save their scopes side by side
    built = dbt(work, warehouse, "run", "--select", "staging", since=LAST)
    assert built.returncode == 0, built.stdout[-3000:]
    found = {"views saved": saved_scopes(warehouse)}
    for stage, day, deal_id in [("old day", OLD, "S99999901"), ("scoped day", LAST, "S99999902"),
                                ("unknown unit", LAST, ""), ("no key", LAST, None)]:
        if deal_id == "":
            unknown_unit(warehouse, day)
        else:
            bad_price(warehouse, day, deal_id)
        if stage == "old day":  # no saved scope yet: the tests filter the view by literals
            literal = dbt(work, warehouse, "test", *SELECT, since=LAST)
            found["literal"] = {"scoped": literal.stdout,
                                "scoped_sql": compiled(work, f"non_negative_{TESTED}_sale_price")}
        # as a daily run does: the view's post-hook saves its rows for the day's keys
        scoped = dbt(work, warehouse, "build", *SELECT, since=LAST)
        sql = compiled(work, f"non_negative_{TESTED}_sale_price")
        parent_sql = compiled(work, f"relationships_{TESTED}_", '"stg_dms__vehicles"')
        saved = saved_scopes(warehouse)
        if stage == "scoped day":  # a later invocation, without rebuilding the view
            dbt(work, warehouse, "test", *SELECT, since=LAST)
            found["test after build"] = compiled(work, f"non_negative_{TESTED}_sale_price")
        whole = dbt(work, warehouse, "test", *SELECT)
        found[stage] = {"scoped": scoped.stdout, "scoped_sql": sql, "whole": whole.stdout,
                        "relationship_sql": parent_sql, "saved": saved}
    covered = dbt(work, warehouse, "compile", "--select", "int_sales_joined", since=LAST)
    assert covered.returncode == 0, covered.stdout[-3000:]
    found["covered"] = compiled(work, "unique_int_sales_joined_deal_id")
    spells = dbt(work, warehouse, "compile", "--select", "int_list_prices_sequenced", since=LAST)
    assert spells.returncode == 0, spells.stdout[-3000:]
    found["spells"] = compiled(work, "not_null_int_list_prices_sequenced_stock_number")
    found["day_deals"] = day_deals(warehouse, LAST) - 2  # before the two bad rows of that day
    full_pass = dbt(work, warehouse, "build", *SELECT)
    found["saved after the full pass"] = saved_scopes(warehouse)
    assert "PASS=" in full_pass.stdout, full_pass.stdout[-3000:]
    return found


PRICE_TEST = f"non_negative_{TESTED}_sale_price"


def test_an_old_days_bad_row_fails_the_full_pass_only(stages):
    stage = stages["old day"]
    assert "FAIL" not in stage["scoped"] and "PASS=" in stage["scoped"], stage["scoped"][-3000:]
    assert f"FAIL 1 {PRICE_TEST}" in stage["whole"]


def test_the_scoped_tests_read_the_days_keys_as_literals(stages):
    literal = stages["literal"]
    assert "deal_id in ('S" in literal["scoped_sql"]
    assert "FAIL" not in literal["scoped"] and "PASS=" in literal["scoped"], literal["scoped"]


SAVED = f"{TESTED}__tests_from_{LAST:%Y%m%d}_"  # and the dbt invocation


def sales_saved(saved: dict[str, int]) -> dict[str, int]:
    return {name: rows for name, rows in saved.items() if name.startswith(f"{TESTED}__")}


def only_saved(saved: dict[str, int]) -> int:
    (name,) = sales_saved(saved)
    assert name.startswith(SAVED), name
    return saved[name]


def test_a_one_day_build_saves_the_days_rows_once_and_its_tests_read_them(stages):
    old_day = stages["old day"]
    assert f"staging\".\"{SAVED}" in old_day["scoped_sql"], old_day["scoped_sql"]
    # the day's deals, and the old day's bad row is not among them
    assert only_saved(old_day["saved"]) == stages["day_deals"]
    assert only_saved(stages["scoped day"]["saved"]) == stages["day_deals"] + 1


def test_every_view_saves_its_scope_when_they_build_together(stages):
    views = {name.split("__tests_from_")[0] for name in stages["views saved"]}
    assert {"stg_dms__sales", "stg_dms__service_visits", "stg_dms__vehicles"} <= views


def test_a_later_test_run_reads_the_view_not_an_earlier_runs_saved_rows(stages):
    assert "__tests_from_" not in stages["test after build"]
    assert "deal_id in ('S" in stages["test after build"]


def test_a_day_row_without_key_and_the_full_pass_leave_no_saved_rows(stages):
    assert sales_saved(stages["no key"]["saved"]) == {}
    assert sales_saved(stages["saved after the full pass"]) == {}


def test_the_days_bad_row_fails_the_scoped_pass(stages):
    stage = stages["scoped day"]
    # the old day's bad row stays out of scope: one failing row, the day's
    assert f"FAIL 1 {PRICE_TEST}" in stage["scoped"], stage["scoped"][-3000:]
    assert f"FAIL 2 {PRICE_TEST}" in stage["whole"]


def test_a_day_row_without_key_makes_the_tests_read_the_whole_view(stages):
    stage = stages["no key"]
    assert f"FAIL 1 not_null_{TESTED}_deal_id" in stage["scoped"], stage["scoped"][-3000:]
    # every bad price, the old day's too: the whole view was read
    assert f"FAIL 3 {PRICE_TEST}" in stage["scoped"]
    assert "deal_id in (" not in stage["scoped_sql"]


def test_a_view_a_mart_holds_one_to_one_is_tested_there(stages):
    assert "where 1 = 0" in stages["covered"]


UNIT_TEST = f"relationships_{TESTED}_stock_number__stock_number__ref_stg_dms__vehicles_"


def test_a_relationship_reads_the_parent_view_for_the_childs_values_only(stages):
    scoped_day = stages["scoped day"]
    assert "stock_number in ('" in scoped_day["relationship_sql"]
    assert f"FAIL 1 {UNIT_TEST}" not in scoped_day["scoped"]
    assert "PASS=" in scoped_day["scoped"]


def test_the_days_sale_of_an_unknown_unit_fails_the_scoped_relationship(stages):
    stage = stages["unknown unit"]
    assert f"FAIL 1 {UNIT_TEST}" in stage["scoped"], stage["scoped"][-3000:]
    assert f"FAIL 1 {UNIT_TEST}" in stage["whole"], stage["whole"][-3000:]


def test_the_price_spells_tests_read_the_days_units_of_the_feeds_not_the_load_log(stages):
    """int_list_prices_sequenced reads the load log too (for the re-delivered files); its
    tests' scope is the stock numbers of the day's vehicles and price_changes rows. The load
    log has no file-day column: read for the scope, it failed every one-day build."""
    assert "stock_number in ('" in stages["spells"]

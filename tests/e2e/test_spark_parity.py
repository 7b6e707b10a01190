"""The dbt project gives the same marts on Spark as on DuckDB, built whole and incrementally.

One small generated home (two dealers, 24 days) is loaded into DuckDB's raw schema, exported
to Parquet and declared on Spark (landing/spark_export.py). dbt builds every model and seed of the
platform (not the reference data sets) on both engines: DuckDB in a child process, Spark in
this one (the `spark` target's session, started once for the module). Every model is compared
by row count, null counts, sums of its numeric columns, total length of its text columns and
the range of its date columns. Then an old day's sales are re-delivered with a sale removed,
another day's re-delivered empty, an old week's market scrape without a listing and another
week's empty, and a new day lands; both engines run incrementally and are compared again.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from landing.contract import FEEDS
from landing.generator import generate
from landing.ingestion import load_feed
from landing.spark_export import export_raw, register_raw
from orchestration.project import DBT_PROJECT_DIR
from tests.e2e.conftest import home_environment

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

START, DAYS = dt.date(2024, 1, 1), 24
LAST = START + dt.timedelta(days=DAYS - 1)
PLATFORM = ["--exclude", "path:models/reference"]  # the reference sets need their own import
BUILT = ["--resource-type", "model", "--resource-type", "seed"]  # no tests: DuckDB's tiers run them
NUMERIC = ("INTEGER", "BIGINT", "HUGEINT", "SMALLINT", "DOUBLE", "FLOAT", "DECIMAL")


def java_missing() -> str | None:
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return None
    return "Java is not installed (Spark needs Java 17+): the Spark parity test cannot run"


def load(warehouse: Path, landing: Path, days: list[dt.date], feeds=tuple(FEEDS)) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        for feed in feeds:
            reference = FEEDS[feed].cadence == "reference"
            load_feed(conn, feed, landing, None if reference else days)


def dbt_args(home: Path, engine: str, command: str) -> list[str]:
    return [
        command, "--target", engine, *PLATFORM, *BUILT,
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(home / f"target-{engine}"), "--log-path", str(home / f"logs-{engine}"),
    ]  # fmt: skip


def run_both(home: Path) -> dict[str, dict]:
    """dbt build (models and seeds) on both engines; what each built, by unique id: schema,
    name, status.

    DuckDB's run is a child process (dbt-duckdb keeps the file attached in-process), so it
    runs while Spark builds in this process."""
    from dbt.cli.main import dbtRunner

    dbt, console = str(Path(sys.executable).with_name("dbt")), home / "dbt-duckdb.out"
    with console.open("w") as out:
        duck = subprocess.Popen([dbt, *dbt_args(home, "duckdb", "build")], stdout=out, stderr=out)
        spark = dbtRunner().invoke(dbt_args(home, "spark", "build"))
        duck.wait()
    output = console.read_text()
    assert duck.returncode == 0, f"dbt build on DuckDB failed:\n{output[-3000:]}"
    assert spark.success, f"dbt build on Spark failed: {spark.exception or failures(spark)}"
    return {engine: built_models(home / f"target-{engine}") for engine in ("duckdb", "spark")}


def failures(result) -> list[str]:
    return [f"{r.node.name}: {r.message}" for r in result.result or [] if r.status != "success"]


def built_models(target: Path) -> dict[str, dict]:
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {
        r["unique_id"]: {
            "relation": f"{nodes[r['unique_id']]['schema']}.{nodes[r['unique_id']]['alias']}",
            "status": r["status"],
        }
        for r in results
    }


def measures(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, SQL aggregate) per measure: the count, then per column its nulls and, by its
    DuckDB type, its sum (numbers), total length (text), trues (booleans) or range (dates).
    Plain aggregates only: Spark plans a count(distinct) per column as one more copy of every
    row, which costs minutes on a wide mart."""
    found = [("rows", "count(*)")]
    for name, data_type in columns:
        found.append((f"{name}: nulls", f"count(*) - count({name})"))
        if data_type.startswith(NUMERIC):
            found.append((f"{name}: sum", f"sum({name})"))
        elif data_type == "VARCHAR":
            found.append((f"{name}: total length", f"sum(length({name}))"))
        elif data_type == "BOOLEAN":
            found.append((f"{name}: trues", f"sum(case when {name} then 1 else 0 end)"))
        elif data_type == "DATE":
            found += [(f"{name}: min", f"min({name})"), (f"{name}: max", f"max({name})")]
    return found


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        return Decimal(a) == Decimal(b)
    return a == b


def compare(home: Path, spark, models: dict[str, dict]) -> dict[str, list[str]]:
    """Per model, what differs between the engines (empty list: equal); columns from DuckDB."""
    differences = {}
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        for model in models.values():
            relation = model["relation"]
            schema, table = relation.split(".")
            columns = conn.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            spark_columns = {f.name for f in spark.table(relation).schema.fields}
            one_engine_only = sorted({c for c, _ in columns} ^ spark_columns)
            labels, aggregates = zip(*measures(columns), strict=True)
            query = f"select {', '.join(aggregates)} from {relation}"
            duck_row = conn.execute(query).fetchone()
            spark_row = tuple(spark.sql(query).collect()[0])
            differences[relation] = [
                f"{label}: duckdb {d!r}, spark {s!r}"
                for label, d, s in zip(labels, duck_row, spark_row, strict=True)
                if not same(d, s)
            ]
            if one_engine_only:
                differences[relation].append(f"columns in one engine only: {one_engine_only}")
    return differences


CHANGED, EMPTIED = START + dt.timedelta(days=10), START + dt.timedelta(days=15)


def rewrite_files(landing: Path, feed: str, kept_rows: dict[dt.date, slice]) -> list[dt.date]:
    """Re-deliver old days of `feed`, each file keeping only the data rows in its slice."""
    for day, kept in kept_rows.items():
        path = landing / feed / f"{day}.csv"
        header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        assert len(rows) > 1, f"{path} has too few rows for this test: change the seed"
        path.write_text(header + "".join(rows[kept]), encoding="utf-8")
    return list(kept_rows)


def redeliver(landing: Path) -> list[dt.date]:
    """Re-deliver two old days of sales: one without its first sale, one without any."""
    return rewrite_files(landing, "sales", {CHANGED: slice(1, None), EMPTIED: slice(0, 0)})


SCRAPED, SCRAPE_EMPTIED = START + dt.timedelta(days=14), START + dt.timedelta(days=7)  # Mondays


def redeliver_scrapes(landing: Path) -> list[dt.date]:
    """Re-deliver two old weeks' market scrapes: one without its first listing, one empty."""
    return rewrite_files(
        landing, "market_listings", {SCRAPED: slice(1, None), SCRAPE_EMPTIED: slice(0, 0)}
    )


def listings_per_week(conn_or_spark, spark: bool = False) -> dict[str, int]:
    query = (
        "select cast(week_start as string) as week, sum(listings) from "
        f"marts.market_listings_weekly where week_start in ('{SCRAPED}', '{SCRAPE_EMPTIED}') "
        "group by 1"
    )
    rows = conn_or_spark.sql(query).collect() if spark else conn_or_spark.execute(query).fetchall()
    return {str(SCRAPED): 0, str(SCRAPE_EMPTIED): 0} | {week: int(n) for week, n in rows}


def sales_per_day(conn_or_spark, spark: bool = False) -> dict[str, int]:
    query = (
        "select cast(source_partition_date as string) as day, count(*) from marts.fct_sales "
        f"where source_partition_date in ('{CHANGED}', '{EMPTIED}', '{LAST}') group by 1"
    )
    rows = conn_or_spark.sql(query).collect() if spark else conn_or_spark.execute(query).fetchall()
    return {str(CHANGED): 0, str(EMPTIED): 0, str(LAST): 0} | {day: n for day, n in rows}


@pytest.fixture(scope="module")
def parity(tmp_path_factory) -> dict:
    reason = java_missing()
    if reason:
        pytest.skip(reason)
    pytest.importorskip("pyspark", reason="pyspark is missing: pip install '.[spark]'")
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    home = tmp_path_factory.mktemp("spark_parity") / "home"
    landing, warehouse, parquet = home / "landing", home / "warehouse.duckdb", home / "spark/raw"
    generate(landing, start=START, days=DAYS, dealers=2, seed=17)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    with home_environment(home):
        os.environ["FORECOURT_WAREHOUSE"] = str(warehouse)
        load(warehouse, landing, [START + dt.timedelta(days=i) for i in range(DAYS - 1)])
        export_raw(warehouse, parquet)
        # dbt debug opens the spark target's session (profiles.yml), which this module then
        # shares. A session another module started (tests/spark_local.py) serves instead, with
        # its own catalog and warehouse folder, and is left running for that module.
        theirs = SparkSession.getActiveSession()
        debug = dbtRunner().invoke(
            ["debug", "--target", "spark", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--log-path", str(home / "logs")]
        )  # fmt: skip
        assert debug.success, f"dbt debug on the spark target failed: {debug.exception}"
        spark = SparkSession.getActiveSession()
        try:
            spark.sparkContext.setLogLevel("ERROR")
            register_raw(spark, parquet)
            first = run_both(home)
            stages = {"full build": (first, compare(home, spark, first["duckdb"]))}
            with duckdb.connect(str(warehouse), read_only=True) as conn:
                before = sales_per_day(conn)
                weeks_before = listings_per_week(conn)

            load(warehouse, landing, redeliver(landing), feeds=("sales",))
            load(warehouse, landing, redeliver_scrapes(landing), feeds=("market_listings",))
            load(warehouse, landing, [LAST])
            export_raw(warehouse, parquet)
            register_raw(spark, parquet)
            second = run_both(home)
            stages["incremental run"] = (second, compare(home, spark, second["duckdb"]))
            with duckdb.connect(str(warehouse), read_only=True) as conn:
                stages["sales per day"] = (before, sales_per_day(conn), sales_per_day(spark, True))
                stages["listings per week"] = (
                    weeks_before,
                    listings_per_week(conn),
                    listings_per_week(spark, True),
                )
        finally:
            if theirs is None:
                spark.stop()
    return stages


@pytest.mark.parametrize("stage", ["full build", "incremental run"])
def test_every_model_builds_on_both_engines(parity, stage):
    built, _ = parity[stage]
    assert set(built["spark"]) == set(built["duckdb"])
    assert len(built["duckdb"]) >= 20
    assert {m["status"] for m in built["spark"].values()} == {"success"}


@pytest.mark.parametrize("stage", ["full build", "incremental run"])
def test_every_model_on_spark_equals_duckdb(parity, stage):
    _, differences = parity[stage]
    assert {model: diff for model, diff in differences.items() if diff} == {}


def test_the_incremental_run_replaced_the_redelivered_days_on_both_engines(parity):
    before, duck, spark = parity["sales per day"]
    assert before[str(LAST)] == 0 and before[str(EMPTIED)] > 0
    expected = {str(CHANGED): before[str(CHANGED)] - 1, str(EMPTIED): 0}
    assert {day: duck[day] for day in expected} == expected
    assert duck[str(LAST)] > 0
    assert spark == duck


def test_the_incremental_run_replaced_the_redelivered_weeks_on_both_engines(parity):
    before, duck, spark = parity["listings per week"]
    assert before[str(SCRAPED)] > 1 and before[str(SCRAPE_EMPTIED)] > 0
    assert duck == {str(SCRAPED): before[str(SCRAPED)] - 1, str(SCRAPE_EMPTIED): 0}
    assert spark == duck

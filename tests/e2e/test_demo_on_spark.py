"""`forecourt demo --engine spark` runs the whole chain on Spark and ends with the DuckDB
demo's summary.

The same small generated home (two dealers, 60 days, the same seed) is demonstrated twice, each
in its own FORECOURT_HOME and process, run side by side: once on DuckDB (the default) and once
with ``--engine spark`` (ingestion checked in DuckDB and exported as Parquet, dbt's spark
target, the assets' tables through the Spark warehouse, the serving copies built from Spark's
Parquet). The summaries must be equal: rows per marts/ml/ops table, revenue, the stocking plan
by status; the forecasts equal within 1e-6, row by row.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from landing.home import REPO_ROOT
from landing.warehouse.spark import spark_unavailable
from orchestration.cli.reports import FORECASTS, run_summary

pytestmark = [pytest.mark.e2e, pytest.mark.spark]

SMALL_HOME = ["--dealers", "2", "--days", "60", "--seed", "3"]
CLEARED = ("FORECOURT_WAREHOUSE", "DAGSTER_HOME", "FORECOURT_ENGINE", "FORECOURT_DBT_TARGET",
           "FORECOURT_SPARK_WAREHOUSE")
TOLERANCE = 1e-6


def start_demo(home: Path, engine: str) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env |= {"FORECOURT_HOME": str(home), "PYSPARK_PYTHON": sys.executable}
    home.mkdir(parents=True)
    console = home.parent / f"demo-{engine}.out"
    command = [sys.executable, "-m", "orchestration.cli.main", "demo", "--engine", engine,
               *SMALL_HOME]
    with console.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=REPO_ROOT)
    return process, console


@pytest.fixture(scope="module")
def demos(tmp_path_factory) -> dict[str, dict]:
    reason = spark_unavailable()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("demo_on_spark")
    started = {engine: start_demo(root / engine, engine) for engine in ("duckdb", "spark")}
    runs = {}
    for engine, (process, console) in started.items():
        process.wait(timeout=1800)
        output = console.read_text()
        assert process.returncode == 0, f"demo --engine {engine} failed:\n{output[-4000:]}"
        home = root / engine
        # what the demo printed its summary from: the warehouse, or on Spark the serving copy
        source = home / ("serving/forecourt.duckdb" if engine == "spark" else "warehouse.duckdb")
        runs[engine] = {"home": home, "output": output, "source": source}
    return runs


def summary_lines(output: str, engine: str) -> list[str]:
    lines = output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"Summary ({engine})")))
    block = [lines[start].replace(f"({engine})", "(engine)")]
    return block + [line for line in lines[start + 1:start + 4] if line.startswith("  ")]


def test_the_spark_demo_built_its_tables_on_spark(demos):
    home = demos["spark"]["home"]
    marts = home / "spark" / "warehouse" / "marts.db" / "fct_sales"
    assert any(marts.rglob("*.parquet")), f"no Parquet under {marts}"
    assert any((home / "spark" / "raw" / "sales").rglob("*.parquet"))
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        schemas = {s for (s,) in conn.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
    assert schemas == {"raw"}, "on Spark only the raw loads belong in warehouse.duckdb"


def test_the_printed_summaries_are_equal(demos):
    assert summary_lines(demos["spark"]["output"], "spark") == summary_lines(
        demos["duckdb"]["output"], "duckdb"
    )


def test_row_counts_revenue_and_stocking_statuses_are_equal(demos):
    duck, spark = (run_summary(demos[e]["source"]) for e in ("duckdb", "spark"))
    assert len(duck["rows"]) >= 30
    assert spark["rows"] == duck["rows"]
    assert duck["revenue"] > 0 and spark["revenue"] == duck["revenue"]
    assert duck["stocking"] and spark["stocking"] == duck["stocking"]


@pytest.mark.parametrize("table", FORECASTS)
def test_forecasts_are_equal_within_a_millionth(demos, table):
    frames = {}
    for engine in ("duckdb", "spark"):
        with duckdb.connect(str(demos[engine]["source"]), read_only=True) as conn:
            frame = conn.execute(f"select * exclude (forecast_origin) from {table}").df()
        keys = [c for c in ("unique_id", "week_start", "date") if c in frame.columns]
        frames[engine] = frame.sort_values(keys).reset_index(drop=True)
    duck, spark = frames["duckdb"], frames["spark"]
    assert len(duck) > 0 and list(spark.columns) == list(duck.columns)
    assert len(spark) == len(duck)
    for column in duck.columns:
        if duck[column].dtype.kind == "f":
            gap = (duck[column] - spark[column].astype(float)).abs().max()
            assert gap <= TOLERANCE, f"{table}.{column}: largest difference {gap}"
        else:
            mismatched = (duck[column].astype(str) != spark[column].astype(str)).sum()
            assert mismatched == 0, f"{table}.{column}: {mismatched} row(s) differ"

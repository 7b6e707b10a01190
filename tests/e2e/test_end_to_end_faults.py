"""End to end on a small generated dealer group: a corrupted day is quarantined and blocked,
the fixed file heals it, and a failing dbt test shows up as a failed asset check.

Each stage runs the CLI once in a module-scoped FORECOURT_HOME and keeps what the tests read,
so the tests do not depend on their order.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os

import dagster as dg
import duckdb
import pytest

from landing.generator import generate
from orchestration.cli import main

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 60
RAW_TO_MARTS = "group:raw or group:staging or group:intermediate or group:marts"
# The path from raw.sales to fct_sales: selecting the two ends alone would leave dbt unordered
# after the raw load, since Dagster orders a run by the dependencies among selected assets.
SALES_TO_FCT_SALES = "key:raw/sales+ and +key:marts/fct_sales"
GX_SALES = dg.AssetCheckKey(dg.AssetKey(["raw", "sales"]), "gx_sales")
DAYS_ON_LOT_TEST = dg.AssetCheckKey(
    dg.AssetKey(["marts", "fct_sales"]), "non_negative_fct_sales_days_on_lot"
)
DOWNSTREAM = [["marts", "fct_sales"], ["marts", "demand_weekly"], ["ml", "demand_forecast"]]


def query(home, sql, *parameters):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql, list(parameters)).fetchall()


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["materialize", *args])
    return code, out.getvalue()


def latest_run(home) -> dict:
    """The latest run's check evaluations and materialized assets, from the Dagster instance."""
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        (record,) = instance.get_run_records(limit=1)
        run_id = record.dagster_run.run_id
        events = instance.get_records_for_run(
            run_id,
            of_type={
                dg.DagsterEventType.ASSET_MATERIALIZATION,
                dg.DagsterEventType.ASSET_CHECK_EVALUATION,
            },
        ).records
    materialized, checks = set(), {}
    for event in events:
        data = event.event_log_entry.dagster_event.event_specific_data
        if event.event_log_entry.dagster_event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialized.add(data.materialization.asset_key)
        else:
            checks[data.asset_check_key] = data
    return {"run_id": run_id, "materialized": materialized, "checks": checks}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("faults") / "home"
    saved = {
        k: os.environ.get(k) for k in ("FORECOURT_HOME", "FORECOURT_WAREHOUSE", "DAGSTER_HOME")
    }
    os.environ["FORECOURT_HOME"] = str(home)
    os.environ.pop("DAGSTER_HOME", None)
    os.environ.pop("FORECOURT_WAREHOUSE", None)
    generate(home / "landing", start=START, days=DAYS, dealers=2, seed=5)
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def bad_day(home) -> dt.date:
    """The busiest sales day of the second half, so its rows weigh in a 60-day load."""
    files = sorted((home / "landing" / "sales").glob("2024-02-*.csv"))
    busiest = max(files, key=lambda p: len(p.read_text().splitlines()))
    return dt.date.fromisoformat(busiest.stem)


@pytest.fixture(scope="module")
def corrupted(home, bad_day):
    """Prices in cents for a whole day (in the contract's range), plus one unreadable price."""
    path = home / "landing" / "sales" / f"{bad_day}.csv"
    original = path.read_text()
    header, *lines = original.splitlines()
    price = header.split(",").index("sale_price")
    bad = []
    for line in lines:
        fields = line.split(",")
        fields[price] = f"{float(fields[price]) * 100:.2f}"
        bad.append(",".join(fields))
    extra = lines[0].split(",")
    extra[0], extra[price] = "S99999999", "n/a"
    path.write_text("\n".join([header, *bad, ",".join(extra)]) + "\n")
    code, out = run_cli()
    return {
        "code": code,
        "out": out,
        "run": latest_run(home),
        "day_log": query(
            home,
            "select rows_read, rows_loaded, rows_rejected from raw.load_log "
            "where feed = 'sales' and partition_date = ?",
            bad_day,
        ),
        "totals": query(
            home, "select sum(rows_read), sum(rows_loaded), sum(rows_rejected) from raw.load_log"
        )[0],
        "rejects": query(
            home,
            "select source_line, column_name, value, reason from raw.rejects where feed = 'sales'",
        ),
        "rows": len(lines),
        "original": original,
        "path": path,
    }


@pytest.fixture(scope="module")
def healed(home, bad_day, corrupted):
    corrupted["path"].write_text(corrupted["original"])
    code, out = run_cli("--partition", bad_day.isoformat(), "--select", RAW_TO_MARTS)
    return {
        "code": code,
        "out": out,
        "run": latest_run(home),
        "day_log": query(
            home,
            "select rows_read, rows_rejected, rows_changed, rows_removed, rows_replaced "
            "from raw.load_log where feed = 'sales' and partition_date = ? "
            "order by loaded_at desc limit 1",
            bad_day,
        )[0],
        "max_price": query(
            home, "select max(sale_price) from marts.fct_sales where sale_date = ?", bad_day
        )[0][0],
        "rejects": query(home, "select count(*) from raw.rejects where feed = 'sales'")[0][0],
    }


@pytest.fixture(scope="module")
def sale_before_acquisition(home, healed):
    """A deal dated days before its unit was taken into stock: loads, but a dbt test fails."""
    stock_number, acquired = query(
        home,
        "select stock_number, acquired_date from raw.vehicles v where acquired_date = "
        "(select max(acquired_date) from raw.vehicles) and not exists "
        "(select 1 from raw.sales s where s.stock_number = v.stock_number) limit 1",
    )[0]
    day = acquired - dt.timedelta(days=5)
    (customer,) = query(home, "select min(customer_id) from raw.customers")[0]
    path = home / "landing" / "sales" / f"{day}.csv"
    with path.open("a") as handle:
        handle.write(f"S99999998,{day},D01,{stock_number},{customer},21990.00\n")
    code, _ = run_cli("--partition", day.isoformat(), "--select", SALES_TO_FCT_SALES)
    return {"code": code, "run": latest_run(home)}


def test_the_cli_runs_the_quality_checks(corrupted):
    assert GX_SALES in corrupted["run"]["checks"], (
        "gx_sales did not run in the CLI's run: orchestration.cli.runner.materialize must pass "
        "the Definitions' asset checks too: assets=[*defs.assets, *(defs.asset_checks or [])]."
    )


def test_the_unreadable_price_is_quarantined_and_the_day_balances(corrupted):
    assert corrupted["day_log"] == [(corrupted["rows"] + 1, corrupted["rows"], 1)]
    ((line, column, value, reason),) = corrupted["rejects"]
    assert (line, column, value) == (corrupted["rows"] + 2, "sale_price", "n/a")
    assert reason == "not a valid decimal(12,2)"
    read, loaded, rejected = corrupted["totals"]
    assert read == loaded + rejected and read > 10_000


def test_the_blocking_suite_fails_naming_the_column_and_values(corrupted):
    evaluation = corrupted["run"]["checks"][GX_SALES]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "sale_price" in evaluation.description and "max_value=500000" in evaluation.description
    assert evaluation.metadata["failed_expectations"].value == 1
    assert corrupted["code"] == 1 and "Run FAILED" in corrupted["out"]


def test_nothing_downstream_of_the_failed_check_is_materialized(corrupted):
    materialized = corrupted["run"]["materialized"]
    assert dg.AssetKey(["raw", "sales"]) in materialized
    for key in DOWNSTREAM:
        assert dg.AssetKey(key) not in materialized, key


def test_price_drift_warns_about_the_same_day(corrupted, bad_day):
    evaluation = corrupted["run"]["checks"][
        dg.AssetCheckKey(dg.AssetKey(["raw", "sales"]), "price_drift_sales")
    ]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert str(bad_day) in evaluation.description


def test_the_fixed_file_heals_the_day(healed):
    assert healed["code"] == 0, healed["out"]
    assert healed["run"]["checks"][GX_SALES].passed
    fct_sales_check = dg.AssetCheckKey(dg.AssetKey(["marts", "fct_sales"]), "gx_fct_sales")
    assert healed["run"]["checks"][fct_sales_check].passed
    assert dg.AssetKey(["marts", "fct_sales"]) in healed["run"]["materialized"]
    read, rejected, changed, removed, replaced = healed["day_log"]
    assert (rejected, changed, removed) == (0, read, 0) and replaced == read
    assert healed["max_price"] < 500_000 and healed["rejects"] == 0


def test_a_failing_dbt_test_shows_up_as_a_failed_asset_check(sale_before_acquisition):
    evaluation = sale_before_acquisition["run"]["checks"][DAYS_ON_LOT_TEST]
    assert not evaluation.passed
    assert sale_before_acquisition["code"] == 1

"""Expectation suites, the asset checks built from them, and the drift warnings."""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import duckdb
import pandas as pd
import pytest

from expectations import drift
from expectations.runner import SUITES_DIR, load_suite, validate_frame
from expectations.scope import read_scope
from landing.contract import FEEDS
from landing.ingestion import load_feed
from orchestration.checks import GX_SUITES, feed_checks, gx_check, gx_checks
from orchestration.resources import WarehouseResource
from tests.landing_files import DAY, vehicle, write_feed

KEY_MARTS = {"fct_sales", "demand_weekly", "dim_vehicles"}


def test_every_feed_and_key_mart_has_a_blocking_suite_with_a_row_count():
    assert set(GX_SUITES) >= set(FEEDS) | KEY_MARTS
    for name in GX_SUITES:
        spec = json.loads((SUITES_DIR / f"{name}.json").read_text())
        assert spec["name"] == name
        assert spec["meta"]["blocking"] is True, name
        types = [e["type"] for e in spec["expectations"]]
        assert "expect_table_row_count_to_be_between" in types, name
        assert all(set(e) <= {"type", "kwargs", "meta"} for e in spec["expectations"]), name


def test_check_names_say_what_they_are_and_only_suites_block():
    names = {
        c.check_specs_by_output_name[o].name: spec.blocking
        for c in [*gx_checks, *feed_checks]
        for o, spec in c.check_specs_by_output_name.items()
    }
    assert {f"gx_{s}" for s in GX_SUITES} <= set(names)
    assert {
        "freshness_sales",
        "volume_drift_sales",
        "price_drift_sales",
        "rejected_share_sales",
        "rejected_share_dealers",
    } <= set(names)
    assert {n for n, blocking in names.items() if blocking} == {f"gx_{s}" for s in GX_SUITES}


def test_every_expectation_of_every_suite_is_run_by_great_expectations_as_written():
    from expectations.scope import columns_of

    for name in GX_SUITES:
        spec = load_suite(name)
        frame = pd.DataFrame({column: pd.Series([], dtype=object) for column in columns_of(spec)})
        outcomes = validate_frame(frame, spec).outcomes
        ran = [(o.expectation, o.kwargs) for o in outcomes]
        written = [(e["type"], e["kwargs"]) for e in spec["expectations"]]
        assert len(ran) == len(written), name  # one GX result per expectation, in suite order
        for (ran_type, ran_kwargs), (type_, kwargs) in zip(ran, written, strict=True):
            assert ran_type == type_, name
            assert {k: ran_kwargs.get(k) for k in kwargs} == kwargs, (name, type_)
        (count,) = [o for o in outcomes if o.expectation == "expect_table_row_count_to_be_between"]
        assert not count.success and count.observed_value == 0, name


def test_a_day_of_prices_in_cents_fails_the_sales_suite_with_examples():
    frame = pd.DataFrame(
        {"deal_id": [f"S{i}" for i in range(10)], "sale_price": [2_150_000.0] * 10}
    )
    result = validate_frame(frame, "sales")
    assert not result.success
    (failed,) = result.failed
    assert failed.column == "sale_price" and failed.unexpected_count == 10
    assert "2150000.0" in result.summary() and "max_value=500000" in result.summary()
    assert result.to_markdown().count("\n") == 1 + len(result.outcomes)
    assert [o.expectation for o in result.outcomes][0] == "expect_table_row_count_to_be_between"


def test_a_missing_column_is_reported_not_raised():
    result = validate_frame(pd.DataFrame({"deal_id": ["S1"]}), "sales")
    assert not result.success
    assert any("sale_price" in (o.error or "") for o in result.failed)


@pytest.fixture
def home(tmp_path, monkeypatch, landing):
    monkeypatch.setenv("FORECOURT_HOME", str(landing.parent))
    return landing.parent


def test_an_empty_dealer_list_blocks_everything_downstream(home, landing):
    write_feed(landing, "dealers", [], day=None)  # header only: a valid file, zero dealers

    @dg.asset(key=["marts", "needs_dealers"], deps=[dg.AssetKey(["raw", "dealers"])])
    def needs_dealers() -> None: ...

    from orchestration.assets.ingestion import raw_reference_assets

    result = dg.materialize(
        [*raw_reference_assets, needs_dealers, gx_check("dealers")],
        resources={"warehouse": WarehouseResource(path=str(home / "w.duckdb"))},
        raise_on_error=False,
    )
    assert not result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("gx_dealers", False)
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["rows_validated"].value == 0
    assert "expect_table_row_count_to_be_between" in evaluation.description
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey(["raw", "dealers"]) in materialized
    assert dg.AssetKey(["marts", "needs_dealers"]) not in materialized


def _run_with_downstream(home, feed: str, *assets, partition_key=None):
    """Materialize the checked asset(s), one asset downstream of them, and the feed's suite."""

    @dg.asset(
        key=["marts", f"needs_{feed}"],
        deps=[dg.AssetKey(["raw", feed])],
        partitions_def=getattr(assets[0], "partitions_def", None),
    )
    def downstream() -> None: ...

    result = dg.materialize(
        [*assets, downstream, gx_check(feed)],
        resources={"warehouse": WarehouseResource(path=str(home / "w.duckdb"))},
        partition_key=partition_key,
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    built = {e.asset_key for e in result.get_asset_materialization_events()}
    return evaluation, dg.AssetKey(["marts", f"needs_{feed}"]) in built


@pytest.mark.parametrize("suite", ["market_listings", "price_changes", "service_visits"])
def test_a_suite_the_source_cannot_supply_is_reported_not_run_never_passed(home, suite):
    from landing.home import ForecourtHome
    from landing.importers.report import check_profile, write_profile

    profile = check_profile("car-sales", ["price_changes", "service_visits", "market_listings"])
    write_profile(ForecourtHome(home).source_profile, profile)

    @dg.asset(key=["raw", suite])
    def feed() -> None: ...

    evaluation, downstream_built = _run_with_downstream(home, suite, feed)
    assert not evaluation.passed  # a check that validated nothing is never green
    assert evaluation.severity == dg.AssetCheckSeverity.WARN and downstream_built
    assert evaluation.metadata["status"].value == "skipped"
    assert evaluation.metadata["rows_validated"].value == 0
    assert "has no" in evaluation.metadata["reason"].value
    assert evaluation.description.startswith("Not run:")


def test_a_skip_list_dropped_in_the_landing_zone_is_ignored(home, landing):
    forged = {"checks": {"skip": {"dealers": "off"}}, "skip": {"dealers": "off"}}
    (landing / "import_report.json").write_text(json.dumps(forged))
    write_feed(landing, "dealers", [], day=None)
    from orchestration.assets.ingestion import raw_reference_assets

    evaluation, downstream_built = _run_with_downstream(home, "dealers", *raw_reference_assets)
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert evaluation.metadata["status"].value == "validated" and not downstream_built


@pytest.mark.parametrize("feed", ["sales", "vehicles", "customers", "price_changes"])
def test_an_empty_delivery_is_a_warning_not_a_pass_and_not_a_block(home, landing, feed):
    write_feed(landing, feed, [], day=DAY)  # header only: the DMS sent a day with no row
    from orchestration.assets.ingestion import raw_daily_assets

    (asset,) = [a for a in raw_daily_assets if a.key == dg.AssetKey(["raw", feed])]
    evaluation, downstream_built = _run_with_downstream(
        home, feed, asset, partition_key=DAY.isoformat()
    )
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.metadata["status"].value == "empty" and downstream_built
    assert evaluation.description.startswith("Empty delivery")


def test_every_suite_rejects_zero_rows_and_says_what_an_empty_delivery_means():
    for name in GX_SUITES:
        spec = load_suite(name)
        (count,) = [
            e for e in spec["expectations"] if e["type"] == "expect_table_row_count_to_be_between"
        ]
        assert count["kwargs"]["min_value"] >= 1, name
        assert not validate_frame(pd.DataFrame(columns=["x"]), spec).success, name
        when_empty = spec["meta"].get("when_empty")
        if when_empty:
            assert when_empty["action"] in {"warn", "block"} and when_empty["why"], name


def _deliver_days(conn, landing, days: int, per_day, price=lambda day, i: "19990.00"):
    start = DAY - dt.timedelta(days=days - 1)
    number = 0
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        batch = []
        for i in range(per_day(day)):
            number += 1
            batch.append(
                vehicle(
                    number,
                    acquired_date=day.isoformat(),
                    list_price=price(day, i),
                    acquisition_cost="9000.00",
                )
            )
        write_feed(landing, "vehicles", batch, day)
    return [start + dt.timedelta(days=i) for i in range(days)]


def test_a_due_day_without_rows_is_flagged_as_volume_drift(conn, landing):
    days = _deliver_days(conn, landing, 60, lambda d: 0 if d == DAY else 8 + d.day % 5)
    load_feed(conn, "vehicles", landing, days[:-1])
    load_feed(conn, "vehicles", landing, [DAY])
    judged = drift.volume_drift(conn, "vehicles")
    assert judged["day"].tolist() == [DAY]  # only the latest load
    assert judged["flagged"].tolist() == [True]


def test_the_first_day_a_home_ever_loads_is_not_judged_for_volume_drift(conn, landing):
    days = _deliver_days(conn, landing, 1, lambda d: 8)
    load_feed(conn, "vehicles", landing, days)
    judged = drift.volume_drift(conn, "vehicles")
    assert judged["judged"].tolist() == [False]
    assert judged["flagged"].tolist() == [False]


def test_a_day_of_prices_times_a_hundred_is_flagged_as_price_drift(conn, landing):
    def price(day, i):
        return f"{(1_999_000 if day == DAY else 15_000 + 250 * (i % 9)):.2f}"

    days = _deliver_days(conn, landing, 40, lambda d: 10, price)
    load_feed(conn, "vehicles", landing, days)  # one load, 40 days: each judged on its past
    judged = drift.price_drift(conn, "vehicles")
    assert judged.loc[judged["flagged"], "day"].tolist() == [DAY]
    assert judged["judged"].sum() >= 20


def test_a_load_with_many_rejects_is_flagged(conn, landing):
    write_feed(
        landing,
        "vehicles",
        [vehicle(1), vehicle(2, model_year="MMXIX"), vehicle(3, dealer_id="D99")],
    )
    load_feed(conn, "vehicles", landing, [DAY])
    summary, files = drift.rejected_share(conn, "vehicles")
    assert summary["flagged"] and summary["rows_rejected"] == 2
    assert round(summary["share"], 2) == 0.67
    assert {reason for reason, _ in summary["top_reasons"]} == {
        "not a valid integer",
        "unknown reference: not in dealers",
    }


def test_raw_suites_read_only_the_latest_load(conn, landing):
    write_feed(landing, "vehicles", [vehicle(1)])
    load_feed(conn, "vehicles", landing, [DAY])
    later = DAY + dt.timedelta(days=1)
    write_feed(landing, "vehicles", [vehicle(2, acquired_date=later.isoformat())], later)
    load_feed(conn, "vehicles", landing, [later])
    frame = read_scope(conn, load_suite("vehicles"))
    assert len(frame) == 1 and "stock_number" in frame and "make" not in frame


def test_mart_suites_read_the_last_ninety_days_of_data(tmp_path):
    with duckdb.connect(str(tmp_path / "m.duckdb")) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.fct_sales as select 'S' || i as deal_id, "
            "date '2024-12-31' - i::integer as sale_date, 20000.0 as sale_price, 'West' as region, "
            "10 as days_on_lot, 0.95 as price_to_list from range(200) t(i)"
        )
        frame = read_scope(conn, load_suite("fct_sales"))
    assert len(frame) == 90


def test_a_suite_for_ml_outputs_needs_only_its_json(tmp_path):
    """What a forecast suite would be: ``suites/demand_forecast.json`` plus its name in
    GX_SUITES; here the same JSON is handed over directly."""
    spec = {
        "name": "demand_forecast",
        "expectations": [
            {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "yhat", "min_value": 0},
                "meta": {"why": "Units sold."},
            },
            {
                "type": "expect_column_pair_values_a_to_be_greater_than_b",
                "kwargs": {"column_A": "yhat_upper", "column_B": "yhat_lower", "or_equal": True},
                "meta": {"why": "Intervals are ordered."},
            },
        ],
        "meta": {
            "asset_key": ["ml", "demand_forecast"],
            "blocking": True,
            "scope": {"kind": "table"},
        },
    }
    warehouse = WarehouseResource(path=str(tmp_path / "warehouse.duckdb"))

    @dg.asset(key=["ml", "demand_forecast"])
    def demand_forecast() -> None:
        with warehouse.connect() as conn:
            conn.execute("create schema ml")
            conn.execute(
                "create table ml.demand_forecast as select * from (values (3.0, 1.0, 5.0), "
                "(-1.0, 0.0, 2.0), (2.0, 4.0, 1.0)) t(yhat, yhat_lower, yhat_upper)"
            )

    result = dg.materialize(
        [demand_forecast, gx_check("demand_forecast", spec)],
        resources={"warehouse": warehouse},
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.check_name == "gx_demand_forecast" and not evaluation.passed
    assert evaluation.metadata["failed_expectations"].value == 2
    assert "yhat" in evaluation.description and "yhat_upper" in evaluation.description


def test_the_daily_job_runs_every_suite_and_feed_monitor():
    from orchestration.definitions import defs

    nodes = set(defs.resolve_job_def("daily_refresh_job").graph.node_dict)
    assert {f"monitor_{feed}" for feed in FEEDS} <= nodes
    assert {"raw__sales_gx_sales", "marts__fct_sales_gx_fct_sales"} <= nodes

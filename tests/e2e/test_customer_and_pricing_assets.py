"""Customer and pricing assets, materialized on a small generated dealer group.

The module's copy of the demo home (tests/e2e/conftest.py: landing files -> raw -> dbt marts
-> ML, built once per session); the customer and pricing assets then run again in Dagster on
it. Later tests copy that warehouse and strip what a bare data set would lack.
"""

import shutil

import dagster as dg
import duckdb
import pytest

from orchestration.assets.customers import customer_assets
from orchestration.assets.pricing import pricing_assets
from orchestration.resources import WarehouseResource

pytestmark = pytest.mark.e2e

# Three folds instead of five keep the market value model quick; the comparison is the same.
RUN_CONFIG = {"ops": {"ml__market_value_model": {"config": {"n_splits": 3}}}}
MIN_GROSS = 500.0


def run(assets, warehouse: WarehouseResource, run_config=None) -> dg.ExecuteInProcessResult:
    trains_model = any(a.key == dg.AssetKey(["ml", "market_value_model"]) for a in assets)
    return dg.materialize(
        assets,
        resources={"warehouse": warehouse},
        instance=dg.DagsterInstance.ephemeral(),
        run_config=run_config or (RUN_CONFIG if trains_model else None),
    )


def metadata(result, name: str) -> dict:
    key = dg.AssetKey(["ml", name])
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()}


@pytest.fixture(scope="module")
def home(demo_home):
    return demo_home


@pytest.fixture(scope="module")
def result(home):
    return run([*customer_assets, *pricing_assets], WarehouseResource())


def query(home, sql):
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def stripped_copy(home, tmp_path, monkeypatch, *statements) -> WarehouseResource:
    """A copy of the warehouse with ``statements`` applied, in its own FORECOURT_HOME."""
    copy = tmp_path / "home"
    copy.mkdir()
    shutil.copy(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    if (home / "models").exists():
        shutil.copytree(home / "models", copy / "models")
    monkeypatch.setenv("FORECOURT_HOME", str(copy))
    with duckdb.connect(str(copy / "warehouse.duckdb")) as conn:
        for statement in statements:
            conn.execute(statement)
    return WarehouseResource(path=str(copy / "warehouse.duckdb"))


def test_all_customer_and_pricing_assets_materialize(result):
    assert result.success
    for name in (
        "customer_segments",
        "customer_lifetime_value",
        "market_value_model",
        "price_recommendations",
        "price_sensitivity",
        "pricing_experiment_readout",
    ):
        assert metadata(result, name)["dagster/row_count"] > 0, name


def test_every_customer_is_segmented_exactly_once(home, result):
    ((customers, rows, distinct, unnamed),) = query(
        home,
        "select (select count(*) from marts.customer_rfm), count(*), count(distinct customer_id),"
        " count(*) filter (where segment is null) from ml.customer_segments",
    )
    assert customers == rows == distinct > 0 and unnamed == 0
    ((in_profiles,),) = query(home, "select sum(customers) from ml.segment_profiles")
    assert in_profiles == customers
    assert metadata(result, "customer_segments")["k_chosen"] >= 1


def test_segments_fitted_on_a_sample_still_place_every_customer(
    home, result, tmp_path, monkeypatch
):
    warehouse = stripped_copy(home, tmp_path, monkeypatch)
    sampled = run(
        [customer_assets[0]],
        warehouse,
        {"ops": {"ml__customer_segments": {"config": {"fit_sample_size": 2_000}}}},
    )
    assert sampled.success
    with duckdb.connect(warehouse.path, read_only=True) as conn:
        ((customers, rows, distinct, unnamed, in_profiles),) = conn.execute(
            "select (select count(*) from marts.customer_rfm), count(*),"
            " count(distinct customer_id), count(*) filter (where segment is null),"
            " (select sum(customers) from ml.segment_profiles) from ml.customer_segments"
        ).fetchall()
        # the value leaders' cluster is numbered k (ml.customers.segmentation)
        model = metadata(sampled, "customer_segments")
        leaders = conn.execute(
            "select count(*) from ml.customer_segments where cluster = ?", [model["k_chosen"]]
        ).fetchone()[0]
    assert customers == rows == distinct == in_profiles > 2_000 and unnamed == 0
    assert f"sample of 2,000 of {customers:,} customers" in model["notes"]
    assert model["vip_customers"] == leaders  # of every customer, not of the sample


def test_the_vocabulary_views_match_the_segment_table_and_are_described(home, result):
    # Every customer once in each view, with the segment table's labels and figures.
    for view, label, figures in (
        ("customer_lifecycle", "lifecycle_stage", "segment, recency_days, revenue"),
        ("customer_engagement", "engagement_tier", "revenue, revenue_percent_rank"),
    ):
        ((customers, in_view, mismatched),) = query(
            home,
            f"select (select count(*) from ml.customer_segments), count(*), count(*) filter "
            f"(where g.customer_id is null) from ml.{view} v left join ml.customer_segments g "
            f"on g.customer_id = v.customer_id and g.{label} = v.{label} and "
            f"({', '.join('g.' + c for c in figures.split(', '))}) is not distinct from "
            f"({', '.join('v.' + c for c in figures.split(', '))})",
        )
        assert customers == in_view > 0 and mismatched == 0, view
    stages = dict(query(home, "select segment, any_value(lifecycle_stage) from "
                              "ml.customer_lifecycle group by 1"))
    assert stages.get("VIP", "loyal") == "loyal"
    assert stages.get("Service loyal", "active") == "active"
    (loyal_but_once,) = query(home, "select count(*) from ml.customer_lifecycle where "
                                    "segment = 'Loyal' and vehicle_purchases < 2")[0]
    (loyal,) = query(home, "select count(*) from ml.customer_lifecycle where segment = "
                           "'Loyal'")[0]
    assert loyal_but_once <= loyal / 2  # Loyal means most of the segment bought twice
    tiers = dict(query(home, "select engagement_tier, min(revenue_percent_rank) from "
                             "ml.customer_engagement group by 1"))
    assert tiers["VIP"] >= 0.9 and tiers["less engaged"] == 0.0
    described = query(home, "select view_name, comment from duckdb_views() where view_name in "
                            "('customer_lifecycle', 'customer_engagement')")
    assert len(described) == 2 and all(comment for _, comment in described)


def test_lifetime_value_is_non_negative_and_checked_against_naive(home):
    ((customers, negative, missing),) = query(
        home,
        "select count(*), count(*) filter (where predicted_ltv < 0 or historical_revenue < 0),"
        " count(*) filter (where predicted_ltv is null) from ml.customer_ltv",
    )
    assert customers == query(home, "select count(*) from marts.customer_rfm")[0][0]
    assert negative == 0 and missing == 0
    methods = {m for (m,) in query(home, "select method from ml.ltv_holdout")}
    assert methods == {"model", "naive_average", "zero"}
    spend = query(home, "select min(max_acquisition_spend) from ml.acquisition_spend_guide")
    assert spend[0][0] >= 0
    assert query(home, "select count(*) from ml.vip_vs_rest")[0][0] > 0


def test_market_value_model_beats_the_median_baseline_and_is_saved(home, result):
    rows = dict(query(home, "select role, mae from ml.pricing_model_metrics"))
    assert rows["model"] < rows["baseline"]
    assert metadata(result, "market_value_model")["beats_baseline"] == "True"
    assert (home / "models" / "market_value.pkl").exists()
    sold = query(home, "select count(*) from marts.fct_sales where sale_price > 0")[0][0]
    assert query(home, "select count(*) from ml.market_value_predictions")[0][0] == sold


def test_a_long_history_trains_on_its_most_recent_units_and_says_so(
    home, result, tmp_path, monkeypatch
):
    warehouse = stripped_copy(home, tmp_path, monkeypatch)
    capped = run(
        [pricing_assets[0]],
        warehouse,
        {"ops": {"ml__market_value_model": {"config": {"n_splits": 3, "max_training_units": 300}}}},
    )
    assert capped.success
    model = metadata(capped, "market_value_model")
    with duckdb.connect(warehouse.path, read_only=True) as conn:
        sold = conn.execute("select count(*) from marts.fct_sales where sale_price > 0")
        assert model["sold_units"] == sold.fetchone()[0] > 300
        # the 300 latest sales, ties on the day broken by stock number
        latest = conn.execute(
            "select stock_number from marts.fct_sales where sale_price > 0"
            " order by sale_date desc, stock_number desc limit 300"
        ).fetchall()
        predicted = conn.execute("select stock_number from ml.market_value_predictions").fetchall()
        since = conn.execute("select min(sale_date) from ml.market_value_predictions").fetchone()
    assert model["training_units"] == 300 and sorted(predicted) == sorted(latest)
    assert f"most recent 300 of {model['sold_units']:,} sold units" in model["notes"]
    assert f"since {since[0]:%Y-%m-%d}" in model["notes"]


def test_no_recommendation_is_below_cost_plus_min_gross(home, result):
    ((units, below, without_price),) = query(
        home,
        f"select count(*), count(*) filter (where recommended_price < total_cost + {MIN_GROSS}),"
        " count(*) filter (where recommended_price is null) from ml.price_recommendations",
    )
    in_stock = query(home, "select count(*) from marts.dim_vehicles where status = 'in_stock'")
    assert units == in_stock[0][0] > 0
    assert below == 0 and without_price == 0
    assert "|" in metadata(result, "price_recommendations")["top_markdowns"]


def test_price_sensitivity_has_a_slope_with_its_interval(home):
    ((elasticity, low, high, n),) = query(
        home, "select elasticity, ci_low, ci_high, n from ml.price_sensitivity"
    )
    assert low < elasticity < high and n > 0
    assert query(home, "select sum(units) from ml.price_sensitivity_bins")[0][0] == n


def test_experiment_readout_compares_the_arms_with_confidence_intervals(home):
    rows = query(
        home,
        "select metric, n_control, n_treatment, ci_low, difference, ci_high"
        " from ml.pricing_experiment order by metric",
    )
    assert [r[0] for r in rows] == ["days_to_sale", "gross_per_unit"]
    for _, n_control, n_treatment, low, difference, high in rows:
        assert n_control >= 2 and n_treatment >= 2
        assert low <= difference <= high


def test_pricing_skips_what_a_bare_data_set_cannot_supply(home, result, tmp_path, monkeypatch):
    warehouse = stripped_copy(
        home,
        tmp_path,
        monkeypatch,
        "update marts.dim_vehicles set condition_grade = null, engine = null",
        "delete from raw.market_listings",
        "update marts.dim_dealers set is_in_pricing_experiment = null",
        "update marts.fct_sales set pricing_strategy = null",
    )
    stripped = run(pricing_assets, warehouse)
    assert stripped.success
    model = metadata(stripped, "market_value_model")
    assert "condition_grade" not in model["features_used"] and "condition_grade" in model["notes"]
    recommendations = metadata(stripped, "price_recommendations")
    assert recommendations["units_with_comps"] == 0
    assert "No competitor listings" in recommendations["notes"]
    experiment = metadata(stripped, "pricing_experiment_readout")
    assert experiment["dagster/row_count"] == 0 and "Skipped" in experiment["notes"]


def test_too_few_sales_train_no_model_and_remove_the_stale_one(home, result, tmp_path, monkeypatch):
    warehouse = stripped_copy(
        home,
        tmp_path,
        monkeypatch,
        "delete from marts.fct_sales where stock_number not in"
        " (select stock_number from marts.fct_sales order by stock_number limit 20)",
    )
    stale = tmp_path / "home" / "models" / "market_value.pkl"
    assert stale.exists()
    stripped = run(pricing_assets, warehouse)
    assert stripped.success
    assert not stale.exists()
    assert metadata(stripped, "market_value_model")["trained"] is False
    assert "Skipped" in metadata(stripped, "price_sensitivity")["notes"]
    with duckdb.connect(warehouse.path, read_only=True) as conn:
        bases = {
            b
            for (b,) in conn.execute("select price_basis from ml.price_recommendations").fetchall()
        }
    assert "market_value" not in bases


def test_customers_without_history_give_empty_tables_not_errors(
    home, result, tmp_path, monkeypatch
):
    warehouse = stripped_copy(
        home,
        tmp_path,
        monkeypatch,
        "delete from marts.customer_transactions",
        "delete from marts.customer_rfm",
    )
    stripped = run(customer_assets, warehouse)
    assert stripped.success
    assert metadata(stripped, "customer_segments")["dagster/row_count"] == 0
    assert "holdout skipped" in metadata(stripped, "customer_lifetime_value")["notes"]

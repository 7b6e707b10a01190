"""Market value and price recommendations (group ``pricing``): thin wrappers over ml.pricing.

``pricing_assets`` also holds the readouts of ``pricing_readouts`` (sensitivity, experiment).
Inputs a data set cannot supply are skipped with a note in the metadata, never guessed."""

from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from landing.home import ForecourtHome
from orchestration.assets.outputs import (
    figure_markdown,
    preview,
    table_metadata,
    write_table,
)
from orchestration.assets.pricing_readouts import readout_assets
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas, numpy and threadpoolctl load in the asset bodies, not with the Definitions. Hints
# naming pandas are quoted: dagster reads the decorated functions' hints, and cannot resolve
# Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

FCT_SALES = dg.AssetKey(["marts", "fct_sales"])
DIM_VEHICLES = dg.AssetKey(["marts", "dim_vehicles"])
MARKET_LISTINGS = dg.AssetKey(["staging", "stg_dms__market_listings"])
OWNERS = ["team:data-science"]
KINDS = {"scikitlearn", "duckdb"}
# What the market value model may learn from; sale_date gives the season.
FEATURE_COLUMNS = [
    "make",
    "model",
    "trim",
    "model_year",
    "mileage",
    "condition_grade",
    "body_style",
    "region",
    "stock_type",
    "engine",
    "transmission",
    "color",
]
# The most recent sold units with a price, at most {limit}: the market a unit in stock is priced
# in today. Ties on the day break by stock number, so a re-run trains on the same units.
SOLD_SQL = """
with recent as (
    select f.stock_number, f.sale_date, f.sale_price, f.region, f.make, f.model, f.trim,
        f.model_year, f.mileage, f.stock_type, f.body_style
    from marts.fct_sales as f
    where f.sale_price > 0
    order by f.sale_date desc, f.stock_number desc
    limit {limit}
)
select r.stock_number, r.sale_date, r.sale_price, r.region, r.make, r.model, r.trim,
    r.model_year, r.mileage, r.stock_type, r.body_style, v.condition_grade, v.engine,
    v.transmission, v.color
from recent as r
left join marts.dim_vehicles as v on r.stock_number = v.stock_number
order by r.stock_number
"""
SOLD_COUNT_SQL = "select count(*) as n from marts.fct_sales where sale_price > 0"
METRIC_COLUMNS = {
    "role": str,
    "model": str,
    "mae": float,
    "mape": float,
    "folds": "int64",
    "units": "int64",
    "beats_baseline": bool,
    "features": str,
}
PREDICTION_COLUMNS = {
    "stock_number": str,
    "sale_date": "datetime64[us]",
    "actual": float,
    "market_value": float,
    "baseline": float,
    "fold": "int64",
}


class MarketValueConfig(dg.Config):
    n_splits: int = 5
    min_units: int = 50
    random_state: int = 0
    # Train on the most recent sold units only. Memory grows with the units (an 11.2M-unit
    # history was killed at 19.8 GB RSS, bench/results_issue16_full_1824.json) and a market
    # value is about today's market, not five years ago; the K-fold figures and
    # ml.market_value_predictions cover the same units.
    max_training_units: int = Field(default=250_000, ge=1)
    # OpenMP threads of the boosting; on a busy machine more threads spin and run many times
    # slower (measured: 7 s on one thread against 130 s on all, two cores under load).
    n_threads: int = 1
    # The five folds and the final fit run this many at once, each in a process of its own on
    # n_threads threads (processes share busy cores where threads spin). The warehouse pool
    # keeps other warehouse steps off the machine meanwhile; at 10M sales two took the step
    # from 163 s to 90 s.
    n_jobs: int = Field(default=2, ge=1)


class RecommendationConfig(dg.Config):
    min_gross: float = 500.0
    top_n: int = 15


def _empty(columns: dict) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


def _notes(notes: list[str]) -> dg.MetadataValue:
    return dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_")


def model_path():
    return ForecourtHome.from_env().models / "market_value.pkl"


@dg.asset(
    key=["ml", "market_value_model"],
    group_name="pricing",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[FCT_SALES, DIM_VEHICLES],
    owners=OWNERS,
    description=(
        "Retail market value of a unit (gradient boosting on make, model, trim, year, mileage, "
        "condition, body, engine, transmission, colour, region, season), fitted on the sold "
        "units and saved to FORECOURT_HOME/models/market_value.pkl. K-fold MAE and MAPE against "
        "the median price of the same nameplate in ml.pricing_model_metrics; out-of-fold "
        "predictions per sold unit in ml.market_value_predictions. A long history trains on "
        "its most recent units (max_training_units, 250,000 by default)."
    ),
)
def market_value_model(
    context: dg.AssetExecutionContext, config: MarketValueConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import functools

    import joblib
    import pandas as pd

    from ml.pricing import (
        MarketValueModel,
        cross_val_and_fit,
        plot_predicted_vs_actual,
        score_predictions,
    )

    sold_units = int(warehouse.read_frame(SOLD_COUNT_SQL)["n"].iloc[0])
    sold = warehouse.read_frame(SOLD_SQL.format(limit=int(config.max_training_units)))
    features = [c for c in FEATURE_COLUMNS if sold[c].notna().any()]
    skipped = [c for c in FEATURE_COLUMNS if c not in features]
    notes = [f"Features with no values, left out: {', '.join(skipped)}."] if skipped else []
    if len(sold) < sold_units:
        notes.append(
            f"Trained on the most recent {len(sold):,} of {sold_units:,} sold units (sold "
            f"since {sold['sale_date'].min():%Y-%m-%d}; max_training_units); "
            "ml.market_value_predictions covers these units."
        )
    path = model_path()
    if len(sold) < max(config.min_units, config.n_splits) or not features:
        notes.append(
            f"Not trained: {len(sold)} sold units with a price (needs "
            f"{max(config.min_units, config.n_splits)}) and {len(features)} features."
        )
        path.unlink(missing_ok=True)  # a stale model must not price today's stock
        metrics, oof = _empty(METRIC_COLUMNS), _empty(PREDICTION_COLUMNS)
    else:
        X, y = sold[[*features, "sale_date"]], sold["sale_price"].to_numpy(float)

        # A partial, not a closure: it goes to the worker processes by reference.
        factory = functools.partial(MarketValueModel, random_state=config.random_state)
        predictions, model = cross_val_and_fit(
            factory,
            X,
            y,
            n_splits=config.n_splits,
            random_state=config.random_state,
            n_jobs=config.n_jobs,
            n_threads=config.n_threads,
        )
        metrics = score_predictions(predictions)
        model_mae, baseline_mae = metrics["mae"].iloc[0], metrics["mae"].iloc[1]
        metrics = metrics.assign(
            role=["model", "baseline"],
            units=len(sold),
            beats_baseline=bool(model_mae < baseline_mae),
            features=", ".join(features),
        )[list(METRIC_COLUMNS)]
        oof = pd.DataFrame(
            {
                "stock_number": sold["stock_number"],
                "sale_date": sold["sale_date"],
                "actual": y,
                "market_value": predictions["model"].to_numpy(),
                "baseline": predictions["baseline"].to_numpy(),
                "fold": predictions["fold"].astype("int64").to_numpy(),
            }
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, path)
    write_table(warehouse, "ml.pricing_model_metrics", metrics)
    write_table(warehouse, "ml.market_value_predictions", oof)
    for note in notes:
        context.log.warning(note)
    trained = len(metrics) > 0
    extra = {}
    if trained:
        extra = {
            "mae": float(metrics["mae"].iloc[0]),
            "mape": float(metrics["mape"].iloc[0]),
            "baseline_mae": float(metrics["mae"].iloc[1]),
            "baseline_mape": float(metrics["mape"].iloc[1]),
            "predicted_vs_actual_plot": figure_markdown(
                plot_predicted_vs_actual(oof["actual"], oof["market_value"]),
                "Out-of-fold market value against sold price",
            ),
        }
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.pricing_model_metrics",
            metrics,
            trained=trained,
            beats_baseline=dg.MetadataValue.text(
                str(bool(metrics["beats_baseline"].iloc[0])) if trained else "not measured"
            ),
            sold_units=sold_units,
            training_units=len(sold),
            features_used=dg.MetadataValue.json(features),
            model_path=dg.MetadataValue.path(str(path)) if trained else "none",
            notes=_notes(notes),
            **extra,
        )
    )


UNITS_SQL = """
select stock_number, dealer_id, region, make, model, trim, model_year, mileage, condition_grade,
    body_style, stock_type, engine, transmission, color, days_in_stock,
    current_list_price as list_price, total_cost, as_of_date as sale_date
from marts.dim_vehicles
where status = 'in_stock'
order by stock_number
"""
LATEST_LISTINGS_SQL = """
select region, make, model, model_year, asking_price, snapshot_date
from staging.stg_dms__market_listings
where snapshot_date = (select max(snapshot_date) from staging.stg_dms__market_listings)
"""


@dg.asset(
    key=["ml", "price_recommendations"],
    group_name="pricing",
    kinds=KINDS,
    pool=WAREHOUSE_POOL,
    deps=[DIM_VEHICLES, MARKET_LISTINGS, market_value_model],
    owners=OWNERS,
    description=(
        "Every unit in stock against its market value and the latest week's competitor "
        "listings (same region, make, model, +-1 model year), and the price an age-based "
        "price-to-market ladder recommends, never under total cost + the minimum gross. "
        "Table ml.price_recommendations."
    ),
)
def price_recommendations(
    context: dg.AssetExecutionContext, config: RecommendationConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import joblib
    import numpy as np
    from threadpoolctl import threadpool_limits

    from ml.pricing import plot_price_to_market
    from ml.pricing import price_recommendations as recommend

    units = warehouse.read_frame(UNITS_SQL)
    comps = warehouse.read_frame(LATEST_LISTINGS_SQL)
    notes, path = [], model_path()
    market_value = np.full(len(units), np.nan)
    if not path.exists():
        notes.append(
            "No market value model (see market_value_model): priced from comps, "
            "else held at list price."
        )
    elif len(units):
        with threadpool_limits(limits=1):
            market_value = joblib.load(path).predict(units)
    if comps.empty:
        notes.append("No competitor listings: comp_median_price and price_to_comps are empty.")
        comps = None
    recs = recommend(units, market_value, comps, min_gross=config.min_gross)
    recs = recs.rename(columns={"sale_date": "as_of_date"}).assign(
        age_bucket=lambda f: f["age_bucket"].astype(str), min_gross=config.min_gross
    )
    write_table(warehouse, "ml.price_recommendations", recs)
    if units.empty:
        notes.append("No units in stock.")
    for note in notes:
        context.log.warning(note)
    markdowns = recs[recs["action"] == "markdown"].nlargest(config.top_n, "markdown")
    shown = [
        "stock_number",
        "dealer_id",
        "make",
        "model",
        "model_year",
        "days_in_stock",
        "list_price",
        "market_value",
        "comp_median_price",
        "recommended_price",
        "markdown",
    ]
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.price_recommendations",
            recs,
            actions=dg.MetadataValue.json(recs["action"].value_counts().to_dict()),
            price_basis=dg.MetadataValue.json(recs["price_basis"].value_counts().to_dict()),
            floor_applied=int(recs["floor_applied"].sum()),
            units_with_comps=int((recs["comp_count"] > 0).sum()),
            top_markdowns=preview(markdowns[shown], rows=config.top_n),
            price_to_market_plot=figure_markdown(
                plot_price_to_market(recs), "List price to market value, by age"
            ),
            notes=_notes(notes),
        )
    )


pricing_assets = [market_value_model, price_recommendations, *readout_assets]

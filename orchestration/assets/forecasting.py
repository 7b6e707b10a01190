"""Demand forecasts and their backtest (group ``forecasting``): thin wrappers of ml.forecasting."""

import time
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.outputs import (
    figure_markdown,
    table_metadata,
    write_table,
)
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

# pandas loads in the asset bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

DEMAND_WEEKLY = dg.AssetKey(["marts", "demand_weekly"])
FORECAST_ACCURACY = dg.AssetKey(["ml", "forecast_accuracy"])
SCORE_COLUMNS = [
    "level",
    "unique_id",
    "model",
    "method",
    "chosen_method",
    "mae",
    "rmse",
    "smape",
    "mase",
    "folds",
    "n_obs",
]
LEVEL_COLUMNS = [
    "level",
    "n_series",
    "mase_forecourt",
    "mase_seasonal_naive",
    "mase_naive",
    "mase_ratio",
    "share_beats_seasonal_naive",
    "smape_forecourt",
    "smape_seasonal_naive",
]


class ForecastConfig(dg.Config):
    horizon_weeks: int = 12
    backtest_folds: int = 3
    # Weeks between backtest origins; None: one horizon. Closer origins give more folds, each
    # choosing only on the folds whose targets end by its origin.
    backtest_step_weeks: int | None = None
    n_jobs: int = 2
    random_state: int = 0


def _empty(columns: list[str], text_columns: int) -> "pd.DataFrame":
    """An empty table whose numeric columns stay numeric in DuckDB (not VARCHAR)."""
    import pandas as pd

    types = {c: ("object" if i < text_columns else "float64") for i, c in enumerate(columns)}
    return pd.DataFrame(columns=columns).astype(types)


def _read_series(warehouse: WarehouseResource) -> "pd.DataFrame":
    import pandas as pd

    series = warehouse.read_frame(
        "select unique_id, ds, cast(y as double) as y, level, parent_id from marts.demand_weekly"
    )
    series["ds"] = pd.to_datetime(series["ds"])
    return series


def _chosen_methods(warehouse: WarehouseResource) -> dict[str, str]:
    """Each series' method as the last backtest chose it (empty before the first backtest)."""
    if not warehouse.table_exists("ml.forecast_accuracy"):
        return {}
    rows = warehouse.read_frame(
        "select distinct unique_id, chosen_method from ml.forecast_accuracy "
        "where model = 'forecourt' and chosen_method is not null"
    )
    return dict(zip(rows["unique_id"], rows["chosen_method"], strict=True))


def _forecast(warehouse: WarehouseResource, series: "pd.DataFrame", **options) -> "pd.DataFrame":
    """`ml.forecasting.forecast`, or on Spark its twin (the same numbers) when the warehouse is."""
    tables = warehouse.tables()
    if tables.engine == "spark":
        from ml.forecasting.spark import forecast_on_spark

        options.pop("n_jobs")  # Spark's executors are the workers
        return forecast_on_spark(tables.spark, series, **options)
    from ml.forecasting import forecast

    return forecast(series, **options)


def readable(result: "pd.DataFrame", levels: tuple[int, ...] = (80, 95)) -> "pd.DataFrame":
    """The library's long-format names (ds, yhat, ...) as the warehouse table's names."""
    names = {"ds": "week_start", "yhat": "units_forecast"}
    for i, level in enumerate(levels):
        suffix = "" if i == 0 else f"_{level}"
        names[f"yhat_lower{suffix}"] = f"units_lower_{level}"
        names[f"yhat_upper{suffix}"] = f"units_upper_{level}"
    return result.rename(columns=names)


@dg.asset(
    key=["ml", "demand_forecast"],
    group_name="forecasting",
    kinds={"prophet", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[DEMAND_WEEKLY, FORECAST_ACCURACY],
    owners=["team:data-science"],
    description=(
        "Weekly unit demand for the next weeks per series (total, region, dealer, make, model, "
        "trim), each series by the method its rolling-origin backtest chose (Prophet, "
        "Theta, Holt, SES, seasonal naive, naive, Croston/TSB/ADIDA ...), reconciled top-down, "
        "with 80% and 95% intervals. Table ml.demand_forecast."
    ),
)
def demand_forecast(
    context: dg.AssetExecutionContext, config: ForecastConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.forecasting import plot_actual_vs_forecast

    series = _read_series(warehouse)
    if series.empty:
        context.log.warning(
            "marts.demand_weekly is empty: no complete week of sales to learn from."
        )
    chosen = _chosen_methods(warehouse)
    if not chosen:
        context.log.warning("No backtest choice in ml.forecast_accuracy: the history rule picks.")
    started = time.perf_counter()
    result = _forecast(
        warehouse, series, horizon=config.horizon_weeks, n_jobs=config.n_jobs,
        random_state=config.random_state, methods=chosen,
    )
    seconds = time.perf_counter() - started
    result["forecast_origin"] = series["ds"].max() if not series.empty else pd.NaT
    write_table(warehouse, "ml.demand_forecast", readable(result))
    n_series = series["unique_id"].nunique()
    methods = result.drop_duplicates("unique_id")["method"].value_counts().to_dict()
    metadata = table_metadata(
        "ml.demand_forecast",
        result,
        series=n_series,
        seconds=round(seconds, 2),
        series_per_second=round(n_series / seconds, 1) if seconds else 0.0,
        methods=dg.MetadataValue.json(methods),
    )
    if not series.empty:
        metadata["total_series_plot"] = figure_markdown(
            plot_actual_vs_forecast(series, result, "total"), "Total units: actual and forecast"
        )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=["ml", "forecast_accuracy"],
    group_name="forecasting",
    kinds={"prophet", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[DEMAND_WEEKLY],
    owners=["team:data-science"],
    description=(
        "Rolling-origin backtest of every candidate method: chooses each series' method "
        "(chosen_method, read by ml.demand_forecast) and scores the choice honestly on later "
        "folds against seasonal naive and naive: MAE, RMSE, sMAPE and MASE per series "
        "(ml.forecast_accuracy) and per level (ml.forecast_accuracy_by_level)."
    ),
)
def forecast_accuracy(
    context: dg.AssetExecutionContext, config: ForecastConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    from ml.forecasting import accuracy_by_level, backtest

    series = _read_series(warehouse)
    started = time.perf_counter()
    scores = backtest(
        series,
        horizon=config.horizon_weeks,
        folds=config.backtest_folds,
        step=config.backtest_step_weeks,
        n_jobs=config.n_jobs,
        random_state=config.random_state,
    )
    note = None
    if scores.empty:
        # Too little history for even one fold: store empty tables with their columns, say why.
        scores = _empty(SCORE_COLUMNS, text_columns=5)
        note = f"History too short for a {config.horizon_weeks}-week rolling-origin backtest."
        context.log.warning(note)
    by_level = accuracy_by_level(scores) if len(scores) else _empty(LEVEL_COLUMNS, text_columns=1)
    write_table(warehouse, "ml.forecast_accuracy", scores)
    write_table(warehouse, "ml.forecast_accuracy_by_level", by_level)
    context.log.info(f"Backtest of {series['unique_id'].nunique()} series done.")
    return dg.MaterializeResult(
        metadata=table_metadata(
            "ml.forecast_accuracy",
            scores,
            seconds=round(time.perf_counter() - started, 2),
            notes=note or "",
            chosen_methods=dg.MetadataValue.json(
                scores[scores["model"] == "forecourt"]["chosen_method"].value_counts().to_dict()
            ),
            accuracy_by_level=dg.MetadataValue.md(
                by_level.to_markdown(index=False, floatfmt=".3f")
                if not by_level.empty
                else "_none_"
            ),
        )
    )


forecasting_assets = [demand_forecast, forecast_accuracy]

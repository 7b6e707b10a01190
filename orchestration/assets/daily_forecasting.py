"""Daily forecasts and their backtest, thin wrappers of ml.forecasting.daily.

``ml.daily_backtest`` retrains with the weekly forecasts (group ``forecasting``, weekly job):
it chooses each level's daily method. ``ml.demand_forecast_daily`` (group
``forecasting_daily``, daily job) splits the latest stored weekly forecast into days every
morning, so its weeks always add up to the ``ml.demand_forecast`` the UI shows beside it.
"""

import time
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.outputs import figure_markdown, table_metadata, write_table
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

if TYPE_CHECKING:
    import pandas as pd

DEMAND_DAILY = dg.AssetKey(["marts", "demand_daily"])
DEMAND_WEEKLY = dg.AssetKey(["marts", "demand_weekly"])
HOLIDAYS = dg.AssetKey(["marts", "dealer_holidays"])
DEMAND_FORECAST = dg.AssetKey(["ml", "demand_forecast"])
DAILY_BACKTEST = dg.AssetKey(["ml", "daily_backtest"])
FORECAST_ACCURACY = dg.AssetKey(["ml", "forecast_accuracy"])


class DailyForecastConfig(dg.Config):
    horizon_days: int = 14
    backtest_folds: int = 6
    backtest_step_days: int = 7


def _read(warehouse: WarehouseResource) -> "tuple[pd.DataFrame, pd.DataFrame]":
    import pandas as pd

    series = warehouse.read_frame(
        "select unique_id, ds, cast(y as double) as y, level, parent_id from marts.demand_daily")
    holidays = warehouse.read_frame(
        "select holiday_date as ds, holiday_name, is_closed from marts.dealer_holidays")
    series["ds"] = pd.to_datetime(series["ds"])
    holidays["ds"] = pd.to_datetime(holidays["ds"])
    return series, holidays


def _weekly_forecaster(warehouse: WarehouseResource, horizon_days: int):
    """The weekly forecast a backtest origin would have had: the weekly series up to the origin,
    each series by the method of ml.forecast_accuracy (Prophet's series by Theta, to keep the
    folds cheap), reconciled as in production."""
    import pandas as pd

    from ml.forecasting import forecast

    weekly = warehouse.read_frame(
        "select unique_id, ds, cast(y as double) as y, level, parent_id from marts.demand_weekly")
    methods = {}
    if warehouse.table_exists("ml.forecast_accuracy"):
        chosen = warehouse.read_frame(
            "select distinct unique_id, chosen_method from ml.forecast_accuracy "
            "where model = 'forecourt' and chosen_method is not null")
        methods = dict(zip(chosen["unique_id"], chosen["chosen_method"], strict=True))
    weekly["ds"] = pd.to_datetime(weekly["ds"])
    methods = {k: ("theta" if v == "prophet" else v) for k, v in methods.items()}
    weeks = -(-horizon_days // 7) + 1

    def at(origin: "pd.Timestamp") -> "pd.DataFrame | None":
        past = weekly[weekly["ds"] + pd.Timedelta(days=6) <= origin]
        if past.empty:
            return None
        out = forecast(past, horizon=weeks, methods=methods, n_jobs=1)
        return out.rename(columns={"ds": "week_start"})[["unique_id", "week_start", "yhat"]]

    return at


@dg.asset(
    key=["ml", "daily_backtest"],
    group_name="forecasting",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[DEMAND_DAILY, DEMAND_WEEKLY, HOLIDAYS, FORECAST_ACCURACY],
    owners=["team:data-science"],
    description=(
        "Rolling-origin backtest of the daily forecast (horizon 1-14 days, Sunday origins): our "
        "daily model (weekly forecast x holiday-aware day-of-week profile) against seasonal "
        "naive lag 7 and the weekly forecast split by the plain day-of-week profile; MAE, "
        "sMAPE, MASE per level (ml.daily_backtest) and per series (ml.daily_backtest_series), "
        "and the method each level publishes (chosen_method, read by ml.demand_forecast_daily)."
    ),
)
def daily_backtest(
    context: dg.AssetExecutionContext, config: DailyForecastConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    from ml.forecasting.daily import daily_by_level, evaluate_daily
    from ml.forecasting.plot import plot_daily_backtest

    started = time.perf_counter()
    series, holidays = _read(warehouse)
    evaluation = evaluate_daily(
        series, holidays, _weekly_forecaster(warehouse, config.horizon_days),
        horizon=config.horizon_days, folds=config.backtest_folds, step=config.backtest_step_days)
    by_level = daily_by_level(evaluation.scores)
    note = "" if len(by_level) else "History too short for a daily rolling-origin backtest."
    if note:
        context.log.warning(note)
    write_table(warehouse, "ml.daily_backtest", by_level)
    write_table(warehouse, "ml.daily_backtest_series", evaluation.scores)
    metadata = table_metadata(
        "ml.daily_backtest", by_level, seconds=round(time.perf_counter() - started, 2),
        notes=note, chosen_methods=dg.MetadataValue.json(
            dict(zip(by_level.get("level", []), by_level.get("chosen_method", []), strict=True))),
    )
    if len(by_level):
        metadata["backtest_plot"] = figure_markdown(
            plot_daily_backtest(by_level), "Daily backtest: mean MASE per level")
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=["ml", "demand_forecast_daily"],
    group_name="forecasting_daily",
    kinds={"python", "duckdb"},
    pool=WAREHOUSE_POOL,
    deps=[DEMAND_DAILY, HOLIDAYS, DEMAND_FORECAST, DAILY_BACKTEST],
    owners=["team:data-science"],
    description=(
        "Daily unit sales for the next 14 days per series (total, region, dealer, make, model), "
        "with 80% and 95% intervals: the latest weekly forecast (ml.demand_forecast) split into "
        "days by day of week and holidays, so each week sums to it, or seasonal naive lag 7 "
        "where the daily backtest (ml.daily_backtest) found it better. Table "
        "ml.demand_forecast_daily."
    ),
)
def demand_forecast_daily(
    context: dg.AssetExecutionContext, config: DailyForecastConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    import pandas as pd

    from ml.forecasting.daily_publish import forecast_daily, week_gaps
    from ml.forecasting.plot import plot_actual_vs_forecast

    series, holidays = _read(warehouse)
    chosen, spread, weekly, origin = {}, {}, None, None
    if warehouse.table_exists("ml.daily_backtest_series"):
        rows = warehouse.read_frame(
            "select unique_id, chosen_method, rmse from ml.daily_backtest_series "
            "where model = 'published'").itertuples(index=False)
        for uid, method, rmse in rows:
            if method:
                chosen[uid] = method
            if rmse is not None and not pd.isna(rmse):
                spread[uid] = rmse
    if warehouse.table_exists("ml.demand_forecast"):
        weekly = warehouse.read_frame(
            "select unique_id, week_start, units_forecast as yhat, forecast_origin "
            "from ml.demand_forecast")
        origin = weekly["forecast_origin"].max() if len(weekly) else None
    if weekly is None:
        context.log.warning("No ml.demand_forecast yet: each series' level is its daily rate.")
    if not chosen:
        context.log.warning("No ml.daily_backtest yet: every series uses the daily model.")
    result = forecast_daily(series, holidays, weekly, chosen, spread, config.horizon_days)
    reconciled = result["reconciled"]
    gaps = week_gaps(result[reconciled], weekly) if weekly is not None else pd.DataFrame(
        {"gap": []})
    write_table(warehouse, "ml.demand_forecast_daily", _readable(result))
    metadata = table_metadata(
        "ml.demand_forecast_daily", result,
        weekly_forecast=dg.MetadataValue.md(
            f"Split from **ml.demand_forecast** made from the week of {origin} "
            "(materialized by weekly_forecast_job): each complete week of a reconciled series "
            "sums to its weekly forecast." if origin is not None else "_no weekly forecast_"),
        largest_week_gap=float(gaps["gap"].abs().max()) if len(gaps) else 0.0,
        reconciled_series=int(result.loc[reconciled, "unique_id"].nunique()),
        methods=dg.MetadataValue.json(
            result.drop_duplicates("unique_id")["method"].value_counts().to_dict()),
    )
    if len(result):
        history = series[series["ds"] > series["ds"].max() - pd.Timedelta(days=28)]
        metadata["total_series_plot"] = figure_markdown(
            plot_actual_vs_forecast(history, result, "total"),
            "Total units: last 28 days and the next 14")
    return dg.MaterializeResult(metadata=metadata)


def _readable(result: "pd.DataFrame") -> "pd.DataFrame":
    names = {"ds": "date", "yhat": "units_forecast", "yhat_lower": "units_lower_80",
             "yhat_upper": "units_upper_80", "yhat_lower_95": "units_lower_95",
             "yhat_upper_95": "units_upper_95", "weekly_forecast": "week_units_forecast"}
    return result.rename(columns=names)


daily_forecasting_assets = [daily_backtest, demand_forecast_daily]

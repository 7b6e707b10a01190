"""Jobs: what runs together."""

import dagster as dg

from orchestration.partitions import daily_partitions

FORECASTING = dg.AssetSelection.groups("forecasting")
ALERT_RECORDS = dg.AssetSelection.groups("alerts")

# Every morning: load the day, rebuild the marts, and everything that reads them except the
# forecasts, which retrain weekly (the stocking plan reads the latest stored forecast).
daily_refresh_job = dg.define_asset_job(
    name="daily_refresh_job",
    selection=dg.AssetSelection.all() - FORECASTING - ALERT_RECORDS,
    partitions_def=daily_partitions,
    description="Load the day's landing files, rebuild the marts, the stocking plan and pricing.",
)

weekly_forecast_job = dg.define_asset_job(
    name="weekly_forecast_job",
    selection=FORECASTING,
    description="Retrain the demand forecasts and rerun their backtest.",
)

record_alerts_job = dg.define_asset_job(
    name="record_alerts_job",
    selection=dg.AssetSelection.assets(dg.AssetKey(["ops", "low_stock_alerts"])),
    description="Record the alerts sent so far in ops.low_stock_alerts, with open/resolved status.",
)

"""Jobs: what runs together."""

import dagster as dg

from orchestration.partitions import daily_partitions

FORECASTING = dg.AssetSelection.groups("forecasting")
# The daily forecast splits the stored weekly forecast into days: the daily job refreshes it
# every morning, and the weekly job right after a new weekly forecast, so the two never differ.
DAILY_FORECASTING = dg.AssetSelection.groups("forecasting_daily")
ALERT_RECORDS = dg.AssetSelection.groups("alerts")
# The reference data sets (Mint Classics, Car Sales): their raw tables, staging and marts,
# each tagged with the importer that brings it. A dealer's home never builds them.
REFERENCE = dg.AssetSelection.groups("reference")


def home_selection(imported_source: str | None) -> dg.AssetSelection:
    """Everything a home builds: the platform, plus the reference data set of the source it
    imported (``landing/import_report.json``); a dealer's home (no import) builds none."""
    platform = dg.AssetSelection.all() - REFERENCE
    if not imported_source:
        return platform
    return platform | (REFERENCE & dg.AssetSelection.tag("source", imported_source))


# Every morning: load the day, rebuild the marts, and everything that reads them except the
# forecasts, which retrain weekly (the stocking plan reads the latest stored forecast), and the
# reference data sets, which change only with a new import.
daily_refresh_job = dg.define_asset_job(
    name="daily_refresh_job",
    selection=dg.AssetSelection.all() - FORECASTING - ALERT_RECORDS - REFERENCE,
    partitions_def=daily_partitions,
    description="Load the day's landing files, rebuild the marts, the stocking plan and pricing.",
)

weekly_forecast_job = dg.define_asset_job(
    name="weekly_forecast_job",
    selection=FORECASTING | DAILY_FORECASTING,
    description="Retrain the demand forecasts and rerun their backtests, weekly and daily.",
)

record_alerts_job = dg.define_asset_job(
    name="record_alerts_job",
    selection=dg.AssetSelection.assets(dg.AssetKey(["ops", "low_stock_alerts"])),
    description="Record the alerts sent so far in ops.low_stock_alerts, with open/resolved status.",
)

# Runs started from the command line: named, so they show in the UI's Overview timeline beside
# the scheduled ones (the CLI picks the assets of each run, by default ``home_selection``).
cli_materialize_job = dg.define_asset_job(
    name="cli_materialize_job",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Runs of `forecourt materialize` and `forecourt publish`: the assets selected.",
)

demo_job = dg.define_asset_job(
    name="demo_job",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Runs of `forecourt demo`: everything the home builds, over its landed days.",
)

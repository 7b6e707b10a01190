"""Jobs: what runs together."""

import dagster as dg

from orchestration.partitions import daily_partitions

# From landing files through the marts. Later steps join this selection as they land.
daily_refresh_job = dg.define_asset_job(
    name="daily_refresh_job",
    selection=dg.AssetSelection.groups("raw", "staging", "intermediate", "marts"),
    partitions_def=daily_partitions,
    description="Load the day's landing files and rebuild the dbt marts.",
)

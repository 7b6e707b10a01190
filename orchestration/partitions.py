"""The daily partitioning shared by every dated feed and the assets that follow them."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from landing.home import FIRST_DAY

daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=0)


def days_in(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The calendar days a (possibly multi-partition, single-run backfill) step covers."""
    window = context.partition_time_window
    start, end = window.start.date(), window.end.date()
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]

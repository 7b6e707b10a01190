"""Schedules: the daily refresh after the DMS has dropped yesterday's files."""

import dagster as dg

from orchestration.jobs import daily_refresh_job

daily_refresh_schedule = dg.build_schedule_from_partitioned_job(
    daily_refresh_job,
    name="daily_refresh_schedule",
    hour_of_day=6,
    minute_of_hour=0,
    description="Every morning at 06:00, refresh yesterday's partition through the marts.",
)

"""Schedules: the daily refresh after the DMS drop, and the weekly forecast retraining."""

import dagster as dg

from orchestration.jobs import daily_refresh_job, weekly_forecast_job

daily_refresh_schedule = dg.build_schedule_from_partitioned_job(
    daily_refresh_job,
    name="daily_refresh_schedule",
    hour_of_day=6,
    minute_of_hour=0,
    description="Every morning at 06:00, refresh yesterday's partition through the stocking plan.",
)

weekly_forecast_schedule = dg.ScheduleDefinition(
    name="weekly_forecast_schedule",
    job=weekly_forecast_job,
    cron_schedule="0 4 * * 1",
    description="Mondays at 04:00, before the daily refresh: retrain forecasts on the new week.",
)

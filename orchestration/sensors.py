"""Sensors: react to new landing files (later: low-stock alerts, failed checks)."""

import datetime as dt
from pathlib import Path

import dagster as dg

from orchestration.contract import DAILY_FEEDS, REFERENCE_FEEDS
from orchestration.jobs import daily_refresh_job
from orchestration.partitions import daily_partitions
from orchestration.project import ForecourtHome


def _dated_files(landing: Path) -> list[tuple[Path, dt.date, float]]:
    found = []
    for feed in DAILY_FEEDS:
        for path in (landing / feed).glob("*.csv*"):
            try:
                day = dt.date.fromisoformat(path.name.split(".")[0])
            except ValueError:
                continue
            found.append((path, day, path.stat().st_mtime))
    return found


def contiguous_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Group days into runs of consecutive days, so one run loads each stretch."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


@dg.sensor(
    name="landing_files_sensor",
    job=daily_refresh_job,
    minimum_interval_seconds=60,
    description="Starts the daily refresh for the days whose landing files are new or changed.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def landing_files_sensor(context: dg.SensorEvaluationContext):
    # Reads the file system only, never the warehouse, so it cannot block a running load.
    landing = ForecourtHome.from_env().landing
    last_seen = float(context.cursor or 0)
    files = _dated_files(landing)
    reference_changed = any(
        p.stat().st_mtime > last_seen for f in REFERENCE_FEEDS for p in (landing / f).glob("*.csv*")
    )
    fresh = [(p, d, m) for p, d, m in files if m > last_seen]
    if not fresh and not reference_changed:
        return dg.SkipReason(f"No new landing files under {landing}.")
    first, last = daily_partitions.start.date(), dt.date.today() - dt.timedelta(days=1)
    out_of_range = sorted({d for _, d, _ in fresh if not first <= d <= last})
    if out_of_range:
        context.log.warning(
            f"Ignoring files for days outside the partitions ({first}..{last}): {out_of_range[:10]}"
        )
    days = [d for _, d, _ in fresh if first <= d <= last]
    newest = max([m for _, _, m in fresh] + [last_seen])
    requests = []
    for start, end in contiguous_ranges(days):
        tags = {
            "dagster/asset_partition_range_start": start.isoformat(),
            "dagster/asset_partition_range_end": end.isoformat(),
            "forecourt/trigger": "landing_files_sensor",
        }
        requests.append(dg.RunRequest(run_key=f"landing:{start}:{end}:{newest}", tags=tags))
    context.update_cursor(str(newest))
    return requests or dg.SkipReason("New files only for days outside the partitions.")

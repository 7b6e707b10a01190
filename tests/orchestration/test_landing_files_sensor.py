"""The landing-files sensor starts one run per stretch of new days and remembers what it saw."""

import datetime as dt
import os
import time

import dagster as dg

from orchestration.sensors import contiguous_ranges, landing_files_sensor


def touch(home, feed, day, mtime=None):
    path = home / "landing" / feed / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("header\n")
    if mtime:
        os.utime(path, (mtime, mtime))
    return path


def test_consecutive_days_group_into_one_range():
    days = [dt.date(2024, 1, d) for d in (5, 1, 2, 3, 9)]
    assert contiguous_ranges(days) == [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 3)),
        (dt.date(2024, 1, 5), dt.date(2024, 1, 5)),
        (dt.date(2024, 1, 9), dt.date(2024, 1, 9)),
    ]


def test_new_files_request_ranged_runs_and_are_not_requested_twice(forecourt_home):
    old = time.time() - 3600
    for day in ("2024-03-01", "2024-03-02"):
        touch(forecourt_home, "sales", day, old)
    touch(forecourt_home, "sales", "2024-03-05", old)
    touch(forecourt_home, "sales", "2999-01-01", old)  # a future day is not a partition
    context = dg.build_sensor_context()
    requests = landing_files_sensor(context)
    ranges = sorted(
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in requests
    )
    assert ranges == [("2024-03-01", "2024-03-02"), ("2024-03-05", "2024-03-05")]

    again = landing_files_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert isinstance(again, dg.SkipReason)

    touch(forecourt_home, "sales", "2024-03-02")  # a re-delivery, newer than the cursor
    redelivered = landing_files_sensor(dg.build_sensor_context(cursor=context.cursor))
    assert [r.tags["dagster/asset_partition_range_start"] for r in redelivered] == ["2024-03-02"]

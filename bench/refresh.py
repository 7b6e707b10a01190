"""The daily run against a full refresh, at growing history, with Dagster's share and memory.

For each history length H (days), in a fresh bench home over the same generated zone:

- full refresh: one run that loads days 1..H into raw and builds every dbt model and test
  (raw through the marts), what a pipeline without incremental loads repeats every day;
- daily run: the next day, H+1, through the same assets: its raw load, then `dbt build`
  (fct_sales incremental, the other marts rebuilt whole, all tests).

At the largest H the real `daily_refresh_job` selection (marts plus stocking, pricing and
customer models) also runs for day H+2: its peak memory is the "full daily run" figure.
Orchestration overhead is the run's wall time (run start to run end events) minus the time
inside its steps (each step's start to success events).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.datasets import START, ZoneSpec, data_rows
from bench.harness import TaskFailed, ratio, run_task
from bench.runs import create_home


def _summary(result: dict) -> dict:
    """The numbers of one run. `dagster_seconds` is all of the call's wall time that is not
    the work of a step (loader, dbt process, Python models): planning and planned events
    before the run starts, the run's own overhead, and Dagster's work inside the dbt step."""
    steps = result["steps"]
    work = result["steps_seconds"] - result["dagster_in_dbt_step_seconds"]
    return {
        "dagster_seconds": round(result["seconds"] - work, 3),
        "dagster_share": round((result["seconds"] - work) / result["seconds"], 4),
        "seconds": result["seconds"],
        "run_seconds": result["run_seconds"],
        "overhead_seconds": result["overhead_seconds"],
        "overhead_share": result["overhead_share"],
        "dbt_process_seconds": result["dbt_process_seconds"],
        "dagster_in_dbt_step_seconds": result["dagster_in_dbt_step_seconds"],
        "events": result["events"],
        "raw_steps_seconds": round(sum(v for k, v in steps.items() if k.startswith("raw__")), 3),
        "dbt_step_seconds": steps.get("dbt_models"),
        "dbt": result.get("dbt", {}),
        "other_steps_seconds": round(sum(v for k, v in steps.items()
                                         if not k.startswith("raw__") and k != "dbt_models"), 3),
        "steps": steps,
        "rows": result["rows"],
        "peak_rss_mb": result["peak_rss_mb"],
        "children_peak_rss_mb": result["children_peak_rss_mb"],
        # the whole tree sampled while it ran: what the machine held at once
        "peak_total_mb": result["tree_peak_mb"],
    }


def run(spec: ZoneSpec, landing: Path, histories: list[int], workdir: Path, memory_limit: str,
        threads: int, log=print, daily_job: bool = True, dbt_threads: int = 2,
        keep: Path | None = None) -> dict:
    """Full refresh and daily run per history length; the daily job's run at the largest.
    A run that fails is recorded with its error (``failed``) and the next one goes on; the
    growth compares the first and last histories that ran whole. With
    ``keep``, each home is moved there at the end (its warehouse, Dagster instance, dbt logs)."""
    limits = {"memory_limit": memory_limit, "threads": threads}
    rows, job = [], None
    for history in histories:
        home = workdir / f"refresh_{history}"
        env = create_home(home, landing, **limits, dbt_threads=dbt_threads)

        def materialize(scope: str, first: int, last: int, env=env) -> dict:
            return _summary(run_task("bench.runs:materialize", env=env, scope=scope,
                                     first=str(spec.day(first)), last=str(spec.day(last)),
                                     **limits))

        row = _history(spec, landing, history, materialize, log)
        if daily_job and history == max(histories):
            day = spec.day(history + 1)
            if "failed" in row:
                job = {"failed": "not run: the history's own runs failed"}
            else:
                try:
                    job = materialize("daily_job", history + 1, history + 1)
                    log(f"  daily_refresh_job, day {history + 2}: {job['seconds']:.1f} s, "
                        f"overhead {job['overhead_share']:.1%}, peak "
                        f"{job['peak_total_mb']:,.0f} MB")
                except TaskFailed as failure:
                    job = {"failed": str(failure)}
                    log(f"  daily_refresh_job, day {history + 2}: FAILED\n{failure}")
            job["day"] = day.isoformat()
            job["weekly_full_test_pass"] = day.isoweekday() == 7
        rows.append(row)
        if keep:
            keep_home(home, keep)
        else:
            shutil.rmtree(home, ignore_errors=True)
    return {
        "start": START.isoformat(),
        "zone": {"dealers": spec.dealers, "demand_scale": spec.demand_scale},
        "duckdb_limits": limits,
        "dbt_threads": dbt_threads,
        "histories": rows,
        "daily_job": job,
        "growth": growth(rows, job),
    }


def growth(rows: list[dict], job: dict | None) -> dict:
    """How the first and last histories that ran whole compare: history, full refresh, daily
    run. A Sunday's daily run is the weekly full test pass, not a day's work: when the last
    history's is one (1,824 days of the full profile's zone end on a Sunday), its weekday run
    is the next day's raw and dbt steps inside the daily job (`weekday_daily`)."""
    measured = [row for row in rows if "failed" not in row]
    if len(measured) < 2:
        return {}
    first, last = measured[0], measured[-1]
    found = {
        "history": ratio(last["history_days"], first["history_days"]),
        "full": ratio(last["full"]["seconds"], first["full"]["seconds"]),
        "daily": ratio(last["daily"]["seconds"], first["daily"]["seconds"]),
        "daily_dbt_models": ratio(last["daily"]["dbt"].get("models_seconds", 0),
                                  first["daily"]["dbt"].get("models_seconds", 0)),
    }
    weekday_job = (job and "failed" not in job and not job.get("weekly_full_test_pass")
                   and not first.get("weekly_full_test_pass"))
    if last.get("weekly_full_test_pass") and weekday_job:
        seconds = round(job["raw_steps_seconds"] + (job["dbt_step_seconds"] or 0), 3)
        found.update(weekday_day=job["day"], weekday_daily_seconds=seconds,
                     weekday_daily=ratio(seconds, first["daily"]["seconds"]))
    return found


def keep_home(home: Path, keep: Path) -> Path:
    """Move a bench home into ``keep``, its dbt profile's paths (the spill folder) with it, so
    that dbt can run on it there."""
    kept = keep / home.name
    keep.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(kept, ignore_errors=True)
    shutil.move(home, kept)
    profile = kept / "dbt_profiles" / "profiles.yml"
    profile.write_text(profile.read_text().replace(str(home), str(kept)))
    return kept


def _history(spec: ZoneSpec, landing: Path, history: int, materialize, log) -> dict:
    """The full refresh of days 1..history, then the daily run of the next day. A run that
    fails is recorded with its error (``failed``, and which run in ``failed_run``); a failed
    daily run keeps the full refresh's figures."""
    day = spec.day(history)
    row = {
        "history_days": history,
        "day": day.isoformat(),
        "day_sales_rows": data_rows(landing / "sales" / f"{day.isoformat()}.csv"),
        # a Sunday's run is the weekly full test pass (orchestration/assets/dbt.py), not a
        # weekday's scoped one: its time is not the daily run's
        "weekly_full_test_pass": day.isoweekday() == 7,
    }
    for run, first, last in (("full", 0, history - 1), ("daily", history, history)):
        try:
            row[run] = materialize("marts", first, last)
        except TaskFailed as failure:
            log(f"  {history:>5} days, {run} run: FAILED\n{failure}")
            return {**row, "failed": str(failure), "failed_run": run}
    full, daily = row["full"], row["daily"]
    row["history_sales_rows"] = full["rows"]["raw.sales"]
    row["daily_over_full"] = ratio(daily["seconds"], full["seconds"])
    log(f"  {history:>5} days ({full['rows']['raw.sales']:,} sales): full {full['seconds']:.1f}"
        f" s, daily {daily['seconds']:.1f} s -> {row['daily_over_full']}; overhead "
        f"{daily['overhead_share']:.1%}, peak {daily['peak_total_mb']:,.0f} MB")
    return row

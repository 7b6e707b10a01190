"""Running the asset graph in-process for the CLI: selection, partition range, summary."""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from contextlib import nullcontext, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from landing.contract import DAILY_FEEDS
from landing.home import ForecourtHome
from landing.importers.report import imported_source
from landing.ingestion.inventory import file_day
from orchestration import loggers
from orchestration.cli.guard import TraceFilter, UsageError, log_path
from orchestration.cli.stopping import stoppable
from orchestration.instance import ensure_manifest, prepare_home
from orchestration.jobs import home_selection
from orchestration.partitions import FIRST_DAY

__all__ = ["UsageError", "materialize", "landed_days", "warehouse_summary", "failure_lines"]
last_run_log: list[Path] = []  # the log file of each run this process made, newest last
TRIGGER_TAG, PID_TAG = "forecourt/trigger", "forecourt/pid"


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark as failed the CLI runs of this home still STARTED whose process is gone.

    A run killed with kill -9 never records its end, and an in-process run has no daemon
    watching its process. The caller holds the home lock, so no other CLI run of this home
    can be alive: any run but this process's own is an orphan, whatever its pid says now."""
    statuses = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    runs = instance.get_runs(dg.RunsFilter(statuses=statuses, tags={TRIGGER_TAG: "cli"}))
    failed = []
    for run in runs:
        pid = run.tags.get(PID_TAG)
        if pid == str(os.getpid()):
            continue
        instance.report_run_failed(
            run,
            message=f"Marked failed by the next forecourt command: its process (pid {pid or '?'}) "
            "is gone (killed, or the machine restarted) and the run never finished.",
        )
        # a step killed in the `warehouse` pool never gave its slot back: without this, every
        # later run's writers waited on it for ever ("Step still blocked by limit for pool")
        storage = instance.event_log_storage
        if storage.supports_global_concurrency_limits:
            storage.free_concurrency_slots_for_run(run.run_id)
        failed.append(run.run_id)
        print(f"Run {run.run_id[:8]} (pid {pid or '?'}) died without finishing: marked failed.")
    return failed


@dataclass(frozen=True)
class DayRange:
    start: dt.date
    end: dt.date

    def tags(self) -> dict[str, str]:
        return {
            "dagster/asset_partition_range_start": self.start.isoformat(),
            "dagster/asset_partition_range_end": self.end.isoformat(),
        }


def landed_days(landing: Path) -> DayRange | None:
    """The first and last day for which any daily feed has a landing file."""
    days = []
    for feed in DAILY_FEEDS:
        for path in (landing / feed).glob("*.csv*"):
            # A stray folder or misnamed copy ("2019-01-01.old.csv") is never loaded: it must
            # not stretch the range (and fail every feed on days without files).
            day = file_day(path)
            if day is not None and path.is_file():
                days.append(day)
    first, today = dt.date.fromisoformat(FIRST_DAY), dt.date.today()
    outside = sorted({d for d in days if not first <= d < today})
    if outside:
        # Such files are never loaded (ingestion reports them too); they must not stretch the run.
        print(
            f"Ignoring landing files for days outside the partitions ({first} .. yesterday): "
            f"{', '.join(str(d) for d in outside[:5])}{' ...' if len(outside) > 5 else ''}"
        )
    days = [d for d in days if first <= d < today]
    return DayRange(min(days), max(days)) if days else None


def resolve_range(
    home: ForecourtHome, partition: str | None, start: str | None, end: str | None
) -> DayRange:
    def parse(value: str, flag: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"{flag} {value!r} is not a date: use YYYY-MM-DD.") from None

    if partition and (start or end):
        raise UsageError("Give either --partition DAY or --from DAY --to DAY, not both.")
    if partition:
        day = parse(partition, "--partition")
        chosen = DayRange(day, day)
    elif start or end:
        landed = landed_days(home.landing)
        first = parse(start, "--from") if start else (landed.start if landed else None)
        last = parse(end, "--to") if end else (landed.end if landed else None)
        if first is None or last is None:
            raise UsageError("No landing files to infer the other end of the range from.")
        chosen = DayRange(first, last)
    else:
        landed = landed_days(home.landing)
        if landed is None:
            raise UsageError(
                f"No landing files under {home.landing}. Run 'forecourt generate' (demo data) "
                "or 'forecourt import ...' first."
            )
        chosen = landed
    if chosen.start > chosen.end:
        raise UsageError(f"--from {chosen.start} is after --to {chosen.end}.")
    if chosen.start < dt.date.fromisoformat(FIRST_DAY):
        raise UsageError(
            f"{chosen.start} is before the first partition {FIRST_DAY} (set FORECOURT_FIRST_DAY)."
        )
    if chosen.end >= dt.date.today():
        raise UsageError(
            f"{chosen.end} is not a complete day yet: the last partition is yesterday."
        )
    return chosen


def materialize(
    selection: str | None = None,
    partition: str | None = None,
    start: str | None = None,
    end: str | None = None,
    *,
    job_name: str = "cli_materialize_job",
    verbose: bool = False,
) -> dg.ExecuteInProcessResult:
    """Materialize the selection over the chosen days, in one run. By default: everything the
    home builds, with the reference data set of the source it imported, if any."""
    home = prepare_home()
    fail_orphaned_runs(dg.DagsterInstance.get())
    days = resolve_range(home, partition, start, end)
    ensure_manifest()
    from orchestration.definitions import defs  # after the manifest exists

    source = imported_source(home.landing)
    asset_selection = _selection(selection, defs) if selection is not None else (
        home_selection(source)
    )
    default = f"all assets (reference data set: {source})" if source else "all assets"
    print(f"Materializing {selection or default} for {days.start} .. {days.end} in {home.root}")
    log = log_path(home, "run")
    last_run_log.append(log)
    keys = asset_selection.resolve(defs.resolve_asset_graph())
    # Dagster's console logger prints every event at DEBUG, and dbt its progress: the console
    # gets one line per step instead, everything else goes to the run's log file (and the UI).
    run_config = {"loggers": {"cli": {"config": {"log_file": str(log), "verbose": verbose}}}}
    terminal, sys.stderr = sys.stderr, TraceFilter(sys.stderr, log)
    loggers.progress_stream = sys.stdout
    quiet = nullcontext() if verbose else redirect_stdout(sys.stderr.log)
    instance, run_id = dg.DagsterInstance.get(), str(uuid.uuid4())
    try:
        with quiet, stoppable(instance, run_id) as watch:
            result = defs.resolve_job_def(job_name).execute_in_process(
                run_config=run_config,
                instance=instance,
                asset_selection=sorted(keys),
                tags={**days.tags(), TRIGGER_TAG: "cli", PID_TAG: str(os.getpid())},
                raise_on_error=False,
                run_id=run_id,
            )
    finally:
        loggers.progress_stream = None
        sys.stderr.close()
        sys.stderr = terminal
    watch.check(result)  # Ctrl-C or SIGTERM: one line and 130 / 143, not the run's summary
    return result


def _selection(selection: str, defs) -> dg.AssetSelection:
    """The asset selection; an empty one, or one matching nothing, is a usage error (it used
    to run everything, or nothing and report success)."""
    graph = defs.resolve_asset_graph()
    groups = sorted({node.group_name for node in graph.asset_nodes if node.group_name})
    examples = f"e.g. 'group:raw' or 'key:marts/fct_sales+' (groups: {', '.join(groups)})"
    if not selection.strip():
        raise UsageError(f"--select is empty: give a selection, {examples}, or leave it out.")
    try:
        asset_selection = dg.AssetSelection.from_string(selection)
        keys = asset_selection.resolve(graph)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise UsageError(
            f"--select {selection!r} is not a selection ({first}); {examples}."
        ) from None
    if not keys:
        raise UsageError(f"--select {selection!r} matches no asset; {examples}.")
    return asset_selection


DISK_FULL = ("No space left on device", "Disk quota exceeded")


def failure_lines(result) -> list[str]:
    """One line per failed step: its key and the first line of what it raised (the user's
    error, not Dagster's "Error occurred while executing op" around it)."""
    lines = []
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None and error.cause is not None and (
            "Error occurred while executing" in error.message
        ):
            error = error.cause
        text = [line.strip() for line in (error.message if error else "").splitlines()]
        text = [line for line in text if line]
        first = text[0].split(": ", 1)[-1] if text else "no message"
        detail = f" {text[1]}" if len(text) > 1 else ""
        if error is not None and any(full in error.message for full in DISK_FULL):
            detail += " The disk is full: free some space or move the home, then re-run."
        lines.append(f"  step {event.step_key} failed: {first}{detail}")
    return lines


def warehouse_summary(home: ForecourtHome) -> list[tuple[str, int]]:
    """Row counts of every table in the warehouse's raw, marts and ml schemas."""
    if not home.warehouse.exists():
        return []
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('raw', 'marts', 'ml', 'ops') and table_type = 'BASE TABLE' "
            "order by 1, 2"
        ).fetchall()
        return [
            (
                f"{schema}.{name}",
                conn.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0],
            )
            for schema, name in tables
        ]

"""Raw assets: one per landing feed, loading a day's files into ``raw.<feed>`` (group ``raw``)."""

import datetime as dt
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
from pydantic import Field

from expectations.freshness import today
from landing.contract import DAILY_FEEDS, FEEDS, REFERENCE_FEEDS
from landing.home import ForecourtHome
from landing.ingestion import LandingFileError
from landing.ingestion.inventory import landing_inventory
from landing.ingestion.policy import ON_ERROR_CHOICES
from orchestration.partitions import daily_partitions, days_in
from orchestration.resources import WAREHOUSE_POOL, WarehouseResource

if TYPE_CHECKING:  # the loader (and pandas with it) is imported by a run, not by the Definitions
    from landing.ingestion.loader import LoadReport

# Single-run backfills are how history loads in one run; the beta notice is noise for operators.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)

# What each feed needs in the warehouse before its references can be checked.
UPSTREAM_FEEDS: dict[str, list[str]] = {
    feed: sorted({target.split(".")[0] for target in FEEDS[feed].references.values()} - {feed})
    for feed in FEEDS
}


class RawLoadConfig(dg.Config):
    """How a raw load treats a landing file it cannot load (landing/ingestion/policy.py)."""

    on_error: str | None = Field(
        default=None,
        description="'skip_file': leave a broken file out, load the other days, log it in "
        "raw.load_log and raw.rejects and fail the feed's skipped_files check; 'abort': fail "
        "the load naming the file, write nothing. Unset: skip_file for a range of days (a "
        "backfill), abort for one day.",
    )


def _preview_markdown(conn, feed: str, days_sql: str | None) -> str:
    where = f"where _partition_date in ({days_sql})" if days_sql else ""
    frame = conn.execute(
        f"select * exclude (_source_file, _load_id, _loaded_at) from raw.{feed} {where} limit 5"
    ).df()
    return frame.to_markdown(index=False) if not frame.empty else "_no rows_"


def _repairs_markdown(report: "LoadReport") -> str:
    if not report.repairs:
        return "_none_"
    lines = ["| file | repaired |", "|---|---|"]
    for path, notes in sorted(report.repairs.items()):
        lines.append(f"| {Path(path).name} | {'; '.join(notes)} |")
    return "\n".join(lines)


def _skipped_markdown(report: "LoadReport") -> str:
    if not report.skipped:
        return "_none_"
    lines = ["| day | file | why |", "|---|---|---|"]
    for skipped in report.skipped:
        why = skipped.reason.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {skipped.day} | {Path(skipped.path).name} | {why} |")
    return "\n".join(lines)


def _metadata(report: "LoadReport", table_rows: int, preview: str, notes: list[str]) -> dict:
    return {
        "dagster/row_count": table_rows,
        "files": report.files,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_rejected": report.rows_rejected,
        "rows_replaced": report.rows_replaced,
        "rows_added": report.rows_added,
        "rows_removed": report.rows_removed,
        "rows_changed": report.rows_changed,
        "redelivered_days": ", ".join(str(d) for d in report.redelivered_days[:20]) or "none",
        "files_repaired": len(report.repairs),
        "repairs": dg.MetadataValue.md(_repairs_markdown(report)),
        "landing_warnings": dg.MetadataValue.md("\n".join(f"- {n}" for n in notes) or "_none_"),
        "on_error": report.on_error,
        "files_skipped": len(report.skipped),
        "skipped_files": dg.MetadataValue.md(_skipped_markdown(report)),
        "accounting_balanced": report.balanced,
        "load_id": report.load_id,
        "seconds": round(report.seconds, 3),
        "rows_per_second": round(report.rows_read / report.seconds) if report.seconds else 0,
        "preview": dg.MetadataValue.md(preview),
    }


def _log_findings(context, feed: str, report: "LoadReport", notes: list[str]) -> None:
    if report.rows_rejected:
        context.log.warning(
            f"{feed}: {report.rows_rejected} of {report.rows_read} rows quarantined in raw.rejects "
            f"(load_id {report.load_id})"
        )
    for path, repairs in report.repairs.items():
        context.log.warning(f"{path}: repaired: {'; '.join(repairs)}")
    if report.redelivered_days:
        context.log.info(
            f"{feed}: re-delivered day(s) {', '.join(map(str, report.redelivered_days[:10]))}: "
            f"{report.rows_added} row(s) added, {report.rows_removed} removed, "
            f"{report.rows_changed} changed"
        )
    for note in notes:
        context.log.warning(f"{feed}: {note}")
    for skipped in report.skipped:
        context.log.error(
            f"{feed}: skipped {skipped.path} (day {skipped.day}, on_error=skip_file): "
            f"{skipped.reason}"
        )


def _run_load(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    feed: str,
    days,
    on_error: str | None = None,
) -> dg.MaterializeResult:
    from landing.ingestion.loader import load_feed

    if on_error is not None and on_error not in ON_ERROR_CHOICES:
        raise dg.Failure(f"on_error {on_error!r}: use one of {', '.join(ON_ERROR_CHOICES)}.")

    landing = ForecourtHome.from_env().landing
    last_partition = today() - dt.timedelta(days=1)
    notes = landing_inventory(
        landing, feed, daily_partitions.start.date(), last_partition
    ).warnings()
    try:
        with warehouse.connect() as conn:
            report = load_feed(conn, feed, landing, days, on_error=on_error)
            if warehouse.engine_name() == "spark":  # Spark reads the loaded days as Parquet
                from landing.spark_export import raw_dir
                from landing.spark_sync import export_load

                export_load(conn, feed, raw_dir(ForecourtHome.from_env().root), days)
            days_sql = ", ".join(f"date '{d}'" for d in days) if days else None
            table_rows = conn.execute(f"select count(*) from raw.{feed}").fetchone()[0]
            preview = _preview_markdown(conn, feed, days_sql)
    except LandingFileError as exc:
        raise dg.Failure(
            description=str(exc), metadata={"feed": feed, "error": str(exc)[:2000]}
        ) from None
    _log_findings(context, feed, report, notes)
    _mark_skipped_partitions(context, report)
    return dg.MaterializeResult(metadata=_metadata(report, table_rows, preview, notes))


def _mark_skipped_partitions(context: dg.AssetExecutionContext, report: "LoadReport") -> None:
    """Say, on each day's own materialization, whether its file was skipped.

    A run over a range of days (the single-run backfill) reports one materialization per day,
    the skipped day's included: Dagster 1.13 can neither fail one partition of a step that
    succeeds (it defines ``AssetMaterializationFailure`` but lets no asset emit one) nor leave
    it out without skipping every step downstream. So the skipped day's event carries
    ``skipped: true`` with the file and the reason, the run gets a ``forecourt/skipped_days``
    tag (searchable in the Runs page), and ``skipped_files_<feed>`` fails; the day's table
    keeps what it held before."""
    if context.assets_def.partitions_def is None:
        return
    keys = set(context.partition_keys)
    skipped = {s.day.isoformat(): s for s in report.skipped if s.day.isoformat() in keys}
    if not skipped:
        return
    for key in keys:
        entry = skipped.get(key)
        context.add_asset_metadata(
            {"skipped": True, "skipped_file": Path(entry.path).name, "skip_reason": entry.reason}
            if entry
            else {"skipped": False},
            partition_key=key,
        )
    tag = ",".join(sorted(skipped))
    context.instance.add_run_tags(
        context.run_id, {"forecourt/skipped_days": tag if len(tag) <= 200 else tag[:197] + "..."}
    )


def _daily_feed_asset(feed: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=feed,
        key_prefix=["raw"],
        group_name="raw",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        description=f"{FEEDS[feed].description} Loaded from landing/{feed}/<day>.csv.",
        partitions_def=daily_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=[dg.AssetKey(["raw", upstream]) for upstream in UPSTREAM_FEEDS[feed]],
        owners=["team:data-engineering"],
        tags={"feed_cadence": FEEDS[feed].cadence},
    )
    def _asset(
        context: dg.AssetExecutionContext, config: RawLoadConfig, warehouse: WarehouseResource
    ):
        return _run_load(context, warehouse, feed, days_in(context), config.on_error)

    return _asset


def _reference_feed_asset(feed: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=feed,
        key_prefix=["raw"],
        group_name="raw",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        description=f"{FEEDS[feed].description} Reference feed, replaced whole from "
        f"landing/{feed}/{feed}.csv.",
        owners=["team:data-engineering"],
        tags={"feed_cadence": "reference"},
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        return _run_load(context, warehouse, feed, None)

    return _asset


raw_reference_assets = [_reference_feed_asset(feed) for feed in REFERENCE_FEEDS]
raw_daily_assets = [_daily_feed_asset(feed) for feed in DAILY_FEEDS]
raw_assets = raw_reference_assets + raw_daily_assets

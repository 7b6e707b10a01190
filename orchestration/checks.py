"""Asset checks on raw, marts and ml: expectation suites, drift warnings and freshness.

- ``gx_<suite>``: a Great Expectations suite (``expectations/suites/<suite>.json``) on the rows
  its ``meta.scope`` names. Blocking (severity ERROR) where ``meta.blocking`` says so: a failure
  stops the assets downstream of the checked one in that run. Add a suite: write the JSON and
  add its name to ``GX_SUITES``.
- ``volume_drift_<feed>``, ``price_drift_<feed>``, ``rejected_share_<feed>``: warnings (WARN,
  never blocking) comparing the latest load with the feed's trailing weeks, knowing the dealer
  calendar (``expectations/drift.py``, ``landing/calendar.py``);
- ``freshness_<feed>``: fails (ERROR, not blocking) when the latest due day's file has not been
  loaded (``expectations/freshness.py``).
- ``skipped_files_<feed>``: fails (ERROR, not blocking) naming the files a backfill left out
  as unloadable (``on_error=skip_file``, ``landing/ingestion/policy.py``) until they are
  re-delivered and loaded; the good days build on.
  A feed's freshness, skipped-files and drift checks share one step (``monitor_<feed>``),
  which can run any subset of them, so a daily run does not pay a step per warning.

Every result carries its numbers and a Markdown table in the metadata (``status``: validated,
skipped, empty or not_enough_history), and a description that says what failed. A suite that
validated nothing is never reported as passed: a suite the home's source profile marks as not
applicable (``expectations/profile.py``), an empty delivery whose suite says ``meta.when_empty``
``warn``, and an empty scope on a home too young to fill it (``meta.needs_history``,
``expectations/history.py``) give ``passed=False`` with severity WARN and the reason, so the
check is amber, blocks nothing and pages nobody. Checks read the warehouse through a brief
read-only connection.
"""

from typing import TYPE_CHECKING

import dagster as dg

from expectations import drift
from expectations.profile import adapt_suite
from expectations.runner import SUITES_DIR, load_suite
from landing.contract import FEEDS
from landing.home import ForecourtHome
from orchestration.resources import WarehouseResource

# pandas loads in the check bodies, not with the Definitions. Hints naming it are quoted: dagster
# reads the decorated functions' hints, and cannot resolve Config ones that are strings.
if TYPE_CHECKING:
    import pandas as pd

GX_SUITES = (
    "dealers",
    "customers",
    "vehicles",
    "price_changes",
    "sales",
    "service_visits",
    "market_listings",
    "fct_sales",
    "demand_weekly",
    "dim_vehicles",
)

ERROR, WARN = dg.AssetCheckSeverity.ERROR, dg.AssetCheckSeverity.WARN


def _markdown(frame: "pd.DataFrame", rows: int = 15) -> dg.MetadataValue:
    if frame.empty:
        return dg.MetadataValue.md("_nothing to show_")
    return dg.MetadataValue.md(frame.head(rows).to_markdown(index=False, floatfmt=".4g"))


def _not_run_result(
    status: str, reason: str, blocking: bool, scope: dict | None = None
) -> dg.AssetCheckResult:
    """A suite that validated nothing: not passed (so never green), WARN (so it blocks nothing
    and pages nobody), with the reason in the description and metadata. Dagster has no
    "skipped" result, and a check that yields nothing is only "skipped" for that run, without
    a reason the UI can show."""
    return dg.AssetCheckResult(
        passed=False,
        severity=WARN,
        description=reason,
        metadata={
            "status": status,
            "reason": reason,
            **{k: v for k, v in (scope or {}).items() if v is not None},
            "blocking": blocking,
            "rows_validated": 0,
        },
    )


def _suite_result(context, warehouse: WarehouseResource, spec: dict) -> dg.AssetCheckResult:
    import duckdb

    from expectations.history import young_home_reason
    from expectations.runner import validate_frame  # imports GX: seconds, so only when run
    from expectations.scope import describe_scope, read_scope, read_scope_from, relation_of

    blocking = bool(spec["meta"].get("blocking"))
    severity = ERROR if blocking else dg.AssetCheckSeverity(spec["meta"].get("severity", "WARN"))
    # An imported export may lack this data or sell at other prices (expectations/profile.py)
    spec, adapted = adapt_suite(spec, ForecourtHome.from_env().source_profile)
    if spec is None:
        return _not_run_result("skipped", adapted, blocking)
    young = None
    # The raw feeds are loaded (and checked) in DuckDB on every engine; the marts are read on
    # the engine that holds them.
    on_engine = warehouse.engine_name() != "duckdb" and relation_of(spec).split(".")[0] != "raw"
    try:
        with warehouse.connect(read_only=True) as conn:
            young = young_home_reason(conn, spec)
            frame = None if on_engine else read_scope(conn, spec)
            scope = describe_scope(conn, spec)
        if on_engine:
            frame = read_scope_from(warehouse.tables(), spec)
    except (duckdb.CatalogException, FileNotFoundError, LookupError) as exc:
        if young:  # a feed that never delivered yet has no table either
            return _not_run_result("not_enough_history", f"{spec['name']}: {young}.", blocking)
        return dg.AssetCheckResult(
            passed=False,
            severity=severity,
            description=f"Nothing to validate: {exc}",
            metadata={"status": "failed", "blocking": blocking, "rows_validated": 0},
        )
    if frame.empty and young:  # a home's first days: absent rows are no defect yet
        return _not_run_result("not_enough_history", f"{spec['name']}: {young}.", blocking, scope)
    when_empty = spec["meta"].get("when_empty")
    if frame.empty and when_empty and when_empty["action"] == "warn":
        reason = f"Empty delivery: no row in the suite's scope. {when_empty['why']}"
        return _not_run_result("empty", reason, blocking, scope)
    result = validate_frame(frame, spec)
    metadata = {
        "status": "validated",
        **{k: v for k, v in scope.items() if v is not None},
        "suite": str(SUITES_DIR / f"{spec['name']}.json"),
        "blocking": blocking,
        "rows_validated": result.row_count,
        "expectations": len(result.outcomes),
        "failed_expectations": len(result.failed),
        "unexpected_values": sum(o.unexpected_count or 0 for o in result.failed),
        "results": dg.MetadataValue.md(result.to_markdown()),
        "notes": dg.MetadataValue.md(f"- {adapted}" if adapted else "_none_"),
    }
    for outcome in result.failed:
        label = f"failed: {outcome.column or 'table'} {outcome.expectation}"
        metadata[label] = outcome.sentence()
    if not result.success:
        context.log.warning(result.summary())
    return dg.AssetCheckResult(
        passed=result.success, severity=severity, metadata=metadata, description=result.summary()
    )


def gx_check(suite_name: str, spec: dict | None = None) -> dg.AssetChecksDefinition:
    """The asset check that validates one suite (its JSON says asset, blocking and scope)."""
    spec = spec or load_suite(suite_name)
    meta = spec["meta"]

    @dg.asset_check(
        asset=dg.AssetKey(meta["asset_key"]),
        name=f"gx_{suite_name}",
        blocking=bool(meta.get("blocking")),
        description=f"{meta.get('description', '')} (Great Expectations suite "
        f"expectations/suites/{suite_name}.json; "
        f"{'blocking' if meta.get('blocking') else 'warning'}). A run that validates no row "
        "(a suite the imported source cannot supply, or an empty delivery) is a warning with "
        "metadata status and reason, never a pass.",
        metadata={"suite": f"expectations/suites/{suite_name}.json"},
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        return _suite_result(context, warehouse, spec)

    return _check


def _drift_result(feed: str, kind: str, days: "pd.DataFrame") -> dg.AssetCheckResult:
    flagged = days[days["flagged"]] if not days.empty else days
    subject = "volume" if kind == "volume_drift" else "median price"
    reason = drift.not_enough_history(feed, kind, days)
    if reason:
        description = f"{feed}: {subject} not judged, {reason}."
    elif len(flagged):
        shown = ", ".join(str(d) for d in flagged["day"].head(10))
        description = (
            f"{feed}: {len(flagged)} day(s) of the latest load with an unusual {subject}: {shown}"
        )
    else:
        description = f"{feed}: {subject} of the latest load within the trailing norm."
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", feed]),
        check_name=f"{kind}_{feed}",
        passed=flagged.empty,
        severity=WARN,
        description=description,
        metadata={
            "days_evaluated": len(days),
            "days_judged": int(days["judged"].sum()) if "judged" in days else 0,
            "days_flagged": len(flagged),
            "reason": reason or "judged against the trailing norm",
            "flagged_days": _markdown(flagged),
            "recent_days": _markdown(days.tail(10)),
        },
    )


def _rejected_share_result(feed: str, summary: dict, files: "pd.DataFrame") -> dg.AssetCheckResult:
    reasons = "\n".join(f"- {n} × {reason}" for reason, n in summary["top_reasons"])
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", feed]),
        check_name=f"rejected_share_{feed}",
        passed=not summary["flagged"],
        severity=WARN,
        description=(
            f"{feed}: {summary['rows_rejected']} of {summary['rows_read']} rows "
            f"({summary['share']:.1%}) of the latest load quarantined in raw.rejects"
            + (f". Top reasons:\n{reasons}" if reasons else ".")
        ),
        metadata={
            "load_id": summary["load_id"] or "",
            "rows_read": summary["rows_read"],
            "rows_rejected": summary["rows_rejected"],
            "rejected_share": round(summary["share"], 4),
            "files_over_threshold": int(files["flagged"].sum()),
            "worst_files": _markdown(files),
        },
    )


def _freshness_result(feed: str, conn, run_tags) -> dg.AssetCheckResult:
    from expectations.freshness import freshness, resolve_as_of

    as_of, reason = resolve_as_of(run_tags)
    status = freshness(conn, ForecourtHome.from_env().landing, feed, as_of, reason)
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", feed]),
        check_name=f"freshness_{feed}",
        passed=status.loaded or status.not_due_yet,
        severity=ERROR,
        description="\n".join([status.description(), *status.landing_warnings]),
        metadata={
            "as_of": str(status.as_of),
            "as_of_reason": status.reason,
            "due_day": str(status.due),
            "loaded": status.loaded,
            "not_due_yet": status.not_due_yet,
            "landed": status.landed,
            "last_loaded_day": str(status.last_loaded_day or ""),
            "days_behind": -1 if status.days_behind is None else status.days_behind,
            "landing_warnings": len(status.landing_warnings),
        },
    )


def _skipped_files_result(feed: str, conn) -> dg.AssetCheckResult:
    from landing.ingestion.policy import still_skipped_sql

    skipped = conn.execute(still_skipped_sql(), [feed]).df()
    if skipped.empty:
        description = f"{feed}: no landing file left out of a load."
    else:
        named = "; ".join(
            f"{day}: {path}"
            for day, path in zip(skipped["day"], skipped["source_file"], strict=True)
        )
        description = (
            f"{feed}: {len(skipped)} day(s) whose file was skipped (on_error=skip_file), not "
            f"loaded: {named}. See raw.rejects for why; re-deliver the file and re-run the day."
        )
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", feed]),
        check_name=f"skipped_files_{feed}",
        passed=skipped.empty,
        severity=ERROR,
        description=description,
        metadata={
            "days_skipped": len(skipped),
            "skipped_days": ", ".join(str(d) for d in skipped["day"][:20]) or "none",
            "skipped_files": _markdown(skipped, rows=20),
        },
    )


def _monitor_specs(feed: str) -> list[dg.AssetCheckSpec]:
    key, cadence = dg.AssetKey(["raw", feed]), FEEDS[feed].cadence
    descriptions = {
        "freshness": f"The {cadence} drop for the latest due day has been loaded (that day: the "
        "one before FORECOURT_TODAY, else the run's last partition, else yesterday).",
        "volume_drift": f"Rows per day of the latest load vs the same weekday in the trailing "
        f"weeks (robust z > {drift.VOLUME_Z:g}, or no row on a due day); holidays and "
        "closures (landing/calendar.py) are judged only where the calendar does not explain "
        "them; a warning.",
        "price_drift": f"Daily median {drift.PRICE_COLUMNS.get(feed)} vs the trailing "
        f"{drift.window_days(feed)[0]} days (z > {drift.PRICE_Z:g} and a shift over "
        f"{drift.PRICE_MIN_SHIFT:.0%}); a warning.",
        "skipped_files": "No day's latest delivery was left out of its load as unloadable "
        "(on_error=skip_file); fails (ERROR, not blocking: the good days build on) naming the "
        "files until good deliveries of those days are loaded.",
        "rejected_share": f"Quarantined rows in the latest load (over {drift.REJECTED_SHARE:.0%}, "
        f"or {drift.REJECTED_SHARE_PER_FILE:.0%} of a file); a warning.",
    }
    kinds = ["rejected_share"]
    if cadence != "reference":
        kinds = [
            "freshness",
            "skipped_files",
            "volume_drift",
            *(["price_drift"] if feed in drift.PRICE_COLUMNS else []),
            *kinds,
        ]
    return [dg.AssetCheckSpec(f"{k}_{feed}", asset=key, description=descriptions[k]) for k in kinds]


def feed_monitor(feed: str) -> dg.AssetChecksDefinition:
    """Freshness and the drift warnings of one feed, in one step (each can run on its own)."""
    specs = _monitor_specs(feed)

    @dg.multi_asset_check(specs=specs, name=f"monitor_{feed}", can_subset=True)
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        selected = {key.name for key in context.selected_asset_check_keys}
        with warehouse.connect(read_only=True) as conn:
            if f"freshness_{feed}" in selected:
                yield _freshness_result(feed, conn, context.run.tags)
            if f"skipped_files_{feed}" in selected:
                yield _skipped_files_result(feed, conn)
            if f"volume_drift_{feed}" in selected:
                yield _drift_result(feed, "volume_drift", drift.volume_drift(conn, feed))
            if f"price_drift_{feed}" in selected:
                yield _drift_result(feed, "price_drift", drift.price_drift(conn, feed))
            if f"rejected_share_{feed}" in selected:
                yield _rejected_share_result(feed, *drift.rejected_share(conn, feed))

    return _checks


gx_checks = [gx_check(name) for name in GX_SUITES]
feed_checks = [feed_monitor(feed) for feed in FEEDS]

"""What a CLI run did, in a few lines: assets built, checks passed and failed by name, rows
quarantined. The per-table row counts stay in the UI and in ``forecourt materialize
--verbose``; a person reading the console wants the verdict first."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import duckdb

from landing.home import ForecourtHome

MAX_NAMED = 12  # failed checks named one by one; more are counted


# What a suite that validated nothing says in its metadata (orchestration/checks.py): amber in
# the UI, and here "not run" with the status, not "FAILED (blocking)", since it blocked nothing.
NOT_RUN = ("skipped", "empty", "not_enough_history")


def _not_run_status(evaluation) -> str | None:
    status = evaluation.metadata.get("status")
    status = getattr(status, "value", status)
    return status if not evaluation.passed and status in NOT_RUN else None


def check_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    evaluations = result.get_asset_check_evaluations()
    not_run = [e for e in evaluations if _not_run_status(e)]
    failed = [e for e in evaluations if not e.passed and not _not_run_status(e)]
    passed = len(evaluations) - len(failed) - len(not_run)
    lines = [f"Checks: {passed} passed, {len(failed)} failed"
             + (f", {len(not_run)} not run" if not_run else "")]
    for e in failed[:MAX_NAMED]:
        level = "blocking" if e.blocking else e.severity.value.lower()
        lines.append(f"  FAILED {e.asset_key.to_user_string()}:{e.check_name} ({level})")
    if len(failed) > MAX_NAMED:
        lines.append(f"  ... and {len(failed) - MAX_NAMED} more (see the UI)")
    for e in not_run[:MAX_NAMED]:
        lines.append(
            f"  not run {e.asset_key.to_user_string()}:{e.check_name} ({_not_run_status(e)})"
        )
    return lines


def quarantine_lines(home: ForecourtHome) -> list[str]:
    if not home.warehouse.exists():
        return []
    with duckdb.connect(str(home.warehouse), read_only=True) as conn:
        exists = conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'rejects'"
        ).fetchone()[0]
        rows = conn.execute("select feed, count(*) from raw.rejects group by 1").fetchall() if (
            exists
        ) else []
    by_feed = Counter(dict(rows))
    if not by_feed:
        return ["Rows quarantined: 0"]
    detail = ", ".join(f"{feed} {count:,}" for feed, count in sorted(by_feed.items()))
    return [f"Rows quarantined: {sum(by_feed.values()):,} ({detail}; see raw.rejects)"]


def run_lines(result: dg.ExecuteInProcessResult, seconds: float, home: ForecourtHome) -> list[str]:
    built = {e.asset_key for e in result.get_asset_materialization_events()}
    outcome = "succeeded" if result.success else "FAILED"
    job = result.dagster_run.job_name
    return [
        f"Run {outcome} in {seconds:.0f} s ({job}, run {result.run_id[:8]}): "
        f"{len(built)} assets built",
        *check_lines(result),
        *quarantine_lines(home),
    ]

"""What a CLI run did, in a few lines: assets built, checks passed and failed by name, rows
quarantined. The per-table row counts stay in the UI and in ``forecourt materialize
--verbose``; a person reading the console wants the verdict first."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import duckdb

from landing.home import ForecourtHome

MAX_NAMED = 12  # failed checks named one by one; more are counted


def check_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    evaluations = result.get_asset_check_evaluations()
    failed = [e for e in evaluations if not e.passed]
    lines = [f"Checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed"]
    for e in failed[:MAX_NAMED]:
        level = "blocking" if e.blocking else e.severity.value.lower()
        lines.append(f"  FAILED {e.asset_key.to_user_string()}:{e.check_name} ({level})")
    if len(failed) > MAX_NAMED:
        lines.append(f"  ... and {len(failed) - MAX_NAMED} more (see the UI)")
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

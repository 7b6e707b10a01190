"""inventory_daily built in dealer batches (a budget of units per statement, the dbt var
inventory_daily_batch_units) has the rows of the same build in one statement: from scratch,
incrementally after an old day is re-delivered, and with --full-refresh. Three small
generated dealers; a budget below one dealer's units makes each dealer a batch of its own, and
the dbt log shows the post-hook's statements for the second and third, and the first day each
statement rebuilt: the re-delivered sale's day, not earlier (the change detection compares
per-day fingerprints), and no statement at all when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from landing.generator import generate
from orchestration.project import DBT_PROJECT_DIR
from tests.e2e.test_inventory_daily_incremental import MARTS, days, load, remove_a_sale

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 45
LAST = START + dt.timedelta(days=DAYS - 1)
COLUMNS = MARTS["marts.inventory_daily"]
ONE_DEALER_A_BATCH = "{inventory_daily_batch_units: 100}"  # each dealer holds several hundred


# the first rebuilt day, as each of the post-hook's insert statements renders it
REBUILT_FROM = re.compile(r"cast\('(\d{4}-\d{2}-\d{2})' as date\) as start_date")


def dbt(work: Path, warehouse: Path, *args: str, budget: str | None = None) -> tuple[int, set]:
    """Run dbt on the path to inventory_daily; the batch statements the post-hook ran after
    the first, and the first days its statements rebuilt."""
    logs = work / f"logs_{warehouse.stem}"
    shutil.rmtree(logs, ignore_errors=True)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            *args,
            *(["--vars", budget] if budget else []),
            "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(work / f"target_{warehouse.stem}"),
            "--log-path", str(logs),
            "--select", "+inventory_daily",
        ],
        env={**os.environ, "FORECOURT_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}"
    log = (logs / "dbt.log").read_text(encoding="utf-8")
    # each of the post-hook's statements but the first names the lower bound of its dealers
    return log.count("vehicles.dealer_id >"), set(REBUILT_FROM.findall(log))


def differences(one: Path, other: Path) -> tuple[int, int]:
    """inventory_daily's rows in `one`, and the rows in either and not the other."""
    with duckdb.connect(str(one), read_only=True) as conn:
        conn.execute(f"attach '{other}' as other (read_only)")
        mine = f"select {COLUMNS} from marts.inventory_daily"
        theirs = f"select {COLUMNS} from other.marts.inventory_daily"
        (rows,) = conn.execute(f"select count(*) from ({mine})").fetchone()
        (different,) = conn.execute(
            f"select count(*) from (({mine} except all {theirs}) "
            f"union all ({theirs} except all {mine}))"
        ).fetchone()
    return rows, different


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("inventory_daily_batches")
    landing, batched = work / "landing", work / "batched.duckdb"
    generate(landing, start=START, days=DAYS, dealers=3, seed=7)
    load(batched, landing, days(START, LAST - dt.timedelta(days=1)))
    whole = work / "whole.duckdb"
    shutil.copyfile(batched, whole)
    stages = {}

    batch_statements, rebuilt = dbt(work, batched, "run", budget=ONE_DEALER_A_BATCH)
    dbt(work, whole, "run")
    stages["from scratch"] = (batch_statements, differences(batched, whole))
    stages["from scratch rebuilt"] = rebuilt, {str(START)}

    # a new day and an old day re-delivered without a sale: rebuilt from the old day on
    changed_days, *_ = remove_a_sale(landing)
    for warehouse in (batched, whole):
        load(warehouse, landing, [*changed_days, LAST])
    batch_statements, rebuilt = dbt(work, batched, "run", budget=ONE_DEALER_A_BATCH)
    dbt(work, whole, "run", "--full-refresh")
    stages["incremental"] = (batch_statements, differences(batched, whole))
    stages["incremental rebuilt"] = rebuilt, {str(min(changed_days))}

    # the same data again: nothing to rebuild, no insert statement
    _, rebuilt = dbt(work, batched, "run", budget=ONE_DEALER_A_BATCH)
    stages["unchanged rebuilt"] = rebuilt, set()

    batch_statements, _ = dbt(work, batched, "run", "--full-refresh", budget=ONE_DEALER_A_BATCH)
    stages["full refresh"] = (batch_statements, differences(batched, whole))
    return stages


@pytest.mark.parametrize("stage", ["from scratch", "incremental", "full refresh"])
def test_a_build_in_dealer_batches_equals_one_in_a_single_statement(builds, stage):
    batch_statements, (rows, different) = builds[stage]
    assert batch_statements == 2, "the post-hook should have built dealers 2 and 3 apart"
    assert rows > 0
    assert different == 0


@pytest.mark.parametrize("stage", ["from scratch", "incremental", "unchanged"])
def test_a_run_rebuilds_from_the_earliest_changed_day_and_no_earlier(builds, stage):
    rebuilt, expected = builds[f"{stage} rebuilt"]
    assert rebuilt == expected

"""market_listings_weekly before and after it turned incremental, on a cached bench zone.

    python -m bench.market_listings_weekly ZONE WORK FIRST LAST NEW_DAY [--before COMMIT]
        [--spill-cap 3GB]

Loads raw.market_listings (only that feed: the model reads nothing else but the load log) for
FIRST..LAST into WORK/base.duckdb, then per variant (`before`: the dbt project at COMMIT, a
table rebuilt whole with a row_number() window; `after`: the checkout's HEAD) on a copy of it:
a full build, NEW_DAY loaded and the daily run, a run with nothing new, and (after) a
--full-refresh. Prints and writes WORK/figures.json: the model's time from run_results.json
and the peak size of DuckDB's spill folder (sampled every 0.5 s), under the bench's limits
(4GB, 2 threads) and a spill cap so a spill that cannot fit fails instead of filling the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import yaml

from bench.harness import REPO_ROOT
from landing.ingestion import load_feed

DBT = str(Path(sys.executable).with_name("dbt"))
COLUMNS = (
    "week_start, region, make, model, listings, competitors, median_asking_price, "
    "avg_asking_price, min_asking_price, max_asking_price, median_mileage, "
    "median_days_on_market, avg_model_year"
)


def load(warehouse: Path, zone: Path, first: dt.date, last: dt.date) -> dict:
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    with duckdb.connect(str(warehouse)) as conn:
        report = load_feed(conn, "market_listings", zone, days, on_error="abort")
    return {"rows": report.rows_loaded, "seconds": round(report.seconds, 1)}


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def profiles(variant: Path, spill_cap: str) -> Path:
    """The project's profile with the bench's DuckDB limits and a spill folder of the variant."""
    profile = yaml.safe_load((variant / "dbt_project" / "profiles.yml").read_text())
    duck = profile["forecourt"]["outputs"]["duckdb"]
    duck["settings"] = {"memory_limit": "4GB", "threads": 2, "max_temp_directory_size": spill_cap}
    duck["config_options"] = {"temp_directory": str(variant / "spill")}
    (variant / "profiles").mkdir(exist_ok=True)
    (variant / "profiles" / "profiles.yml").write_text(yaml.safe_dump(profile))
    return variant / "profiles"


def dbt_run(variant: Path, spill_cap: str, *args: str) -> dict:
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], folder_size(variant / "spill"))

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    result = subprocess.run(
        [DBT, "run", *args, "--select", "+market_listings_weekly",
         "--project-dir", str(variant / "dbt_project"),
         "--profiles-dir", str(profiles(variant, spill_cap)),
         "--target-path", str(variant / "target"), "--log-path", str(variant / "logs")],
        env={**os.environ, "FORECOURT_WAREHOUSE": str(variant / "warehouse.duckdb")},
        capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    results = json.loads((variant / "target" / "run_results.json").read_text())["results"]
    node = next(r for r in results if r["unique_id"].endswith(".market_listings_weekly"))
    error = None if result.returncode == 0 else node.get("message") or result.stdout[-800:]
    return {
        "ok": result.returncode == 0,
        "model_s": round(node["execution_time"], 2),
        "dbt_wall_s": round(wall, 1),
        "spill_peak_mb": round(peak[0] / 1e6, 1),
        "error": error,
    }


def differing_rows(before: Path, after: Path) -> int | None:
    """Rows of the two variants' final tables in one and not the other (None: one is missing)."""
    with duckdb.connect(str(after), read_only=True) as conn:
        conn.execute(f"attach '{before}' as before_variant (read_only)")
        mine = f"select {COLUMNS} from marts.market_listings_weekly"
        theirs = f"select {COLUMNS} from before_variant.marts.market_listings_weekly"
        try:
            (count,) = conn.execute(
                f"select count(*) from (({mine} except all {theirs}) "
                f"union all ({theirs} except all {mine}))"
            ).fetchone()
        except duckdb.CatalogException:
            return None
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zone", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("first", type=dt.date.fromisoformat)
    parser.add_argument("last", type=dt.date.fromisoformat)
    parser.add_argument("new_day", type=dt.date.fromisoformat)
    parser.add_argument("--before", default="07cc708", help="commit of the window version")
    parser.add_argument("--spill-cap", default="3GB")
    args = parser.parse_args()
    work, base = args.work, args.work / "base.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    figures = {"zone": str(args.zone), "days": f"{args.first}..{args.last}, then {args.new_day}",
               "limits": f"4GB, 2 threads, spill cap {args.spill_cap}"}  # fmt: skip
    if not base.exists():
        figures["load"] = load(base, args.zone, args.first, args.last)
    for name in ("before", "after"):
        variant = work / name
        shutil.rmtree(variant, ignore_errors=True)
        variant.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "archive", args.before if name == "before" else "HEAD",
             "dbt_project"], capture_output=True, check=True,
        ).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(variant)], input=archive, check=True)
        shutil.copyfile(base, variant / "warehouse.duckdb")
        runs = {"full build": dbt_run(variant, args.spill_cap)}
        runs["new day load"] = load(variant / "warehouse.duckdb", args.zone, args.new_day,
                                    args.new_day)  # fmt: skip
        runs["daily run"] = dbt_run(variant, args.spill_cap)
        runs["nothing new"] = dbt_run(variant, args.spill_cap)
        if name == "after":
            runs["full refresh"] = dbt_run(variant, args.spill_cap, "--full-refresh")
        figures[name] = runs
        shutil.rmtree(variant / "spill", ignore_errors=True)
    figures["rows differing (before, after)"] = differing_rows(
        work / "before" / "warehouse.duckdb", work / "after" / "warehouse.duckdb"
    )
    figures["load average"] = [round(x, 1) for x in os.getloadavg()]
    (work / "figures.json").write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()

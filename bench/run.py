"""Run Forecourt's benchmarks and write bench/results.json and bench/results.md (--out).

    python -m bench.run --profile small --out bench/results_small.json   # make bench-small
    python -m bench.run --profile full             # make bench: 1M/10M rows, 1/2/5 years
    python -m bench.run --profile tiny --only ingestion --out /tmp/x   # the smoke test's size

Generated landing zones are cached in /tmp/forecourt_bench/data (FORECOURT_BENCH_CACHE); each
run's homes and databases go to a fresh temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench import definitions_load, ingestion, refresh
from bench.datasets import ZoneSpec, days_for_rows, ensure_zone
from bench.harness import environment, memory_total_mb, run_task
from bench.report import markdown

SECTIONS = ("ingestion", "refresh", "definitions", "forecast", "forecast_spark")
HOME_VARIABLES = ("FORECOURT_HOME", "DAGSTER_HOME", "FORECOURT_WAREHOUSE")


@dataclass(frozen=True)
class Profile:
    ingestion_zone: ZoneSpec
    ingestion_rows: tuple[int, ...]
    refresh_zone: ZoneSpec
    histories: tuple[int, ...]
    forecast_series: tuple[int, ...]
    forecast_weeks: int = 104
    spark_series: tuple[int, ...] = (400,)  # the same forecast on local Spark (needs Java)
    forecast_prophet_sample: int = 0  # run the Prophet loop on a sample above this many series
    repeats: int = 1
    load_repeats: int = 2
    memory_limit: str = "4GB"
    threads: int = 2
    dbt_threads: int = 2  # dbt models built at once (they share memory_limit)
    daily_job: bool = True  # also run the daily_refresh_job at the largest history
    # pandas + to_sql into DuckDB costs about 1.4 s a file (4 minutes at 1M rows): above this
    # many rows it runs on the first files and the rest is extrapolated (0: always whole).
    pandas_sample_rows: int = 0
    notes: list[str] = field(default_factory=list)


PROFILES = {
    "tiny": Profile(ZoneSpec(2, 30), (100,), ZoneSpec(2, 24), (10, 20), (6,),
                    forecast_weeks=60, spark_series=(6,), load_repeats=1, memory_limit="1GB"),
    # Two histories are enough for the growth ratio (first to last); each one costs a full
    # refresh, so a middle point would add minutes and no new measure.
    "small": Profile(ZoneSpec(100, 180, 9.0), (100_000, 1_000_000), ZoneSpec(4, 368),
                     (90, 365), (50, 100), load_repeats=1, pandas_sample_rows=100_000),
    # The 10M zone (5 years, 100 rooftops at demand x9) serves every full benchmark.
    # At 1,000 and 10,000 series the Prophet loop runs on 200 sampled series, extrapolated.
    "full": Profile(ZoneSpec(100, 1826, 9.0), (1_000_000, 10_000_000), ZoneSpec(100, 1826, 9.0),
                    (365, 730, 1824), (1_000, 10_000), forecast_prophet_sample=200,
                    spark_series=(400, 2000), load_repeats=3, memory_limit="6GB",
                    pandas_sample_rows=1_000_000,
                    # two heavy models at once spilled together until the disk was full
                    dbt_threads=1),
}


def run(profile: Profile, only: list[str], out: Path, md: Path, name: str, log=print,
        keep_homes: Path | None = None, **overrides) -> dict:
    """Run the chosen sections of a profile (fields replaced by `overrides`); write and return
    the results. `keep_homes`: where the refresh homes go when done (default: deleted)."""
    profile = replace(profile, **{k: v for k, v in overrides.items() if v})
    results: dict = {"profile": name, "environment": environment(),
                     "duckdb_limits": {"memory_limit": profile.memory_limit,
                                       "threads": profile.threads},
                     "generator": {}, "seconds": None, "section_seconds": {}}
    results.update({section: None for section in SECTIONS})
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix=f"forecourt_bench_{name}_"))
    # Nothing a benchmark starts may touch the user's FORECOURT_HOME (e.g. ./data).
    saved = {k: os.environ.get(k) for k in HOME_VARIABLES}
    os.environ.update(FORECOURT_HOME=str(workdir / "home"),
                      DAGSTER_HOME=str(workdir / "home" / "dagster"),
                      FORECOURT_WAREHOUSE=str(workdir / "home" / "warehouse.duckdb"))
    limits = {"memory_limit": profile.memory_limit, "threads": profile.threads}

    def save(finished: bool) -> None:
        # Written after every section too: the full profile runs for hours, and a run stopped
        # (or killed by the machine) keeps the sections it finished, marked unfinished.
        results["seconds"] = round(time.perf_counter() - started, 1)
        results["finished"] = finished
        results["memory_budget_mb"] = round(memory_total_mb() / 2, 1)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        md.write_text(markdown(results))

    try:
        if "ingestion" in only:
            lap = time.perf_counter()
            log(f"Ingestion (sales feed), {profile.ingestion_rows} rows")
            landing, record = ensure_zone(profile.ingestion_zone, log)
            results["generator"]["ingestion_zone"] = record
            sizes = {n: days_for_rows(landing, "sales", n, profile.ingestion_zone.days)[0]
                     for n in profile.ingestion_rows}
            results["ingestion"] = ingestion.run(landing, sizes, workdir, profile.repeats,
                                                 log=log, **limits,
                                                 pandas_sample_rows=profile.pandas_sample_rows)
            results["section_seconds"]["ingestion"] = round(time.perf_counter() - lap, 1)
            save(finished=False)
        if "refresh" in only:
            lap = time.perf_counter()
            log(f"Daily run against full refresh, histories {profile.histories} days")
            landing, record = ensure_zone(profile.refresh_zone, log)
            results["generator"]["refresh_zone"] = record
            results["refresh"] = refresh.run(profile.refresh_zone, landing,
                                             list(profile.histories), workdir, log=log,
                                             daily_job=profile.daily_job,
                                             dbt_threads=profile.dbt_threads, keep=keep_homes,
                                             **limits)
            results["section_seconds"]["refresh"] = round(time.perf_counter() - lap, 1)
            save(finished=False)
        if "definitions" in only:
            lap = time.perf_counter()
            log("Definitions load: prebuilt manifest against dbt parse + load")
            results["definitions"] = definitions_load.run(workdir, profile.load_repeats, log)
            results["section_seconds"]["definitions"] = round(time.perf_counter() - lap, 1)
            save(finished=False)
        if "forecast" in only:
            lap = time.perf_counter()
            log(f"Forecasting, {profile.forecast_series} series")
            results["forecast"] = []
            for series in profile.forecast_series:
                result = run_task("bench.forecast:run", series=series,
                                  weeks=profile.forecast_weeks, horizon=12, n_jobs=2,
                                  prophet_sample=profile.forecast_prophet_sample)
                log(f"  {series} series: default Prophet {result['baseline_seconds']:.1f} s"
                    f"{' (extrapolated)' if result['baseline_extrapolated'] else ''}, "
                    f"AutoETS {result['auto_ets_seconds']} s, ours {result['ours_seconds']:.1f}"
                    f" s ({result['ours_ms_per_series']} ms a series) -> "
                    f"{result['speed_ratio']}x, accuracy ratio {result['accuracy_ratio']}")
                results["forecast"].append(result)
            first, last = results["forecast"][0], results["forecast"][-1]
            if len(results["forecast"]) > 1:
                results["forecast_scaling"] = {
                    "from_series": first["series"], "to_series": last["series"],
                    "from_ms": first["ours_ms_per_series"], "to_ms": last["ours_ms_per_series"],
                    "ratio": round(last["ours_ms_per_series"] / first["ours_ms_per_series"], 3)}
            results["section_seconds"]["forecast"] = round(time.perf_counter() - lap, 1)
            save(finished=False)
        if "forecast_spark" in only:
            lap = time.perf_counter()
            log(f"Forecasting on local Spark against the local path, {profile.spark_series} series")
            results["forecast_spark"] = []
            for series in profile.spark_series:
                result = run_task("bench.forecast_spark:run", series=series,
                                  weeks=profile.forecast_weeks, horizon=12, n_jobs=2)
                log(f"  {series} series: " + (f"skipped ({result['skipped']})" if "skipped" in
                    result else f"local {result['local_seconds']:.1f} s, Spark "
                    f"{result['spark_seconds']:.1f} s -> {result['spark_over_local']}x, MASE "
                    f"{result['mase']['local']:.4f} vs {result['mase']['spark']:.4f}"))
                results["forecast_spark"].append(result)
            results["section_seconds"]["forecast_spark"] = round(time.perf_counter() - lap, 1)
            save(finished=False)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    save(finished=True)
    log(f"Wrote {out} and {md} in {results['seconds']:.0f} s")
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    here = Path(__file__).resolve().parent
    parser.add_argument("--out", type=Path, default=here / "results.json")
    parser.add_argument("--md", type=Path, default=None, help="default: results.md beside --out")
    parser.add_argument("--rows", type=int, nargs="+", help="override the ingestion sizes")
    parser.add_argument("--histories", type=int, nargs="+", help="override the history lengths")
    parser.add_argument("--series", type=int, nargs="+", help="override the forecast sizes")
    parser.add_argument("--spark-series", type=int, nargs="+",
                        help="override the sizes of the Spark forecast comparison")
    parser.add_argument("--prophet-sample", type=int,
                        help="run the Prophet loop on this many series and extrapolate")
    parser.add_argument("--repeats", type=int,
                        help="rounds of interleaved sides, each side's fastest kept (ingestion)")
    parser.add_argument("--skip-daily-job", action="store_true",
                        help="do not run the daily_refresh_job at the largest history")
    parser.add_argument("--keep-homes", type=Path,
                        help="move each refresh home here when its runs end, to probe it later")
    args = parser.parse_args(argv)
    md = args.md or args.out.with_suffix(".md")
    overrides = {"ingestion_rows": tuple(args.rows or ()), "histories": tuple(args.histories or ()),
                 "forecast_series": tuple(args.series or ()),
                 "spark_series": tuple(args.spark_series or ()),
                 "forecast_prophet_sample": args.prophet_sample, "repeats": args.repeats}
    profile = replace(PROFILES[args.profile], daily_job=not args.skip_daily_job)
    return run(profile, args.only, args.out, md, name=args.profile, keep_homes=args.keep_homes,
               **overrides)


if __name__ == "__main__":
    main()

"""The benchmark harness runs end to end on tiny data and writes the results it promises.

Timing is not asserted here (benchmarks are not tests); only the shape of the output is.
"""

from __future__ import annotations

import json

import pytest

from bench import run as bench_run
from bench.harness import run_task
from bench.report import growth_met, markdown


@pytest.fixture
def bench_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FORECOURT_BENCH_CACHE", str(cache))  # read by the subprocesses too
    return cache


def test_a_run_stopped_in_a_later_section_keeps_the_sections_it_finished(
    tmp_path, bench_cache, monkeypatch
):
    # The full profile runs for hours: a section that fails (or a machine that kills the run)
    # must not take the finished sections' measurements with it.
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(bench_run.definitions_load, "run", interrupted)
    out = tmp_path / "results.json"
    with pytest.raises(KeyboardInterrupt):
        bench_run.main(["--profile", "tiny", "--only", "ingestion", "definitions",
                        "--out", str(out)])

    results = json.loads(out.read_text())
    assert results["finished"] is False
    assert results["ingestion"] and results["definitions"] is None
    assert "unfinished" in out.with_suffix(".md").read_text()


def test_a_tiny_ingestion_run_writes_json_and_markdown_with_the_expected_keys(
    tmp_path, bench_cache
):
    out = tmp_path / "results.json"
    bench_run.main(["--profile", "tiny", "--only", "ingestion", "--out", str(out)])

    results = json.loads(out.read_text())
    assert set(results) >= {"profile", "environment", "duckdb_limits", "generator", "ingestion",
                            "refresh", "definitions", "forecast", "seconds", "memory_budget_mb"}
    assert results["finished"] is True
    env = results["environment"]
    assert {"cores", "memory_mb", "timestamp", "cpu", "versions"} <= set(env)
    assert {"python", "duckdb", "dagster", "dbt-core", "prophet"} <= set(env["versions"])
    (size,) = results["ingestion"]
    assert set(size["sides"]) == {"pandas_to_sql", "pyarrow_duckdb", "ours"}
    for side in size["sides"].values():
        assert side["rows"] == size["rows"] > 0
        assert side["seconds"] > 0 and side["peak_rss_mb"] > 0
    assert size["speedup_vs_pandas_to_sql"] > 0 and size["rows_rejected"] == 0
    duckdb_to_sql = size["extra_baselines"]["pandas_to_sql_duckdb"]  # the ≥ 20x baseline
    assert duckdb_to_sql["rows"] == size["rows"] and size["speedup_vs_pandas_to_sql_duckdb"] > 0
    engine = size["extra_baselines"]["engine"]  # bare read_csv into a typed table: the floor
    assert engine["rows"] == size["rows"] and size["speed_vs_engine"] > 0
    assert engine["tree_peak_mb"] > 0
    assert results["refresh"] is None  # not selected
    table = out.with_suffix(".md").read_text()
    assert "| Benchmark |" in table and "pandas.read_csv + to_sql" in table
    assert "the engine's limit" in table
    assert (bench_cache / "dealers2_scale1_seed42" / "generated.json").exists()


def test_the_growth_rule_allows_a_quarter_of_the_history_growth():
    assert growth_met({"history": 4.0, "daily": 1.7})
    assert not growth_met({"history": 4.0, "daily": 1.8})
    assert growth_met({}) is None


# One timed side and one summarised run, as bench/refresh.py stores them.
SIDE = {"seconds": 2.0, "peak_rss_mb": 100.0, "children_peak_rss_mb": 50.0}
RUN = {**SIDE, "run_seconds": 9.0, "overhead_seconds": 1.0, "overhead_share": 0.11,
       "dbt_process_seconds": 4.0, "dagster_in_dbt_step_seconds": 3.0,
       "dagster_seconds": 4.0, "dagster_share": 0.44, "events": 900, "peak_total_mb": 150.0,
       "raw_steps_seconds": 1.0, "dbt_step_seconds": 7.0,
       "dbt": {"elapsed_seconds": 5.0, "models_seconds": 3.0, "tests_seconds": 2.0,
               "slowest_models": {"dim_vehicles": 1.0}}}


def test_the_report_renders_every_section_from_stored_results():
    side, run = SIDE, RUN
    results = {
        "profile": "stored", "seconds": 1.0, "memory_budget_mb": 12_000.0,
        "duckdb_limits": {"memory_limit": "4GB", "threads": 2},
        "environment": {"timestamp": "t", "cpu": "cpu", "cores": 2, "memory_mb": 24_000.0,
                        "load_average_at_start": [3.0, 3.0, 3.0], "versions": {"duckdb": "x"}},
        "refresh": {
            "histories": [{"history_days": d, "history_sales_rows": d * 10, "day_sales_rows": 9,
                           "full": {**side, "seconds": d / 10}, "daily": run,
                           "daily_over_full": 20 / d} for d in (90, 730)],
            "daily_job": run,
            "growth": {"history": 8.1, "full": 8.0, "daily": 1.0},
        },
        "definitions": {"sides": {"manifest": side, "parse_cold": side, "parse_warm": side},
                        "ratio_vs_cold_parse": 0.2, "ratio_vs_warm_parse": 0.5},
        "forecast": [{"series": 50, "weeks": 104, "baseline_seconds": 9.0, "ours_seconds": 1.0,
                      "speed_ratio": 9.0, "accuracy_ratio": 0.9, "peak_rss_mb": 300.0,
                      "peak_worker_rss_mb": 200.0,
                      "mase": {"forecourt": 0.9, "default_prophet": 1.0, "auto_ets": 1.2},
                      "auto_ets_seconds": 4.0}],
        "forecast_spark": [{"series": 400, "weeks": 104, "local_ms_per_series": 50.0,
                            "spark_ms_per_series": 80.0, "spark_session_seconds": 20.0,
                            "spark_over_local": 1.6, "mase": {"local": 0.9, "spark": 0.9},
                            "same_series_and_methods": True, "max_abs_difference": 0.0},
                           {"series": 20, "skipped": "Java is absent"}],
    }
    table = markdown(results)
    assert "| Daily run (1 day, raw → marts) vs full refresh | 730 days" in table
    assert "≤ 0.25 at 730 days | yes |" in table  # 20/730 at two years
    assert "Orchestration overhead, daily_refresh_job" in table
    assert "prebuilt manifest vs dbt parse (warm) + load" in table and "| **no** |" in table
    assert "9.00x faster" in table
    assert "ours vs statsforecast AutoETS (side environment) | 50 series" in table
    assert "4.00x faster; MASE 0.900 vs 1.200" in table
    assert "local Spark vs the local path (same cores) | 400 series x 104 weeks" in table
    assert "1.60x the time; MASE 0.9000 vs 0.9000" in table
    assert "skipped: Java is absent" in table


def test_a_failed_run_is_reported_with_its_error_next_to_what_was_measured():
    side, run = SIDE, RUN
    measured = {"history_days": 365, "history_sales_rows": 3650, "day_sales_rows": 9,
                "full": side, "daily": run, "daily_over_full": 0.2}
    results = {
        "profile": "stored", "seconds": 1.0, "memory_budget_mb": 12_000.0,
        "duckdb_limits": {"memory_limit": "4GB", "threads": 2},
        "environment": {"timestamp": "t", "cpu": "cpu", "cores": 2, "memory_mb": 24_000.0,
                        "load_average_at_start": [3.0, 3.0, 3.0], "versions": {"duckdb": "x"}},
        "refresh": {
            "histories": [measured, {"history_days": 1824, "failed": "failed (exit 1):\nat dbt",
                                     "failed_run": "daily", "full": side}],
            "daily_job": {"failed": "failed (exit -9):\nkilled in ml.x\n", "day": "2024-12-30"},
            "growth": {},
        },
    }
    table = markdown(results)
    assert "| Run FAILED | 1824 days, daily | — | at dbt |" in table
    assert "| Run FAILED | daily_refresh_job, 2024-12-30 | — | killed in ml.x |" in table
    assert "Orchestration overhead, marts daily run | 365 days" in table
    assert "daily_refresh_job" not in table.split("Run FAILED | daily_refresh_job")[1]


def hold_memory_with_a_child(megabytes: int, seconds: float) -> dict:
    """Harness task for the test below: this process and a child each hold `megabytes` at
    once for `seconds`."""
    import subprocess
    import sys
    import time

    held = bytearray(megabytes * 2**20)  # noqa: F841  (held until return)
    code = f"import time; b = bytearray({megabytes} * 2**20); time.sleep({seconds})"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return {"seconds": round(time.perf_counter() - started, 3)}


def test_the_peak_is_the_whole_process_tree_sampled_while_it_runs():
    result = run_task("tests.bench.test_harness_smoke:hold_memory_with_a_child",
                      megabytes=150, seconds=4)  # long enough for samples on a busy machine
    assert result["peak_rss_mb"] >= 150 and result["children_peak_rss_mb"] >= 150
    # both held their 150 MB at the same time: the samples of the tree count them together
    # (not ru_maxrss, which started from the pytest worker's size when it forked the task)
    assert result["tree_sampled_mb"] >= 2 * 150
    assert result["tree_peak_mb"] >= result["tree_sampled_mb"]


def test_a_kept_home_takes_its_dbt_profiles_paths_with_it(tmp_path):
    from bench.refresh import keep_home
    from bench.runs import create_home

    home = tmp_path / "work" / "refresh_3"
    (tmp_path / "landing").mkdir()
    profile = home / "dbt_profiles" / "profiles.yml"
    with pytest.MonkeyPatch.context() as patch:  # the profile only, not dbt parse
        patch.setattr("bench.runs.subprocess.run", lambda *args, **kwargs: None)
        create_home(home, tmp_path / "landing", memory_limit="1GB", threads=1)
    assert f"temp_directory: {home}/duckdb_spill" in profile.read_text()
    kept = keep_home(home, tmp_path / "keep")
    assert not home.exists()
    assert f"temp_directory: {kept}/duckdb_spill" in (kept / "dbt_profiles" / "profiles.yml"
                                                      ).read_text()


def test_a_sundays_full_test_pass_is_not_the_weekday_daily_run_of_the_growth():
    # 1,824 days of the full profile's zone end on a Sunday, whose run is the weekly full test
    # pass; the weekday run at that size is Monday's, inside the daily job.
    from bench.refresh import growth

    def history(days: int, seconds: float, sunday: bool) -> dict:
        return {"history_days": days, "full": {**SIDE, "seconds": days / 2},
                "daily": {**RUN, "seconds": seconds}, "weekly_full_test_pass": sunday}

    monday = {**RUN, "raw_steps_seconds": 3.0, "dbt_step_seconds": 57.0, "day": "2024-12-30",
              "weekly_full_test_pass": False}
    rows = [history(365, 30.0, False), history(1824, 300.0, True)]
    found = growth(rows, monday)
    assert found["daily"] == 10.0 and found["weekday_daily_seconds"] == 60.0
    assert found["weekday_daily"] == 2.0 and found["weekday_day"] == "2024-12-30"
    assert "weekday_daily" not in growth(rows, {"failed": "killed"})
    assert "weekday_daily" not in growth([rows[0], history(1823, 90.0, False)], monday)
    table = markdown({
        "profile": "stored", "seconds": 1.0, "memory_budget_mb": 12_000.0,
        "duckdb_limits": {}, "environment": {
            "timestamp": "t", "cpu": "cpu", "cores": 2, "memory_mb": 24_000.0,
            "load_average_at_start": [3.0], "versions": {}},
        "refresh": {"histories": [{**r, "history_sales_rows": 1, "day_sales_rows": 1,
                                   "daily_over_full": 0.1} for r in rows],
                    "daily_job": monday, "growth": found},
    })
    assert "weekday (2024-12-30: raw and dbt steps of the daily job)" in table
    flat = "Daily run flat in history (issue 16) | history x4.997 | — | daily x2.00 | — | ≤ x1.25"
    assert flat + " | **no** |" in table

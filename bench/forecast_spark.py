"""Benchmark: the same forecast on Spark (local) against the local path, series for series.

    python -m bench.forecast_spark [--series 400] [--weeks 104] [--horizon 12] [--json out.json]

Generates a dealer network (`make_hierarchy`), holds out the last `horizon` weeks, and forecasts
the rest twice: `ml.forecasting.forecast` (n_jobs worker processes) and
`ml.forecasting.spark.forecast_on_spark` on a local SparkSession (local[n_jobs], the same cores).
Reports seconds per series on each side and their ratio, the session's start-up apart (paid once
per process, not per forecast), the holdout MASE of each side and the largest difference between
their forecasts. Equal MASE is the point: Spark is the path to more machines, not a new model.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.forecast_common import Holdout, parser_for, report  # noqa: E402
from ml.forecasting import forecast  # noqa: E402
from ml.forecasting.prophet_batch import quiet_logs  # noqa: E402


def run(series: int = 400, weeks: int = 104, horizon: int = 12, n_jobs: int = 2,
        random_state: int = 0) -> dict:
    """Time and score both paths; returns the numbers `main` prints."""
    from landing.warehouse.spark import spark_session, spark_unavailable

    reason = spark_unavailable()
    if reason:
        return {"series": series, "skipped": reason}
    from ml.forecasting.spark import forecast_on_spark

    warnings.filterwarnings("ignore", message=".*pandas >= 3.0.0.*", category=FutureWarning)
    load = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: say how busy it was
    holdout = Holdout.planted(series, weeks, horizon, random_state)
    data, train = holdout.data, holdout.train
    with quiet_logs():
        import prophet  # noqa: F401  (import time is not fitting time, on either side)

    started = time.perf_counter()
    local = forecast(train, horizon, n_jobs=n_jobs, random_state=random_state)
    local_seconds = time.perf_counter() - started

    os.environ.setdefault("FORECOURT_SPARK_MASTER", f"local[{n_jobs}]")
    started = time.perf_counter()
    spark = spark_session(app_name="forecourt-bench")
    session_seconds = time.perf_counter() - started
    try:
        started = time.perf_counter()
        remote = forecast_on_spark(spark, train, horizon, random_state=random_state)
        spark_seconds = time.perf_counter() - started
    finally:
        spark.stop()

    n = int(data["unique_id"].nunique())
    numbers = [c for c in local.columns if c.startswith("yhat")]
    same_rows = remote[["unique_id", "ds", "method"]].equals(local[["unique_id", "ds", "method"]])
    mase = {"local": holdout.mase(local), "spark": holdout.mase(remote)}
    return {
        "series": n,
        "weeks": weeks,
        "horizon": horizon,
        "n_jobs": n_jobs,
        "prophet_series": int((local.drop_duplicates("unique_id")["method"] == "prophet").sum()),
        "local_seconds": round(local_seconds, 3),
        "spark_seconds": round(spark_seconds, 3),
        "spark_session_seconds": round(session_seconds, 3),
        "local_ms_per_series": round(1000 * local_seconds / n, 2),
        "spark_ms_per_series": round(1000 * spark_seconds / n, 2),
        "spark_over_local": round(spark_seconds / local_seconds, 2),
        "mase": {k: round(v, 6) for k, v in mase.items()},
        "same_series_and_methods": bool(same_rows),
        "max_abs_difference": float(np.abs(remote[numbers].to_numpy() -
                                           local[numbers].to_numpy()).max()),
        "load_average_at_start": load,
    }


def summary_lines(r: dict) -> list[str]:
    if "skipped" in r:
        return [f"Spark forecast benchmark skipped: {r['skipped']}"]
    return [
        f"series {r['series']} x {r['weeks']} weeks, horizon {r['horizon']}, "
        f"{r['prophet_series']} by Prophet, {r['n_jobs']} cores each side",
        f"local path : {r['local_seconds']:.2f} s ({r['local_ms_per_series']:.1f} ms/series)",
        f"Spark local: {r['spark_seconds']:.2f} s ({r['spark_ms_per_series']:.1f} ms/series)"
        f" + {r['spark_session_seconds']:.1f} s session start",
        f"ratio      : {r['spark_over_local']:.2f}x the local path's time",
        f"MASE       : local {r['mase']['local']:.6f}, Spark {r['mase']['spark']:.6f}; "
        f"largest forecast difference {r['max_abs_difference']:.2e}",
    ]


def main(argv: list[str] | None = None) -> dict:
    args = parser_for(__doc__, series=400).parse_args(argv)
    return report(run(args.series, args.weeks, args.horizon, args.n_jobs), summary_lines,
                  args.json)


if __name__ == "__main__":
    main()

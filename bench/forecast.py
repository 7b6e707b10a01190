"""Benchmark: our `forecast` against a sequential loop of default Prophet, on the same series.

    python bench/forecast.py [--series 100] [--weeks 104] [--horizon 12] [--json out.json]

Generates a dealer network's weekly sales (`ml.forecasting.synthetic.make_hierarchy`: strongly
seasonal totals, intermittent and obsolescent trims, short series for late launches), holds out
the last `horizon` weeks, and times (a) `Prophet().fit(df).predict(future)` with all defaults,
one series after another, and (b) `forecast(...)`. Accuracy is the mean MASE over the holdout
(scaled by each series' in-sample seasonal-naive MAE) on the series every model could score.
statsforecast's AutoETS (season length 52, same worker count) is a second reference, run in a
side environment because statsforecast needs pandas < 3 (bench/auto_ets.py); its time excludes
first-call costs.

At thousands of series the Prophet loop would take hours: with `prophet_sample` it runs on that
many series drawn at random, its time is extrapolated to all of them (Prophet's cost per series
does not depend on the others), and the accuracy ratio compares both on the sample.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.forecast_common import Holdout, parser_for, report  # noqa: E402
from ml.forecasting import forecast, sequential_default_prophet  # noqa: E402
from ml.forecasting.baselines import seasonal_naive  # noqa: E402
from ml.forecasting.prophet_batch import quiet_logs  # noqa: E402


def _auto_ets(train: pd.DataFrame, horizon: int, n_jobs: int):
    """AutoETS in its own environment (bench/auto_ets.py: statsforecast needs pandas < 3)."""
    from bench.auto_ets import auto_ets

    return auto_ets(train, horizon, n_jobs)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _prophet_only(train: pd.DataFrame, ids: list[str], horizon: int, n_jobs: int) -> dict:
    """Both sides on the Prophet-routed series alone: the speed-up without routing's share."""
    subset = train[train["unique_id"].isin(ids)].drop(columns=["parent_id"])
    started = time.perf_counter()
    sequential_default_prophet(subset, horizon)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    forecast(subset, horizon, n_jobs=n_jobs)
    ours = time.perf_counter() - started
    return {"series": len(ids), "baseline_seconds": round(baseline, 3),
            "ours_seconds": round(ours, 3), "speed_ratio": round(baseline / ours, 2)}


def run(series: int = 100, weeks: int = 104, horizon: int = 12, n_jobs: int = 2,
        random_state: int = 0, prophet_only: bool = False, prophet_sample: int = 0) -> dict:
    """Time and score both approaches; returns the numbers that `main` prints.

    `prophet_only` also times both on just the series our rule sends to Prophet;
    `prophet_sample` (when below the number of series) runs the Prophet loop on a sample.
    """
    holdout = Holdout.planted(series, weeks, horizon, random_state)
    data, train, panel = holdout.data, holdout.train, holdout.panel
    with quiet_logs():
        # Both sides start with their libraries imported: import time is not fitting time.
        import prophet  # noqa: F401
        import scipy.stats  # noqa: F401

    ids = train["unique_id"].unique()
    sampled = np.random.default_rng(random_state).choice(ids, prophet_sample, replace=False) \
        if 0 < prophet_sample < len(ids) else ids
    started = time.perf_counter()
    reference = sequential_default_prophet(train[train["unique_id"].isin(sampled)], horizon)
    baseline_measured = time.perf_counter() - started
    baseline_seconds = baseline_measured * len(ids) / len(sampled)
    started = time.perf_counter()
    ours = forecast(train, horizon, n_jobs=n_jobs, random_state=random_state)
    ours_seconds = time.perf_counter() - started

    naive = seasonal_naive(panel.values, panel.steps_ahead(horizon), 52)
    scores = {
        "default_prophet": holdout.mase_per_series(reference),
        "forecourt": holdout.mase_per_series(ours),
        "seasonal_naive": holdout.mase_per_series(pd.DataFrame({
            "unique_id": np.repeat(panel.ids, horizon),
            "ds": np.tile(panel.future(horizon), len(panel.ids)),
            "yhat": naive.ravel()})),
    }
    ets = _auto_ets(train, horizon, n_jobs)
    if ets[0] is not None:
        scores["auto_ets"] = holdout.mase_per_series(ets[0])
    scored = pd.DataFrame(scores).replace([np.inf, -np.inf], np.nan)
    # all methods on the series every one could score (the Prophet sample, when sampled)
    table = scored.dropna()
    mase = table.mean()
    mase_all = scored.drop(columns="default_prophet").dropna().mean()
    return {
        "series": int(data["unique_id"].nunique()),
        "weeks": weeks,
        "horizon": horizon,
        "n_jobs": n_jobs,
        "methods": ours.drop_duplicates("unique_id")["method"].value_counts().to_dict(),
        "baseline_seconds": round(baseline_seconds, 3),
        "baseline_sampled_series": len(sampled),
        "baseline_measured_seconds": round(baseline_measured, 3),
        "baseline_extrapolated": len(sampled) < len(ids),
        "ours_seconds": round(ours_seconds, 3),
        "ours_ms_per_series": round(1000 * ours_seconds / len(ids), 3),
        "speed_ratio": round(baseline_seconds / ours_seconds, 2),
        "scored_series": len(table),
        "mase": {name: round(float(value), 4) for name, value in mase.items()},
        "mase_all_series": {name: round(float(value), 4) for name, value in mase_all.items()},
        "accuracy_ratio": round(float(mase["forecourt"] / mase["default_prophet"]), 4),
        "auto_ets_seconds": None if ets[0] is None else round(ets[1], 3),
        # AutoETS against ours on every series (no sample involved)
        "speed_vs_auto_ets": None if ets[0] is None else round(ets[1] / ours_seconds, 2),
        "accuracy_vs_auto_ets": None if ets[0] is None or "auto_ets" not in mase_all else round(
            float(mase_all["forecourt"] / mase_all["auto_ets"]), 4),
        "auto_ets_versions": None if ets[0] is None else ets[2],
        "auto_ets_note": ets[1] if ets[0] is None else None,
        "prophet_only": None if not prophet_only else _prophet_only(
            train, ours.loc[ours["method"] == "prophet", "unique_id"].unique().tolist(), horizon,
            n_jobs),
        "peak_rss_mb": round(_peak_mb(resource.RUSAGE_SELF), 1),
        "peak_worker_rss_mb": round(_peak_mb(resource.RUSAGE_CHILDREN), 1),
    }


def summary_lines(result: dict) -> list[str]:
    lines = [
        f"series {result['series']} x {result['weeks']} weeks, horizon {result['horizon']}, "
        f"methods {result['methods']}",
        f"default Prophet loop : {result['baseline_seconds']:.2f} s",
        f"forecourt forecast   : {result['ours_seconds']:.2f} s (n_jobs={result['n_jobs']})",
        f"speed ratio          : {result['speed_ratio']:.2f}x",
        f"holdout MASE         : {result['mase']} on {result['scored_series']} series",
        f"accuracy ratio       : {result['accuracy_ratio']:.3f} (ours / default Prophet, "
        "below 1 is better)",
        f"AutoETS              : {result['auto_ets_note']}" if result["auto_ets_note"] else
        f"AutoETS              : {result['auto_ets_seconds']:.2f} s, MASE "
        f"{result['mase']['auto_ets']:.3f} ({result['auto_ets_versions']})",
    ]
    if result["prophet_only"]:
        sub = result["prophet_only"]
        lines.append(f"Prophet series only  : {sub['series']} series, default "
                     f"{sub['baseline_seconds']:.2f} s, ours {sub['ours_seconds']:.2f} s, "
                     f"{sub['speed_ratio']:.2f}x")
    lines.append(f"peak memory          : {result['peak_rss_mb']:.0f} MB main process, "
                 f"{result['peak_worker_rss_mb']:.0f} MB largest worker")
    return lines


def main(argv: list[str] | None = None) -> dict:
    """Parse arguments, run the benchmark, print a summary and optionally write JSON."""
    parser = parser_for(__doc__, series=100)
    parser.add_argument("--prophet-only", action="store_true",
                        help="also time both sides on the Prophet-routed series alone")
    parser.add_argument("--prophet-sample", type=int, default=0,
                        help="run the Prophet loop on this many series and extrapolate")
    args = parser.parse_args(argv)
    result = run(args.series, args.weeks, args.horizon, args.n_jobs,
                 prophet_only=args.prophet_only, prophet_sample=args.prophet_sample)
    return report(result, summary_lines, args.json)


if __name__ == "__main__":
    main()

"""statsforecast's AutoETS as a second forecasting reference, run in a side environment.

statsforecast 2.x (and its dependency fugue) require pandas < 3, while Forecourt runs pandas 3;
installing it beside the project would downgrade pandas for everything. So the reference runs in
its own virtual environment, created once with uv under the bench cache
(`/tmp/forecourt_bench/statsforecast`, or the Python named by FORECOURT_BENCH_STATSFORECAST_PYTHON),
and talks to the benchmark through two CSV files. This file is both the client (`auto_ets`) and
the worker (`python auto_ets.py TRAIN OUT HORIZON N_JOBS`), which imports nothing of Forecourt.

The worker fits one series first, untimed, so that first-call costs (lazy imports inside
statsforecast, worker start-up) are not counted as fitting, as the Prophet sides start with
their libraries imported too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON_VARIABLE = "FORECOURT_BENCH_STATSFORECAST_PYTHON"
REQUIREMENTS = ("statsforecast>=2,<3", "pandas<3")


def side_python(cache: Path | None = None) -> tuple[Path | None, str]:
    """The side environment's Python, created on first use; (None, why) when it cannot be."""
    named = os.environ.get(PYTHON_VARIABLE)
    if named:
        if not Path(named).exists():
            return None, f"{PYTHON_VARIABLE}={named} does not exist"
        return Path(named), f"{PYTHON_VARIABLE}={named}"
    cache = cache or Path(os.environ.get("FORECOURT_BENCH_CACHE", "/tmp/forecourt_bench/data"))
    venv = cache.parent / "statsforecast"
    python = venv / "bin" / "python"
    if python.exists():
        return python, f"side environment {venv}"
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(uv).exists():
        return None, "uv is not installed: cannot create statsforecast's side environment"
    try:
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True,
                       capture_output=True, text=True, timeout=300)
        subprocess.run([uv, "pip", "install", "-q", "--python", str(python), *REQUIREMENTS],
                       check=True, capture_output=True, text=True, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(venv, ignore_errors=True)
        detail = getattr(error, "stderr", "") or str(error)
        return None, f"could not install {', '.join(REQUIREMENTS)}: {detail.strip()[-300:]}"
    return python, f"side environment {venv} (created now)"


def auto_ets(train, horizon: int, n_jobs: int = 2):
    """Forecast `train` (unique_id, ds, y; weekly) with AutoETS(season_length=52).

    Returns (forecasts with unique_id, ds, yhat; fit seconds; versions) or (None, reason).
    """
    import pandas as pd

    python, where = side_python()
    if python is None:
        return None, where
    with tempfile.TemporaryDirectory(prefix="forecourt_ets_") as folder:
        train_csv, out_csv = Path(folder) / "train.csv", Path(folder) / "out.csv"
        train[["unique_id", "ds", "y"]].to_csv(train_csv, index=False)
        done = subprocess.run([str(python), __file__, str(train_csv), str(out_csv),
                               str(horizon), str(n_jobs)],
                              capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            last_line = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return None, f"AutoETS failed in {where}: {last_line[:300]}"
        meta = json.loads(done.stdout.strip().splitlines()[-1])
        out = pd.read_csv(out_csv, parse_dates=["ds"])
    out["unique_id"] = out["unique_id"].astype(str)
    return (out.assign(yhat=out["yhat"].clip(lower=0)), meta["fit_seconds"],
            meta["versions"])


def _worker(train_csv: str, out_csv: str, horizon: str, n_jobs: str) -> None:
    import pandas as pd
    import statsforecast
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, Naive

    train = pd.read_csv(train_csv, parse_dates=["ds"], dtype={"unique_id": str})

    def model() -> StatsForecast:
        # AutoETS refuses series too short to fit ("tiny datasets"); statsforecast's documented
        # answer is a fallback model, as our own routing falls back for short series.
        return StatsForecast(models=[AutoETS(season_length=52)], freq="W-MON",
                             n_jobs=int(n_jobs), fallback_model=Naive())

    first = train[train["unique_id"] == train["unique_id"].iloc[0]]
    model().forecast(df=first, h=int(horizon))  # untimed: first-call costs
    started = time.perf_counter()
    out = model().forecast(df=train, h=int(horizon))
    seconds = time.perf_counter() - started
    out = out.reset_index() if "unique_id" not in out.columns else out
    out.rename(columns={"AutoETS": "yhat"})[["unique_id", "ds", "yhat"]].to_csv(
        out_csv, index=False)
    print(json.dumps({"fit_seconds": seconds, "versions": {
        "statsforecast": statsforecast.__version__, "pandas": pd.__version__}}))


if __name__ == "__main__":
    _worker(*sys.argv[1:5])

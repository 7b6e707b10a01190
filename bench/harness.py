"""Run one benchmark side in a fresh Python process and read back its timing and peak memory.

    python -m bench.harness bench.ingestion:ours '{"landing": "...", ...}'

The task (a function taking keyword arguments and returning a dict that holds its own timed
`seconds`) runs in a child process, so imports, caches and setup of one side never flatter or
burden the other, and `ru_maxrss` is that side's own peak. Children of the task (dbt) are
reported apart: the machine held at most the sum of the two peaks at once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKER = "BENCH_RESULT "
PACKAGES = ("duckdb", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "prophet", "pandas",
            "pyarrow", "SQLAlchemy", "statsforecast")


class TaskFailed(RuntimeError):
    """A benchmark side failed in its subprocess; the message carries its stderr's tail."""


def run_task(target: str, env: dict[str, str] | None = None, timeout: float = 7200, **kwargs):
    """Run `module:function(**kwargs)` in a fresh interpreter; return its dict plus
    `peak_rss_mb`, `children_peak_rss_mb` and `process_seconds` (wall time of the process)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.harness", target, json.dumps(kwargs, default=str)],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        tail = "\n".join((done.stderr or done.stdout).splitlines()[-25:])
        raise TaskFailed(f"{target} failed (exit {done.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(MARKER):])
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    return result


def best_of(sides: dict[str, Callable[[], dict]], repeats: int) -> dict[str, dict]:
    """Run the sides in turn, `repeats` rounds, and keep each side's fastest run.

    Interleaving puts both sides under the same background load; the minimum is the run least
    disturbed by the other jobs sharing the machine. Peak memory is the largest seen."""
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    for _ in range(max(1, repeats)):
        for name, side in sides.items():
            runs[name].append(side())
    best = {}
    for name, results in runs.items():
        fastest = min(results, key=lambda r: r["seconds"])
        best[name] = {
            **fastest,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
            "children_peak_rss_mb": max(r["children_peak_rss_mb"] for r in results),
            "all_seconds": [r["seconds"] for r in results],
        }
    return best


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def memory_total_mb() -> float:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def environment() -> dict:
    """The machine and the versions a result belongs to."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_available": len(os.sched_getaffinity(0)),
        "memory_mb": memory_total_mb(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "versions": versions,
    }


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def _main(argv: list[str]) -> None:
    target, arguments = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    module, function = target.split(":")
    result = getattr(importlib.import_module(module), function)(**arguments)
    result["peak_rss_mb"] = _peak_mb(resource.RUSAGE_SELF)
    result["children_peak_rss_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    print(MARKER + json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    _main(sys.argv[1:])

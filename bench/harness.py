"""Run one benchmark side in a fresh Python process and read back its timing and peak memory.

    python -m bench.harness bench.ingestion:ours '{"landing": "...", ...}'

The task (a function taking keyword arguments and returning a dict that holds its own timed
`seconds`) runs in a child process, so imports, caches and setup of one side never flatter or
burden the other. Its memory is `tree_peak_mb`: the resident memory of the task's whole
process tree (the task, dbt and any worker), summed at each sample while it runs (every 0.2 s,
from /proc) and the largest sum kept: what the machine held at once. `ru_maxrss` of the task
and of its largest child are kept beside it.
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
from tempfile import TemporaryFile

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKER = "BENCH_RESULT "
PACKAGES = ("duckdb", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "prophet", "pandas",
            "pyarrow", "SQLAlchemy", "statsforecast")


class TaskFailed(RuntimeError):
    """A benchmark side failed in its subprocess; the message carries its stderr's tail."""


SAMPLE_SECONDS = 0.2
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process now alive (from /proc/<pid>/stat)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                stat = fh.read()
        except OSError:  # exited meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants now, in MB."""
    tree, pending, total = _children(), [root], 0.0
    while pending:
        pid = pending.pop()
        pending.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE_MB
        except OSError:
            continue
    return round(total, 1)


def run_task(target: str, env: dict[str, str] | None = None, timeout: float = 7200, **kwargs):
    """Run `module:function(**kwargs)` in a fresh interpreter; return its dict plus
    `tree_peak_mb` (sampled peak of the whole process tree), `peak_rss_mb`,
    `children_peak_rss_mb` and `process_seconds` (wall time of the process)."""
    started = time.perf_counter()
    with TemporaryFile("w+") as out, TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.harness", target, json.dumps(kwargs, default=str)],
            cwd=REPO_ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=err, text=True,
        )
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, tree_rss_mb(process.pid))
            if time.perf_counter() - started > timeout:
                process.kill()
                process.wait()
                raise TaskFailed(f"{target} timed out after {timeout:.0f} s")
            time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
    if process.returncode != 0 or not lines:
        tail = "\n".join((stderr or stdout).splitlines()[-25:])
        raise TaskFailed(f"{target} failed (exit {process.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(MARKER):])
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    result["tree_sampled_mb"] = peak
    # never below what the task itself reported: a peak between two samples still counts. (Linux
    # carries the parent's RSS at fork into ru_maxrss across exec, so a task started from a large
    # process, e.g. a pytest worker, reports at least that parent's size.)
    result["tree_peak_mb"] = max(peak, result["peak_rss_mb"], result["children_peak_rss_mb"])
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
            "tree_peak_mb": max(r["tree_peak_mb"] for r in results),
            "all_seconds": [r["seconds"] for r in results],
        }
        if all("cpu_seconds" in r for r in results):  # the least disturbed run's CPU, as above
            best[name]["cpu_seconds"] = min(r["cpu_seconds"] for r in results)
            best[name]["all_cpu_seconds"] = [r["cpu_seconds"] for r in results]
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

"""Generated landing zones for the benchmarks, cached between runs under /tmp.

A cached zone is keyed by everything but its length: the generator's output for fewer days is
byte for byte the start of a longer run, so a zone of 1,826 days also serves 180 days of the
same dealers, scale and seed. Nothing here touches a FORECOURT_HOME.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_CACHE = "/tmp/forecourt_bench/data"
START = dt.date(2020, 1, 1)  # early enough that five years are complete days


@dataclass(frozen=True)
class ZoneSpec:
    """A simulated dealer group: `days` from START, `dealers` rooftops at `demand_scale`."""

    dealers: int
    days: int
    demand_scale: float = 1.0
    seed: int = 42

    @property
    def folder(self) -> Path:
        return cache() / f"dealers{self.dealers}_scale{self.demand_scale:g}_seed{self.seed}"

    def day(self, i: int) -> dt.date:
        return START + dt.timedelta(days=i)


def cache() -> Path:
    """Where zones are kept: FORECOURT_BENCH_CACHE, read at each call (subprocesses too)."""
    return Path(os.environ.get("FORECOURT_BENCH_CACHE", DEFAULT_CACHE))


def generate_zone(dealers: int, days: int, demand_scale: float, seed: int) -> dict:
    """Harness task: write a zone (all feeds) and record what the generator reported."""
    from landing.generator import generate

    spec = ZoneSpec(dealers, days, demand_scale, seed)
    started = time.perf_counter()
    summary = generate(spec.folder / "landing", start=START, days=days, dealers=dealers,
                       seed=seed, demand_scale=demand_scale)
    record = {
        **asdict(spec),
        "rows": summary.rows,
        "total_rows": summary.total_rows,
        "files": summary.files_written,
        "generator_seconds": round(summary.seconds, 1),
        "rows_per_second": round(summary.rows_per_second),
        "seconds": round(time.perf_counter() - started, 3),
    }
    (spec.folder / "generated.json").write_text(json.dumps(record, indent=2))
    return record


def ensure_zone(spec: ZoneSpec, log=print) -> tuple[Path, dict]:
    """The landing folder of `spec`, generated (in a subprocess, peak memory recorded) unless a
    cached zone of at least as many days exists; and the generator's record with `cached`."""
    from bench.harness import run_task

    marker = spec.folder / "generated.json"
    if marker.exists():
        record = json.loads(marker.read_text())
        if record["days"] >= spec.days:
            return spec.folder / "landing", {**record, "cached": True}
    log(f"  generating {spec.days} days x {spec.dealers} dealers at demand x{spec.demand_scale:g}"
        f" into {spec.folder} ...")
    marker.unlink(missing_ok=True)
    record = run_task("bench.datasets:generate_zone", dealers=spec.dealers, days=spec.days,
                      demand_scale=spec.demand_scale, seed=spec.seed)
    log(f"  wrote {record['total_rows']:,} rows ({record['rows']['sales']:,} sales) at "
        f"{record['rows_per_second']:,} rows/s, peak {record['peak_rss_mb']:,.0f} MB")
    marker.write_text(json.dumps({k: v for k, v in record.items() if k != "cached"}, indent=2))
    return spec.folder / "landing", {**record, "cached": False}


def data_rows(path: Path) -> int:
    """Rows in a landing CSV (lines after the header; the generator never quotes newlines)."""
    with path.open("rb") as fh:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1)


def days_for_rows(landing: Path, feed: str, rows: int, days: int) -> tuple[list[dt.date], int]:
    """The first days (from START, at most `days`) whose `feed` files hold at least `rows` rows,
    and how many rows they hold."""
    chosen, total = [], 0
    for i in range(days):
        day = START + dt.timedelta(days=i)
        path = landing / feed / f"{day.isoformat()}.csv"
        if not path.exists():
            continue
        chosen.append(day)
        total += data_rows(path)
        if total >= rows:
            break
    return chosen, total

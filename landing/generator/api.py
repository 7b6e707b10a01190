"""generate(): write a deterministic demo landing zone for a simulated dealer group."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from landing.contract import DAILY_FEEDS, FEEDS

from .simulation import Simulation
from .writer import LandingWriter

MAX_DEALERS = 999  # dealer ids D01..D999
MAX_DEMAND_SCALE = 100.0  # catches typos: 100 dealers x 5 years at 100 is ~110M sales


@dataclass(frozen=True)
class GenerationSummary:
    """What a generate() run wrote, and how fast."""

    out: Path
    start: dt.date
    days: int
    dealers: int
    seed: int
    rows: dict[str, int]  # rows written per feed
    files_written: int
    seconds: float
    rows_per_second: float
    demand_scale: float = 1.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        lines = [
            f"Wrote {self.files_written:,} files ({self.total_rows:,} rows) to {self.out} "
            f"in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s): {self.days} days "
            f"from {self.start}, {self.dealers} dealers, seed {self.seed}"
            + (f", demand x{self.demand_scale:g}" if self.demand_scale != 1.0 else "")
        ]
        lines += [f"  {feed:<16} {rows:>12,}" for feed, rows in self.rows.items()]
        return "\n".join(lines)


def generate(
    out: Path,
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 730,
    dealers: int = 8,
    seed: int = 42,
    progress: Callable[[str], None] | None = None,
    demand_scale: float = 1.0,
) -> GenerationSummary:
    """Simulate `dealers` rooftops for `days` days from `start` and write the landing files.

    `out` is the landing directory: one file per daily feed and day (header only on quiet days),
    one market_listings file per Monday and dealers/dealers.csv. Files of days in the range are
    overwritten; others are left alone. The same arguments give byte-identical files.
    `demand_scale` multiplies every rooftop's shoppers and walk-ins (and so its stock, sales,
    customers and service visits): 9 gives about 11 million sales over 5 years of 100 dealers.
    """
    _check(start, days, dealers, seed)
    if not isinstance(demand_scale, int | float) or isinstance(demand_scale, bool) or not (
        0 < demand_scale <= MAX_DEMAND_SCALE
    ):
        raise ValueError(
            f"demand_scale must be a number above 0 and at most {MAX_DEMAND_SCALE}, "
            f"got {demand_scale!r}"
        )
    began = time.perf_counter()
    sim = Simulation(start, days, dealers, seed, demand_scale)
    writer = LandingWriter(Path(out))
    writer.write("dealers", None, sim.dealers.columns())
    for i in range(days):
        day = start + dt.timedelta(days=i)
        rows = sim.step(i)
        for feed in DAILY_FEEDS:
            if FEEDS[feed].file_due(day):
                writer.write(feed, day, rows.get(feed))
        if progress and (day.day == 1 or i == days - 1):
            progress(f"{day}: {sim.deals:,} sales so far, {sim.in_stock():,} units in stock")
    seconds = time.perf_counter() - began
    return GenerationSummary(
        out=Path(out),
        start=start,
        days=days,
        dealers=dealers,
        seed=seed,
        rows=dict(writer.rows),
        files_written=writer.files,
        seconds=seconds,
        rows_per_second=sum(writer.rows.values()) / seconds if seconds > 0 else 0.0,
        demand_scale=demand_scale,
    )


def _check(start: object, days: object, dealers: object, seed: object) -> None:
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise TypeError(f"start must be a datetime.date, got {start!r}")
    for name, value, low, high in (("days", days, 1, None), ("dealers", dealers, 1, MAX_DEALERS)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        if value < low or (high is not None and value > high):
            limit = f"between {low} and {high}" if high else f"at least {low}"
            raise ValueError(f"{name} must be {limit}, got {value}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")

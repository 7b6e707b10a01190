"""Generated weekly sales that look like a dealer network's, for tests, benchmarks and demos.

`make_hierarchy` simulates dealer x trim cells with a spring and year-end peak, a gentle trend,
overdispersed Poisson counts, models launched late in the history (short series), trims
phased out (obsolescent), low-volume trims (intermittent) and, for half of the trims, only the
weeks with sales recorded (gaps), then adds the cells up into the
geography (total/region/dealer) and product (total/make/model/trim) hierarchies.
`make_seasonal` makes independent series with known yearly seasonality, trend and noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def yearly_shape(ds: pd.DatetimeIndex) -> np.ndarray:
    """Relative demand through the year: a spring peak, a year-end push, a January dip."""
    angle = 2 * np.pi * ds.day_of_year.to_numpy() / 365.25
    return 1 + 0.25 * np.sin(angle - 1.0) + 0.12 * np.cos(2 * angle)


def _sizes(n_series: int) -> dict[str, int]:
    regions = max(2, round(n_series * 0.03))
    dealers = max(regions, round(n_series * 0.06))
    makes = max(2, round(n_series * 0.05))
    models = max(makes, round(n_series * 0.2))
    trims = max(models, n_series - 1 - regions - dealers - makes - models)
    return {"region": regions, "dealer": dealers, "make": makes, "model": models, "trim": trims}


def make_hierarchy(
    n_series: int = 100, weeks: int = 104, start: str = "2023-01-02", random_state: int = 0
) -> pd.DataFrame:
    """About `n_series` weekly series in two hierarchies sharing 'total' (long format)."""
    rng = np.random.default_rng(random_state)
    size = _sizes(n_series)
    ds = pd.date_range(start, periods=weeks, freq="W-MON")
    t = np.arange(weeks) / 52
    region_of = np.arange(size["dealer"]) % size["region"]
    make_of = np.arange(size["model"]) % size["make"]
    model_of = np.r_[np.arange(size["model"]), rng.integers(0, size["model"],
                                                           size["trim"] - size["model"])]
    dealer_share = rng.dirichlet(np.full(size["dealer"], 4.0))
    trim_rate = rng.lognormal(mean=0.3, sigma=1.1, size=size["trim"])
    growth = rng.normal(0.05, 0.08, size["model"])[model_of]
    curve = yearly_shape(ds)[None, :] * (1 + growth[:, None] * t[None, :])
    # A quarter of models launch late; a fifth of trims are phased out before the end.
    late = rng.random(size["model"]) < 0.25
    launch = np.where(late, rng.integers(weeks // 2, weeks - 8, size["model"]), 0)[model_of]
    phased_out = rng.random(size["trim"]) < 0.2
    stop = np.where(phased_out, rng.integers(weeks // 2, weeks, size["trim"]), weeks)
    week = np.arange(weeks)[None, :]
    alive = (week >= launch[:, None]) & (week < stop[:, None])
    rate = trim_rate[:, None] * curve * alive * rng.gamma(8.0, 1 / 8.0, (size["trim"], weeks))
    cells = rng.poisson(rate[:, None, :] * dealer_share[None, :, None])  # trim x dealer x week

    def frame(uid: str, level: str, parent: str | None, y: np.ndarray, first: int = 0):
        return pd.DataFrame({"unique_id": uid, "ds": ds[first:], "y": y[first:].astype(float),
                             "level": level, "parent_id": parent})

    make_names = [f"Make{m:02d}" for m in range(size["make"])]
    model_names = [f"{make_names[make_of[m]]} Model{m:03d}" for m in range(size["model"])]
    frames = [frame("total", "total", None, cells.sum(axis=(0, 1)))]
    for r in range(size["region"]):
        frames.append(frame(f"region=R{r}", "region", "total",
                            cells[:, region_of == r].sum(axis=(0, 1))))
    for d in range(size["dealer"]):
        frames.append(frame(f"dealer=D{d:02d}", "dealer", f"region=R{region_of[d]}",
                            cells[:, d].sum(axis=0)))
    for m, name in enumerate(make_names):
        frames.append(frame(f"make={name}", "make", "total",
                            cells[make_of[model_of] == m].sum(axis=(0, 1))))
    for m, name in enumerate(model_names):
        frames.append(frame(f"model={name}", "model", f"make={name.split()[0]}",
                            cells[model_of == m].sum(axis=(0, 1)), int(launch[model_of == m][0])))
    for k in range(size["trim"]):
        model = model_names[model_of[k]]
        trim = frame(f"trim={model} T{k:03d}", "trim", f"model={model}", cells[k].sum(axis=0),
                     int(launch[k]))
        # Half the trims come from a mart that only records weeks with sales (gaps); the first
        # week stays so that a trim that never sold still exists.
        sparse = rng.random() < 0.5
        frames.append(trim[(trim["y"] > 0) | (trim.index == 0)] if sparse else trim)
    return pd.concat(frames, ignore_index=True)


def make_seasonal(
    n_series: int = 4, weeks: int = 130, start: str = "2022-01-03", noise: float = 0.1,
    random_state: int = 0,
) -> pd.DataFrame:
    """Independent weekly series: level x yearly shape x linear trend + normal noise."""
    rng = np.random.default_rng(random_state)
    ds = pd.date_range(start, periods=weeks, freq="W-MON")
    frames = []
    for i in range(n_series):
        level = rng.uniform(20, 80)
        trend = 1 + rng.uniform(-0.1, 0.2) * np.arange(weeks) / 52
        y = level * yearly_shape(ds) * trend * (1 + noise * rng.standard_normal(weeks))
        frames.append(pd.DataFrame({"unique_id": f"series={i}", "ds": ds,
                                    "y": np.clip(y, 0, None), "level": "model",
                                    "parent_id": None}))
    return pd.concat(frames, ignore_index=True)

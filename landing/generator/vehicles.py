"""The catalogue as arrays, with what the simulation asks of it: shares, trims, engines, prices.

Demand shares depend on the region (pickups in the Southwest, EVs in the West) and drift with
each model's trend; the market index moves each model's used price level day by day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .catalogue import MAKES
from .places import REGION_NAMES

BODIES = ("Sedan", "SUV", "Pickup", "Hatchback", "Coupe", "Convertible", "Minivan", "Van", "Wagon")
# Demand multipliers by region, in REGION_NAMES order.
BODY_REGION = {
    "Pickup": (0.75, 1.20, 1.20, 1.35, 0.95),
    "SUV": (1.15, 1.00, 1.05, 0.95, 1.05),
    "Sedan": (1.05, 1.05, 0.95, 1.00, 1.00),
}
EV_REGION = (1.00, 0.75, 0.60, 0.80, 1.90)
COLORS = np.array(
    ["White", "Black", "Gray", "Silver", "Blue", "Red", "Green", "Brown", "Orange", "Yellow"],
    dtype=object,
)
_COLOR_WEIGHTS = np.array([25, 20, 18, 11, 9, 9, 3, 2, 2, 1], dtype=float)
COLOR_CDF = np.cumsum(_COLOR_WEIGHTS / _COLOR_WEIGHTS.sum())[None, :]
TRIM_WEIGHTS = np.array([0.40, 0.30, 0.20, 0.10])  # base trims sell most
TRIM_STEP = 0.12  # each trim up adds about this share of the base price
EPOCH = dt.date(2024, 1, 1)  # trends are anchored here, so every start date sees the same market


def years_since_epoch(day: dt.date) -> float:
    """Years from EPOCH, clipped so a far-off start date cannot blow up the trends."""
    return float(np.clip((day - EPOCH).days / 365.25, -8.0, 8.0))


def draw(cdf: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One categorical draw per entry of rows, from that row of a matrix of cumulative weights."""
    u = rng.random(len(rows))
    picks = (cdf[rows] < u[:, None]).sum(axis=1)
    return np.minimum(picks, cdf.shape[1] - 1)


def round95(price: np.ndarray) -> np.ndarray:
    """Sticker prices end in 95 (24,995.00), as on real forecourts."""
    return np.maximum(np.round(np.asarray(price) / 100.0) * 100.0 - 5.0, 495.0)


ONE_SPEED = "1-speed automatic"


def _engines(body: str, fuel: str, msrp: int) -> list[tuple[str, str]]:
    """Engine and transmission options of a model, from the base trim up."""
    if fuel == "e":
        return [("Electric motor", ONE_SPEED), ("Dual electric motors", ONE_SPEED)]
    if fuel == "h":
        return [("2.5L I4 Hybrid", "eCVT"), ("2.5L I4 Plug-in Hybrid", "eCVT")]
    auto8, auto9, auto10 = "8-speed automatic", "9-speed automatic", "10-speed automatic"
    if body == "Pickup":
        if msrp < 35_000:
            return [("2.5L I4", auto8), ("2.7L I4 Turbo", auto8), ("3.6L V6", auto8)]
        return [("2.7L V6 Turbo", auto10), ("5.3L V8", auto10), ("6.2L V8", auto10)]
    if body == "Van":
        return [("3.6L V6", auto9), ("2.0L I4 Turbo Diesel", auto9)]
    if body in ("Coupe", "Convertible"):
        if msrp < 60_000:
            return [("2.3L I4 Turbo", "6-speed manual"), ("5.0L V8", auto10)]
        return [("3.0L I6 Turbo", auto8), ("6.2L V8", "8-speed dual-clutch")]
    if body == "Minivan":
        return [("3.5L V6", auto10), ("2.5L I4 Hybrid", "eCVT")]
    if msrp < 32_000:
        return [("2.0L I4", "CVT"), ("1.5L I4 Turbo", "CVT"), ("2.5L I4", auto8)]
    if msrp < 50_000:
        return [("2.0L I4 Turbo", auto8), ("2.5L I4 Turbo", auto8), ("3.5L V6", auto9)]
    return [("3.0L I6 Turbo", auto8), ("4.0L V8 Turbo", auto8)]


class Catalogue:
    """Every model of the catalogue as parallel arrays, indexed by model number."""

    def __init__(self) -> None:
        specs = [(i, model) for i, make in enumerate(MAKES) for model in make.models]
        self.make_names = [make.name for make in MAKES]
        self.makes = np.array([make.name for make in MAKES], dtype=object)
        self.wmi = np.array([list(make.wmi.encode()) for make in MAKES], dtype=np.uint8)
        self.make = np.array([i for i, _ in specs])
        self.names = np.array([m.name for _, m in specs], dtype=object)
        self.body = np.array([BODIES.index(m.body) for _, m in specs])
        self.body_names = np.array(BODIES, dtype=object)
        self.msrp = np.array([m.msrp for _, m in specs], dtype=float)
        self.popularity = np.array([m.popularity for _, m in specs])
        self.trend = np.array([m.trend for _, m in specs])
        self.since = np.array([m.since for _, m in specs])
        width = max(len(m.trims) for _, m in specs)
        self.trims = np.full((len(specs), width), None, dtype=object)
        self.engine = np.full((len(specs), width), None, dtype=object)
        self.transmission = np.full((len(specs), width), None, dtype=object)
        weights = np.zeros((len(specs), width))
        mult = np.ones((len(REGION_NAMES), len(specs)))
        for j, (_, m) in enumerate(specs):
            options = _engines(m.body, m.fuel, m.msrp)
            for t, trim in enumerate(m.trims):
                engine, gearbox = options[min(t * len(options) // len(m.trims), len(options) - 1)]
                self.trims[j, t], self.engine[j, t], self.transmission[j, t] = trim, engine, gearbox
            weights[j, : len(m.trims)] = TRIM_WEIGHTS[: len(m.trims)]
            mult[:, j] *= np.array(BODY_REGION.get(m.body, (1.0,) * len(REGION_NAMES)))
            if m.fuel == "e":
                mult[:, j] *= np.array(EV_REGION)
        self.trim_cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        self.region_mult = mult
        self.body_matrix = np.eye(len(BODIES))[self.body]  # model x body one-hot

    def __len__(self) -> int:
        return len(self.names)

    def shares(self, years: float) -> np.ndarray:
        """Each region's share of demand by model, `years` after EPOCH (rows sum to 1)."""
        weight = self.region_mult * (self.popularity * np.exp(self.trend * years))
        return weight / weight.sum(axis=1, keepdims=True)


class MarketIndex:
    """Used-price level of each model: its trend plus a slowly mean-reverting random walk."""

    def __init__(self, trend: np.ndarray, rng: np.random.Generator) -> None:
        self._trend = trend
        self._walk = np.zeros(len(trend))
        self._rng = rng

    def advance(self, years: float) -> np.ndarray:
        """Step one day and return today's multiplier per model."""
        self._walk = 0.998 * self._walk + self._rng.normal(0.0, 0.003, self._walk.size)
        # Prices follow demand trends at a sixth of their pace; the whole used market softens.
        return np.exp(self._trend * years / 6.0 - 0.03 * years + self._walk)

"""Competitors' retail listings per region, kept live between the weekly Monday snapshots.

Listings come and go: each week some sell (sooner when fairly priced and when the model is in
short supply), some are marked down, and new ones arrive in the regional demand mix. Asking
prices sit around the same market values the group's units are priced against, so
price-to-market and market days' supply can be computed from the snapshots.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .acquisition import AUCTION, NEW, TRADE_IN, appraise
from .dealers import Dealers
from .params import LISTING_DAYS, LISTINGS_BASE, LISTINGS_PER_DEALER
from .places import COMPETITOR_SUFFIXES, REGION_NAMES, REGIONS
from .vehicles import Catalogue, draw, round95

_COLUMNS = ("id", "model", "trim", "year", "mileage", "base", "listed", "price", "seller")


class Market:
    """Live competitor listings of every region where the group has a rooftop."""

    def __init__(self, cat: Catalogue, dealers: Dealers, rng: np.random.Generator) -> None:
        self.cat = cat
        self.rng = rng
        per_region = np.bincount(dealers.region, minlength=len(REGION_NAMES))
        self.targets = {
            int(r): LISTINGS_BASE + LISTINGS_PER_DEALER * int(per_region[r])
            for r in np.flatnonzero(per_region)
        }
        self.sellers = {}
        for r in self.targets:
            names = [f"{c} {s}" for c, _ in REGIONS[REGION_NAMES[r]] for s in COMPETITOR_SUFFIXES]
            self.sellers[r] = np.array(names, dtype=object)[rng.permutation(len(names))[:20]]
        self.pools: dict[int, dict[str, np.ndarray]] = {}
        self.last_day: int | None = None
        self.next_id = 1

    def snapshot(
        self, day: int, date: dt.date, index: np.ndarray, shares: np.ndarray
    ) -> dict[str, object]:
        """Move the market on to `day` and return the rows of that day's market_listings file."""
        parts = []
        for r, target in self.targets.items():
            if self.last_day is None:
                pool = self._new(r, target, day, date, index, shares, backdate=True)
            else:
                pool = self._evolve(self.pools[r], r, target, day, date, index, shares)
            self.pools[r] = pool
            parts.append((r, pool))
        self.last_day = day
        return self._rows(parts, day, date)

    def _evolve(self, pool, r, target, day, date, index, shares) -> dict[str, np.ndarray]:
        elapsed = day - self.last_day
        value = pool["base"] * index[pool["model"]]
        model = pool["model"]
        supply = np.bincount(model, minlength=len(self.cat)) / max(len(model), 1)
        pressure = np.clip(shares[r, model] / np.maximum(supply[model], 1e-9), 0.3, 3.0)
        rate = elapsed / LISTING_DAYS * pressure * np.exp(-6.0 * (pool["price"] / value - 1.0))
        keep = self.rng.random(len(value)) >= -np.expm1(-rate)
        pool = {k: v[keep] for k, v in pool.items()}
        stale = (day - pool["listed"] > 30) & (self.rng.random(len(pool["price"])) < 0.25)
        pool["price"] = np.where(stale, round95(pool["price"] * 0.97), pool["price"])
        wanted = int(target * self.rng.uniform(0.96, 1.04)) - len(pool["price"])
        fresh = self._new(r, max(wanted, 0), day, date, index, shares, backdate=False, span=elapsed)
        return {k: np.concatenate([pool[k], fresh[k]]) for k in _COLUMNS}

    def _new(self, r, k, day, date, index, shares, backdate: bool, span: int = 7):
        rng = self.rng
        model = draw(np.cumsum(shares[r])[None, :], np.zeros(k, dtype=int), rng)
        u = rng.random(k)
        source = np.where(u < 0.2, NEW, np.where(u < 0.6, TRADE_IN, AUCTION))
        a = appraise(model, source, date, index, self.cat, rng)
        age = rng.exponential(30.0, k).astype(np.int64) if backdate else rng.integers(0, span, k)
        ids = np.arange(self.next_id, self.next_id + k)
        self.next_id += k
        return {
            "id": ids,
            "model": model,
            "trim": a.trim,
            "year": a.model_year,
            "mileage": a.mileage,
            "base": a.value / index[model],
            "listed": day - age,
            "price": round95(a.value * rng.lognormal(0.015, 0.045, k)),
            "seller": rng.integers(0, len(self.sellers[r]), k),
        }

    def _rows(self, parts, day: int, date: dt.date) -> dict[str, object]:
        cat = self.cat
        cols = {k: np.concatenate([p[k] for _, p in parts]) for k in _COLUMNS}
        region = np.concatenate([np.full(len(p["id"]), r) for r, p in parts])
        seller = np.concatenate([self.sellers[r][p["seller"]] for r, p in parts])
        model = cols["model"]
        return {
            "listing_id": [f"L{i:09d}" for i in cols["id"].tolist()],
            "snapshot_date": date.isoformat(),
            "region": np.array(REGION_NAMES, dtype=object)[region],
            "competitor": seller,
            "make": cat.makes[cat.make[model]],
            "model": cat.names[model],
            "trim": cat.trims[model, cols["trim"]],
            "model_year": cols["year"],
            "mileage": cols["mileage"],
            "asking_price": cols["price"],
            "days_on_market": day - cols["listed"],
        }

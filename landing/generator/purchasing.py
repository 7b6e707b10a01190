"""Stock buying: each rooftop orders toward a target of days' supply; units land after a lead time.

Buyers size stock from the showroom traffic of recent weeks and choose models from their recent
sales mix (slow moving averages), so replenishment lags demand: in the spring rush and for
rising models, popular units run short until the orders arrive.
"""

from __future__ import annotations

import numpy as np

from .acquisition import AUCTION, LEASE, NEW
from .dealers import Dealers
from .params import CAPTURE, DAYS_SUPPLY, ORDER_SMOOTHING
from .vehicles import Catalogue, draw

SOURCE_MIX = ((NEW, 0.30), (LEASE, 0.12), (AUCTION, 0.58))  # orders by channel
LEAD_DAYS = {AUCTION: (2, 10), LEASE: (4, 15), NEW: (10, 41)}  # order to intake
TRAFFIC_MEMORY = 1 / 21  # weight of today in the moving average of showroom traffic
MIX_MEMORY = 1 / 60  # ... and in the moving average of the model mix


class Purchasing:
    """Order book of the group: target stock, units on order, and the model mix buyers favour."""

    def __init__(
        self,
        dealers: Dealers,
        cat: Catalogue,
        expected_sales: np.ndarray,
        next_open_day: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        self.rate = expected_sales.astype(float).copy()  # sales expected from recent traffic
        self.target_days = rng.uniform(*DAYS_SUPPLY, len(dealers))
        self.mix = np.zeros((len(dealers), len(cat)))
        self.on_order = np.zeros(len(dealers), dtype=np.int64)
        self.franchise = dealers.franchise[:, cat.make]  # dealers x models
        self._pipeline: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self._next_open = next_open_day  # trucks deliver Monday to Saturday, not on holidays

    def opening_stock(self, shares: np.ndarray, rng) -> tuple[np.ndarray, ...]:
        """The units each rooftop holds on day one: its target stock, in the planned mix."""
        counts = np.round(self.target_days * self.rate).astype(np.int64)
        dealer = np.repeat(np.arange(len(counts)), counts)
        source = rng.choice([0, 1, 2, 3], size=len(dealer), p=[0.30, 0.40, 0.10, 0.20])
        return dealer, self._models(dealer, source, shares, rng), source

    def arrivals(self, day: int) -> tuple[np.ndarray, ...] | None:
        """Units ordered earlier that land today: (dealer, model, source)."""
        parts = self._pipeline.pop(day, None)
        if not parts:
            return None
        dealer, model, source = (np.concatenate(p) for p in zip(*parts, strict=True))
        np.subtract.at(self.on_order, dealer, 1)
        return dealer, model, source

    def record(self, shoppers: np.ndarray, dealer: np.ndarray, model: np.ndarray) -> None:
        """Take in today's showroom traffic per rooftop and the (dealer, model) of units sold."""
        # Traffic, not sales, sets the volume: sales are capped by stock, so sizing stock on
        # them alone would spiral down after every shortage.
        self.rate += TRAFFIC_MEMORY * (CAPTURE * shoppers - self.rate)
        self.mix *= 1 - MIX_MEMORY
        np.add.at(self.mix, (dealer, model), 1.0)

    def order(
        self, day: int, in_stock: np.ndarray, planned: np.ndarray, shares: np.ndarray, rng
    ) -> None:
        """Place today's orders to close part of each rooftop's gap to its target stock.

        The target blends the sales recent traffic implies with the sales planned for the
        coming month (`planned`, per rooftop and day): buyers see the spring rush coming, but
        only half-trust the plan.
        """
        expected = 0.5 * self.rate + 0.5 * planned
        gap = self.target_days * expected - in_stock - self.on_order
        counts = np.floor(np.maximum(gap, 0.0) * ORDER_SMOOTHING + rng.random(len(gap)))
        dealer = np.repeat(np.arange(len(gap)), counts.astype(np.int64))
        if len(dealer) == 0:
            return
        channels, weights = zip(*SOURCE_MIX, strict=True)
        source = rng.choice(np.array(channels), size=len(dealer), p=np.array(weights))
        model = self._models(dealer, source, shares, rng)
        lead = np.zeros(len(dealer), dtype=np.int64)
        for channel, (low, high) in LEAD_DAYS.items():
            hit = source == channel
            lead[hit] = rng.integers(low, high, hit.sum())
        self.on_order += np.bincount(dealer, minlength=len(gap))
        when = self._next_open[np.minimum(day + lead, len(self._next_open) - 1)]
        for arrival in np.unique(when).tolist():
            hit = when == arrival
            self._pipeline.setdefault(arrival, []).append((dealer[hit], model[hit], source[hit]))

    def _models(self, dealer, source, shares: np.ndarray, rng) -> np.ndarray:
        """Models to buy: new units from the franchises; used ones half by the rooftop's own sales
        mix, mostly by the regional market."""
        totals = self.mix.sum(axis=1, keepdims=True)
        own = np.divide(self.mix, totals, out=shares.copy(), where=totals > 0)
        used_cdf = np.cumsum(0.3 * own + 0.7 * shares, axis=1)
        franchise = shares * self.franchise
        new_cdf = np.cumsum(franchise / franchise.sum(axis=1, keepdims=True), axis=1)
        model = np.empty(len(dealer), dtype=np.int64)
        new = source == NEW
        model[new] = draw(new_cdf, dealer[new], rng)
        model[~new] = draw(used_cdf, dealer[~new], rng)
        return model

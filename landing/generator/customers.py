"""The customer pool: who buys each unit, and what the group remembers about its customers.

Most buyers are new retail customers who buy once. Some retail deals go to a previous buyer of
the rooftop, drawn by past purchases, so a few loyal customers buy again and again; fleet
accounts (trades, rentals, couriers) have heavy-tailed buying weights and buy many units.
"""

from __future__ import annotations

import numpy as np

from .params import FLEET_SHARE, MIN_REPEAT_GAP, NEW_FLEET_ACCOUNT, REPEAT_SHARE


class _Growing:
    """An append-only array with amortised growth."""

    def __init__(self, dtype: type) -> None:
        self._data = np.empty(64, dtype=dtype)
        self._n = 0

    def extend(self, values: np.ndarray) -> None:
        need = self._n + len(values)
        if need > len(self._data):
            data = np.empty(max(need, 2 * len(self._data)), dtype=self._data.dtype)
            data[: self._n] = self._data[: self._n]
            self._data = data
        self._data[self._n : need] = values
        self._n = need

    @property
    def values(self) -> np.ndarray:
        return self._data[: self._n]


class CustomerPool:
    """Every customer so far as arrays, indexed by customer number - 1."""

    dealer: np.ndarray  # home rooftop
    fleet: np.ndarray
    purchases: np.ndarray
    last_day: np.ndarray  # day number of the last purchase
    last_unit: np.ndarray  # unit code of the last unit bought, -1 if none
    _COLUMNS = {
        "dealer": (np.int32, 0),
        "fleet": (np.bool_, False),
        "purchases": (np.int32, 0),
        "last_day": (np.int32, -(10**6)),
        "last_unit": (np.int64, -1),
    }

    def __init__(self, n_dealers: int) -> None:
        self.n = 0
        for name, (dtype, fill) in self._COLUMNS.items():
            setattr(self, name, np.full(1024, fill, dtype=dtype))
        self._tickets = [_Growing(np.int64) for _ in range(n_dealers)]  # one entry per purchase
        self._accounts = [_Growing(np.int64) for _ in range(n_dealers)]
        self._weights = [_Growing(np.float64) for _ in range(n_dealers)]

    def create(self, dealer: np.ndarray, fleet: bool) -> np.ndarray:
        """Open customer records at the given rooftops and return their indices."""
        need = self.n + len(dealer)
        if need > len(self.dealer):
            for name, (dtype, fill) in self._COLUMNS.items():
                grown = np.full(max(need, 2 * len(self.dealer)), fill, dtype=dtype)
                grown[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, grown)
        rows = np.arange(self.n, need)
        self.dealer[rows] = dealer
        self.fleet[rows] = fleet
        self.n = need
        return rows

    def choose_buyers(self, day: int, dealer: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A buyer for each deal at the given rooftops, creating new customers as needed."""
        u = rng.random(len(dealer))
        fleet = u < FLEET_SHARE
        repeat = (u >= FLEET_SHARE) & (u < FLEET_SHARE + REPEAT_SHARE)
        buyer = np.full(len(dealer), -1, dtype=np.int64)
        for d in np.unique(dealer[fleet | repeat]).tolist():
            here = dealer == d
            rows = np.flatnonzero(here & repeat)
            tickets = self._tickets[d].values
            if len(rows) and len(tickets):
                pick = tickets[rng.integers(0, len(tickets), len(rows))]
                ok = self.last_day[pick] < day - MIN_REPEAT_GAP
                buyer[rows[ok]] = pick[ok]
            rows = np.flatnonzero(here & fleet)
            if len(rows):
                buyer[rows] = self._fleet_buyers(d, len(rows), rng)
        rest = np.flatnonzero(buyer < 0)
        buyer[rest] = self.create(dealer[rest], fleet=False)
        return buyer

    def _fleet_buyers(self, dealer: int, k: int, rng: np.random.Generator) -> np.ndarray:
        """k fleet deals at a rooftop: mostly its accounts by weight, sometimes a new account."""
        accounts, weights = self._accounts[dealer].values, self._weights[dealer].values
        opens = rng.random(k) < NEW_FLEET_ACCOUNT if len(accounts) else np.ones(k, dtype=bool)
        out = np.empty(k, dtype=np.int64)
        if (~opens).any():
            cdf = np.cumsum(weights) / weights.sum()
            picks = np.searchsorted(cdf, rng.random((~opens).sum()), side="right")
            out[~opens] = accounts[np.minimum(picks, len(accounts) - 1)]
        if opens.any():
            created = self.create(np.full(opens.sum(), dealer), fleet=True)
            out[opens] = created
            self._accounts[dealer].extend(created)
            self._weights[dealer].extend(rng.pareto(1.2, len(created)) + 0.1)
        return out

    def record(self, buyer: np.ndarray, day: int, dealer: np.ndarray, unit: np.ndarray) -> None:
        """Remember today's purchases (unit codes of the units bought)."""
        np.add.at(self.purchases, buyer, 1)
        self.last_day[buyer] = day
        self.last_unit[buyer] = unit
        retail = ~self.fleet[buyer]
        for d in np.unique(dealer[retail]).tolist():
            self._tickets[d].extend(buyer[retail & (dealer == d)])

"""Units as parallel arrays, and the live stock: only what is on the lots right now."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

UNIT_CODE = 10_000_000  # unit code = dealer number * UNIT_CODE + stock sequence

_DTYPES = {
    "dealer": np.int32,
    "seq": np.int64,  # stock sequence within the rooftop, from 1
    "serial": np.int64,  # group-wide intake number, feeds the VIN
    "model": np.int32,
    "trim": np.int8,
    "model_year": np.int32,
    "mileage": np.int64,
    "grade": np.float64,
    "color": np.int8,
    "source": np.int8,  # index into contract.ACQUISITION_SOURCES
    "acquired": np.int32,  # day number of intake
    "ready": np.int32,  # first day on the front line, after reconditioning
    "base_value": np.float64,  # market value at intake divided by that day's model index
    "decay": np.float64,  # daily log-depreciation
    "cost": np.float64,
    "recon": np.float64,
    "price": np.float64,  # current list price
    "aggressive": np.bool_,
    "stage": np.int16,  # age markdowns reviewed so far
    "jitter": np.int8,  # days a unit's markdowns lag the policy ages (weekly price reviews)
}


@dataclass
class Units:
    """A set of vehicle units: the stock, or a batch arriving or leaving it."""

    dealer: np.ndarray
    seq: np.ndarray
    serial: np.ndarray
    model: np.ndarray
    trim: np.ndarray
    model_year: np.ndarray
    mileage: np.ndarray
    grade: np.ndarray
    color: np.ndarray
    source: np.ndarray
    acquired: np.ndarray
    ready: np.ndarray
    base_value: np.ndarray
    decay: np.ndarray
    cost: np.ndarray
    recon: np.ndarray
    price: np.ndarray
    aggressive: np.ndarray
    stage: np.ndarray
    jitter: np.ndarray

    @classmethod
    def of(cls, n: int, **columns: object) -> Units:
        """Units from columns (scalars broadcast; seq and serial default to 0)."""
        out = {}
        for name, dtype in _DTYPES.items():
            value = np.asarray(columns.get(name, 0), dtype=dtype)
            out[name] = np.broadcast_to(value, (n,)).copy() if value.ndim == 0 else value
        return cls(**out)

    def __len__(self) -> int:
        return len(self.dealer)

    def take(self, rows: np.ndarray) -> Units:
        return Units(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Units]) -> Units:
        return Units(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Units)}
        )

    def value(self, day: int, index: np.ndarray) -> np.ndarray:
        """Market value of each unit on a day, given that day's model price index."""
        return self.base_value * index[self.model] * np.exp(-self.decay * (day - self.acquired))

    def codes(self) -> np.ndarray:
        return self.dealer.astype(np.int64) * UNIT_CODE + self.seq

    def stock_numbers(self, dealer_ids: np.ndarray) -> list[str]:
        return stock_numbers(self.codes(), dealer_ids)


def stock_numbers(codes: np.ndarray, dealer_ids: np.ndarray) -> list[str]:
    """Stock numbers such as D01-000123 from unit codes."""
    ids = dealer_ids[codes // UNIT_CODE].tolist()
    return [f"{d}-{s:06d}" for d, s in zip(ids, (codes % UNIT_CODE).tolist(), strict=True)]


class Stock:
    """The units on the lots, with the counters that number the next arrivals."""

    def __init__(self, n_dealers: int) -> None:
        self.units = Units.of(0)
        self.n_dealers = n_dealers
        self._next_seq = np.ones(n_dealers, dtype=np.int64)
        self._next_serial = 0

    def receive(self, batch: Units) -> Units:
        """Number a batch (by rooftop, in arrival order), put it on the lots and return it."""
        batch = batch.take(np.argsort(batch.dealer, kind="stable"))
        counts = np.bincount(batch.dealer, minlength=self.n_dealers)
        first = np.cumsum(counts) - counts
        batch.seq = self._next_seq[batch.dealer] + np.arange(len(batch)) - first[batch.dealer]
        batch.serial = self._next_serial + np.arange(len(batch), dtype=np.int64)
        self._next_seq += counts
        self._next_serial += len(batch)
        self.units = Units.concat([self.units, batch])
        return batch

    def remove(self, rows: np.ndarray) -> Units:
        """Take units off the lots (sold) and return them."""
        gone = self.units.take(rows)
        keep = np.ones(len(self.units), dtype=bool)
        keep[rows] = False
        self.units = self.units.take(keep)
        return gone

    def counts(self) -> np.ndarray:
        """Units on the lots per rooftop."""
        return np.bincount(self.units.dealer, minlength=self.n_dealers)

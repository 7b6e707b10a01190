"""Writes each day's rows to contract CSV files: UTF-8, header row, empty field = NULL."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from landing.contract import FEEDS, MONEY, landing_file

Columns = Mapping[str, object]  # column -> sequence of values, or one string for every row


class LandingWriter:
    """Writes contract files under a landing directory and counts what it wrote."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.rows = {name: 0 for name in FEEDS}
        self.files = 0
        for name in FEEDS:
            (self.out / name).mkdir(parents=True, exist_ok=True)

    def write(self, feed: str, day: dt.date | None, columns: Columns | None) -> None:
        """Write one file; no columns (nothing happened that day) writes the header only."""
        spec = FEEDS[feed]
        body = _rows(feed, columns) if columns else []
        with landing_file(self.out, feed, day).open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(spec.column_names)
            out.writerows(body)
        self.rows[feed] += len(body)
        self.files += 1


def _rows(feed: str, columns: Columns) -> list[tuple]:
    spec = FEEDS[feed]
    if list(columns) != spec.column_names:
        raise ValueError(f"{feed}: columns {list(columns)} differ from the contract's")
    n = next(len(v) for v in columns.values() if not isinstance(v, str))
    cells = []
    for column, values in zip(spec.columns, columns.values(), strict=True):
        text = _text(values, column.type, n)
        if len(text) != n:
            raise ValueError(f"{feed}.{column.name}: {len(text)} values for {n} rows")
        cells.append(text)
    return list(zip(*cells, strict=True))


def _text(values: object, kind: str, n: int) -> list:
    """Values as CSV text: money with 2 decimals, grades with 1, NaN and None as empty."""
    if isinstance(values, str):
        return [values] * n
    if not isinstance(values, np.ndarray):
        return list(values)
    if values.dtype.kind == "b":
        return np.where(values, "true", "false").tolist()
    if values.dtype.kind in "iu":
        return [str(v) for v in values.tolist()]
    if values.dtype.kind == "f":
        pattern = "{:.2f}" if kind == MONEY else "{:.1f}" if kind == "DOUBLE" else "{:.0f}"
        return [None if v != v else pattern.format(v) for v in values.tolist()]
    return values.tolist()

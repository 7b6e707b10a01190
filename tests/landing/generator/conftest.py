"""Small generated landing zones shared by the generator tests (generated once per session)."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from landing.contract import FEEDS
from landing.generator import GenerationSummary, generate


class Landing:
    """A generated landing directory, with each feed read back as strings (empty = None)."""

    def __init__(self, path: Path, summary: GenerationSummary) -> None:
        self.path = path
        self.summary = summary

    @cache  # noqa: B019 - one Landing per session, so caching on self is what we want
    def feed(self, name: str) -> pd.DataFrame:
        rows, days = [], []
        for file in sorted((self.path / name).glob("*.csv")):
            with file.open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                next(reader)
                for row in reader:
                    rows.append([value or None for value in row])
                    days.append(file.stem)
        frame = pd.DataFrame(rows, columns=FEEDS[name].column_names, dtype=object)
        frame["_file"] = days
        return frame


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Landing:
    """120 days, 3 dealers: enough for integrity checks."""
    path = tmp_path_factory.mktemp("small") / "landing"
    return Landing(path, generate(path, start=dt.date(2024, 1, 1), days=120, dealers=3, seed=7))


@pytest.fixture(scope="session")
def two_year_run(tmp_path_factory) -> Landing:
    """Two years of one rooftop (in the pricing experiment): enough for realism checks."""
    path = tmp_path_factory.mktemp("two_years") / "landing"
    return Landing(path, generate(path, start=dt.date(2024, 1, 1), days=730, dealers=1, seed=11))

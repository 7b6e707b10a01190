"""The generator writes the files the contract promises, deterministically."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from landing.contract import DAILY_FEEDS, FEEDS, landing_file
from landing.generator import generate


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.csv"))}


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(tmp_path):
    args = dict(start=dt.date(2024, 3, 1), days=21, dealers=2)
    first = _files(generate(tmp_path / "a", seed=3, **args).out)
    again = _files(generate(tmp_path / "b", seed=3, **args).out)
    other = _files(generate(tmp_path / "c", seed=4, **args).out)
    assert first == again
    assert first.keys() == other.keys()
    assert first != other


def test_a_shorter_run_is_the_start_of_a_longer_one(tmp_path):
    short = _files(generate(tmp_path / "short", days=15, dealers=2, seed=5).out)
    long = _files(generate(tmp_path / "long", days=40, dealers=2, seed=5).out)
    assert all(long[name] == content for name, content in short.items())


def test_every_expected_file_exists_with_the_contract_header(small_run):
    start, days = small_run.summary.start, small_run.summary.days
    expected = [landing_file(small_run.path, "dealers")]
    for i in range(days):
        day = start + dt.timedelta(days=i)
        expected += [
            landing_file(small_run.path, feed, day)
            for feed in DAILY_FEEDS
            if FEEDS[feed].file_due(day)
        ]
    written = sorted(small_run.path.rglob("*.csv"))
    assert sorted(expected) == written
    assert small_run.summary.files_written == len(written)
    for path in written:
        with path.open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == FEEDS[path.parent.name].column_names, path


def test_market_listings_land_on_mondays_only(small_run):
    days = {dt.date.fromisoformat(p.stem) for p in (small_run.path / "market_listings").iterdir()}
    assert days and all(day.weekday() == 0 for day in days)


def test_summary_counts_the_rows_written(small_run):
    for feed in FEEDS:
        assert small_run.summary.rows[feed] == len(small_run.feed(feed)), feed
    assert small_run.summary.rows_per_second > 0


def test_every_row_belongs_to_the_day_of_its_file(small_run):
    for name, feed in FEEDS.items():
        if feed.business_date:
            rows = small_run.feed(name)
            assert len(rows) and (rows[feed.business_date] == rows["_file"]).all(), name


def test_values_keep_to_the_contract(small_run):
    money = re.compile(r"^\d+\.\d\d$")
    for name, feed in FEEDS.items():
        rows = small_run.feed(name)
        for column in feed.columns:
            values = rows[column.name]
            if column.required:
                assert values.notna().all(), f"{name}.{column.name} has empty values"
            present = values.dropna()
            if column.allowed:
                assert set(present) <= set(column.allowed), f"{name}.{column.name}"
            if column.type == "DECIMAL(12,2)":
                assert present.map(lambda v: bool(money.match(v))).all(), f"{name}.{column.name}"
            numbers = present.astype(float) if column.min_value is not None else None
            if numbers is not None:
                assert numbers.min() >= column.min_value, f"{name}.{column.name}"
                assert numbers.max() <= column.max_value, f"{name}.{column.name}"
            if column.type == "DATE":
                present.map(dt.date.fromisoformat)


def test_identifiers_have_their_documented_shapes(small_run):
    vehicles = small_run.feed("vehicles")
    assert vehicles.stock_number.str.fullmatch(r"D\d{2,3}-\d{6}").all()
    assert vehicles.vin.str.fullmatch(r"[A-HJ-NPR-Z0-9]{17}").all()
    assert vehicles.vin.is_unique
    assert small_run.feed("sales").deal_id.str.fullmatch(r"S\d{8}").all()
    assert small_run.feed("customers").customer_id.str.fullmatch(r"C\d{7,}").all()


@pytest.mark.parametrize("feed", list(FEEDS))
def test_keys_are_unique(small_run, feed):
    assert not small_run.feed(feed).duplicated(list(FEEDS[feed].key)).any()

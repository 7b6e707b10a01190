"""generate() refuses arguments it cannot honour, saying which and why."""

from __future__ import annotations

import datetime as dt

import pytest

from landing.generator import generate


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "days must be at least 1"),
        ({"days": -5}, "days must be at least 1"),
        ({"dealers": 0}, "dealers must be between 1 and 999"),
        ({"dealers": 1000}, "dealers must be between 1 and 999"),
        ({"seed": -1}, "seed must be a non-negative integer"),
    ],
)
def test_bad_arguments_raise_a_clear_value_error(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, **kwargs)
    assert not any(tmp_path.iterdir()), "nothing is written for rejected arguments"


def test_a_start_that_is_not_a_date_is_a_type_error(tmp_path):
    with pytest.raises(TypeError, match="start must be a datetime.date"):
        generate(tmp_path, start="2024-01-01", days=3)  # type: ignore[arg-type]


def test_a_single_day_with_one_dealer_works(tmp_path):
    summary = generate(tmp_path, start=dt.date(2024, 6, 3), days=1, dealers=1)
    assert summary.days == 1
    assert summary.rows["dealers"] == 1
    assert summary.rows["market_listings"] > 0  # 2024-06-03 is a Monday

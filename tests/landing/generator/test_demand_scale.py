"""demand_scale grows a dealer group's trade without changing the default output."""

from __future__ import annotations

import datetime as dt

import pytest

from landing.generator import generate
from orchestration.cli import main

ARGS = dict(start=dt.date(2024, 3, 4), days=45, dealers=2, seed=9)


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.csv"))}


def test_a_scale_of_one_writes_the_same_bytes_as_the_default(tmp_path):
    default = generate(tmp_path / "default", **ARGS)
    explicit = generate(tmp_path / "explicit", demand_scale=1.0, **ARGS)
    assert _files(default.out) == _files(explicit.out)
    assert "demand x" not in str(default)


def test_a_larger_scale_multiplies_sales_customers_and_stock(tmp_path):
    base = generate(tmp_path / "base", **ARGS).rows
    scaled = generate(tmp_path / "scaled", demand_scale=4.0, **ARGS)
    for feed in ("sales", "customers", "vehicles", "service_visits"):
        assert 2.5 * base[feed] < scaled.rows[feed] < 6.0 * base[feed], feed
    assert scaled.demand_scale == 4.0 and "demand x4" in str(scaled)


@pytest.mark.parametrize("scale", [0, -1.0, float("nan"), 1000.0, "2", True])
def test_a_scale_that_is_not_a_sensible_positive_number_is_refused(tmp_path, scale):
    with pytest.raises(ValueError, match="demand_scale must be a number above 0"):
        generate(tmp_path, demand_scale=scale, **ARGS)


def test_the_cli_passes_the_demand_scale_through(tmp_path, capsys):
    out = tmp_path / "landing"
    code = main(["generate", "--out", str(out), "--start", "2024-03-04", "--days", "10",
                 "--dealers", "1", "--demand-scale", "2.5"])
    assert code == 0
    assert "demand x2.5" in capsys.readouterr().out

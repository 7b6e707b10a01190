"""The rooftops and the vehicle catalogue the simulation starts from."""

from __future__ import annotations

import datetime as dt

import numpy as np

from landing.generator.catalogue import MAKES
from landing.generator.dealers import build_dealers
from landing.generator.vehicles import Catalogue
from landing.generator.vin import make_vins


def _dealers(n: int):
    return build_dealers(n, dt.date(2024, 1, 1), np.random.default_rng(42), Catalogue().make_names)


def test_the_default_group_spreads_over_regions_and_tests_pricing_in_a_third():
    dealers = _dealers(8)
    assert len(set(dealers.region.tolist())) >= 3
    assert 2 <= dealers.experiment.sum() <= 4
    assert all(d < dt.date(2024, 1, 1) for d in dealers.opened)


def test_a_hundred_dealers_get_unique_ids_and_names():
    dealers = _dealers(100)
    assert len(set(dealers.ids)) == len(set(dealers.names)) == 100
    assert dealers.ids[-1] == "D100"
    assert abs(dealers.experiment.mean() - 1 / 3) < 0.05


def test_the_catalogue_has_real_breadth():
    models = [m for make in MAKES for m in make.models]
    assert len(MAKES) >= 25
    assert len(models) >= 120
    assert all(len(m.trims) >= 2 and m.msrp > 10_000 and m.popularity > 0 for m in models)
    assert {m.trend > 0 for m in models} == {True, False}, "some models rise, some fall"
    assert len({(make.name, m.name) for make in MAKES for m in make.models}) == len(models)


def test_vins_carry_a_valid_check_digit():
    vins = make_vins(
        np.array([list(b"1HG")] * 3, dtype=np.uint8),
        np.array([2020, 2024, 2025]),
        np.array([0, 1, 1_234_567]),
        np.random.default_rng(0),
    )
    values = dict(
        zip(
            "ABCDEFGHJKLMNPRSTUVWXYZ",
            [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
            strict=True,
        )
    )
    values.update({str(d): d for d in range(10)})
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    for vin in vins:
        check = sum(values[c] * w for c, w in zip(vin, weights, strict=True)) % 11
        assert vin[8] == ("X" if check == 10 else str(check))
    assert [v[9] for v in vins] == ["L", "R", "S"]  # model-year codes of 2020, 2024, 2025

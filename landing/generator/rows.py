"""Rows of the stock-side feeds (vehicles, price_changes, sales) from the simulation's arrays."""

from __future__ import annotations

import numpy as np

from landing.contract import ACQUISITION_SOURCES

from .acquisition import NEW
from .dealers import Dealers
from .stock import Units
from .vehicles import COLORS, Catalogue
from .vin import make_vins

_SOURCES = np.array(ACQUISITION_SOURCES, dtype=object)
_REASONS = np.array(["age_markdown", "market_adjustment"], dtype=object)


def vehicle_rows(
    units: Units, cat: Catalogue, dealers: Dealers, day: str, rng: np.random.Generator
) -> dict[str, object]:
    """The vehicles feed: units taken into stock today, ordered by stock number."""
    units = units.take(np.lexsort((units.seq, units.dealer)))
    m, t = units.model, units.trim
    return {
        "stock_number": units.stock_numbers(dealers.ids),
        "vin": make_vins(cat.wmi[cat.make[m]], units.model_year, units.serial, rng),
        "dealer_id": dealers.ids[units.dealer],
        "stock_type": np.where(units.source == NEW, "new", "used"),
        "make": cat.makes[cat.make[m]],
        "model": cat.names[m],
        "trim": cat.trims[m, t],
        "model_year": units.model_year,
        "body_style": cat.body_names[cat.body[m]],
        "engine": cat.engine[m, t],
        "transmission": cat.transmission[m, t],
        "color": COLORS[units.color],
        "mileage": units.mileage,
        "condition_grade": units.grade,
        "acquisition_source": _SOURCES[units.source],
        "acquired_date": day,
        "acquisition_cost": units.cost,
        "recon_cost": units.recon,
        "list_price": units.price,
        "pricing_strategy": np.where(units.aggressive, "aggressive", "standard"),
    }


def price_change_rows(
    units: Units, old: np.ndarray, new: np.ndarray, reason: np.ndarray, dealers: Dealers, day: str
) -> dict[str, object]:
    """The price_changes feed: one row per repriced unit."""
    return {
        "stock_number": units.stock_numbers(dealers.ids),
        "dealer_id": dealers.ids[units.dealer],
        "changed_date": day,
        "old_price": old,
        "new_price": new,
        "reason": _REASONS[reason],
    }


def sale_rows(
    units: Units, buyers: np.ndarray, prices: np.ndarray, first_id: int, dealers: Dealers, day: str
) -> dict[str, object]:
    """The sales feed: one deal per unit sold, numbered from first_id."""
    return {
        "deal_id": [f"S{first_id + k:08d}" for k in range(len(units))],
        "sale_date": day,
        "dealer_id": dealers.ids[units.dealer],
        "stock_number": units.stock_numbers(dealers.ids),
        "customer_id": [f"C{c + 1:07d}" for c in buyers.tolist()],
        "sale_price": prices,
    }

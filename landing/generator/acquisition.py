"""Appraising and taking in units: what a vehicle is, what it is worth, costs and is listed at."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np

from .params import AGGRESSIVE_DISCOUNT, LIST_MARKUP
from .stock import Units
from .vehicles import COLOR_CDF, TRIM_STEP, Catalogue, draw, round95

TRADE_IN, AUCTION, LEASE, NEW = range(4)  # indices into contract.ACQUISITION_SOURCES
USED_DECAY = np.log(1 / 0.87) / 365.0  # used units lose about 13 % of their value a year
NEW_DECAY = np.log(1 / 0.93) / 365.0


class Appraisal(NamedTuple):
    """What a batch of vehicles is and what it is worth on the day."""

    trim: np.ndarray
    model_year: np.ndarray
    mileage: np.ndarray
    grade: np.ndarray
    value: np.ndarray


def appraise(
    model: np.ndarray,
    source: np.ndarray,
    day: dt.date,
    index: np.ndarray,
    cat: Catalogue,
    rng: np.random.Generator,
) -> Appraisal:
    """Draw trim, age, mileage and condition by source, and value each vehicle."""
    n = len(model)
    new = source == NEW
    age = np.select(
        [source == TRADE_IN, source == AUCTION, source == LEASE],
        [rng.gamma(2.5, 2.4, n), rng.gamma(2.0, 1.5, n), rng.uniform(2.0, 4.0, n)],
        0.0,
    )
    next_year = (day.month >= 8) & (rng.random(n) < 0.6)  # model years launch in the autumn
    year = np.where(new, day.year + next_year, day.year - np.floor(age).astype(int))
    year = np.clip(year, cat.since[model], day.year + 1)
    years_old = np.maximum(day.year - year + (day.month - 0.5) / 12 + 0.25, 0.1)
    miles = years_old * 12_000 * rng.lognormal(0.0, 0.35, n) * np.where(source == LEASE, 0.85, 1)
    mileage = np.where(new, rng.integers(3, 50, n), miles.astype(np.int64) + 300)
    raw_grade = 4.8 - 0.16 * years_old - 0.6 * mileage / 100_000 + rng.normal(0.0, 0.45, n)
    raw_grade += np.where(source == LEASE, 0.3, 0.0)
    grade = np.where(new, 5.0, np.clip(np.round(raw_grade * 2) / 2, 1.0, 5.0))
    trim = draw(cat.trim_cdf, model, rng)
    sticker = cat.msrp[model] * (1 + TRIM_STEP * trim)
    expected = 12_000 * years_old
    wear = np.clip(1 - 0.25 * (mileage - expected) / (expected + 20_000), 0.75, 1.15)
    used = sticker * 0.85 * 0.87**years_old * wear * (1 + 0.06 * (grade - 3.5))
    value = np.maximum(np.where(new, sticker, used) * index[model], 1_500.0)
    return Appraisal(trim, year, mileage, grade, value)


def acquire(
    dealer: np.ndarray,
    model: np.ndarray,
    source: np.ndarray,
    day_number: int,
    day: dt.date,
    index: np.ndarray,
    cat: Catalogue,
    experiment: np.ndarray,
    rng: np.random.Generator,
    front_line_now: bool = False,
) -> Units:
    """Units bought today: costs by channel, reconditioning, pricing arm and first list price."""
    n = len(dealer)
    a = appraise(model, source, day, index, cat, rng)
    new = source == NEW
    # Trade-ins are bought cheapest, auction units carry a buyer's fee, new units cost invoice
    # less holdback and incentives.
    factor = np.select(
        [source == TRADE_IN, source == AUCTION, source == LEASE],
        [rng.uniform(0.74, 0.86, n), rng.uniform(0.80, 0.89, n), rng.uniform(0.80, 0.88, n)],
        0.905,
    )
    cost = a.value * factor + np.where(source == AUCTION, rng.uniform(250, 650, n), 0.0)
    recon = np.where(
        new, rng.uniform(90, 260, n), (150 + (5 - a.grade) * 300) * rng.lognormal(0.0, 0.35, n)
    )
    aggressive = experiment[dealer] & (rng.random(n) < 0.5)
    used_markup, new_markup = LIST_MARKUP
    markup = np.where(new, rng.normal(new_markup, 0.015, n), rng.normal(used_markup, 0.03, n))
    markup *= np.where(aggressive, 1 - AGGRESSIVE_DISCOUNT, 1.0)
    recon_days = np.where(new, rng.integers(1, 4, n), rng.integers(2, 9, n))
    return Units.of(
        n,
        dealer=dealer,
        model=model,
        trim=a.trim,
        model_year=a.model_year,
        mileage=a.mileage,
        grade=a.grade,
        color=draw(COLOR_CDF, np.zeros(n, dtype=int), rng),
        source=source,
        acquired=day_number,
        ready=day_number if front_line_now else day_number + recon_days,
        base_value=a.value / index[model],
        decay=np.where(new, NEW_DECAY, USED_DECAY),
        cost=np.round(cost, 2),
        recon=np.round(recon, 2),
        price=round95(a.value * markup),
        aggressive=aggressive,
        stage=0,
        jitter=rng.integers(0, 8, n),
    )

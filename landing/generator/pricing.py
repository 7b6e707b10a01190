"""Repricing of unsold units: age-based markdowns and occasional adjustments to the market.

The standard arm cuts 3 % at 30, 45, 60 and 75 days and every 15 days after; the aggressive arm
starts lower and cuts 4 % at 21, 35, 49, 63 and every 14 days after. Markdowns stop at a floor
under market value. A unit whose price drifted far from the market (the market moved) may be
re-set to it, up or down. A unit changes price at most once a day.
"""

from __future__ import annotations

import numpy as np

from .params import AGGRESSIVE_DISCOUNT, MARKET_TARGET, PRICE_FLOOR
from .stock import Units
from .vehicles import round95

MARKDOWN_AGES = np.array([[30, 45, 60, 75], [21, 35, 49, 63]])  # rows: standard, aggressive
MARKDOWN_EVERY = np.array([15, 14])
MARKDOWN_CUT = np.array([0.03, 0.04])
AGE_MARKDOWN, MARKET_ADJUSTMENT = 0, 1  # reason codes


def reprice(
    units: Units, day: int, value: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Apply today's price changes to `units` in place; return rows, old, new prices, reasons."""
    arm = units.aggressive.astype(np.int64)
    stage = units.stage.astype(np.int64)
    last = MARKDOWN_AGES.shape[1] - 1
    policy_age = np.where(
        stage <= last,
        MARKDOWN_AGES[arm, np.minimum(stage, last)],
        MARKDOWN_AGES[arm, last] + MARKDOWN_EVERY[arm] * (stage - last),
    )
    on_lot = units.acquired < day
    review = on_lot & (day - units.acquired >= policy_age + units.jitter)
    units.stage[review] += 1
    cut = round95(np.maximum(units.price * (1 - MARKDOWN_CUT[arm]), PRICE_FLOOR * value))
    markdown = review & (cut < units.price - 50)

    ptm = units.price / value
    u = rng.random(len(units))
    drifted = ((ptm > 1.10) & (u < 0.05)) | ((ptm < 0.92) & (u < 0.03))
    target = MARKET_TARGET * np.where(units.aggressive, 1 - AGGRESSIVE_DISCOUNT, 1.0)
    adjusted = round95(value * target)
    adjust = on_lot & ~review & drifted & (np.abs(adjusted - units.price) >= 100)

    rows = np.flatnonzero(markdown | adjust)
    old = units.price[rows].copy()
    new = np.where(markdown, cut, adjusted)[rows]
    units.price[rows] = new
    reason = np.where(markdown[rows], AGE_MARKDOWN, MARKET_ADJUSTMENT)
    return rows, old, new, reason

"""Which units sell today: each rooftop's shoppers, split among its units by how well priced.

Shoppers arrive per rooftop (weekday, season, holidays, growth) and want a model (or, less picky,
a body style) in proportion to regional demand shares. A unit's pull falls exponentially with its
price-to-market; the rooftop converts the shoppers for a model in proportion to the pull of its
units against competitors' (the outside option). So overpriced units sell slower, a popular model
that runs out of stock loses its sales, and more stock of a model meets diminishing returns.
"""

from __future__ import annotations

import numpy as np

from .params import (
    FRESH_BONUS,
    FRESH_DAYS,
    MIN_OUTSIDE,
    MODEL_LOYALTY,
    OUTSIDE_OPTION,
    PRICE_ELASTICITY,
)
from .stock import Units


def sale_probability(
    units: Units,
    day: int,
    value: np.ndarray,
    shoppers: np.ndarray,
    shares: np.ndarray,
    planned: np.ndarray,
    body: np.ndarray,
) -> np.ndarray:
    """Probability each unit sells today.

    shoppers: per rooftop today; shares: rooftop x model demand shares; planned: stock each
    rooftop plans to hold; body: body style of each model.
    """
    if len(units) == 0:
        return np.zeros(0)
    n_dealers, n_models = shares.shape
    body_shares = shares @ np.eye(body.max() + 1)[body]
    pull = np.exp(-PRICE_ELASTICITY * (units.price / value - 1.0))
    pull = np.where(day - units.acquired < FRESH_DAYS, pull * FRESH_BONUS, pull)
    pull[units.ready > day] = 0.0
    d, m = units.dealer, units.model
    b = body[m]
    by_model = d * n_models + m
    by_body = d * body_shares.shape[1] + b
    pull_model = np.bincount(by_model, pull, n_dealers * n_models)[by_model]
    pull_body = np.bincount(by_body, pull, n_dealers * body_shares.shape[1])[by_body]
    share_m, share_b = shares[d, m], body_shares[d, b]
    outside_m = np.maximum(OUTSIDE_OPTION * planned[d] * share_m, MIN_OUTSIDE)
    outside_b = OUTSIDE_OPTION * planned[d] * share_b + MIN_OUTSIDE
    rate = (
        shoppers[d]
        * pull
        * (
            MODEL_LOYALTY * share_m / (pull_model + outside_m)
            + (1 - MODEL_LOYALTY) * share_b / (pull_body + outside_b)
        )
    )
    return -np.expm1(-rate)


def sale_prices(
    price: np.ndarray, price_to_market: np.ndarray, fleet: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Negotiated prices in whole dollars: a little under list, more off overpriced units and
    for fleet accounts."""
    discount = rng.normal(0.022, 0.012, len(price)) + 0.15 * (price_to_market - 1.0)
    discount += np.where(fleet, 0.02, 0.0)
    return np.round(price * (1 - np.clip(discount, 0.0, 0.09)))

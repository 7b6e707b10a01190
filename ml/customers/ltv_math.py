"""The closed-form pieces of the lifetime value model (see ``ml.customers.ltv_model``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Gross margin rates used only when no transaction of a stream has a known gross: typical of
# a franchised dealer (vehicle front and back end together; service labour and parts).
DEFAULT_MARGINS = {"vehicle": 0.10, "service": 0.45}
POOLED = "__pooled__"


def gamma_prior(
    repeats: np.ndarray, tenure: np.ndarray, weights: np.ndarray | None = None,
    max_shape: float = 1000.0,
) -> tuple[float, float]:
    """Method-of-moments Gamma(r, alpha) for Poisson rates seen over unequal exposures.

    ``weights``: how many customers each row stands for (one each by default).
    """
    weights = np.ones(len(tenure)) if weights is None else weights
    total = float((weights * tenure).sum())
    mean = float((weights * repeats).sum()) / total if total > 0 else 0.0
    if mean <= 0:
        return 0.0, 1.0
    pos = tenure > 0
    w, t = weights[pos], tenure[pos]
    spread = float((w * t * (repeats[pos] / t - mean) ** 2).sum()) / total
    # Subtract the Poisson noise a common rate would show; capping the shape keeps alpha finite.
    variance = max(spread - w.sum() * mean / total, mean * mean / max_shape)
    return mean * mean / variance, mean / variance


def alive_probability(lam: np.ndarray, recency: np.ndarray, mu: float) -> np.ndarray:
    """P(alive now | Poisson rate lam, exponential dropout mu, no event for ``recency``)."""
    kappa = lam + mu
    return 1.0 / (1.0 + mu / kappa * np.expm1(np.clip(kappa * recency, 0.0, 700.0)))


def dropout_step(
    lam: np.ndarray, tenure: np.ndarray, recency: np.ndarray, mu: float, prior_lifetime: float,
    weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """One EM step for the exponential dropout rate over each customer's unseen death time.

    Returns the MAP update of mu and each customer's expected months alive so far.
    ``weights``: how many customers each row stands for (one each by default).
    """
    weights = np.ones(len(tenure)) if weights is None else weights
    kappa = lam + mu
    z = np.clip(kappa * recency, 0.0, 700.0)
    alive = alive_probability(lam, recency, mu)
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.where(z > 1e-8, 1.0 / kappa - recency / np.expm1(z), recency / 2)
    exposure = (tenure - recency) + alive * recency + (1.0 - alive) * offset
    new = ((float((weights * (1.0 - alive)).sum()) + 1.0)
           / (float((weights * exposure).sum()) + prior_lifetime))
    return new, exposure


def value_params(
    c: pd.DataFrame, stream: str, default_margin: float, pooled: dict | None
) -> dict:
    """Average amount per event and gross margin rate of a group, falling back to ``pooled``."""
    events, base = c[f"n_{stream}"].sum(), c[f"gross_base_{stream}"].sum()
    spend = c[f"amount_{stream}"].sum() / events if events else None
    margin = c[f"gross_{stream}"].sum() / base if base else None
    source = "observed" if margin is not None else None
    if pooled is not None:
        spend = pooled["spend"] if spend is None else spend
        if margin is None:
            margin, source = pooled["margin"], pooled["margin_source"]
    return {"customers": len(c), "spend": float(spend or 0.0),
            "margin": float(default_margin if margin is None else margin),
            "margin_source": source or "default"}

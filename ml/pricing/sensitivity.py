"""How much longer a unit takes to sell when it is listed above market, from sales history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

CONTROLS = ("make", "model", "region", "stock_type")
PTM_EDGES = (0.94, 0.97, 1.00, 1.03, 1.06)


def _price_to_market(sold: pd.DataFrame) -> pd.Series:
    if "price_to_market" in sold.columns:
        return pd.to_numeric(sold["price_to_market"], errors="coerce")
    if {"list_price", "market_value"} <= set(sold.columns):
        return sold["list_price"] / sold["market_value"].where(sold["market_value"] > 0)
    raise ValueError(
        "sold needs price_to_market at listing, or list_price and market_value to derive it; "
        f"it has {list(sold.columns)}."
    )


def _ols_hc1(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Coefficients, heteroskedasticity-robust (HC1) standard errors, residual dof."""
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    n, k = X.shape
    rank = np.linalg.matrix_rank(X)
    bread = np.linalg.pinv(X.T @ X)
    meat = (X * resid[:, None] ** 2).T @ X
    cov = bread @ meat @ bread * n / max(n - rank, 1)
    return beta, np.sqrt(np.clip(np.diag(cov), 0, None)), n - rank


def binned_days_to_sale(
    ptm: pd.Series, days: pd.Series, edges: Sequence[float] = PTM_EDGES, confidence: float = 0.95
) -> pd.DataFrame:
    """Mean and median days to sale per price-to-market band, with a CI for the mean."""
    bins = [-np.inf, *edges, np.inf]
    labels = [f"<{edges[0]:.2f}"]
    labels += [f"{lo:.2f}-{hi:.2f}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    labels += [f">={edges[-1]:.2f}"]
    band = pd.cut(ptm, bins=bins, labels=labels, right=False)
    grouped = pd.DataFrame({"band": band, "ptm": ptm, "days": days}).groupby("band", observed=False)
    table = grouped.agg(
        units=("days", "size"),
        mean_price_to_market=("ptm", "mean"),
        mean_days_to_sale=("days", "mean"),
        median_days_to_sale=("days", "median"),
        sd=("days", "std"),
    )
    t = stats.t.ppf(0.5 + confidence / 2, (table["units"] - 1).clip(lower=1))
    half = t * table["sd"] / np.sqrt(table["units"].where(table["units"] > 1))
    table["ci_low"], table["ci_high"] = (
        table["mean_days_to_sale"] - half,
        table["mean_days_to_sale"] + half,
    )
    return table.drop(columns="sd").reset_index().rename(columns={"band": "ptm_band"})


def price_sensitivity(
    sold: pd.DataFrame,
    controls: Sequence[str] = CONTROLS,
    confidence: float = 0.95,
    edges: Sequence[float] = PTM_EDGES,
) -> dict[str, Any]:
    """Elasticity of days to sale with respect to price-to-market at listing.

    Fits ``log(1 + days_to_sale) = a + e * log(price_to_market) + fixed effects`` by least
    squares with HC1 (robust) standard errors; ``e`` is elasticity-like: listing 1% further
    above market goes with about e% more days to sale. Fixed effects are the ``controls``
    present in ``sold`` (text columns as dummies, numbers linearly). Observational: units
    priced high may differ in ways the controls miss; the pricing experiment is the causal read.

    Args:
        sold: one row per sold unit with days_to_sale and price_to_market at listing (or
            list_price and market_value), plus any controls.

    Returns a dict: elasticity, std_error, ci_low, ci_high, confidence, n, controls, method,
    and bins (a DataFrame from :func:`binned_days_to_sale`). With too few units for the fit the
    numbers are NaN rather than an error, so a thin week does not fail a pipeline.
    """
    if "days_to_sale" not in sold.columns:
        raise ValueError(f"sold needs a days_to_sale column; it has {list(sold.columns)}.")
    data = sold.assign(
        _ptm=_price_to_market(sold), _days=pd.to_numeric(sold["days_to_sale"], errors="coerce")
    )
    data = data.loc[(data["_ptm"] > 0) & (data["_days"] >= 0)]
    used = [c for c in controls if c in data.columns]
    data = data.dropna(subset=["_ptm", "_days", *used])
    design = pd.get_dummies(data[used], drop_first=True, dtype=float) if used else None
    X = np.column_stack(
        [np.ones(len(data)), np.log(data["_ptm"].to_numpy(float))]
        + ([design.to_numpy(float)] if design is not None else [])
    )
    result: dict[str, Any] = {
        "elasticity": np.nan,
        "std_error": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "confidence": confidence,
        "n": len(data),
        "controls": used,
        "method": "OLS of log(1 + days_to_sale) on log(price_to_market), fixed effects, HC1",
    }
    if len(data) >= X.shape[1] + 2 and data["_ptm"].nunique() > 1:
        beta, se, dof = _ols_hc1(X, np.log1p(data["_days"].to_numpy(float)))
        half = stats.t.ppf(0.5 + confidence / 2, max(dof, 1)) * se[1]
        result.update(
            elasticity=float(beta[1]),
            std_error=float(se[1]),
            ci_low=float(beta[1] - half),
            ci_high=float(beta[1] + half),
        )
    result["bins"] = binned_days_to_sale(data["_ptm"], data["_days"], edges, confidence)
    return result

"""Readout of the pricing experiment: did the treatment arm change gross and days to sale?"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

READOUT_COLUMNS = [
    "metric",
    "n_control",
    "n_treatment",
    "control_mean",
    "treatment_mean",
    "difference",
    "ci_low",
    "ci_high",
    "relative_effect",
    "relative_ci_low",
    "relative_ci_high",
    "p_value",
    "significant",
    "method",
]


def _metrics(sold: pd.DataFrame) -> dict[str, pd.Series]:
    """Per-unit gross (``gross``, else sale_price - total_cost) and days_to_sale, where present."""
    out: dict[str, pd.Series] = {}
    if "gross" in sold.columns:
        out["gross_per_unit"] = pd.to_numeric(sold["gross"], errors="coerce")
    elif {"sale_price", "total_cost"} <= set(sold.columns):
        out["gross_per_unit"] = sold["sale_price"] - sold["total_cost"]
    if "days_to_sale" in sold.columns:
        out["days_to_sale"] = pd.to_numeric(sold["days_to_sale"], errors="coerce")
    if not out:
        raise ValueError(
            "sold needs gross (or sale_price and total_cost) and/or days_to_sale to read out "
            f"the experiment; it has {list(sold.columns)}."
        )
    return out


def _welch(a: np.ndarray, b: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """CI bounds and p-value of mean(b) - mean(a) with the Welch t test."""
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    diff = b.mean() - a.mean()
    if se == 0:
        return diff, diff, 1.0 if diff == 0 else 0.0
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.5 + confidence / 2, dof) * se
    return diff - half, diff + half, float(2 * stats.t.sf(abs(diff) / se, dof))


def _bootstrap(
    a: np.ndarray, b: np.ndarray, confidence: float, n_boot: int, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Percentile CI and two-sided p-value of mean(b) - mean(a), resampling each arm."""
    diffs = np.empty(n_boot)
    for start in range(0, n_boot, 256):
        size = min(256, n_boot - start)
        mean_a = a[rng.integers(0, len(a), (size, len(a)))].mean(axis=1)
        mean_b = b[rng.integers(0, len(b), (size, len(b)))].mean(axis=1)
        diffs[start : start + size] = mean_b - mean_a
    tail = (1 - confidence) / 2
    low, high = np.quantile(diffs, [tail, 1 - tail])
    p = min(1.0, 2 * min((diffs <= 0).mean(), (diffs >= 0).mean()))
    return float(low), float(high), float(p)


def experiment_readout(
    sold: pd.DataFrame,
    arm_col: str = "pricing_strategy",
    control: str = "standard",
    treatment: str = "aggressive",
    method: str = "welch",
    confidence: float = 0.95,
    n_boot: int = 2000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Treatment minus control, per metric, with a confidence interval.

    Metrics: gross_per_unit and days_to_sale (see ``_metrics``). ``method`` is 'welch'
    (Welch's unequal-variance t) or 'bootstrap' (percentile, seeded by ``random_state``).
    relative_effect = difference / control_mean; its CI divides the difference's CI by the
    control mean, ignoring the control mean's own noise (fine at experiment sample sizes).
    Returns one row per metric with ``READOUT_COLUMNS``; significant = the CI excludes 0.
    Arms with fewer than two units give NaN intervals.
    """
    if method not in ("welch", "bootstrap"):
        raise ValueError(f"method must be 'welch' or 'bootstrap', got {method!r}.")
    if arm_col not in sold.columns:
        raise ValueError(f"sold has no arm column {arm_col!r}; columns: {list(sold.columns)}.")
    rng = np.random.default_rng(random_state)
    rows = []
    for metric, values in _metrics(sold).items():
        a = values[sold[arm_col] == control].dropna().to_numpy(float)
        b = values[sold[arm_col] == treatment].dropna().to_numpy(float)
        mean_a = a.mean() if len(a) else np.nan
        mean_b = b.mean() if len(b) else np.nan
        low = high = p = np.nan
        if len(a) >= 2 and len(b) >= 2:
            if method == "welch":
                low, high, p = _welch(a, b, confidence)
            else:
                low, high, p = _bootstrap(a, b, confidence, n_boot, rng)
        base = abs(mean_a) if mean_a else np.nan
        diff = mean_b - mean_a
        rows.append(
            {
                "metric": metric,
                "n_control": len(a),
                "n_treatment": len(b),
                "control_mean": mean_a,
                "treatment_mean": mean_b,
                "difference": diff,
                "ci_low": low,
                "ci_high": high,
                "relative_effect": diff / base,
                "relative_ci_low": low / base,
                "relative_ci_high": high / base,
                "p_value": p,
                "significant": bool(low > 0 or high < 0),
                "method": method,
            }
        )
    return pd.DataFrame(rows, columns=READOUT_COLUMNS)

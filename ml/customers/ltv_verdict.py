"""Judge lifetime value predictions against two baselines, and decide what may be published.

Every method in a holdout (``model``, ``naive_average``, ``zero``) is compared with both
baselines on three measures: MAE, RMSE and the absolute total bias (sum predicted - sum
actual). A method beats a baseline on a measure only when it is strictly lower, so a baseline
never beats itself and a tie (e.g. everyone predicted 0 and everyone buying nothing) is no win.

The documented metric that decides publication is **RMSE**: lifetime value is used as an
expected value (summed over customers, averaged per segment to cap acquisition spend), and
squared error is the loss that the mean minimises. MAE is minimised by the median, which is 0
for anyone who will probably not buy within the horizon, so on sparse repeat purchases the
zero predictor wins MAE by construction; it is reported, not used to decide.

Verdicts:

* **not estimable**: no customer has transactions on two different days, so there is no
  repeat behaviour to learn from or to judge against; nothing is published.
* **not measured**: there was no holdout (too little history); nothing is published.
* **model**: the model beats both baselines on the metric; it is published.
* **fallback**: it does not; the better baseline on the metric is published instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

METHODS = ("model", "naive_average", "zero")
BASELINES = {"naive_average": "naive", "zero": "zero"}
MEASURES = ("mae", "rmse", "bias")
DEFAULT_METRIC = "rmse"


def compare_methods(per_customer: pd.DataFrame) -> pd.DataFrame:
    """One row per method: errors, total bias, and whether it beats each baseline on each.

    ``per_customer`` has an ``actual`` column and one column per method. Columns: method, mae,
    rmse, total_predicted, total_actual, bias (total_predicted - total_actual), bias_share
    (bias / total_actual; NaN when nothing was bought), customers, and
    ``<measure>_beats_<baseline>`` for measure in mae, rmse, bias and baseline in naive, zero
    (bias compares absolute values).
    """
    rows = []
    for method in METHODS:
        error = per_customer[method] - per_customer["actual"]
        total_actual = float(per_customer["actual"].sum())
        bias = float(per_customer[method].sum()) - total_actual
        rows.append({
            "method": method,
            "mae": float(error.abs().mean()) if len(error) else np.nan,
            "rmse": float(np.sqrt((error**2).mean())) if len(error) else np.nan,
            "total_predicted": float(per_customer[method].sum()),
            "total_actual": total_actual,
            "bias": bias,
            "bias_share": bias / total_actual if total_actual else np.nan,
            "customers": len(per_customer),
        })
    out = pd.DataFrame(rows)
    score = {"mae": out["mae"], "rmse": out["rmse"], "bias": out["bias"].abs()}
    for measure in MEASURES:
        for baseline, short in BASELINES.items():
            ref = float(score[measure][out["method"] == baseline].iloc[0])
            # Relative tolerance: float noise must not turn a tie into a win.
            out[f"{measure}_beats_{short}"] = score[measure] < ref - 1e-9 * max(abs(ref), 1.0)
    return out


@dataclass(frozen=True)
class LtvVerdict:
    """What may be published as predicted lifetime value, and why."""

    status: str  # "model", "fallback", "not estimable" or "not measured"
    published: str | None  # "model", "naive_average", "zero", or None
    metric: str
    reason: str


def ltv_verdict(
    comparison: pd.DataFrame | None, repeat_customers: int, metric: str = DEFAULT_METRIC
) -> LtvVerdict:
    """Decide from ``compare_methods`` output (None: no holdout) what to publish."""
    if metric not in ("mae", "rmse"):
        raise ValueError(f"metric must be 'mae' or 'rmse' (documented default 'rmse'), got "
                         f"{metric!r}.")
    if repeat_customers == 0:
        return LtvVerdict("not estimable", None, metric, (
            "Not estimable: no customer bought or visited on two different days, so there is "
            "no repeat behaviour to learn future purchases from or to judge a model against."))
    if comparison is None or comparison.empty:
        return LtvVerdict("not measured", None, metric, (
            "Not measured: there is too little history for a holdout, so no prediction is "
            "published as lifetime value."))
    t = comparison.set_index("method")
    model = t.loc["model"]
    if model[f"{metric}_beats_naive"] and model[f"{metric}_beats_zero"]:
        return LtvVerdict("model", "model", metric, (
            f"Model published: holdout {metric.upper()} {model[metric]:,.0f} beats the naive "
            f"average ({t.loc['naive_average', metric]:,.0f}) and zero "
            f"({t.loc['zero', metric]:,.0f}); total bias {_share(model['bias_share'])}."))
    better = "zero" if t.loc["zero", metric] <= t.loc["naive_average", metric] else "naive_average"
    return LtvVerdict("fallback", better, metric, (
        f"Fallback to {better}: the model's holdout {metric.upper()} {model[metric]:,.0f} does "
        f"not beat both the naive average ({t.loc['naive_average', metric]:,.0f}) and zero "
        f"({t.loc['zero', metric]:,.0f}); model total bias {_share(model['bias_share'])}."))


def _share(value: float) -> str:
    return "n/a (nothing bought)" if pd.isna(value) else f"{value:+.0%}"

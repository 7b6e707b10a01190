"""Forecast weekly (or daily) unit sales for every series of the dealer and product hierarchies.

`forecast` cleans the long table (`data`), takes each series' method from `methods` (the
backtest's choice, see `choice`) or else from the history rule (`selection`), fits all Prophet
series in one parallel batch (`prophet_batch`) and the rest vectorised (`candidates`),
reconciles top-down so children add up to parents (`reconcile`) and attaches 80% and 95%
intervals (`intervals`). `forecast_panels` does the same for several cleaned panels sharing
one batch of Prophet fits, which is how `backtest` forecasts all its folds at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecasting.candidates import CANDIDATES, cheap_candidates
from ml.forecasting.data import LEVEL_ORDER, Panel, prepare_panel
from ml.forecasting.intervals import (
    bound_columns,
    check_levels,
    nest,
    normal_bounds,
    poisson_bounds,
    rescale,
)
from ml.forecasting.prophet_batch import Task, fit_predict_many, prophet_settings
from ml.forecasting.reconcile import top_down
from ml.forecasting.selection import MethodRule, choose_methods

COUNT_METHODS = ("croston", "tsb", "adida", "zero")


@dataclass
class BaseForecast:
    """Unreconciled forecasts of one panel: point, error spread and method per series."""

    panel: Panel
    horizon: int
    methods: np.ndarray
    yhat: np.ndarray
    sd: np.ndarray


def start_base(
    panel: Panel, horizon: int, rule: MethodRule, methods: np.ndarray | None = None
) -> tuple[BaseForecast, list[int]]:
    """Forecasts of every non-Prophet series, and the rows Prophet still has to fill.

    `methods` gives each row's method (one of `candidates.CANDIDATES`); by default the rule in
    `selection` picks them from each series' own history.
    """
    methods = choose_methods(panel, rule) if methods is None else np.asarray(methods, object)
    unknown = sorted(set(methods) - set(CANDIDATES))
    if unknown:
        raise ValueError(f"unknown forecasting method(s) {unknown}; use one of {CANDIDATES}.")
    candidates = cheap_candidates(panel, horizon, rule)
    # Prophet rows start as seasonal naive: that is what they keep if Stan fails.
    candidates["prophet"] = candidates["seasonal_naive"]
    steps = panel.steps_ahead(horizon)
    yhat, sd = np.zeros(steps.shape), np.full(steps.shape, np.nan)
    for name, (point, spread) in candidates.items():
        rows = methods == name
        yhat[rows], sd[rows] = point[rows], spread[rows]
    prophet_rows = list(np.flatnonzero(methods == "prophet"))
    return BaseForecast(panel, horizon, methods.copy(), yhat, sd), prophet_rows


def prophet_tasks(base: BaseForecast, rows: list[int], random_state: int) -> list[Task]:
    """One Prophet task per row: history, target dates and steps ahead."""
    panel, targets = base.panel, base.panel.future(base.horizon).to_numpy()
    steps = panel.steps_ahead(base.horizon)
    return [
        (panel.dates(i).to_numpy(), panel.history(i), targets, steps[i],
         prophet_settings(panel.calendar, int(panel.lengths[i])), random_state)
        for i in rows
    ]


def to_frame(base: BaseForecast, levels: Sequence[int]) -> pd.DataFrame:
    """Reconcile a base forecast and lay it out as the long output table."""
    panel, yhat = base.panel, np.clip(base.yhat, 0, None)
    counts = np.isin(base.methods, COUNT_METHODS)[:, None]
    bounds = []
    for level in levels:
        n_lo, n_hi = normal_bounds(yhat, base.sd, level)
        p_lo, p_hi = poisson_bounds(yhat, level)
        bounds.append((np.where(counts, p_lo, n_lo), np.where(counts, p_hi, n_hi)))
    bounds = nest(yhat, bounds)
    recent = np.nansum(panel.values[:, -panel.calendar.season_length :], axis=1)
    reconciled = top_down(yhat, panel.ids, panel.parents, panel.levels, weights=recent)
    bounds = rescale(yhat, reconciled, bounds, levels)

    n, h = yhat.shape
    out = pd.DataFrame(
        {
            "unique_id": np.repeat(panel.ids, h),
            "level": np.repeat(panel.levels, h),
            "ds": np.tile(panel.future(h), n),
            "yhat": reconciled.ravel(),
        }
    )
    for (lo_name, hi_name), (lower, upper) in zip(bound_columns(levels), bounds, strict=True):
        out[lo_name], out[hi_name] = lower.ravel(), upper.ravel()
    out["method"] = np.repeat(base.methods, h)
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    out["_rank"] = out["level"].map(rank).fillna(len(rank))
    out = out.sort_values(["_rank", "unique_id", "ds"], kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)


def forecast_panels(
    panels: Sequence[Panel],
    horizon: int = 12,
    interval_levels: Sequence[int] = (80, 95),
    n_jobs: int = 2,
    random_state: int = 0,
    rule: MethodRule | None = None,
    methods: Sequence[np.ndarray | None] | None = None,
) -> list[pd.DataFrame]:
    """Forecast several cleaned panels with one shared batch of parallel Prophet fits.

    `methods`, one array per panel (or None), fixes each row's method instead of the rule.
    """
    levels, rule = check_levels(interval_levels), rule or MethodRule()
    if horizon < 1:
        raise ValueError(f"horizon={horizon} must be a positive number of periods, e.g. 12.")
    methods = methods or [None] * len(panels)
    started = [start_base(p, horizon, rule, m) for p, m in zip(panels, methods, strict=True)]
    tasks = [prophet_tasks(base, rows, random_state) for base, rows in started]
    results = iter(fit_predict_many([t for group in tasks for t in group], n_jobs=n_jobs))
    frames = []
    for base, rows in started:
        for i in rows:
            result = next(results)
            if result is None:
                base.methods[i] = "seasonal_naive"
            else:
                base.yhat[i], base.sd[i] = result
        frames.append(to_frame(base, levels))
    return frames


def forecast(
    series: pd.DataFrame,
    horizon: int = 12,
    freq: str = "W-MON",
    interval_levels: Sequence[int] = (80, 95),
    n_jobs: int = 2,
    random_state: int = 0,
    rule: MethodRule | None = None,
    methods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Reconciled forecasts with intervals for every series, `horizon` periods past the data.

    Columns: unique_id, level, ds, yhat, yhat_lower/yhat_upper (first interval level, 80% by
    default), yhat_lower_95/yhat_upper_95 (second level, named by its percentage), method.
    `n_jobs` processes fit the Prophet series (-1: all cores; 1: in this process);
    `random_state` seeds Stan, and the same input and seed give the same output for any
    `n_jobs`. `methods` maps unique_id to the method chosen for it (`backtest.evaluate` makes
    that choice from rolling-origin errors); series it does not name, or all series when it is
    None, get the rule of `selection` (thresholds in `rule`).
    """
    panel = prepare_panel(series, freq)
    rule = rule or MethodRule()
    chosen = None
    if methods:
        chosen = choose_methods(panel, rule)
        named = np.array([methods.get(uid) for uid in panel.ids], dtype=object)
        chosen = np.where(pd.notna(named), named, chosen).astype(object)
    return forecast_panels(
        [panel], horizon, interval_levels, n_jobs, random_state, rule, [chosen]
    )[0]

"""Benchmark: honest published MASE ratio per level under other method-choice rules (issue 15).

    python -m bench.forecast_choice --warehouse HOME/warehouse.duckdb [--folds 3] [--step 12]
    python -m bench.forecast_choice --planted 7 --weeks 104

Forecasts every candidate from each backtest origin once (as `backtest.evaluate` does), then
scores each rule the way the backtest scores ours: fold k's methods are chosen only on the folds
whose targets end by its origin, the forecast is reconciled top-down (unless the rule says
otherwise) and the ratio is our mean MASE over seasonal naive's, per level. The `current` row
equals `ml.forecast_accuracy_by_level`. The figures in `ml/forecasting/choice.py` come from it.
"""

from __future__ import annotations

import argparse
import importlib
import warnings

import numpy as np
import pandas as pd

from ml.forecasting.candidates import CANDIDATES, allowed
from ml.forecasting.choice import choose
from ml.forecasting.data import prepare_panel
from ml.forecasting.pipeline import BaseForecast, to_frame
from ml.forecasting.reconcile import top_down
from ml.forecasting.scores import accuracy_by_level, mase_scale, score
from ml.forecasting.selection import MethodRule, choose_methods

backtest = importlib.import_module("ml.forecasting.backtest")  # the package re-exports a function

RULES = {
    "current": {},
    "seasonal naive incumbent": {"incumbent": "seasonal_naive"},
    "seasonal naive incumbent, margin 20%": {"incumbent": "seasonal_naive", "margin": 0.2},
    "50/50 with seasonal naive": {"blend": 0.5},
    "unreconciled": {"reconcile": "none"},
    "top-down or own forecast per level": {"reconcile": "choose"},
    "own forecast per level if 10% better": {"reconcile": "choose", "own_margin": 0.1},
}


def origins(series: pd.DataFrame, horizon: int, folds: int, step: int) -> dict:
    """Every candidate's forecast from each origin, and the evidence (fold, series, candidate)."""
    rule, full = MethodRule(), prepare_panel(series)
    actuals, period = full.to_frame(), full.calendar.step
    cutoffs = [full.end - (horizon + step * k) * period for k in range(folds)]
    panels = [prepare_panel(actuals[actuals["ds"] <= c], end=c) for c in cutoffs]
    forecasts = backtest._with_prophet(panels, horizon, rule, 2, 0)
    position = {uid: i for i, uid in enumerate(full.ids)}
    errors = np.full((folds, len(full.ids), len(CANDIDATES)), np.nan)
    for k, (panel, fold) in enumerate(zip(panels, forecasts, strict=True)):
        truth = backtest._actuals(actuals, panel, horizon)
        errors[k, [position[u] for u in panel.ids]] = backtest._fold_errors(
            truth, fold, mase_scale(panel))
    return {"full": full, "actuals": actuals, "panels": panels, "forecasts": forecasts,
            "errors": errors, "position": position, "horizon": horizon,
            "older": backtest._older_folds(cutoffs, horizon * period)}


def _point(panel, fold, methods: np.ndarray) -> np.ndarray:
    """Each series' forecast by its method; seasonal naive where that method has none."""
    yhat = np.zeros(fold["naive"][0].shape)
    for name in set(methods):
        rows = methods == name
        yhat[rows] = fold[name][0][rows]
    return np.clip(np.where(np.isnan(yhat), fold["seasonal_naive"][0], yhat), 0, None)


def _own_levels(o: dict, older: list[int], by_uid: dict, margin: float) -> list[str]:
    """Levels whose unreconciled forecast beat top-down by `margin` on the older folds."""
    top, own = [], []
    for j in older:
        panel, fold = o["panels"][j], o["forecasts"][j]
        methods = np.array([by_uid.get(u, "seasonal_naive") for u in panel.ids], dtype=object)
        yhat = _point(panel, fold, methods)
        recent = np.nansum(panel.values[:, -panel.calendar.season_length:], axis=1)
        rec = top_down(yhat, panel.ids, panel.parents, panel.levels, weights=recent)
        truth, scale = backtest._actuals(o["actuals"], panel, o["horizon"]), mase_scale(panel)
        for out, y in ((top, rec), (own, yhat)):
            with warnings.catch_warnings():  # a series with no target in this fold: NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                mase = np.nanmean(np.abs(truth - y), axis=1) / scale
            out.append(pd.Series(mase).groupby(panel.levels).mean())
    top, own = pd.concat(top, axis=1).mean(axis=1), pd.concat(own, axis=1).mean(axis=1)
    return [level for level in top.index if own[level] < top[level] * (1 - margin)]


def published(o: dict, incumbent: str = "history", margin: float = 0.1, blend: float = 0.0,
              reconcile: str = "top_down", own_margin: float = 0.0) -> pd.Series:
    """The honest ratio to seasonal naive per level of one rule (see the module docstring)."""
    rule, horizon, position = MethodRule(), o["horizon"], o["position"]
    predictions, scales = [], []
    for k, older in enumerate(o["older"]):
        if not older:
            continue
        panel, fold = o["panels"][k], o["forecasts"][k]
        history = choose_methods(panel, rule)
        base = history
        if incumbent == "seasonal_naive":
            long = (panel.lengths > panel.calendar.season_length) & (history != "zero")
            base = np.where(long, "seasonal_naive", history).astype(object)
        rows = [position[u] for u in panel.ids]
        methods = choose(o["errors"][older][:, rows], allowed(panel, rule), CANDIDATES, base,
                         groups=panel.levels, margin=margin)
        methods = np.where(np.isnan(fold["prophet"][0]).any(axis=1) & (methods == "prophet"),
                           "seasonal_naive", methods).astype(object)
        yhat = _point(panel, fold, methods)
        if blend:
            long = (panel.lengths > panel.calendar.season_length)[:, None]
            yhat = np.where(long, (1 - blend) * yhat + blend * fold["seasonal_naive"][0], yhat)
        parents = panel.parents
        if reconcile == "choose":
            cut = _own_levels(o, older, dict(zip(panel.ids, methods, strict=True)), own_margin)
            parents = np.where(np.isin(panel.levels, cut), None, parents)
        if reconcile == "none":
            parents = np.full(len(panel.ids), None, dtype=object)
        cut_panel = type(panel)(**{**panel.__dict__, "parents": parents})
        mine = to_frame(BaseForecast(cut_panel, horizon, methods, yhat, yhat * np.nan), [80])
        predictions.append(mine[["unique_id", "ds", "yhat", "method"]].assign(
            model="forecourt", fold=k + 1))
        predictions.append(pd.DataFrame({
            "unique_id": np.repeat(panel.ids, horizon),
            "ds": np.tile(panel.future(horizon), len(panel.ids)),
            "yhat": np.clip(fold["seasonal_naive"][0], 0, None).ravel(),
            "model": "seasonal_naive", "method": "seasonal_naive", "fold": k + 1}))
        scales.append(pd.DataFrame({"unique_id": panel.ids, "scale": mase_scale(panel),
                                    "fold": k + 1}))
    table = accuracy_by_level(score(predictions, scales, o["actuals"], {}))
    return table.set_index("level")["mase_ratio"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", help="a home's warehouse.duckdb (read only)")
    parser.add_argument("--planted", type=int, help="seed of synthetic.make_hierarchy(30, weeks)")
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--step", type=int, default=None)
    args = parser.parse_args(argv)
    if args.warehouse:
        import duckdb

        with duckdb.connect(args.warehouse, read_only=True) as conn:
            series = conn.sql("select unique_id, ds, cast(y as double) as y, level, parent_id "
                              "from marts.demand_weekly").df()
    else:
        from ml.forecasting.synthetic import make_hierarchy

        series = make_hierarchy(n_series=30, weeks=args.weeks, random_state=args.planted or 0)
    o = origins(series, args.horizon, args.folds, args.step or args.horizon)
    table = pd.DataFrame({name: published(o, **kw) for name, kw in RULES.items()}).T
    print(table.round(3).to_string())


if __name__ == "__main__":
    main()

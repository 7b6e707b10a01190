"""Benchmark: the history rule's MASE ratio to seasonal naive per level, fold by fold (issue 15).

    python -m bench.forecast_folds --warehouse HOME/warehouse.duckdb [--folds 3]

Forecasts each backtest origin with the history rule of `selection` (no backtest choice, so
every fold can be scored, as before 847c5d2) and prints our mean MASE over seasonal naive's
per level for each fold alone, the folds the backtest scores today (all but the oldest) and
all folds. On Car Sales it shows where issue 15's 0.71/0.73 went (`ml/forecasting/choice.py`).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from ml.forecasting import baselines as bl
from ml.forecasting.data import LEVEL_ORDER, prepare_panel
from ml.forecasting.pipeline import forecast_panels
from ml.forecasting.scores import mase_scale


def by_fold(series: pd.DataFrame, horizon: int = 12, folds: int = 3) -> pd.DataFrame:
    """Rows: fold sets; columns: levels; values: the history rule's ratio to seasonal naive."""
    full = prepare_panel(series)
    actuals, period = full.to_frame(), full.calendar.step
    cutoffs = [full.end - horizon * (k + 1) * period for k in range(folds)]
    panels = [prepare_panel(actuals[actuals["ds"] <= c], end=c) for c in cutoffs]
    frames = []
    for fold, (panel, ours) in enumerate(zip(panels, forecast_panels(panels, horizon),
                                             strict=True), start=1):
        season = panel.calendar.season_length
        naive = bl.seasonal_naive(panel.values, panel.steps_ahead(horizon), season)
        theirs = pd.DataFrame({"unique_id": np.repeat(panel.ids, horizon),
                               "ds": np.tile(panel.future(horizon), len(panel.ids)),
                               "yhat": np.clip(naive, 0, None).ravel(), "model": "seasonal_naive"})
        scale = pd.DataFrame({"unique_id": panel.ids, "scale": mase_scale(panel)})
        both = pd.concat([ours[["unique_id", "ds", "yhat"]].assign(model="forecourt"), theirs])
        frames.append(both.merge(scale, on="unique_id").assign(fold=fold))
    scored = pd.concat(frames).merge(actuals[["unique_id", "level", "ds", "y"]],
                                     on=["unique_id", "ds"])
    scored["scaled"] = (scored["y"] - scored["yhat"]).abs() / scored["scale"]
    singles = [(k,) for k in range(1, folds + 1)]
    sets = singles + [tuple(range(1, folds)), tuple(range(1, folds + 1))]
    rows = {}
    for fold_set in dict.fromkeys(s for s in sets if s):
        part = scored[scored["fold"].isin(fold_set)]
        mase = part.groupby(["level", "unique_id", "model"])["scaled"].mean().unstack().dropna()
        level = mase.groupby("level").mean()
        rows["folds " + ",".join(map(str, fold_set))] = level["forecourt"] / level["seasonal_naive"]
    table = pd.DataFrame(rows).T
    return table[[lvl for lvl in LEVEL_ORDER if lvl in table.columns]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", required=True, help="a home's warehouse.duckdb (read only)")
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args(argv)
    import duckdb

    with duckdb.connect(args.warehouse, read_only=True) as conn:
        series = conn.sql("select unique_id, ds, cast(y as double) as y, level, parent_id "
                          "from marts.demand_weekly").df()
    print(by_fold(series, args.horizon, args.folds).round(3).to_string())


if __name__ == "__main__":
    main()

"""What the two forecast benchmarks share: the planted hierarchy split at a holdout, MASE on
it, and the command line (arguments, the printed summary, the JSON file)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ml.forecasting.backtest import mase_scale
from ml.forecasting.data import Panel, prepare_panel
from ml.forecasting.synthetic import make_hierarchy


@dataclass
class Holdout:
    """A planted hierarchy of `series` x `weeks`, its last `horizon` weeks held out."""

    data: pd.DataFrame
    train: pd.DataFrame
    actuals: pd.DataFrame  # unique_id, ds, y over the whole history
    panel: Panel  # the training panel
    scales: pd.Series  # MASE's in-sample scale per series

    @classmethod
    def planted(cls, series: int, weeks: int, horizon: int, random_state: int) -> Holdout:
        data = make_hierarchy(series, weeks, random_state=random_state)
        cutoff = data["ds"].max() - pd.Timedelta(weeks=horizon)
        train = data[data["ds"] <= cutoff]
        panel = prepare_panel(train)
        return cls(data, train, prepare_panel(data).to_frame()[["unique_id", "ds", "y"]],
                   panel, pd.Series(mase_scale(panel), index=panel.ids))

    def mase_per_series(self, predicted: pd.DataFrame) -> pd.Series:
        """Mean absolute scaled error of `predicted` (unique_id, ds, yhat) on the holdout."""
        joined = predicted.merge(self.actuals, on=["unique_id", "ds"])
        scale = joined["unique_id"].map(self.scales)
        joined["scaled"] = (joined["y"] - joined["yhat"]).abs() / scale
        return joined.groupby("unique_id")["scaled"].mean()

    def mase(self, predicted: pd.DataFrame) -> float:
        """The mean over series that have a scale (a constant history has none)."""
        per_series = self.mase_per_series(predicted).replace([np.inf, -np.inf], np.nan)
        return float(per_series.dropna().mean())


def parser_for(doc: str, series: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--series", type=int, default=series)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    return parser


def report(result: dict, lines: Callable[[dict], list[str]], json_path: Path | None) -> dict:
    """Print the benchmark's summary lines and write its result to `json_path` if given."""
    for line in lines(result):
        print(line)
    if json_path:
        json_path.write_text(json.dumps(result, indent=2))
    return result

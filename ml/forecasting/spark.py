"""Forecasts on Apache Spark: the per-series work of `pipeline.forecast` in `applyInPandas`.

The driver cleans the long table once (`prepare_panel`: the grid, its end, each series' method,
as `forecast` chooses them) and hands Spark one cleaned history per series.
`groupBy("unique_id").applyInPandas` then runs the local path's own per-series functions on a
one-series panel, widened to the whole panel's width so every window reads what it reads
locally: the vectorised candidates and Prophet (`start_base`, `prophet_tasks`,
`fit_predict_many` in the worker's process). The unreconciled points and spreads come back,
and reconciliation and intervals (`to_frame`) run on the driver exactly as locally: top-down
reconciliation needs every series at once and is cheap, the fitting is what scales out.

pyspark is imported inside the functions: ml/ stays importable without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ml.forecasting.data import prepare_panel
from ml.forecasting.intervals import check_levels
from ml.forecasting.pipeline import BaseForecast, prophet_tasks, start_base, to_frame
from ml.forecasting.prophet_batch import fit_predict_many
from ml.forecasting.selection import MethodRule, choose_methods

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

BASE_SCHEMA = "unique_id string, step int, yhat double, sd double, method string"


def _shipped(series: pd.DataFrame, freq: str, methods: Mapping[str, str] | None, rule):
    """The panel, and one row per cleaned observation with its series' method (series without
    observations get one NaN row so they still reach Spark)."""
    panel = prepare_panel(series, freq)
    chosen = choose_methods(panel, rule)
    if methods:
        named = np.array([methods.get(uid) for uid in panel.ids], dtype=object)
        chosen = np.where(pd.notna(named), named, chosen).astype(object)
    rows = panel.to_frame()
    empty = panel.lengths == 0
    if empty.any():
        rows = pd.concat([rows, pd.DataFrame({
            "unique_id": panel.ids[empty], "level": panel.levels[empty],
            "parent_id": panel.parents[empty], "ds": panel.end, "y": np.nan,
        })], ignore_index=True)
    rows["method"] = rows["unique_id"].map(dict(zip(panel.ids, chosen, strict=True)))
    rows["ds"] = pd.to_datetime(rows["ds"]).astype("datetime64[us]")
    return panel, rows.astype({"unique_id": str, "level": str, "y": float})


def base_forecasts(
    group: pd.DataFrame, end: pd.Timestamp, width: int, horizon: int, freq: str,
    rule: MethodRule, random_state: int,
) -> pd.DataFrame:
    """One series' unreconciled forecast (as `forecast` makes it locally), one row per step."""
    group = group.sort_values("ds")
    panel = prepare_panel(group, freq, end=end)
    pad = np.full((1, width - panel.values.shape[1]), np.nan)
    panel = replace(panel, values=np.hstack([pad, panel.values]))
    base, rows = start_base(panel, horizon, rule, group["method"].iloc[:1].to_numpy(object))
    for i, result in zip(rows, fit_predict_many(prophet_tasks(base, rows, random_state), 1),
                         strict=True):
        if result is None:
            base.methods[i] = "seasonal_naive"
        else:
            base.yhat[i], base.sd[i] = result
    return pd.DataFrame({
        "unique_id": panel.ids[0], "step": np.arange(horizon, dtype="int32"),
        "yhat": base.yhat[0], "sd": base.sd[0], "method": base.methods[0],
    })


def forecast_on_spark(
    spark: SparkSession,
    series: pd.DataFrame,
    horizon: int = 12,
    freq: str = "W-MON",
    interval_levels: Sequence[int] = (80, 95),
    random_state: int = 0,
    rule: MethodRule | None = None,
    methods: Mapping[str, str] | None = None,
    partitions: int | None = None,
) -> pd.DataFrame:
    """`pipeline.forecast` with the per-series fits on Spark; the same table, the same numbers.

    `partitions` (default: Spark's default parallelism) is how many tasks share the series.
    """
    levels, rule = check_levels(interval_levels), rule or MethodRule()
    if horizon < 1:
        raise ValueError(f"horizon={horizon} must be a positive number of periods, e.g. 12.")
    panel, rows = _shipped(series, freq, methods, rule)
    end, width = panel.end, panel.values.shape[1]

    def fit(group: pd.DataFrame) -> pd.DataFrame:
        return base_forecasts(group, end, width, horizon, freq, rule, random_state)

    frame = spark.createDataFrame(rows[["unique_id", "level", "parent_id", "ds", "y", "method"]])
    frame = frame.repartition(partitions or spark.sparkContext.defaultParallelism, "unique_id")
    out = frame.groupBy("unique_id").applyInPandas(fit, schema=BASE_SCHEMA).toPandas()

    found = set(out["unique_id"])
    lost = [uid for uid in panel.ids if uid not in found]
    if lost:
        raise RuntimeError(f"Spark returned no forecast for {len(lost)} series, e.g. {lost[:3]}.")
    out = out.sort_values(["unique_id", "step"])
    row_of = {uid: i for i, uid in enumerate(panel.ids)}
    index = out["unique_id"].map(row_of).to_numpy()
    yhat, sd = np.zeros((len(panel.ids), horizon)), np.full((len(panel.ids), horizon), np.nan)
    yhat[index, out["step"].to_numpy()] = out["yhat"].to_numpy()
    sd[index, out["step"].to_numpy()] = out["sd"].to_numpy()
    methods_out = np.empty(len(panel.ids), dtype=object)
    methods_out[index] = out["method"].to_numpy(object)
    return to_frame(BaseForecast(panel, horizon, methods_out, yhat, sd), levels)
